package dev.sluice.proxy.engine;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/** Number parsing with Redis's strictness: no spaces, no '+', no leading zeros, no NaN. */
public final class Numbers {
  private static final Pattern DECIMAL =
      Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

  private Numbers() {}

  /** Parses a 64-bit integer as Redis's string2ll, or throws {@code error}. */
  public static long parseLong(byte[] b, String error) {
    int n = b.length;
    if (n == 0 || n > 20) {
      throw new RedisError(error);
    }
    if (n == 1 && b[0] == '0') {
      return 0;
    }
    boolean negative = b[0] == '-';
    int i = negative ? 1 : 0;
    if (i == n || b[i] < '1' || b[i] > '9') {
      throw new RedisError(error);
    }
    long value = 0;
    for (; i < n; i++) {
      int digit = b[i] - '0';
      if (digit < 0 || digit > 9) {
        throw new RedisError(error);
      }
      // accumulate negatively so Long.MIN_VALUE parses without overflow
      if (value < (Long.MIN_VALUE + digit) / 10) {
        throw new RedisError(error);
      }
      value = value * 10 - digit;
    }
    if (!negative) {
      if (value == Long.MIN_VALUE) {
        throw new RedisError(error);
      }
      return -value;
    }
    return value;
  }

  /** Whether the bytes are a canonical 64-bit integer (OBJECT ENCODING "int"). */
  public static boolean isCanonicalLong(byte[] b) {
    try {
      parseLong(b, Errors.NOT_INTEGER);
      return true;
    } catch (RedisError e) {
      return false;
    }
  }

  /** Parses a double as Redis's strtod-based check, accepting inf, or throws {@code error}. */
  public static double parseDouble(byte[] b, String error) {
    String text = new String(b, StandardCharsets.US_ASCII);
    switch (text.toLowerCase(java.util.Locale.ROOT)) {
      case "inf", "+inf", "infinity", "+infinity":
        return Double.POSITIVE_INFINITY;
      case "-inf", "-infinity":
        return Double.NEGATIVE_INFINITY;
      default:
        break;
    }
    if (!DECIMAL.matcher(text).matches()) {
      throw new RedisError(error);
    }
    return Double.parseDouble(text);
  }

  public static byte[] toBytes(long value) {
    return Long.toString(value).getBytes(StandardCharsets.US_ASCII);
  }
}
