package dev.sluice.proxy.resp;

import java.math.BigDecimal;

/** Formats doubles in replies as Redis 7.4 prints them. */
public final class Doubles {
  private Doubles() {}

  /** (double) (LLONG_MAX / 2): Redis's double2ll prints integral doubles within it as integers. */
  private static final double INTEGER_RANGE = 0x1p62;

  /**
   * A double as Redis 7.4 writes it in a reply ({@code d2string}): "nan", "inf", "-0", integral
   * values within ±2^62 as integers, anything else as {@code fpconv_dtoa}'s shortest digits, with
   * exponent notation ("1e+20", "1.5e-7") for large or tiny magnitudes.
   */
  public static String reply(double value) {
    if (Double.isNaN(value)) {
      return "nan";
    }
    if (Double.isInfinite(value)) {
      return value > 0 ? "inf" : "-inf";
    }
    if (value == 0) {
      return 1.0 / value < 0 ? "-0" : "0";
    }
    if (value >= -INTEGER_RANGE && value <= INTEGER_RANGE && value == (long) value) {
      return Long.toString((long) value);
    }
    BigDecimal decimal = new BigDecimal(Double.toString(Math.abs(value))).stripTrailingZeros();
    String digits = decimal.unscaledValue().toString();
    int n = digits.length();
    int k = -decimal.scale(); // value = digits * 10^k
    int exp = Math.abs(k + n - 1);
    StringBuilder out = new StringBuilder(24);
    if (value < 0) {
      out.append('-');
    }
    if (k >= 0 && exp < n + 7) {
      out.append(digits).append("0".repeat(k));
    } else if (k < 0 && (k > -7 || exp < 4)) {
      int offset = n + k;
      if (offset <= 0) {
        out.append("0.").append("0".repeat(-offset)).append(digits);
      } else {
        out.append(digits, 0, offset).append('.').append(digits, offset, n);
      }
    } else {
      out.append(digits.charAt(0));
      if (n > 1) {
        out.append('.').append(digits, 1, n);
      }
      out.append('e').append(k + n - 1 < 0 ? '-' : '+').append(exp);
    }
    return out.toString();
  }
}
