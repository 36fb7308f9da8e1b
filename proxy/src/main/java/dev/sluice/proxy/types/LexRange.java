package dev.sluice.proxy.types;

import java.util.Arrays;

/**
 * A member interval as ZRANGEBYLEX takes it: "[a" inclusive, "(a" exclusive, "-" below every
 * string, "+" above every string. Members compare as unsigned bytes.
 */
public final class LexRange {
  /** "-": smaller than any member. */
  public static final byte[] MIN = new byte[0];

  /** "+": greater than any member. */
  public static final byte[] MAX = new byte[0];

  private final byte[] min;
  private final boolean minExclusive;
  private final byte[] max;
  private final boolean maxExclusive;

  /** {@code min} and {@code max} are member bytes or the sentinels {@link #MIN} / {@link #MAX}. */
  public LexRange(byte[] min, boolean minExclusive, byte[] max, boolean maxExclusive) {
    this.min = min;
    this.minExclusive = minExclusive;
    this.max = max;
    this.maxExclusive = maxExclusive;
  }

  /** Redis's sdscmplex: the sentinels sort below and above every string. */
  static int compare(byte[] a, byte[] b) {
    if (a == b) {
      return 0;
    }
    if (a == MIN || b == MAX) {
      return -1;
    }
    if (a == MAX || b == MIN) {
      return 1;
    }
    return Arrays.compareUnsigned(a, b);
  }

  public boolean gteMin(byte[] member) {
    int cmp = compare(member, min);
    return minExclusive ? cmp > 0 : cmp >= 0;
  }

  public boolean lteMax(byte[] member) {
    int cmp = compare(member, max);
    return maxExclusive ? cmp < 0 : cmp <= 0;
  }
}
