package dev.sluice.proxy.commands.geo;

import dev.sluice.proxy.engine.Numbers;
import dev.sluice.proxy.engine.RedisError;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** The numbers of the geo commands, read and written as Redis reads and writes them. */
final class GeoNumbers {
  private GeoNumbers() {}

  /**
   * getDoubleFromObjectOrReply: {@link Numbers#parseDouble}, and besides, as Redis's string2d, a
   * number too large or too small for a double (strtod's ERANGE to ±HUGE_VAL or zero) is refused,
   * while "inf" itself is accepted.
   */
  static double parse(byte[] text, String error) {
    double value = Numbers.parseDouble(text, error);
    String s = new String(text, StandardCharsets.US_ASCII).toLowerCase(Locale.ROOT);
    if (Double.isInfinite(value) && !s.contains("inf")) {
      throw new RedisError(error);
    }
    if (value == 0 && hasNonZeroDigit(s)) {
      throw new RedisError(error);
    }
    return value;
  }

  /** Whether the mantissa (before any exponent) has a digit other than 0: it underflowed to 0. */
  private static boolean hasNonZeroDigit(String s) {
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      if (ch == 'e') {
        return false;
      }
      if (ch >= '1' && ch <= '9') {
        return true;
      }
    }
    return false;
  }

  /**
   * addReplyDoubleDistance: fixedpoint_d2string with 4 decimals, that is llrint(d * 10000) (ties to
   * even) written with the point put back.
   */
  static String distance(double d) {
    if (d == 0) {
      return "0.0000";
    }
    double scaled = Math.rint(d * 10000.0);
    long value = (long) scaled;
    boolean negative = value < 0;
    String digits = Long.toString(Math.abs(value));
    if (digits.length() < 5) {
      digits = "0".repeat(5 - digits.length()) + digits;
    }
    int point = digits.length() - 4;
    return (negative ? "-" : "") + digits.substring(0, point) + "." + digits.substring(point);
  }

  /**
   * addReplyHumanLongDouble in RESP2 (ld2string's LD_STR_HUMAN): the exact value with 17 decimals,
   * rounded as glibc's printf rounds ("%.17Lf"), trailing zeros and a bare point removed, "-0"
   * written "0".
   */
  static String human(double d) {
    if (Double.isInfinite(d)) {
      return d > 0 ? "inf" : "-inf";
    }
    if (Double.isNaN(d)) {
      return "nan";
    }
    String text = new BigDecimal(d).setScale(17, RoundingMode.HALF_EVEN).toPlainString();
    int end = text.length();
    while (text.charAt(end - 1) == '0') {
      end--;
    }
    if (text.charAt(end - 1) == '.') {
      end--;
    }
    text = text.substring(0, end);
    return text.equals("-0") ? "0" : text;
  }

  /** C's "%f": the exact value rounded to 6 decimals (ties to even), the sign kept for -0. */
  static String fixed6(double d) {
    if (Double.isInfinite(d)) {
      return d > 0 ? "inf" : "-inf";
    }
    boolean negative = d < 0 || (d == 0 && 1 / d < 0);
    String text = new BigDecimal(Math.abs(d)).setScale(6, RoundingMode.HALF_EVEN).toPlainString();
    return negative ? "-" + text : text;
  }
}
