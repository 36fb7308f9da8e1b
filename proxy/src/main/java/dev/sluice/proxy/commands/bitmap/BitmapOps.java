package dev.sluice.proxy.commands.bitmap;

import dev.sluice.proxy.commands.Values;
import dev.sluice.proxy.engine.CommandContext;
import dev.sluice.proxy.engine.Errors;
import dev.sluice.proxy.engine.RedisError;
import dev.sluice.proxy.keyspace.Database;
import dev.sluice.proxy.keyspace.Entry;
import dev.sluice.proxy.keyspace.NotifyFlags;

/** SETBIT, GETBIT, BITCOUNT, BITPOS and BITOP. */
final class BitmapOps {
  private BitmapOps() {}

  private static final String BAD_BIT = "ERR bit is not an integer or out of range";

  static void setbit(CommandContext c) {
    long offset = Bitmaps.bitOffset(c, 2, 0);
    long on = c.longArg(3, BAD_BIT);
    if ((on & ~1L) != 0) {
      throw new RedisError(BAD_BIT);
    }
    byte[] key = c.arg(1);
    Entry entry = c.db().write(key);
    byte[] current = Values.string(entry);
    int old = Bitmaps.bitAt(current, offset);
    boolean grows = current == null || (offset >>> 3) >= current.length;
    if (grows || old != on) {
      byte[] next = Bitmaps.grownCopy(current, offset >>> 3);
      int index = (int) (offset >>> 3);
      int mask = 1 << (7 - (int) (offset & 7));
      next[index] = (byte) (on == 1 ? next[index] | mask : next[index] & ~mask);
      Bitmaps.store(c, entry, key, next);
      c.dirty(1);
      c.notify(NotifyFlags.STRING, "setbit", key);
    }
    c.reply().integer(old);
  }

  static void getbit(CommandContext c) {
    long offset = Bitmaps.bitOffset(c, 2, 0);
    byte[] value = Values.string(c.db().read(c.arg(1)));
    c.reply().integer(Bitmaps.bitAt(value, offset));
  }

  /** BYTE or BIT; true for BIT. */
  private static boolean bitUnit(CommandContext c, int i) {
    if (c.is(i, "bit")) {
      return true;
    } else if (c.is(i, "byte")) {
      return false;
    }
    throw new RedisError(Errors.SYNTAX);
  }

  /** BITCOUNT key [start end [BYTE|BIT]]. */
  static void bitcount(CommandContext c) {
    long start = 0;
    long end = 0;
    boolean bits = false;
    boolean range = c.argc() == 4 || c.argc() == 5;
    if (range) {
      start = c.longArg(2);
      end = c.longArg(3);
      if (c.argc() == 5) {
        bits = bitUnit(c, 4);
      }
    } else if (c.argc() != 2) {
      throw new RedisError(Errors.SYNTAX);
    }
    byte[] value = Values.string(c.db().read(c.arg(1)));
    if (value == null) {
      c.reply().integer(0);
      return;
    }
    long length = value.length;
    if (!range) {
      end = length - 1;
    } else {
      if (start < 0 && end < 0 && start > end) {
        c.reply().integer(0);
        return;
      }
      long total = bits ? length << 3 : length;
      if (start < 0) {
        start += total;
      }
      if (end < 0) {
        end += total;
      }
      start = Math.max(start, 0);
      end = Math.max(end, 0);
      end = Math.min(end, total - 1);
    }
    if (start > end) {
      c.reply().integer(0);
      return;
    }
    long firstBit = bits ? start : start << 3;
    long lastBit = bits ? end : (end << 3) + 7;
    c.reply().integer(countBits(value, firstBit, lastBit));
  }

  /** Set bits among bits {@code first..last} inclusive. */
  private static long countBits(byte[] value, long first, long last) {
    int firstByte = (int) (first >>> 3);
    int lastByte = (int) (last >>> 3);
    long count = 0;
    int i = firstByte;
    for (; i + 8 <= lastByte + 1; i += 8) {
      count += Long.bitCount(longAt(value, i));
    }
    for (; i <= lastByte; i++) {
      count += Integer.bitCount(value[i] & 0xff);
    }
    // take away the bits of the edge bytes that lie outside the range
    int head = (int) (first & 7);
    if (head != 0) {
      count -= Integer.bitCount((value[firstByte] & 0xff) >>> (8 - head));
    }
    int tail = 7 - (int) (last & 7);
    if (tail != 0) {
      count -= Integer.bitCount(value[lastByte] & ((1 << tail) - 1));
    }
    return count;
  }

