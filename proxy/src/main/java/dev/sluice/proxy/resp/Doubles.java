package dev.sluice.proxy.resp;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Doubles as text the way Redis 7.4 writes them. Replies ({@link #reply}, Redis's d2string) give
 * integral values as integers and anything else as the digits of {@code fpconv_dtoa}: Florian
 * Loitsch's Grisu2 ("Printing Floating-Point Numbers Quickly and Accurately with Integers", PLDI
 * 2010), which is short and round-trips but is not always the shortest ("5453580388999999000" for
 * 5.453580389e18) nor what Java's Double.toString gives, so it is done here step for step: the
 * value and its boundaries as 64-bit fractions, scaled by a cached power of ten (10^-348 to 10^340
 * by eights, rounded to 64 bits) into the exponent window [-60, -32], digits generated from the
 * upper boundary until they are within the boundaries, the last one moved towards the value.
 */
public final class Doubles {
  private Doubles() {}

  /** (double) (LLONG_MAX / 2): Redis's double2ll prints integral doubles within it as integers. */
  private static final double INTEGER_RANGE = 0x1p62;

  private static final long FRACTION_MASK = 0x000FFFFFFFFFFFFFL;
  private static final long HIDDEN_BIT = 0x0010000000000000L;
  private static final int EXPONENT_BIAS = 1023 + 52;

  /** The window of binary exponents the scaled upper boundary must fall in. */
  private static final int MIN_SCALED_EXPONENT = -60;

  private static final int MAX_SCALED_EXPONENT = -32;

  private static final int FIRST_POWER = -348;
  private static final int POWER_STEP = 8;
  private static final int POWER_COUNT = 87;

  /** 10^(FIRST_POWER + POWER_STEP * i) as a 64-bit fraction and its binary exponent. */
  private static final long[] POWER_FRACTION = new long[POWER_COUNT];

  private static final int[] POWER_EXPONENT = new int[POWER_COUNT];

  private static final long[] TENS = new long[20];

  static {
    for (int i = 0; i < POWER_COUNT; i++) {
      int k = FIRST_POWER + POWER_STEP * i;
      BigInteger fraction;
      int exponent;
      if (k >= 0) {
        BigInteger value = BigInteger.TEN.pow(k);
        exponent = value.bitLength() - 64;
        fraction =
            exponent <= 0 ? value.shiftLeft(-exponent) : roundedQuotient(value, exponent, null);
      } else {
        BigInteger divisor = BigInteger.TEN.pow(-k);
        int shift = divisor.bitLength() + 63;
        exponent = -shift;
        fraction = roundedQuotient(BigInteger.ONE.shiftLeft(shift), 0, divisor);
      }
      if (fraction.bitLength() > 64) { // rounding carried into a 65th bit
        fraction = fraction.shiftRight(1);
        exponent++;
      }
      POWER_FRACTION[i] = fraction.longValue();
      POWER_EXPONENT[i] = exponent;
    }
    long ten = 1;
    for (int i = TENS.length - 1; i >= 0; i--) {
      TENS[i] = ten;
      ten *= 10;
    }
  }

  /** value / 2^shift (or value / divisor), rounded to nearest. */
  private static BigInteger roundedQuotient(BigInteger value, int shift, BigInteger divisor) {
    BigInteger d = divisor == null ? BigInteger.ONE.shiftLeft(shift) : divisor;
    BigInteger[] qr = value.divideAndRemainder(d);
    return qr[1].shiftLeft(1).compareTo(d) >= 0 ? qr[0].add(BigInteger.ONE) : qr[0];
  }

  /**
   * A double as Redis 7.4 writes it in a reply (d2string): "nan", "inf", "-0", integral values
   * within ±2^62 as integers, anything else as fpconv_dtoa's digits, with exponent notation
   * ("1e+20", "1.5e-7") for large or tiny magnitudes.
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
    if (isSmallInteger(value)) {
      return Long.toString((long) value);
    }
    return dtoa(value);
  }

  /**
   * A Lua number passed to redis.call as Redis 7.4 turns it into an argument: integral values
   * within ±2^62 as integers, anything else as fpconv_dtoa writes it ("-nan" for a NaN with its
   * sign bit set, as 0/0 makes on x86).
   */
  public static String luaArgument(double value) {
    if (isSmallInteger(value)) {
      return Long.toString((long) value);
    }
    String sign = Double.doubleToRawLongBits(value) < 0 ? "-" : "";
    if (Double.isNaN(value)) {
      return sign + "nan";
    }
    if (Double.isInfinite(value)) {
      return sign + "inf";
    }
    return dtoa(value);
  }

  /**
   * C's {@code "%.17g"}: 17 significant digits (round half to even of the exact value), trailing
   * zeros dropped, exponent notation with at least two exponent digits when the exponent is below
   * -4 or at least 17. Redis 7.4 still writes ZSCAN's scores of a skiplist-encoded sorted set so.
   */
  public static String g17(double value) {
    if (Double.isNaN(value)) {
      return Double.doubleToRawLongBits(value) < 0 ? "-nan" : "nan";
    }
    if (Double.isInfinite(value)) {
      return value > 0 ? "inf" : "-inf";
    }
    if (value == 0) {
      return 1.0 / value < 0 ? "-0" : "0";
    }
    BigDecimal rounded = new BigDecimal(value).round(new MathContext(17, RoundingMode.HALF_EVEN));
    int exponent = rounded.precision() - rounded.scale() - 1;
    if (exponent >= -4 && exponent < 17) {
      return rounded.stripTrailingZeros().toPlainString();
    }
    BigDecimal mantissa = rounded.movePointLeft(exponent).stripTrailingZeros();
    int magnitude = Math.abs(exponent);
    return mantissa.toPlainString()
        + (exponent < 0 ? "e-" : "e+")
        + (magnitude < 10 ? "0" : "")
        + magnitude;
  }

  private static boolean isSmallInteger(double value) {
    return value >= -INTEGER_RANGE && value <= INTEGER_RANGE && value == (long) value;
  }

  /** fpconv_dtoa of a finite, non-zero double. */
  private static String dtoa(double value) {
    byte[] digits = new byte[18];
    int[] decimalExponent = new int[1];
    int count = grisu2(value, digits, decimalExponent);
    StringBuilder out = new StringBuilder(24);
    boolean negative = Double.doubleToRawLongBits(value) < 0;
    if (negative) {
      out.append('-');
    }
    emit(out, digits, count, decimalExponent[0], negative);
    return out.toString();
  }

  /** The digits d1..dn of value = d1..dn * 10^K, K stored in {@code decimalExponent[0]}. */
  private static int grisu2(double value, byte[] digits, int[] decimalExponent) {
    long bits = Double.doubleToRawLongBits(value);
    long fraction = bits & FRACTION_MASK;
    int exponent = (int) ((bits >>> 52) & 0x7FF);
    if (exponent != 0) {
      fraction += HIDDEN_BIT;
      exponent -= EXPONENT_BIAS;
    } else {
      exponent = -EXPONENT_BIAS + 1;
    }

    // the boundaries halfway to the neighbouring doubles, with the upper one normalized
    long upper = (fraction << 1) + 1;
    int upperExponent = exponent - 1;
    while ((upper & (HIDDEN_BIT << 1)) == 0) {
      upper <<= 1;
      upperExponent--;
    }
    upper <<= 64 - 52 - 2;
    upperExponent -= 64 - 52 - 2;
    int lowerShift = fraction == HIDDEN_BIT ? 2 : 1; // closer below a power of two
    long lower = (fraction << lowerShift) - 1;
    int lowerExponent = exponent - lowerShift;
    lower <<= lowerExponent - upperExponent;

    // the value normalized: its binary exponent is the upper boundary's
    long w = fraction;
    while ((w & HIDDEN_BIT) == 0) {
      w <<= 1;
    }
    w <<= 64 - 52 - 1;

    int index = cachedPowerIndex(upperExponent);
    long power = POWER_FRACTION[index];
    w = multiply(w, power);
    upper = multiply(upper, power) - 1;
    lower = multiply(lower, power) + 1;
    int scaledExponent = upperExponent + POWER_EXPONENT[index] + 64;
    decimalExponent[0] = -(FIRST_POWER + index * POWER_STEP);
    return generateDigits(w, upper, lower, scaledExponent, digits, decimalExponent);
  }

  /** The cached power that takes a value of binary exponent {@code exponent} into the window. */
  private static int cachedPowerIndex(int exponent) {
    int approx = (int) (-(exponent + POWER_COUNT) * 0.30102999566398114);
    int index = (approx - FIRST_POWER) / POWER_STEP;
    while (true) {
      int current = exponent + POWER_EXPONENT[index] + 64;
      if (current < MIN_SCALED_EXPONENT) {
        index++;
      } else if (current > MAX_SCALED_EXPONENT) {
        index--;
      } else {
        return index;
      }
    }
  }

  /** The high 64 bits of the 128-bit product of two unsigned fractions, rounded half up. */
  private static long multiply(long a, long b) {
    long low = 0xFFFFFFFFL;
    long ahBl = (a >>> 32) * (b & low);
    long alBh = (a & low) * (b >>> 32);
    long alBl = (a & low) * (b & low);
    long ahBh = (a >>> 32) * (b >>> 32);
    long middle = (ahBl & low) + (alBh & low) + (alBl >>> 32) + (1L << 31);
    return ahBh + (ahBl >>> 32) + (alBh >>> 32) + (middle >>> 32);
  }

  /**
   * Digits of the scaled upper boundary (binary exponent {@code e}, in the window) until the rest
   * is within the distance to the lower one; then the last digit is moved towards the value.
   */
  private static int generateDigits(
      long w, long upper, long lower, int e, byte[] digits, int[] decimalExponent) {
    long distanceToValue = upper - w;
    long delta = upper - lower;
    int shift = -e;
    long one = 1L << shift;
    long integral = upper >>> shift; // below 2^32
    long rest = upper & (one - 1);
    int count = 0;
    int kappa = 10;
    for (int t = 10; kappa > 0; t++) {
      long divisor = TENS[t];
      long digit = integral / divisor;
      if (digit != 0 || count != 0) {
        digits[count++] = (byte) ('0' + digit);
      }
      integral -= digit * divisor;
      kappa--;
      long remainder = (integral << shift) + rest;
      if (Long.compareUnsigned(remainder, delta) <= 0) {
        decimalExponent[0] += kappa;
        roundLastDigit(digits, count, delta, remainder, divisor << shift, distanceToValue);
        return count;
      }
    }
    int unit = 18;
    while (true) {
      rest *= 10;
      delta *= 10;
      kappa--;
      long digit = rest >>> shift;
      if (digit != 0 || count != 0) {
        digits[count++] = (byte) ('0' + digit);
      }
      rest &= one - 1;
      if (Long.compareUnsigned(rest, delta) < 0) {
        decimalExponent[0] += kappa;
        roundLastDigit(digits, count, delta, rest, one, distanceToValue * TENS[unit]);
        return count;
      }
      unit--;
    }
  }

  /** Lowers the last digit while that brings the number closer to the value, within delta. */
  private static void roundLastDigit(
      byte[] digits, int count, long delta, long rest, long step, long distance) {
    while (Long.compareUnsigned(rest, distance) < 0
        && Long.compareUnsigned(delta - rest, step) >= 0
        && (Long.compareUnsigned(rest + step, distance) < 0
            || Long.compareUnsigned(distance - rest, rest + step - distance) > 0)) {
      digits[count - 1]--;
      rest += step;
    }
  }

  /**
   * fpconv's layout of the digits d1..dn * 10^k: plain integer digits with trailing zeros, a
   * decimal point inside or "0.000…" before them, or exponent notation ("1.5e-7", "1e+20").
   */
  private static void emit(StringBuilder out, byte[] digits, int n, int k, boolean negative) {
    int exp = Math.abs(k + n - 1);
    if (k >= 0 && exp < n + 7) {
      append(out, digits, 0, n);
      out.append("0".repeat(k));
    } else if (k < 0 && (k > -7 || exp < 4)) {
      int offset = n + k;
      if (offset <= 0) {
        out.append("0.").append("0".repeat(-offset));
        append(out, digits, 0, n);
      } else {
        append(out, digits, 0, offset);
        out.append('.');
        append(out, digits, offset, n);
      }
    } else {
      int shown = Math.min(n, 18 - (negative ? 1 : 0));
      out.append((char) digits[0]);
      if (shown > 1) {
        out.append('.');
        append(out, digits, 1, shown);
      }
      out.append('e').append(k + shown - 1 < 0 ? '-' : '+').append(exp);
    }
  }

  private static void append(StringBuilder out, byte[] digits, int from, int to) {
    for (int i = from; i < to; i++) {
      out.append((char) digits[i]);
    }
  }
}
