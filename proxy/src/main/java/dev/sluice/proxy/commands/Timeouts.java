package dev.sluice.proxy.commands;

import dev.sluice.proxy.engine.CommandContext;
import dev.sluice.proxy.engine.RedisError;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * The timeout argument of blocking commands, in seconds with decimals, as Redis 7.4's
 * getTimeoutFromObjectOrReply reads it: a long double (strtold: decimal, hexadecimal, "inf"),
 * multiplied by 1000 in long double arithmetic and rounded up to whole milliseconds.
 */
public final class Timeouts {
  private Timeouts() {}

  static final String NOT_FLOAT = "ERR timeout is not a float or out of range";
  static final String NOT_INTEGER = "ERR timeout is not an integer or out of range";
  static final String NEGATIVE = "ERR timeout is negative";
  static final String OUT_OF_RANGE = "ERR timeout is out of range";

  private static final BigDecimal THOUSAND = BigDecimal.valueOf(1000);
  private static final BigDecimal LLONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);
  private static final BigDecimal LLONG_MIN = BigDecimal.valueOf(Long.MIN_VALUE);

  /**
   * Milliseconds to wait, 0 meaning forever. As in Redis, a negative timeout that rounds up to 0
   * ("-0.0001") waits forever, one below LLONG_MIN milliseconds (or "-inf") is negative, and one
   * whose deadline would pass LLONG_MAX milliseconds since the epoch is out of range.
   */
  public static long seconds(CommandContext c, int i) {
    byte[] text = c.arg(i);
    BigDecimal seconds = LongDoubles.parse(text, NOT_FLOAT);
    BigDecimal millis = seconds == null ? null : LongDoubles.round(seconds.multiply(THOUSAND));
    if (millis == null) { // an infinity, or a product past the long double range
      throw new RedisError(
          (seconds == null ? text[0] == '-' : seconds.signum() < 0) ? NEGATIVE : OUT_OF_RANGE);
    }
    if (millis.compareTo(LLONG_MAX) > 0) {
      throw new RedisError(OUT_OF_RANGE);
    }
    BigDecimal whole = millis.setScale(0, RoundingMode.CEILING);
    // (long long) of a long double below LLONG_MIN gives LLONG_MIN on x86
    long result = whole.compareTo(LLONG_MIN) < 0 ? Long.MIN_VALUE : whole.longValueExact();
    if (result < 0) {
      throw new RedisError(NEGATIVE);
    }
    if (result > 0 && result > Long.MAX_VALUE - c.now()) {
      throw new RedisError(OUT_OF_RANGE);
    }
    return result;
  }

  /**
   * A timeout given in milliseconds (XREAD's BLOCK, CLIENT PAUSE), as getTimeoutFromObjectOrReply
   * with UNIT_MILLISECONDS reads it: an integer, not negative, whose deadline does not pass
   * LLONG_MAX milliseconds since the epoch; 0 means forever to a blocking command.
   */
  public static long millis(CommandContext c, int i) {
    long result = c.longArg(i, NOT_INTEGER);
    if (result < 0) {
      throw new RedisError(NEGATIVE);
    }
    if (result > 0 && result > Long.MAX_VALUE - c.now()) {
      throw new RedisError(OUT_OF_RANGE);
    }
    return result;
  }
}
