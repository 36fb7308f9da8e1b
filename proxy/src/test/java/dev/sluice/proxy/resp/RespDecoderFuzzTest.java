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
import java.util.List;

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
   * requests come out, and re-encoding them gives back the input bytes.
   */
  @FuzzTest
  void decode_canonicalMultibulk_yieldsSameRequestsAndSameBytes(FuzzedDataProvider data) {
    int chunk = data.consumeInt(1, 32);
    int count = data.consumeInt(1, 8);
    List<Request> requests = new ArrayList<>();
    ByteArrayOutputStream input = new ByteArrayOutputStream();
    for (int r = 0; r < count && data.remainingBytes() > 0; r++) {
      int argc = data.consumeInt(1, 6);
      byte[][] args = new byte[argc][];
      for (int a = 0; a < argc; a++) {
        args[a] = data.consumeBytes(data.consumeInt(0, 64));
      }
      Request request = new Request(args);
      requests.add(request);
      input.writeBytes(encode(request));
    }
    byte[] bytes = input.toByteArray();

    List<Object> decoded = decode(true, chunk, bytes);

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