  private static long longAt(byte[] b, int i) {
    return (b[i] & 0xffL) << 56
        | (b[i + 1] & 0xffL) << 48
        | (b[i + 2] & 0xffL) << 40
        | (b[i + 3] & 0xffL) << 32
        | (b[i + 4] & 0xffL) << 24
        | (b[i + 5] & 0xffL) << 16
        | (b[i + 6] & 0xffL) << 8
        | (b[i + 7] & 0xffL);
  }

  /** BITPOS key bit [start [end [BYTE|BIT]]]. */
  static void bitpos(CommandContext c) {
    long bit = c.longArg(2);
    if (bit != 0 && bit != 1) {
      throw new RedisError("ERR The bit argument must be 1 or 0.");
    }
    long start = 0;
    long end = 0;
    boolean bits = false;
    boolean endGiven = false;
    boolean range = c.argc() >= 4 && c.argc() <= 6;
    if (range) {
      start = c.longArg(3);
      if (c.argc() == 6) {
        bits = bitUnit(c, 5);
      }
      if (c.argc() >= 5) {
        end = c.longArg(4);
        endGiven = true;
      }
    } else if (c.argc() != 3) {
      throw new RedisError(Errors.SYNTAX);
    }
    byte[] value = Values.string(c.db().read(c.arg(1)));
    if (value == null) {
      // a missing key is an infinite run of zeroes
      c.reply().integer(bit == 1 ? -1 : 0);
      return;
    }
    long length = value.length;
    if (!range) {
      end = length - 1;
    } else {
      long total = bits ? length << 3 : length;
      if (!endGiven) {
        end = total - 1;
      }
      if (start < 0) {
        start += total;
      }
      if (end < 0) {
        end += total;
      }
      start = Math.max(start, 0);
      end = Math.max(end, 0);
      end = Math.min(end, total - 1);
    }
    if (start > end) {
      c.reply().integer(-1);
      return;
    }
    long firstBit = bits ? start : start << 3;
    long lastBit = bits ? end : (end << 3) + 7;
    long found = findBit(value, firstBit, lastBit, (int) bit);
    if (found >= 0) {
      c.reply().integer(found);
    } else if (bit == 0 && !endGiven) {
      // looking for a clear bit without an explicit end: the string continues with zeroes
      c.reply().integer(lastBit + 1);
    } else {
      c.reply().integer(-1);
    }
  }

  /** Position of the first bit equal to {@code bit} among bits {@code first..last}, or -1. */
  private static long findBit(byte[] value, long first, long last, int bit) {
    int skip = bit == 1 ? 0 : 0xff; // a byte with nothing to find
    long pos = first;
    while (pos <= last) {
      int index = (int) (pos >>> 3);
      int b = value[index] & 0xff;
      if ((pos & 7) == 0 && pos + 7 <= last && b == skip) {
        pos += 8;
        continue;
      }
      if (((b >> (7 - (int) (pos & 7))) & 1) == bit) {
        return pos;
      }
      pos++;
    }
    return -1;
  }

  /** BITOP AND|OR|XOR|NOT destkey key [key ...]. */
  static void bitop(CommandContext c) {
    int op;
    if (c.is(1, "and")) {
      op = 0;
    } else if (c.is(1, "or")) {
      op = 1;
    } else if (c.is(1, "xor")) {
      op = 2;
    } else if (c.is(1, "not")) {
      op = 3;
    } else {
      throw new RedisError(Errors.SYNTAX);
    }
    if (op == 3 && c.argc() != 4) {
      throw new RedisError("ERR BITOP NOT must be called with a single source key.");
    }
    Database db = c.db();
    int sources = c.argc() - 3;
    byte[][] values = new byte[sources][];
    int maxLength = 0;
    for (int i = 0; i < sources; i++) {
      byte[] value = Values.string(db.read(c.arg(i + 3)));
      values[i] = value == null ? Bitmaps.EMPTY : value;
      maxLength = Math.max(maxLength, values[i].length);
    }
    byte[] key = c.arg(2);
    if (maxLength == 0) {
      if (db.delete(key)) {
        c.dirty(1);
        c.notify(NotifyFlags.GENERIC, "del", key);
      }
      c.reply().integer(0);
      return;
    }
    byte[] result = new byte[maxLength];
    byte[] first = values[0];
    for (int j = 0; j < maxLength; j++) {
      int output = j < first.length ? first[j] : 0;
      if (op == 3) {
        output = ~output;
      }
      for (int i = 1; i < sources; i++) {
        byte[] v = values[i];
        int b = j < v.length ? v[j] : 0;
        output =
            switch (op) {
              case 0 -> output & b;
              case 1 -> output | b;
              default -> output ^ b;
            };
      }
      result[j] = (byte) output;
    }
    db.set(key, result, false);
    c.dirty(1);
    c.notify(NotifyFlags.STRING, "set", key);
    c.reply().integer(maxLength);
  }
}
