package dev.sluice.proxy.resp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class RespDecoderTest {
  private static final long MAX_BULK = 512L * 1024 * 1024;

  /** Several frames of each kind, back to back, and what they decode to. */
  private static final String MIXED_FRAMES =
      "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nv\r\nab\r\n"
          + "PING\r\n"
          + "*1\r\n$0\r\n\r\n"
          + "*0\r\n"
          + "ECHO \"a b\" 'c d'\r\n"
          + "*2\r\n$4\r\nECHO\r\n$12\r\nhello world!\r\n"
          + "\r\n"
          + "GET k\n";

  private static final List<List<String>> MIXED_EXPECTED =
      List.of(
          List.of("SET", "k", "v\r\nab"),
          List.of("PING"),
          List.of(""),
          List.of("ECHO", "a b", "c d"),
          List.of("ECHO", "hello world!"),
          List.of("GET", "k"));

  // ---- helpers ----

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  private static EmbeddedChannel channel(long maxBulk) {
    return new EmbeddedChannel(new RespDecoder(() -> maxBulk));
  }

  /** Feeds the chunks one write each and returns everything the decoder emitted, in order. */
  private static List<Object> decode(long maxBulk, byte[]... chunks) {
    EmbeddedChannel channel = channel(maxBulk);
    for (byte[] chunk : chunks) {
      channel.writeInbound(Unpooled.wrappedBuffer(chunk));
    }
    List<Object> out = drain(channel);
    channel.finishAndReleaseAll();
    return out;
  }

  private static List<Object> decode(byte[]... chunks) {
    return decode(MAX_BULK, chunks);
  }

  private static List<Object> drain(EmbeddedChannel channel) {
    List<Object> out = new ArrayList<>();
    Object msg;
    while ((msg = channel.readInbound()) != null) {
      out.add(msg);
    }
    return out;
  }

  /** Requests as lists of ISO-8859-1 strings (one char per byte) and errors as-is, to compare. */
  private static List<Object> readable(List<Object> messages) {
    List<Object> result = new ArrayList<>();
    for (Object msg : messages) {
      if (msg instanceof Request request) {
        List<String> args = new ArrayList<>();
        for (byte[] arg : request.args()) {
          args.add(new String(arg, StandardCharsets.ISO_8859_1));
        }
        result.add(args);
      } else {
        result.add(msg);
      }
    }
    return result;
  }

  private static List<Object> decodeReadable(String... chunks) {
    return readable(
        decode(Arrays.stream(chunks).map(RespDecoderTest::bytes).toArray(byte[][]::new)));
  }

  private static byte[][] byteByByte(byte[] data) {
    byte[][] chunks = new byte[data.length][];
    for (int i = 0; i < data.length; i++) {
      chunks[i] = new byte[] {data[i]};
    }
    return chunks;
  }

  // ---- multibulk ----

  @Test
  void decode_multibulkCommand_yieldsRequestWithArgs() {
    List<Object> out = decode(bytes("*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nvalue\r\n"));

    assertEquals(1, out.size());
    Request request = (Request) out.get(0);
    assertEquals(3, request.argc());
    assertEquals(List.of(List.of("SET", "key", "value")), readable(out));
  }

  @Test
  void decode_moreArgumentsThanPresized_keepsEveryArgumentInOrder() {
    StringBuilder frame = new StringBuilder("*300\r\n$4\r\nMSET\r\n");
    List<String> expected = new ArrayList<>(List.of("MSET"));
    for (int i = 1; i < 300; i++) {
      String arg = "a" + i;
      frame.append('$').append(arg.length()).append("\r\n").append(arg).append("\r\n");
      expected.add(arg);
    }

    assertEquals(List.of(expected), decodeReadable(frame.toString()));
  }

  @Test
  void decode_sameCommandPipelined_sharesTheNameAndKeepsOtherNames() {
    List<Object> out =
        decode(
            bytes(
                "*2\r\n$3\r\nGET\r\n$1\r\na\r\n*2\r\n$3\r\nGET\r\n$1\r\nb\r\n"
                    + "*2\r\n$3\r\nDEL\r\n$1\r\nc\r\n"));

    assertEquals(
        List.of(List.of("GET", "a"), List.of("GET", "b"), List.of("DEL", "c")), readable(out));
    assertTrue(((Request) out.get(0)).args()[0] == ((Request) out.get(1)).args()[0]);
  }

  @Test
  void decode_mixedFramesInOneWrite_yieldsAllRequestsInOrder() {
    assertEquals(MIXED_EXPECTED, decodeReadable(MIXED_FRAMES));
  }

  @Test
  void decode_frameSplitAtEveryByte_yieldsSameRequest() {
    byte[] data = bytes(MIXED_FRAMES);

    assertEquals(MIXED_EXPECTED, readable(decode(byteByByte(data))), "one byte per write");
    for (int split = 1; split < data.length; split++) {
      byte[] first = Arrays.copyOfRange(data, 0, split);
      byte[] second = Arrays.copyOfRange(data, split, data.length);
      assertEquals(MIXED_EXPECTED, readable(decode(first, second)), "split after byte " + split);
    }
  }

  @Test
  void decode_errorFrameSplitAtEveryByte_yieldsPrecedingRequestThenSameError() {
    byte[] data = bytes("PING\r\n*2\r\n$4\r\nECHO\r\n:5\r\n*1\r\n$4\r\nPING\r\n");
    List<Object> expected = List.of(List.of("PING"), new ProtocolError("expected '$', got ':'"));

    assertEquals(expected, readable(decode(data)), "one write");
    assertEquals(expected, readable(decode(byteByByte(data))), "one byte per write");
    for (int split = 1; split < data.length; split++) {
      byte[] first = Arrays.copyOfRange(data, 0, split);
      byte[] second = Arrays.copyOfRange(data, split, data.length);
      assertEquals(expected, readable(decode(first, second)), "split after byte " + split);
    }
  }

  @Test
  void decode_emptyAndNullMultibulk_isIgnored() {
    assertEquals(List.of(List.of("PING")), decodeReadable("*0\r\n*-1\r\n*1\r\n$4\r\nPING\r\n"));
  }

  @Test
  void decode_binaryArgsWithCrlfAndNul_arePreservedExactly() {
    ByteArrayOutputStream frame = new ByteArrayOutputStream();
    byte[] allBytes = new byte[256];
    for (int i = 0; i < 256; i++) {
      allBytes[i] = (byte) i;
    }
    frame.writeBytes(bytes("*3\r\n$3\r\nSET\r\n$6\r\n\0\r\n\r\0\n\r\n$256\r\n"));
    frame.writeBytes(allBytes);
    frame.writeBytes(bytes("\r\n"));

    List<Object> out = decode(byteByByte(frame.toByteArray()));

    assertEquals(1, out.size());
    byte[][] args = ((Request) out.get(0)).args();
    assertEquals(3, args.length);
    assertTrue(Arrays.equals(new byte[] {0, '\r', '\n', '\r', 0, '\n'}, args[1]));
    assertTrue(Arrays.equals(allBytes, args[2]));
  }

  @Test
  void decode_bulkOfExactlyTheLimit_isAccepted() {
    String value = "x".repeat(1024);

    List<Object> out = readable(decode(1024, bytes("*1\r\n$1024\r\n" + value + "\r\n")));

    assertEquals(List.of(List.of(value)), out);
  }

  @Test
  void decode_bulkLengthAboveLimit_yieldsInvalidBulkLength() {
    assertEquals(
        List.of(new ProtocolError("invalid bulk length")),
        decode(1024, bytes("*2\r\n$3\r\nGET\r\n$1025\r\n")));
  }

  @Test
  void decode_hugeAnnouncedBulkWithinLimit_waitsWithoutAllocating() {
    EmbeddedChannel channel = channel(MAX_BULK);
    // The client announces 500 MB but sends only a few bytes: nothing must be allocated for the
    // announced length, and nothing is emitted while the data is missing.
    for (int i = 0; i < 20; i++) {
      channel.writeInbound(
          Unpooled.wrappedBuffer(
              bytes(i == 0 ? "*2\r\n$3\r\nSET\r\n$500000000\r\nabc" : "more bytes")));
    }

    assertEquals(List.of(), drain(channel));
    assertTrue(channel.isActive());
    channel.finishAndReleaseAll();
  }

  @Test
  void decode_negativeBulkLength_yieldsInvalidBulkLength() {
    assertEquals(List.of(new ProtocolError("invalid bulk length")), decode(bytes("*1\r\n$-5\r\n")));
  }

  @Test
  void decode_bulkLengthWithLeadingZero_yieldsInvalidBulkLength() {
    // Redis parses lengths with string2ll, which rejects leading zeros.
    assertEquals(
        List.of(new ProtocolError("invalid bulk length")), decode(bytes("*1\r\n$04\r\nPING\r\n")));
  }

  @Test
  void decode_bulkLengthMaxInt_yieldsInvalidBulkLength() {
    assertEquals(
        List.of(new ProtocolError("invalid bulk length")),
        decode(bytes("*2\r\n$3\r\nGET\r\n$2147483647\r\n")));
  }

  @Test
  void decode_multibulkCountAboveOneMebi_yieldsInvalidMultibulkLength() {
    assertEquals(
        List.of(new ProtocolError("invalid multibulk length")),
        decode(bytes("*" + (1024 * 1024 + 1) + "\r\n")));
  }

  @Test
  void decode_multibulkCountOfOneMebi_waitsForArguments() {
    assertEquals(List.of(), decode(bytes("*" + (1024 * 1024) + "\r\n$4\r\nPING\r\n")));
  }

  @Test
  void decode_multibulkCountNotANumber_yieldsInvalidMultibulkLength() {
    assertEquals(List.of(new ProtocolError("invalid multibulk length")), decode(bytes("*abc\r\n")));
  }

  @Test
  void decode_integerInsteadOfBulk_yieldsExpectedDollar() {
    assertEquals(
        List.of(new ProtocolError("expected '$', got ':'")), decode(bytes("*1\r\n:5\r\n")));
  }

  @Test
  void decode_integerInsteadOfBulkInSeparateWrite_yieldsExpectedDollar() {
    assertEquals(
        List.of(new ProtocolError("expected '$', got ':'")),
        decode(bytes("*1\r\n"), bytes(":5\r\n")));
  }

  @Test
  void decode_afterProtocolError_discardsFurtherInput() {
    EmbeddedChannel channel = channel(MAX_BULK);
    channel.writeInbound(Unpooled.wrappedBuffer(bytes("PING\r\n*abc\r\nPING\r\n")));
    channel.writeInbound(Unpooled.wrappedBuffer(bytes("*1\r\n$4\r\nPING\r\n")));
    channel.writeInbound(Unpooled.wrappedBuffer(bytes("PING\r\n")));

    assertEquals(
        List.of(List.of("PING"), new ProtocolError("invalid multibulk length")),
        readable(drain(channel)));
    channel.finishAndReleaseAll();
  }

  // ---- inline ----

  @Test
  void decode_inlinePing_yieldsPing() {
    assertEquals(List.of(List.of("PING")), decodeReadable("PING\r\n"));
  }

  @Test
  void decode_inlineBareNewline_endsTheLine() {
    assertEquals(List.of(List.of("PING"), List.of("GET", "k")), decodeReadable("PING\nGET k\n"));
  }

  @Test
  void decode_inlineDoubleQuotes_keepSpacesInsideOneArgument() {
    assertEquals(List.of(List.of("SET", "k", "a b")), decodeReadable("SET k \"a b\"\r\n"));
  }

  @Test
  void decode_inlineDoubleQuoteEscapes_areUnescaped() {
    assertEquals(
        List.of(List.of("ECHO", "AB\n\r\t\b\u0007\\\"x4g")),
        decodeReadable("ECHO \"\\x41\\x42\\n\\r\\t\\b\\a\\\\\\\"\\x4g\"\r\n"));
  }

  @Test
  void decode_inlineHexEscapeOfHighByte_yieldsThatByte() {
    List<Object> out = decode(bytes("ECHO \"\\xff\\x00\"\r\n"));

    assertTrue(Arrays.equals(new byte[] {(byte) 0xff, 0}, ((Request) out.get(0)).args()[1]));
  }

  @Test
  void decode_inlineSingleQuotes_onlyEscapeSingleQuote() {
    assertEquals(
        List.of(List.of("SET", "k", "a \"b\" 'c' \\n")),
        decodeReadable("SET k 'a \"b\" \\'c\\' \\n'\r\n"));
  }

  @Test
  void decode_inlineEmptyQuotes_yieldEmptyArgument() {
    assertEquals(List.of(List.of("SET", "k", "")), decodeReadable("SET k \"\"\r\n"));
  }

  @Test
  void decode_inlineTabsAndRepeatedSpaces_separateArguments() {
    assertEquals(List.of(List.of("SET", "k", "v")), decodeReadable("  SET\tk   v  \r\n"));
  }

  @Test
  void decode_inlineEmptyLines_areIgnored() {
    assertEquals(List.of(List.of("PING")), decodeReadable("\r\n   \r\n\nPING\r\n"));
  }

  @Test
  void decode_inlineUnbalancedDoubleQuote_yieldsProtocolError() {
    assertEquals(
        List.of(new ProtocolError("unbalanced quotes in request")),
        decode(bytes("SET k \"abc\r\nPING\r\n")));
  }

  @Test
  void decode_inlineUnbalancedSingleQuote_yieldsProtocolError() {
    assertEquals(
        List.of(new ProtocolError("unbalanced quotes in request")),
        decode(bytes("SET k 'abc\r\n")));
  }

  @Test
  void decode_inlineClosingQuoteFollowedByText_yieldsProtocolError() {
    assertEquals(
        List.of(new ProtocolError("unbalanced quotes in request")),
        decode(bytes("SET k \"a\"b\r\n")));
  }

  @Test
  void decode_inlineLineOver64KbWithoutNewline_yieldsTooBigInlineRequest() {
    byte[] line = new byte[70 * 1024];
    Arrays.fill(line, (byte) 'a');

    assertEquals(List.of(new ProtocolError("too big inline request")), decode(line));
  }

  @Test
  void decode_inlineLineOver64KbInChunks_yieldsTooBigInlineRequest() {
    byte[][] chunks = new byte[70][];
    for (int i = 0; i < chunks.length; i++) {
      chunks[i] = new byte[1024];
      Arrays.fill(chunks[i], (byte) 'a');
    }

    assertEquals(List.of(new ProtocolError("too big inline request")), decode(chunks));
  }

  @Test
  void decode_inlineLineJustUnder64Kb_isAccepted() {
    String arg = "a".repeat(RespDecoder.MAX_INLINE - 5);

    List<Object> out = decodeReadable("ECHO " + arg + "\r\n");

    assertEquals(List.of(List.of("ECHO", arg)), out);
  }

  @Test
  void decode_partialFrame_emitsNothingUntilComplete() {
    EmbeddedChannel channel = channel(MAX_BULK);
    channel.writeInbound(Unpooled.wrappedBuffer(bytes("*2\r\n$3\r\nGET\r\n$1\r\n")));
    assertNull(channel.readInbound());

    channel.writeInbound(Unpooled.wrappedBuffer(bytes("k\r\n")));

    assertEquals(List.of(List.of("GET", "k")), readable(drain(channel)));
    assertFalse(channel.finishAndReleaseAll());
  }

  // ---- limits: unauthenticated frames, query buffer, announced lengths ----

  @Test
  void decode_hugeDeclaredBulkNeverSent_holdsOnlyTheBytesThatArrived() {
    RespDecoder decoder = new RespDecoder(() -> MAX_BULK, () -> Long.MAX_VALUE, () -> true);
    EmbeddedChannel channel = new EmbeddedChannel(decoder);

    channel.writeInbound(Unpooled.wrappedBuffer(bytes("*2\r\n$4\r\nECHO\r\n$500000000\r\nabc")));

    assertEquals(List.of(), drain(channel));
    assertEquals(4 + 3, decoder.bufferedBytes(), "the ECHO argument and the three bytes sent");
    channel.finishAndReleaseAll();
  }

  @Test
  void decode_incompleteCommandPastQueryBufferLimit_emitsLimitReachedOnce() {
    EmbeddedChannel channel =
        new EmbeddedChannel(new RespDecoder(() -> MAX_BULK, () -> 100, () -> true));

    channel.writeInbound(Unpooled.wrappedBuffer(bytes("*2\r\n$4\r\nECHO\r\n$1000\r\n")));
    channel.writeInbound(Unpooled.wrappedBuffer(new byte[120]));
    channel.writeInbound(Unpooled.wrappedBuffer(bytes("PING\r\n")));

    List<Object> out = drain(channel);
    assertEquals(1, out.size());
    QueryBufferLimitReached reached = (QueryBufferLimitReached) out.get(0);
    assertEquals(100, reached.limit());
    assertTrue(reached.held() > 100, "held " + reached.held());
    channel.finishAndReleaseAll();
  }

  @Test
  void decode_unauthenticatedLimits_refuseMoreThanTenArgumentsOrLongerThan16384Bytes() {
    assertEquals(
        List.of(new ProtocolError("unauthenticated multibulk length")),
        decodeUnauthenticated("*11\r\n"));
    assertEquals(
        List.of(new ProtocolError("unauthenticated bulk length")),
        decodeUnauthenticated("*1\r\n$16385\r\n"));
    assertEquals(
        List.of(new ProtocolError("invalid bulk length")),
        decodeUnauthenticated("*1\r\n$" + (MAX_BULK + 1) + "\r\n"),
        "proto-max-bulk-len is checked first, as in Redis");
    assertEquals(1, decodeUnauthenticated("*10\r\n" + "$0\r\n\r\n".repeat(10)).size());
  }

  private static List<Object> decodeUnauthenticated(String input) {
    EmbeddedChannel channel =
        new EmbeddedChannel(new RespDecoder(() -> MAX_BULK, () -> Long.MAX_VALUE, () -> false));
    channel.writeInbound(Unpooled.wrappedBuffer(bytes(input)));
    List<Object> out = drain(channel);
    channel.finishAndReleaseAll();
    return out;
  }
}
