package dev.sluice.proxy.command;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;

/** The timeout argument of blocking commands, in seconds with decimals, as Redis parses it. */
public final class Timeouts {
  private Timeouts() {}

  /** Milliseconds to wait, 0 meaning forever. */
  public static long seconds(CommandContext c, int i) {
    String text = new String(c.arg(i), StandardCharsets.US_ASCII);
    BigDecimal seconds;
    try {
      seconds = new BigDecimal(text);
    } catch (NumberFormatException e) {
      throw new RedisError("ERR timeout is not a float or out of range");
    }
    if (seconds.signum() < 0) {
      throw new RedisError("ERR timeout is negative");
    }
    BigDecimal millis = seconds.movePointRight(3);
    if (millis.compareTo(BigDecimal.valueOf(Long.MAX_VALUE / 2)) > 0) {
      throw new RedisError("ERR timeout is out of range");
    }
    long result = millis.setScale(0, java.math.RoundingMode.CEILING).longValueExact();
    return seconds.signum() > 0 && result == 0 ? 1 : result;
  }
}
