package dev.sluice.proxy.commands;

import dev.sluice.proxy.engine.CommandContext;
import dev.sluice.proxy.engine.Errors;
import java.nio.charset.StandardCharsets;

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

  private static final byte[] PEXPIREAT = "PEXPIREAT".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] SET = {'S', 'E', 'T'};
  private static final byte[] PXAT = {'P', 'X', 'A', 'T'};
  private static final byte[] DEL = {'D', 'E', 'L'};

  /**
   * How replicas apply an expiry a command set, as Redis 7 propagates it: at its absolute time
   * (PEXPIREAT key ms, the command's other arguments kept when {@code keepOptions}), or as a DEL
   * when the time had passed and the key went.
   */
  public static void replicateExpiry(
      CommandContext c, long atMillis, boolean deleted, boolean keepOptions) {
    if (!c.propagating()) {
      return;
    }
    if (deleted) {
      c.effects().replicateAs(new byte[][] {DEL, c.arg(1)});
    } else if (keepOptions) {
      byte[][] args = c.args().clone();
      args[0] = PEXPIREAT;
      args[2] = Long.toString(atMillis).getBytes(StandardCharsets.US_ASCII);
      c.effects().replicateAs(args);
    } else {
      c.effects()
          .replicateAs(
              new byte[][] {
                PEXPIREAT, c.arg(1), Long.toString(atMillis).getBytes(StandardCharsets.US_ASCII)
              });
    }
  }

  /** A SET with an expiry, as replicas run it: SET key value PXAT ms (Redis 7's rewrite). */
  public static void replicateSetWithExpiry(CommandContext c, byte[] value, long atMillis) {
    if (c.propagating()) {
      c.effects()
          .replicateAs(
              new byte[][] {
                SET,
                c.arg(1),
                value,
                PXAT,
                Long.toString(atMillis).getBytes(StandardCharsets.US_ASCII)
              });
    }
  }
}
