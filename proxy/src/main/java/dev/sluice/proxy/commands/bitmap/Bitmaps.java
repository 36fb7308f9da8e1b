package dev.sluice.proxy.commands.bitmap;

import dev.sluice.proxy.commands.Values;
import dev.sluice.proxy.engine.CommandContext;
import dev.sluice.proxy.engine.Errors;
import dev.sluice.proxy.engine.Numbers;
import dev.sluice.proxy.engine.RedisError;
import dev.sluice.proxy.keyspace.Entry;
import java.util.Arrays;

/**
 * What the bitmap handlers share: bit offsets as Redis parses them, the bit at an offset, strings
 * grown with zeroes, and storing the new array.
 */
final class Bitmaps {
  private Bitmaps() {}

  static final String BAD_OFFSET = "ERR bit offset is not an integer or out of range";

  static final byte[] EMPTY = new byte[0];

  /**
   * A bit offset as Redis's getBitOffsetFromArgument: non-negative, its byte below
   * proto-max-bulk-len; with {@code bits > 0} the form "#n" means n * bits (BITFIELD).
   */
  static long bitOffset(CommandContext c, int i, int bits) {
    byte[] arg = c.arg(i);
    boolean hash = bits > 0 && arg.length > 0 && arg[0] == '#';
    long offset =
        Numbers.parseLong(hash ? Arrays.copyOfRange(arg, 1, arg.length) : arg, BAD_OFFSET);
    if (hash) {
      offset *= bits; // wraps like Redis's multiplication; a negative result is refused below
    }
    if (offset < 0 || (offset >>> 3) >= c.engine().protoMaxBulkLen()) {
      throw new RedisError(BAD_OFFSET);
    }
    return offset;
  }

  /** The bytes of a string grown with zeroes to hold byte {@code lastByte}, as a new array. */
  static byte[] grownCopy(byte[] current, long lastByte) {
    if (lastByte + 1 > Values.MAX_ARRAY) {
      throw new RedisError(Errors.STRING_TOO_LONG);
    }
    byte[] base = current == null ? EMPTY : current;
    return Arrays.copyOf(base, (int) Math.max(base.length, lastByte + 1));
  }

  static int bitAt(byte[] bytes, long offset) {
    long index = offset >>> 3;
    if (bytes == null || index >= bytes.length) {
      return 0;
    }
    return (bytes[(int) index] >> (7 - (int) (offset & 7))) & 1;
  }

  static void store(CommandContext c, Entry entry, byte[] key, byte[] bytes) {
    if (entry == null) {
      c.db().insert(key, bytes);
    } else {
      c.db().replace(entry, bytes);
    }
  }
}
