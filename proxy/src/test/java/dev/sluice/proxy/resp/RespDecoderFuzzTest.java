package dev.sluice.proxy.resp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fuzz targets for {@link RespDecoder}: multibulk (what RESP2 and RESP3 clients send alike), inline
 * commands, and RESP3 type bytes a confused client might send. Without JAZZER_FUZZ the seeds in
 * {@code RespDecoderFuzzTestInputs/} run as regression tests; {@code ./mvnw -Pfuzz} fuzzes.
 */
class RespDecoderFuzzTest {
  /** Small, so the fuzzer reaches the length checks. */
  private static final long MAX_BULK = 4096;

  private static final long QUERY_BUFFER_LIMIT = 64 * 1024;

  /**
   * Any bytes, fed whole, in chunks and one byte at a time: the same requests come out each way,
   * every request re-encoded as a canonical multibulk decodes to itself, the bounds hold, and an
   * error is the last thing emitted.
   */
  @FuzzTest
  void decode_anyBytes_sameFramesWholeOrChunkedAndReencodable(FuzzedDataProvider data) {
    int chunk = data.consumeInt(1, 64);
    boolean authenticated = data.consumeBoolean();
    byte[] input = data.consumeRemainingAsBytes();
    if (input.length >= QUERY_BUFFER_LIMIT) {
      return; // where the limit is reached depends on how the input is split
    }

    List<Object> whole = decode(authenticated, input.length == 0 ? 1 : input.length, input);
    List<Object> chunked = decode(authenticated, chunk, input);
    // one byte per write never finds a command complete at its start: the state machine alone
    List<Object> byteByByte = decode(authenticated, 1, input);

    assertEquals(readable(whole), readable(chunked), "same frames whole and in chunks");
    assertEquals(readable(whole), readable(byteByByte), "same frames whole and byte by byte");
    for (int i = 0; i < whole.size(); i++) {
      Object frame = whole.get(i);
      if (frame instanceof Request request) {
        assertTrue(request.argc() >= 1, "a request has a command name");
        assertTrue(request.argc() <= RespDecoder.MAX_MULTIBULK);
        for (byte[] arg : request.args()) {
          assertTrue(arg.length <= Math.max(MAX_BULK, RespDecoder.MAX_INLINE), "bounded argument");
        }
        byte[] canonical = encode(request);
        List<Object> again = decode(true, canonical.length, canonical);
        assertEquals(List.of(readable(request)), readable(again), "re-encoded request");
      } else {
        assertEquals(whole.size() - 1, i, "nothing is decoded after an error: " + frame);
      }
    }
  }

  /**
   * Well-formed requests encoded as multibulk, back to back and split anywhere: exactly those
   * requests come out, and re-encoding them gives back the input bytes. Without JAZZER_FUZZ it runs
   * on the seeds of {@code RespDecoderFuzzTestInputs/}; {@link
   * #decode_fixedCanonicalMultibulk_yieldsSameRequestsAndSameBytes} checks the same on fixed
   * requests.
   *
   * <p>A seed holds the argument bytes at its front and the integers, one byte each, at its end,
   * read backwards: chunk, request count, then per request its argument count and per argument its
   * length. So {@code one-byte-args} is {@code abbc} then the bytes 1 1 1 1 1 1 1 1 4 32: four
   * one-argument requests in one 32-byte chunk, where the decoder's fast path compares each
   * argument with the one before it.
   */
  @FuzzTest
  void decode_canonicalMultibulk_yieldsSameRequestsAndSameBytes(FuzzedDataProvider data) {
    int chunk = data.consumeInt(1, 32);
    int count = data.consumeInt(1, 8);
    List<Request> requests = new ArrayList<>();
    for (int r = 0; r < count && data.remainingBytes() > 0; r++) {
      int argc = data.consumeInt(1, 6);
      byte[][] args = new byte[argc][];
      for (int a = 0; a < argc; a++) {
        args[a] = data.consumeBytes(data.consumeInt(0, 64));
      }
      requests.add(new Request(args));
    }
    assertDecodedAsSent(requests, chunk);
  }

  /**
   * The same check as the fuzz target on fixed requests, fed whole (the decoder's fast path for
   * complete commands), in chunks of a few bytes and one byte at a time (the state machine).
   */
  @ParameterizedTest(name = "{0}, chunks of {2}")
  @MethodSource("fixedRequests")
  void decode_fixedCanonicalMultibulk_yieldsSameRequestsAndSameBytes(
      String name, List<Request> requests, int chunk) {
    assertDecodedAsSent(requests, chunk);
  }

