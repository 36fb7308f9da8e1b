package dev.sluice.proxy.resp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class RespWriterTest {

  /** What the writer puts on the wire for {@code action}, one char per byte. */
  private static String written(int protocol, Consumer<RespWriter> action) {
    ByteBuf out = Unpooled.buffer(16);
    try {
      RespWriter writer = new RespWriter();
      writer.target(out);
      writer.useProtocol(protocol);
      action.accept(writer);
      return out.toString(StandardCharsets.ISO_8859_1);
    } finally {
      out.release();
    }
  }

  private static void assertBoth(String resp2, String resp3, Consumer<RespWriter> action) {
    assertEquals(resp2, written(2, action), "RESP2");
    assertEquals(resp3, written(3, action), "RESP3");
  }

  @Test
  void protocol_byDefault_isTwo() {
    RespWriter writer = new RespWriter();
    assertEquals(2, writer.protocol());
    writer.useProtocol(3);
    assertEquals(3, writer.protocol());
  }

  @Test
  void simple_ok_isPlusOk() {
    assertBoth("+OK\r\n", "+OK\r\n", w -> w.simple("OK"));
  }

  @Test
  void streamId_writesTheSameBulkAsTheIdsText() {
    long[][] ids = {
      {0, 0}, {9, 10}, {1700000000123L, 99}, {1700000000123L, 100}, {Long.MAX_VALUE, Long.MAX_VALUE}
    };
    StringBuilder expected = new StringBuilder();
    for (long[] id : ids) {
      String text = id[0] + "-" + id[1];
      expected.append('$').append(text.length()).append("\r\n").append(text).append("\r\n");
    }
    // one writer for all: the millisecond's digits kept from one ID must not leak into the next
    String all = expected.toString();
    assertBoth(
        all,
        all,
        w -> {
          for (long[] id : ids) {
            w.streamId(id[0], id[1]);
          }
        });
  }

  @Test
  void simple_otherText_isPlusText() {
    assertBoth("+PONG\r\n", "+PONG\r\n", w -> w.simple("PONG"));
  }

  @Test
  void simple_withCrLfInside_isSanitizedToSpaces() {
    assertBoth("+a  b c\r\n", "+a  b c\r\n", w -> w.simple("a\r\nb\nc"));
  }

  @Test
  void error_plainMessage_isMinusMessage() {
    assertBoth("-ERR syntax error\r\n", "-ERR syntax error\r\n", w -> w.error("ERR syntax error"));
  }

  @Test
  void error_withCrLfInside_isSanitizedToSpaces() {
    assertBoth(
        "-ERR bad  thing happened \r\n",
        "-ERR bad  thing happened \r\n",
        w -> w.error("ERR bad\r\nthing happened\n"));
  }

  @Test
  void error_withUtf8_keepsBytes() {
    assertEquals(
        "-ERR caf\u00c3\u00a9\r\n", written(2, w -> w.error("ERR caf\u00e9")), "UTF-8 bytes of é");
  }

  @Test
  void integer_smallCachedValues_areColonDecimal() {
    assertBoth(":0\r\n", ":0\r\n", w -> w.integer(0));
    assertBoth(":1\r\n", ":1\r\n", w -> w.integer(1));
    assertBoth(":1023\r\n", ":1023\r\n", w -> w.integer(1023));
  }

  @Test
  void integer_largeAndNegativeValues_areColonDecimal() {
    assertBoth(":1024\r\n", ":1024\r\n", w -> w.integer(1024));
    assertBoth(":-1\r\n", ":-1\r\n", w -> w.integer(-1));
    assertBoth(":-2\r\n", ":-2\r\n", w -> w.integer(-2));
    assertBoth(":-1000000\r\n", ":-1000000\r\n", w -> w.integer(-1_000_000));
    assertBoth(":1234567890123\r\n", ":1234567890123\r\n", w -> w.integer(1234567890123L));
    assertBoth(
        ":9223372036854775807\r\n", ":9223372036854775807\r\n", w -> w.integer(Long.MAX_VALUE));
    assertBoth(
        ":-9223372036854775808\r\n", ":-9223372036854775808\r\n", w -> w.integer(Long.MIN_VALUE));
    assertBoth(
        ":-9223372036854775807\r\n",
        ":-9223372036854775807\r\n",
        w -> w.integer(Long.MIN_VALUE + 1));
  }

  @Test
  void bulk_bytes_areLengthPrefixed() {
    assertBoth("$5\r\nhello\r\n", "$5\r\nhello\r\n", w -> w.bulk("hello".getBytes()));
  }

  @Test
  void bulk_empty_isDollarZero() {
    assertBoth("$0\r\n\r\n", "$0\r\n\r\n", w -> w.bulk(new byte[0]));
  }

  @Test
  void bulk_binaryWithCrLfAndNul_isCopiedVerbatim() {
    byte[] value = {'a', '\r', '\n', 0, (byte) 0xff};
    assertBoth("$5\r\na\r\n\0\u00ff\r\n", "$5\r\na\r\n\0\u00ff\r\n", w -> w.bulk(value));
  }

  @Test
  void bulk_string_isUtf8Encoded() {
    assertBoth("$2\r\n\u00c3\u00a9\r\n", "$2\r\n\u00c3\u00a9\r\n", w -> w.bulk("\u00e9"));
  }

  @Test
  void bulk_longerThanCache_hasMultiDigitLength() {
    String value = "x".repeat(12345);
    assertBoth("$12345\r\n" + value + "\r\n", "$12345\r\n" + value + "\r\n", w -> w.bulk(value));
  }

  @Test
  void nil_isNullBulkOrUnderscore() {
    assertBoth("$-1\r\n", "_\r\n", Reply::nil);
  }

  @Test
  void nilArray_isNullArrayOrUnderscore() {
    assertBoth("*-1\r\n", "_\r\n", Reply::nilArray);
  }

  @Test
  void array_headers_areStarLength() {
    assertBoth("*0\r\n", "*0\r\n", w -> w.array(0));
    assertBoth("*3\r\n", "*3\r\n", w -> w.array(3));
    assertBoth("*1023\r\n", "*1023\r\n", w -> w.array(1023));
    assertBoth("*1024\r\n", "*1024\r\n", w -> w.array(1024));
    assertBoth("*100000\r\n", "*100000\r\n", w -> w.array(100_000));
  }

  @Test
  void array_withElements_isHeaderThenElements() {
    assertBoth(
        "*3\r\n$1\r\na\r\n:7\r\n$-1\r\n",
        "*3\r\n$1\r\na\r\n:7\r\n_\r\n",
        w -> {
          w.array(3);
          w.bulk("a");
          w.integer(7);
          w.nil();
        });
  }

  @Test
  void map_isFlatArrayOfTwiceTheLengthOrPercent() {
    assertBoth("*2\r\n", "%1\r\n", w -> w.map(1));
    assertBoth("*0\r\n", "%0\r\n", w -> w.map(0));
    assertBoth("*1200\r\n", "%600\r\n", w -> w.map(600));
  }

  @Test
  void set_isArrayOrTilde() {
    assertBoth("*3\r\n", "~3\r\n", w -> w.set(3));
    assertBoth("*0\r\n", "~0\r\n", w -> w.set(0));
    assertBoth("*2000\r\n", "~2000\r\n", w -> w.set(2000));
  }

  @Test
  void doubleValue_fraction_isBulkOrComma() {
    assertBoth("$3\r\n1.5\r\n", ",1.5\r\n", w -> w.doubleValue(1.5));
    assertBoth("$5\r\n-2.25\r\n", ",-2.25\r\n", w -> w.doubleValue(-2.25));
    assertBoth("$3\r\n0.1\r\n", ",0.1\r\n", w -> w.doubleValue(0.1));
    assertBoth(
        "$19\r\n0.30000000000000004\r\n",
        ",0.30000000000000004\r\n",
        w -> w.doubleValue(0.1 + 0.2));
    assertBoth("$6\r\n0.0001\r\n", ",0.0001\r\n", w -> w.doubleValue(0.0001));
    assertBoth("$8\r\n0.000001\r\n", ",0.000001\r\n", w -> w.doubleValue(0.000001));
  }

  @Test
  void doubleValue_integral_hasNoFractionPart() {
    assertBoth("$1\r\n3\r\n", ",3\r\n", w -> w.doubleValue(3.0));
    assertBoth("$2\r\n-7\r\n", ",-7\r\n", w -> w.doubleValue(-7.0));
    assertBoth("$1\r\n0\r\n", ",0\r\n", w -> w.doubleValue(0.0));
    assertBoth(
        "$19\r\n4000000000000000000\r\n", ",4000000000000000000\r\n", w -> w.doubleValue(4e18));
  }

  @Test
  void doubleValue_negativeZero_isMinusZero() {
    // Redis's d2string prints the sign of a negative zero.
    assertBoth("$2\r\n-0\r\n", ",-0\r\n", w -> w.doubleValue(-0.0));
  }

  @Test
  void doubleValue_largeOrTinyMagnitudes_useRedisExponentForm() {
    // Beyond LLONG_MAX/2 and below 1e-6 Redis 7.4's fpconv_dtoa switches to exponent notation.
    assertBoth("$5\r\n1e+19\r\n", ",1e+19\r\n", w -> w.doubleValue(1e19));
    assertBoth("$5\r\n1e+20\r\n", ",1e+20\r\n", w -> w.doubleValue(1e20));
    assertBoth("$8\r\n1.5e+300\r\n", ",1.5e+300\r\n", w -> w.doubleValue(1.5e300));
    assertBoth("$4\r\n1e-7\r\n", ",1e-7\r\n", w -> w.doubleValue(1e-7));
    assertBoth("$7\r\n-1.5e-7\r\n", ",-1.5e-7\r\n", w -> w.doubleValue(-1.5e-7));
    assertBoth(
        "$23\r\n1.7976931348623157e+308\r\n",
        ",1.7976931348623157e+308\r\n",
        w -> w.doubleValue(Double.MAX_VALUE));
    assertBoth("$9\r\n1.25e-100\r\n", ",1.25e-100\r\n", w -> w.doubleValue(1.25e-100));
  }

  @Test
  void doubleValue_largeWithManyDigits_staysPlainWhileExponentIsSmall() {
    // 17 significant digits and exponent 20 < 17 + 7: fpconv writes the plain integer.
    assertBoth(
        "$21\r\n123456789012345680000\r\n",
        ",123456789012345680000\r\n",
        w -> w.doubleValue(1.2345678901234568e20));
  }

  @Test
  void doubleValue_infinitiesAndNan_areSpelledOut() {
    assertBoth("$3\r\ninf\r\n", ",inf\r\n", w -> w.doubleValue(Double.POSITIVE_INFINITY));
    assertBoth("$4\r\n-inf\r\n", ",-inf\r\n", w -> w.doubleValue(Double.NEGATIVE_INFINITY));
    assertBoth("$3\r\nnan\r\n", ",nan\r\n", w -> w.doubleValue(Double.NaN));
  }

  @Test
  void bool_isIntegerOrHash() {
    assertBoth(":1\r\n", "#t\r\n", w -> w.bool(true));
    assertBoth(":0\r\n", "#f\r\n", w -> w.bool(false));
  }

  @Test
  void verbatim_isBulkOrTxtVerbatim() {
    assertBoth("$5\r\nhello\r\n", "=9\r\ntxt:hello\r\n", w -> w.verbatim("hello"));
  }

  @Test
  void verbatim_multiLineUtf8_countsBytesAndKeepsNewlines() {
    assertBoth(
        "$7\r\na\r\nb \u00c3\u00a9\r\n",
        "=11\r\ntxt:a\r\nb \u00c3\u00a9\r\n",
        w -> w.verbatim("a\r\nb \u00e9"));
  }

  @Test
  void verbatim_empty_isEmptyBulkOrTxtOnly() {
    assertBoth("$0\r\n\r\n", "=4\r\ntxt:\r\n", w -> w.verbatim(""));
  }

  @Test
  void useProtocol_midStream_changesLaterReplies() {
    assertEquals(
        "$-1\r\n_\r\n",
        written(
            2,
            w -> {
              w.nil();
              w.useProtocol(3);
              w.nil();
            }));
  }
}
