package dev.sluice.proxy.commands;

import dev.sluice.proxy.engine.Numbers;
import dev.sluice.proxy.engine.RedisError;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * INCRBYFLOAT's arithmetic as Redis does it: in C {@code long double} (x86 80-bit extended, a
 * 64-bit significand) and printed with {@code "%.17Lf"} less trailing zeros. Java doubles would
 * give "0.30000000000000004" for 0.1 + 0.2 where Redis gives "0.3". Values are kept as exact {@link
 * BigDecimal}s rounded to 64 significant bits (round half to even), which is what strtold and the
 * x87 addition produce.
 */
public final class LongDoubles {
  private static final int SIGNIFICAND_BITS = 64;

  /** Decimal exponents past which strtold overflows or underflows (ERANGE): Redis refuses them. */
  private static final int MAX_EXP10 = 4932;

  /** The largest binary exponent of a finite long double (LDBL_MAX is just under 2^16384). */
  private static final int MAX_EXP2 = 16383;

  private static final int MIN_EXP10 = -4951;

  /** The binary magnitude of the smallest long double, a denormal: 2^-16445. */
  private static final int MIN_EXP2 = -16444;

  private static final BigInteger FIVE = BigInteger.valueOf(5);

  private LongDoubles() {}

  /**
   * Parses a value as Redis's string2ld; returns null for an infinity ("inf", "-inf", …), throws
   * {@code error} for anything that is not a number or is out of long double range. What is a
   * number is {@link Numbers#longDoubleForm}'s to say; this converts it with 64 significant bits.
   */
  public static BigDecimal parse(byte[] text, String error) {
    int form = Numbers.longDoubleForm(text, error);
    if (form == Numbers.INFINITY) {
      return null;
    }
    String s = new String(text, StandardCharsets.US_ASCII);
    if (form == Numbers.HEXADECIMAL) {
      Matcher hex = HEX.matcher(s);
      if (!hex.matches()) {
        throw new IllegalStateException("not hexadecimal: " + s);
      }
      return hexadecimal(hex, error);
    }
    BigDecimal exact;
    try {
      exact = new BigDecimal(s);
    } catch (NumberFormatException e) { // an exponent beyond int range
      throw new RedisError(error);
    }
    if (exact.signum() != 0) {
      long exp10 = (long) exact.precision() - exact.scale() - 1;
      if (exp10 > MAX_EXP10 || exp10 < MIN_EXP10) {
        throw new RedisError(error);
      }
    }
    BigDecimal value = round(exact);
    if (value == null) {
      throw new RedisError(error);
    }
    return value;
  }

  /**
   * The parts of a hexadecimal number that {@link Numbers#longDoubleForm} accepted: a sign, "0x",
   * hex digits with at most one point, and an optional binary exponent ("0x1.8p3" is 12).
   */
  private static final Pattern HEX =
      Pattern.compile("([+-]?)0[xX]([0-9a-fA-F]*)\\.?([0-9a-fA-F]*)(?:[pP]([+-]?[0-9]+))?");

  /** The value of a hexadecimal text that {@link #HEX} matched, rounded to a long double. */
  private static BigDecimal hexadecimal(Matcher hex, String error) {
    String whole = hex.group(2);
    String fraction = hex.group(3);
    BigInteger mantissa = new BigInteger(whole + fraction + "0", 16).shiftRight(4);
    if (mantissa.signum() == 0) {
      return BigDecimal.ZERO;
    }
    String exponentText = hex.group(4);
    long exponent = 0;
    if (exponentText != null) {
      // past 6 digits the value is out of any long double's range either way
      String digits = exponentText.replaceFirst("^[+-]?0*", "");
      exponent = digits.length() > 6 ? 10_000_000 : digits.isEmpty() ? 0 : Long.parseLong(digits);
      if (exponentText.startsWith("-")) {
        exponent = -exponent;
      }
    }
    long exp2 = exponent - 4L * fraction.length(); // value = mantissa * 2^exp2
    long magnitude = mantissa.bitLength() + exp2;
    if (magnitude > MAX_EXP2 + 1 || magnitude < MIN_EXP2) {
      throw new RedisError(error); // strtold's ERANGE: overflow, or underflow to zero
    }
    BigDecimal exact =
        exp2 >= 0
            ? new BigDecimal(mantissa.shiftLeft((int) exp2))
            : new BigDecimal(mantissa.multiply(FIVE.pow((int) -exp2)), (int) -exp2);
    BigDecimal value = round(exact);
    if (value == null) {
      throw new RedisError(error);
    }
    return hex.group(1).equals("-") ? value.negate() : value;
  }

  /** The long double sum, or null when it overflows to infinity. */
  public static BigDecimal add(BigDecimal a, BigDecimal b) {
    return round(a.add(b));
  }

  /** {@code "%.17Lf"} with the trailing zeros (and a trailing point) removed, as ld2string. */
  public static String format(BigDecimal value) {
    BigDecimal rounded = value.setScale(17, RoundingMode.HALF_EVEN);
    if (rounded.signum() == 0) {
      return "0"; // Redis turns "-0" into "0" too
    }
    return rounded.stripTrailingZeros().toPlainString();
  }

  /** The nearest value with a 64-bit significand, ties to even; null if that overflows. */
  static BigDecimal round(BigDecimal exact) {
    if (exact.signum() == 0) {
      return BigDecimal.ZERO;
    }
    BigDecimal abs = exact.abs();
    BigInteger num = abs.unscaledValue();
    BigInteger den = BigInteger.ONE;
    if (abs.scale() > 0) {
      den = BigInteger.TEN.pow(abs.scale());
    } else if (abs.scale() < 0) {
      num = num.multiply(BigInteger.TEN.pow(-abs.scale()));
    }
    // num/den lies in (2^(e-1), 2^(e+1)); scale it so the quotient has at least 66 bits
    int e = num.bitLength() - den.bitLength();
    int shift = SIGNIFICAND_BITS + 2 - e;
    BigInteger n = shift > 0 ? num.shiftLeft(shift) : num;
    BigInteger d = shift < 0 ? den.shiftLeft(-shift) : den;
    BigInteger[] qr = n.divideAndRemainder(d);
    BigInteger q = qr[0];
    boolean sticky = qr[1].signum() != 0;
    int extra = q.bitLength() - SIGNIFICAND_BITS;
    BigInteger kept = q.shiftRight(extra);
    BigInteger dropped = q.subtract(kept.shiftLeft(extra));
    int vsHalf = dropped.compareTo(BigInteger.ONE.shiftLeft(extra - 1));
    if (vsHalf > 0 || (vsHalf == 0 && (sticky || kept.testBit(0)))) {
      kept = kept.add(BigInteger.ONE);
    }
    int exp2 = extra - shift; // value = kept * 2^exp2
    if (kept.bitLength() - 1 + exp2 > MAX_EXP2) {
      return null;
    }
    BigDecimal result =
        exp2 >= 0
            ? new BigDecimal(kept.shiftLeft(exp2))
            : new BigDecimal(kept.multiply(FIVE.pow(-exp2)), -exp2);
    return exact.signum() < 0 ? result.negate() : result;
  }
}
