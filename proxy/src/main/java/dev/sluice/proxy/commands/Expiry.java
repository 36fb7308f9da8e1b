package dev.sluice.proxy.commands;

import dev.sluice.proxy.engine.CommandContext;
import dev.sluice.proxy.engine.Errors;

/**
 * Turns the expire arguments of SET, GETEX, SETEX and EXPIRE into an absolute time in ms, with
 * Redis's checks: a positive integer whose absolute time fits in 64 bits.
 */
public final class Expiry {
  private Expiry() {}

  public enum Unit {
    SECONDS_RELATIVE,
    MILLIS_RELATIVE,
    SECONDS_ABSOLUTE,
    MILLIS_ABSOLUTE
  }

  /** For SET/GETEX/SETEX: zero and negative values are refused. */
  public static long absolute(CommandContext c, int argIndex, Unit unit) {
    long value = c.longArg(argIndex);
    if (value <= 0) {
      throw Errors.invalidExpireTime(c.spec().fullName());
    }
    return toAbsolute(c, value, unit);
  }

  /** For EXPIRE and friends: any integer; a past time deletes the key. */
  public static long absoluteAllowingPast(CommandContext c, int argIndex, Unit unit) {
    return toAbsolute(c, c.longArg(argIndex), unit);
  }

  private static long toAbsolute(CommandContext c, long value, Unit unit) {
    try {
      return switch (unit) {
        case SECONDS_RELATIVE -> Math.addExact(Math.multiplyExact(value, 1000L), c.now());
        case MILLIS_RELATIVE -> Math.addExact(value, c.now());
        case SECONDS_ABSOLUTE -> Math.multiplyExact(value, 1000L);
        case MILLIS_ABSOLUTE -> value;
      };
    } catch (ArithmeticException e) {
      throw Errors.invalidExpireTime(c.spec().fullName());
    }
  }
}
