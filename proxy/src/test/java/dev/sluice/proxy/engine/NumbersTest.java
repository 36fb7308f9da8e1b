package dev.sluice.proxy.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Redis's number rules as {@link Numbers} applies them. The expected values were checked against
 * redis-server 7.0.15 (ZADD for string2d, ZCOUNT for score bounds); 7.4 reads these texts the same
 * way (both call glibc's strtod and strtold).
 */
class NumbersTest {
  private static final String ERROR = "ERR caller's text";

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  private static double d(String s) {
    return Numbers.parseDouble(b(s), ERROR);
  }

  private static void refused(String s) {
    RedisError e = assertThrows(RedisError.class, () -> d(s), () -> "accepted [" + s + "]");
    assertEquals(ERROR, e.getMessage());
  }

  private static double bound(String s) {
    return Numbers.parseBound(b(s), 0);
  }

  // ---- parseDouble: string2d ----

  @Test
  void parseDouble_decimal() {
    assertEquals(1.5, d("1.5"));
    assertEquals(-3.0, d("-3"));
    assertEquals(0.5, d("+.5"));
    assertEquals(1.0, d("1."));
    assertEquals(7.0, d("007"));
    assertEquals(0.1, d("0.1"));
    assertEquals(123456789012345.0, d("123456789012345"));
    assertEquals(-123456789012345.0, d("-123456789012345"));
  }

  @Test
  void parseDouble_integerPastDoublePrecisionRoundsToNearestEven() {
    assertEquals(9007199254740992.0, d("9007199254740993"));
    assertEquals(1.2345678901234568e19, d("12345678901234567890"));
  }

  @Test
  void parseDouble_exponent() {
    assertEquals(1000.0, d("1e3"));
    assertEquals(0.001, d("1E-3"));
    assertEquals(-250.0, d("-2.5e+2"));
    assertEquals(1e308, d("1e308"));
    assertEquals(Double.MAX_VALUE, d("1.7976931348623157e308"));
  }

  @Test
  void parseDouble_hexadecimal() {
    assertEquals(16.0, d("0x10"));
    assertEquals(8.0, d("0X1P3"));
    assertEquals(0.5, d("0x.8"));
    assertEquals(-0.5, d("-0x1p-1"));
    assertEquals(3.0, d("0x1.8p1"));
    assertEquals(255.0, d("+0xfF"));
    assertEquals(1.0, d("0x1."));
  }

  @ParameterizedTest
  @ValueSource(strings = {"inf", "+inf", "INF", "Inf", "infinity", "+Infinity", "INFINITY"})
  void parseDouble_positiveInfinityInAnyCase(String text) {
    assertEquals(Double.POSITIVE_INFINITY, d(text));
  }

  @ParameterizedTest
  @ValueSource(strings = {"-inf", "-INF", "-iNf", "-infinity", "-Infinity"})
  void parseDouble_negativeInfinityInAnyCase(String text) {
    assertEquals(Double.NEGATIVE_INFINITY, d(text));
  }

  @ParameterizedTest
  @ValueSource(strings = {"nan", "NaN", "-nan", "+NAN", "nan(1)", "nan()"})
  void parseDouble_nanRefused(String text) {
    refused(text);
  }

  @ParameterizedTest
  @ValueSource(strings = {" 1", "1 ", "\t1", "1\n", "\u000b1", " inf", "1\r"})
  void parseDouble_leadingOrTrailingSpaceRefused(String text) {
    refused(text);
  }

  @ParameterizedTest
  @ValueSource(strings = {"1e400", "-1e400", "0x1p1024", "1.8e308", "1e99999999999"})
  void parseDouble_overflowRefused(String text) {
    refused(text);
  }

  @ParameterizedTest
  @ValueSource(strings = {"1e-400", "-1e-400", "2.4703282292062327e-324", "0x1p-1100"})
  void parseDouble_underflowToZeroRefused(String text) {
    refused(text);
  }

  @Test
  void parseDouble_underflowToDenormalAccepted() {
    assertEquals(1e-310, d("1e-310"));
    assertEquals(Double.MIN_VALUE, d("2.4703282292062328e-324"));
    assertEquals(Double.MIN_VALUE, d("0x1p-1074"));
  }

  @Test
  void parseDouble_zeroWithAnyExponentAccepted() {
    assertEquals(0.0, d("0e-400"));
    assertEquals(0.0, d("0.000e400"));
    assertEquals(0.0, d("0x0p-9999"));
  }

  @Test
  void parseDouble_negativeZeroKeepsItsSign() {
    assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(d("-0")));
    assertEquals(Double.doubleToRawLongBits(0.0), Double.doubleToRawLongBits(d("0")));
  }

  @Test
  void parseDouble_emptyRefused() {
    refused("");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "0x", "0x.", ".", "-", "+", "e5", ".e5", "1e", "1e+", "1e-", "0x1p", "0x1p+", "infin",
        "infinit", "1.2.3", "1f", "1d", "0x1g", "1,5", "--1", "+-1", "1e5.5", "0b1", "\u00a01"
      })
  void parseDouble_incompleteOrTrailingBytesRefused(String text) {
    refused(text);
  }

  @Test
  void parseDouble_nulByteRefused() {
    refused("1\0");
    refused("\0");
  }

  // ---- parseBound: zslParseRange's strtod ----

  @Test
  void parseBound_readsAsStrtod() {
    assertEquals(1.5, bound("1.5"));
    assertEquals(2.0, bound("0x2"));
    assertEquals(Double.NEGATIVE_INFINITY, bound("-inf"));
    assertEquals(2.0, Numbers.parseBound(b("(0x2"), 1));
  }

  @Test
  void parseBound_leadingSpaceAccepted() {
    assertEquals(1.0, bound(" 1"));
    assertEquals(2.0, Numbers.parseBound(b("( 2"), 1));
  }

  @Test
  void parseBound_trailingSpaceRefused() {
    assertTrue(Double.isNaN(bound("1 ")));
  }

  @Test
  void parseBound_nothingIsZero() {
    assertEquals(0.0, bound(""));
    assertEquals(0.0, Numbers.parseBound(b("("), 1));
  }

  @Test
  void parseBound_onlySpacesRefused() {
    assertTrue(Double.isNaN(bound("  ")));
  }

  @Test
  void parseBound_noRangeCheck() {
    assertEquals(Double.POSITIVE_INFINITY, bound("1e400"));
    assertEquals(0.0, bound("1e-400"));
  }

  @Test
  void parseBound_nanRefused() {
    assertTrue(Double.isNaN(bound("nan")));
    assertTrue(Double.isNaN(Numbers.parseBound(b("(nan"), 1)));
  }

  @Test
  void parseBound_incompleteRefused() {
    assertTrue(Double.isNaN(bound("0x")));
    assertTrue(Double.isNaN(bound(".")));
    assertTrue(Double.isNaN(bound("1e")));
  }

  @Test
  void parseBound_stopsAtTheFirstNulByte() {
    assertEquals(2.0, bound("2\0x"));
    assertEquals(0.0, bound("\0"));
    assertEquals(0.0, Numbers.parseBound(b("(\0zz"), 1));
    assertTrue(Double.isNaN(bound(" \0")));
  }

  // ---- longDoubleForm: string2ld ----

  private static int form(String s) {
    return Numbers.longDoubleForm(b(s), ERROR);
  }

  @Test
  void longDoubleForm_decimal() {
    assertEquals(Numbers.DECIMAL, form("1.5"));
    assertEquals(Numbers.DECIMAL, form("-.5e-3"));
    assertEquals(Numbers.DECIMAL, form("1e400")); // in range for a long double: its converter says
  }

  @Test
  void longDoubleForm_hexadecimal() {
    assertEquals(Numbers.HEXADECIMAL, form("0x1.8p3"));
    assertEquals(Numbers.HEXADECIMAL, form("-0XaB"));
  }

  @Test
  void longDoubleForm_infinityInAnyCase() {
    assertEquals(Numbers.INFINITY, form("inf"));
    assertEquals(Numbers.INFINITY, form("-Infinity"));
    assertEquals(Numbers.INFINITY, form("+INF"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " 1", "1 ", "nan", "-NaN", "0x", ".", "1e", "abc", "1\0"})
  void longDoubleForm_notANumberRefused(String text) {
    RedisError e = assertThrows(RedisError.class, () -> form(text));
    assertEquals(ERROR, e.getMessage());
  }

  @Test
  void longDoubleForm_textAsLongAsRedissBufferRefused() {
    assertEquals(Numbers.DECIMAL, form("1" + "0".repeat(5118)));
    assertThrows(RedisError.class, () -> form("1" + "0".repeat(5119)));
  }

  // ---- parseLong: string2ll ----

  @Test
  void parseLong_canonical() {
    assertEquals(0, Numbers.parseLong(b("0"), ERROR));
    assertEquals(-42, Numbers.parseLong(b("-42"), ERROR));
    assertEquals(Long.MAX_VALUE, Numbers.parseLong(b("9223372036854775807"), ERROR));
    assertEquals(Long.MIN_VALUE, Numbers.parseLong(b("-9223372036854775808"), ERROR));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "+1",
        " 1",
        "1 ",
        "01",
        "-0",
        "-",
        "1.0",
        "1e3",
        "0x10",
        "9223372036854775808",
        "-9223372036854775809"
      })
  void parseLong_nonCanonicalRefused(String text) {
    assertThrows(RedisError.class, () -> Numbers.parseLong(b(text), ERROR));
    assertFalse(Numbers.isCanonicalLong(b(text)));
  }
}
