package dev.sluice.proxy.resp;

import java.math.BigDecimal;

/** Formats doubles as Redis prints them: the shortest text that reads back to the same value. */
public final class Doubles {
  private Doubles() {}

  public static String format(double value) {
    if (Double.isNaN(value)) {
      return "nan";
    }
    if (Double.isInfinite(value)) {
      return value > 0 ? "inf" : "-inf";
    }
    if (value == Math.rint(value) && Math.abs(value) < 1e17) {
      return Long.toString((long) value);
    }
    return new BigDecimal(Double.toString(value)).stripTrailingZeros().toPlainString();
  }
}