  static Stream<Arguments> fixedRequests() {
    byte[] everyByte = new byte[256];
    for (int i = 0; i < everyByte.length; i++) {
      everyByte[i] = (byte) i;
    }
    byte[][] hundredArgs = new byte[100][];
    for (int i = 0; i < hundredArgs.length; i++) {
      hundredArgs[i] = text("a" + i);
    }
    Map<String, List<Request>> cases = new LinkedHashMap<>();
    cases.put("one command", List.of(request("PING")));
    cases.put(
        "same command, values of the same length",
        List.of(
            request("SET", "key", "v1"),
            request("SET", "key", "v2"),
            request("SET", "key", "v2"),
            request("SET", "yek", "v2")));
    cases.put(
        "one-byte arguments", List.of(request("a"), request("b"), request("b"), request("c", "d")));
    cases.put(
        "empty arguments", List.of(request("SET", "k", ""), request(""), request("", "", "x")));
    cases.put(
        "protocol bytes inside arguments",
        List.of(
            request("SET", "k", "v\r\nab"),
            request("ECHO", "*1\r\n$4\r\nPING\r\n"),
            request("ECHO", "\r", "\n", "$", "*", "-1", "\u0000")));
    cases.put(
        "every byte value",
        List.of(new Request(new byte[][] {text("SET"), text("bin"), everyByte})));
    cases.put(
        "lengths across digit counts",
        List.of(
            request("ECHO", "x".repeat(9)),
            request("ECHO", "x".repeat(10)),
            request("ECHO", "x".repeat(99)),
            request("ECHO", "x".repeat(100)),
            request("ECHO", "y".repeat(100)),
            request("ECHO", "x".repeat((int) MAX_BULK))));
    cases.put(
        "many arguments",
        List.of(new Request(hundredArgs), request("DEL", "a0", "a1"), new Request(hundredArgs)));
    cases.put(
        "pipelined mix",
        List.of(
            request("MULTI"),
            request("HSET", "h", "f1", "1", "f2", "22"),
            request("HSET", "h", "f1", "3", "f2", "44"),
            request("INCR", "n"),
            request("EXEC"),
            request("GET", "k"),
            request("GET", "l")));
    List<Arguments> out = new ArrayList<>();
    cases.forEach(
        (name, requests) -> {
          for (int chunk : new int[] {1, 3, 7, 64, Integer.MAX_VALUE}) {
            out.add(Arguments.of(name, requests, chunk));
          }
        });
    return out.stream();
  }

  private static Request request(String... args) {
    byte[][] bytes = new byte[args.length][];
    for (int i = 0; i < args.length; i++) {
      bytes[i] = text(args[i]);
    }
    return new Request(bytes);
  }

  private static byte[] text(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  /**
   * {@code requests} encoded as multibulk back to back and fed in chunks of {@code chunk} bytes:
   * exactly those requests come out, and re-encoding them gives back the input bytes.
   */
  private static void assertDecodedAsSent(List<Request> requests, int chunk) {
    ByteArrayOutputStream input = new ByteArrayOutputStream();
    requests.forEach(request -> input.writeBytes(encode(request)));
    byte[] bytes = input.toByteArray();

    List<Object> decoded = decode(true, Math.max(1, Math.min(chunk, bytes.length)), bytes);

    assertEquals(requests.stream().map(RespDecoderFuzzTest::readable).toList(), readable(decoded));
    ByteArrayOutputStream reencoded = new ByteArrayOutputStream();
    decoded.forEach(frame -> reencoded.writeBytes(encode((Request) frame)));
    assertArrayEquals(bytes, reencoded.toByteArray());
  }

  static List<Object> decode(boolean authenticated, int chunk, byte[] input) {
    EmbeddedChannel channel =
        new EmbeddedChannel(
            new RespDecoder(() -> MAX_BULK, () -> QUERY_BUFFER_LIMIT, () -> authenticated));
    for (int from = 0; from < input.length; from += chunk) {
      channel.writeInbound(
          Unpooled.wrappedBuffer(
              Arrays.copyOfRange(input, from, Math.min(input.length, from + chunk))));
    }
    List<Object> out = new ArrayList<>();
    Object msg;
    while ((msg = channel.readInbound()) != null) {
      out.add(msg);
    }
    channel.finishAndReleaseAll();
    return out;
  }

  static byte[] encode(Request request) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(("*" + request.argc() + "\r\n").getBytes(StandardCharsets.US_ASCII));
    for (byte[] arg : request.args()) {
      out.writeBytes(("$" + arg.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
      out.writeBytes(arg);
      out.writeBytes(new byte[] {'\r', '\n'});
    }
    return out.toByteArray();
  }

  private static List<String> readable(Request request) {
    List<String> args = new ArrayList<>();
    for (byte[] arg : request.args()) {
      args.add(new String(arg, StandardCharsets.ISO_8859_1));
    }
    return args;
  }

  private static List<Object> readable(List<Object> frames) {
    List<Object> out = new ArrayList<>();
    for (Object frame : frames) {
      out.add(frame instanceof Request request ? readable(request) : frame);
    }
    return out;
  }
}
