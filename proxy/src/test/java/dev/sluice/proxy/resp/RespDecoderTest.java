package dev.sluice.proxy.resp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
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
  void decode_pipelinedXadds_shareEveryArgumentEqualToThePreviousOnesAtItsPlace() {
    List<Object> out =
        decode(
            bytes(
                "*7\r\n$4\r\nXADD\r\n$1\r\nk\r\n$1\r\n*\r\n$3\r\nseq\r\n$1\r\n1\r\n"
                    + "$4\r\nkind\r\n$4\r\nview\r\n"
                    + "*7\r\n$4\r\nXADD\r\n$1\r\nk\r\n$1\r\n*\r\n$3\r\nseq\r\n$1\r\n2\r\n"
                    + "$4\r\nkind\r\n$4\r\nview\r\n"
                    + "*5\r\n$4\r\nXADD\r\n$1\r\nk\r\n$1\r\n*\r\n$4\r\nkind\r\n$3\r\nseq\r\n"));

    assertEquals(
        List.of(
            List.of("XADD", "k", "*", "seq", "1", "kind", "view"),
            List.of("XADD", "k", "*", "seq", "2", "kind", "view"),
            List.of("XADD", "k", "*", "kind", "seq")),
        readable(out));
    byte[][] first = ((Request) out.get(0)).args();
    byte[][] second = ((Request) out.get(1)).args();
    byte[][] third = ((Request) out.get(2)).args();
    for (int i : new int[] {0, 1, 2, 3, 5, 6}) {
      assertTrue(first[i] == second[i], "argument " + i + " shared");
    }
    assertTrue(first[4] != second[4], "a different value is its own array");
    assertTrue(second[3] != third[3] && second[4] != third[4], "other bytes at that place");
  }

  @Test
  void decode_commandWithALargeArgument_isNotKeptForTheNextToShare() {
    String big = "v".repeat(2000);
    String set = "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$2000\r\n" + big + "\r\n";
    List<Object> out = decode(bytes(set + set));

    assertEquals(List.of(List.of("SET", "k", big), List.of("SET", "k", big)), readable(out));
    byte[][] first = ((Request) out.get(0)).args();
    byte[][] second = ((Request) out.get(1)).args();
    assertTrue(first[0] != second[0] && first[2] != second[2], "nothing kept from a large command");
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

  // ---- the fast path for complete commands against the state machine ----

  /** The query buffer limit of the split tests: above every valid command they send. */
  private static final long SPLIT_QUERY_BUFFER_LIMIT = 128 * 1024;

  @Test
  void decode_randomSplitsOfMixedStream_sameAsOneByteAtATime() {
    assertRandomSplitsMatchOneByteAtATime(true, MAX_BULK, 70 * 1024);
  }

  @Test
  void decode_randomSplitsUnauthenticated_sameAsOneByteAtATime() {
    assertRandomSplitsMatchOneByteAtATime(false, MAX_BULK, RespDecoder.MAX_UNAUTHENTICATED_BULK);
  }

  @Test
  void decode_randomSplitsWithSmallMaxBulk_sameAsOneByteAtATime() {
    assertRandomSplitsMatchOneByteAtATime(true, 4096, 4096);
  }

  @Test
  void decode_completeCommandsBeforeIncompleteOne_countsOnlyTheIncompleteOneAgainstLimit() {
    for (boolean direct : new boolean[] {false, true}) {
      RespDecoder decoder = new RespDecoder(() -> MAX_BULK, () -> 100, () -> true);
      EmbeddedChannel channel = new EmbeddedChannel(decoder);
      String complete = "*1\r\n$4\r\nPING\r\n".repeat(50);

      channel.writeInbound(buffer(direct, bytes(complete + "*2\r\n$4\r\nECHO\r\n$1000\r\nab")));
      assertEquals(4 + 2, decoder.bufferedBytes(), "ECHO and the two bytes of its argument");
      channel.writeInbound(buffer(direct, new byte[120]));

      List<Object> out = drain(channel);
      assertEquals(51, out.size(), "direct " + direct);
      assertEquals(new QueryBufferLimitReached(4 + 2 + 120, 100), out.get(50), "direct " + direct);
      channel.finishAndReleaseAll();
    }
  }

  @Test
  void decode_sameCommandPipelinedInDirectBuffer_sharesTheName() {
    EmbeddedChannel channel = channel(MAX_BULK);
    channel.writeInbound(
        buffer(true, bytes("*2\r\n$3\r\nGET\r\n$1\r\na\r\n*2\r\n$3\r\nGET\r\n$1\r\nb\r\n")));

    List<Object> out = drain(channel);
    assertEquals(List.of(List.of("GET", "a"), List.of("GET", "b")), readable(out));
    assertTrue(((Request) out.get(0)).args()[0] == ((Request) out.get(1)).args()[0]);
    channel.finishAndReleaseAll();
  }

  /**
   * Streams of valid commands (inline, multibulk, empty arrays, arguments up to {@code largestArg}
   * bytes), then each of the endings (a malformed frame, a limit violation, a command past the
   * query buffer limit, or none) and more commands: whole, and cut at random places into heap or
   * direct buffers, they decode as they do one byte per write, which never finds a command complete
   * at its start and so always takes the state machine.
   */
  private static void assertRandomSplitsMatchOneByteAtATime(
      boolean authenticated, long maxBulk, int largestArg) {
    List<String> endings = endings(maxBulk);
    for (int seed = 0; seed < endings.size(); seed++) {
      Random random = new Random(seed);
      ByteArrayOutputStream input = new ByteArrayOutputStream();
      input.writeBytes(randomCommands(random, authenticated, largestArg));
      input.writeBytes(bytes(endings.get(seed)));
      input.writeBytes(randomCommands(random, authenticated, largestArg));
      byte[] stream = input.toByteArray();
      String context = "ending " + seed + " (" + endings.get(seed).length() + " bytes)";

      List<Object> expected = comparable(decodeSplit(authenticated, maxBulk, false, stream, 1));
      assertFalse(expected.isEmpty(), context);
      for (int split = 0; split < 30; split++) {
        boolean direct = random.nextBoolean();
        int longestChunk = 1 + random.nextInt(split % 2 == 0 ? 64 : stream.length);
        int[] cuts = random.ints(0, longestChunk).limit(stream.length).toArray();
        List<Object> actual = comparable(decodeSplit(authenticated, maxBulk, direct, stream, cuts));
        assertEquals(expected, actual, context + ", split " + split + ", direct " + direct);
      }
      for (boolean direct : new boolean[] {false, true}) {
        assertEquals(
            expected,
            comparable(decodeSplit(authenticated, maxBulk, direct, stream, stream.length)),
            context + ", whole, direct " + direct);
      }
    }
  }

  /** What may follow valid commands: each frame is complete where it can be. */
  private static List<String> endings(long maxBulk) {
    String overMaxBulk =
        maxBulk < 1024 * 1024
            ? "*1\r\n$" + (maxBulk + 1) + "\r\n" + "a".repeat((int) maxBulk + 1) + "\r\n"
            : "*2\r\n$3\r\nGET\r\n$" + (maxBulk + 1) + "\r\n";
    return List.of(
        "",
        "*1\rx$4\ryPINGzz", // the state machine skips the byte after '\r' and two after a bulk
        "*abc\r\n",
        "*1\r\n:5\r\n",
        "*2\r\n$3\r\nGET\r\n$04\r\nPING\r\n",
        "*01\r\n$4\r\nPING\r\n",
        "*1\r\n$-5\r\n",
        "*1\r\n$4x\r\nPING\r\n",
        overMaxBulk,
        "*" + (RespDecoder.MAX_MULTIBULK + 1) + "\r\n",
        "*11\r\n" + "$1\r\na\r\n".repeat(11),
        "*1\r\n$16385\r\n" + "b".repeat(16385) + "\r\n",
        "*2\r\n$4\r\nECHO\r\n$10000000\r\n" + "c".repeat(140_000), // never complete
        "SET k \"abc\r\n");
  }

  private static byte[] randomCommands(Random random, boolean authenticated, int largestArg) {
    ByteArrayOutputStream commands = new ByteArrayOutputStream();
    for (int i = 10 + random.nextInt(30); i > 0; i--) {
      commands.writeBytes(randomCommand(random, authenticated, largestArg));
    }
    return commands.toByteArray();
  }

  /** A valid command, mostly multibulk; now and then an argument of exactly largestArg bytes. */
  private static byte[] randomCommand(Random random, boolean authenticated, int largestArg) {
    switch (random.nextInt(12)) {
      case 0:
        return bytes("PING\r\n");
      case 1:
        return bytes(random.nextBoolean() ? "*0\r\n" : "*-1\r\n");
      case 2:
        return bytes("ECHO 'a b' c\n");
      default:
        break;
    }
    int argc = 1 + random.nextInt(authenticated ? 14 : RespDecoder.MAX_UNAUTHENTICATED_MULTIBULK);
    Request request = new Request(new byte[argc][]);
    for (int i = 0; i < argc; i++) {
      byte[] arg = random.nextInt(150) == 0 ? new byte[largestArg] : new byte[random.nextInt(20)];
      random.nextBytes(arg);
      request.args()[i] = i == 0 && random.nextBoolean() ? bytes("XADD") : arg;
    }
    return RespDecoderFuzzTest.encode(request);
  }

  /** Feeds the stream cut after each of {@code cuts}' lengths in turn (cycling), in one channel. */
  private static List<Object> decodeSplit(
      boolean authenticated, long maxBulk, boolean direct, byte[] stream, int... cuts) {
    EmbeddedChannel channel =
        new EmbeddedChannel(
            new RespDecoder(() -> maxBulk, () -> SPLIT_QUERY_BUFFER_LIMIT, () -> authenticated));
    for (int from = 0, cut = 0; from < stream.length; cut++) {
      int to = Math.min(stream.length, from + Math.max(1, cuts[cut % cuts.length]));
      channel.writeInbound(buffer(direct, Arrays.copyOfRange(stream, from, to)));
      from = to;
    }
    List<Object> out = drain(channel);
    channel.finishAndReleaseAll();
    return out;
  }

  private static ByteBuf buffer(boolean direct, byte[] data) {
    return direct
        ? Unpooled.directBuffer(data.length).writeBytes(data)
        : Unpooled.wrappedBuffer(data);
  }

  /**
   * What the decoder emitted, comparable across splits: how much is held when the query buffer
   * limit is found exceeded depends on where the input was cut, whatever the decoder.
   */
  private static List<Object> comparable(List<Object> messages) {
    return readable(messages).stream()
        .map(
            msg ->
                msg instanceof QueryBufferLimitReached reached
                    ? "query buffer limit "
                        + reached.limit()
                        + " exceeded: "
                        + (reached.held() > reached.limit())
                    : msg)
        .toList();
  }
}
