package dev.sluice.proxy.commands.bitmap;

import static dev.sluice.proxy.engine.CommandFlag.DENYOOM;
import static dev.sluice.proxy.engine.CommandFlag.FAST;
import static dev.sluice.proxy.engine.CommandFlag.READONLY;
import static dev.sluice.proxy.engine.CommandFlag.WRITE;
import static dev.sluice.proxy.engine.CommandSpec.command;

import dev.sluice.proxy.commands.Values;
import dev.sluice.proxy.engine.CommandContext;
import dev.sluice.proxy.engine.CommandTable;
import dev.sluice.proxy.engine.Errors;
import dev.sluice.proxy.engine.KeyProcs;
import dev.sluice.proxy.engine.KeySpec;
import dev.sluice.proxy.engine.Numbers;
import dev.sluice.proxy.engine.RedisError;
import dev.sluice.proxy.keyspace.Database;
import dev.sluice.proxy.keyspace.Entry;
import dev.sluice.proxy.keyspace.NotifyFlags;
import dev.sluice.proxy.resp.Reply;
import java.util.Arrays;

/**
 * The bitmap commands of Redis 7.4 on string values. Bit 0 is the most significant bit of the first
 * byte. Strings are never changed in place: a change stores a new array.
 */
public final class BitmapCommands {
  private BitmapCommands() {}

  static final String BAD_OFFSET = "ERR bit offset is not an integer or out of range";
  static final String BAD_BIT = "ERR bit is not an integer or out of range";
  static final String BAD_TYPE =
      "ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but"
          + " i64 is.";

  private static final byte[] EMPTY = new byte[0];

  public static void register(CommandTable t) {
    t.register(
        command("setbit", 4, BitmapCommands::setbit)
            .flags(WRITE, DENYOOM)
            .keys(KeySpec.key(1, "RW access update"))
            .group("bitmap")
            .doc(
                "Sets or clears the bit at offset of the string value. Creates the key if it"
                    + " doesn't exist.",
                "2.2.0",
                "O(1)"));
    t.register(
        command("getbit", 3, BitmapCommands::getbit)
            .flags(READONLY, FAST)
            .keys(KeySpec.key(1, "RO access"))
            .group("bitmap")
            .doc("Returns a bit value by offset.", "2.2.0", "O(1)"));
    t.register(
        command("bitcount", -2, BitmapCommands::bitcount)
            .flags(READONLY)
            .keys(KeySpec.key(1, "RO access"))
            .group("bitmap")
            .doc(
                "Counts the number of set bits (population counting) in a string.",
                "2.6.0",
                "O(N)"));
    t.register(
        command("bitpos", -3, BitmapCommands::bitpos)
            .flags(READONLY)
            .keys(KeySpec.key(1, "RO access"))
            .group("bitmap")
            .doc("Finds the first set (1) or clear (0) bit in a string.", "2.8.7", "O(N)"));
    t.register(
        command("bitop", -4, BitmapCommands::bitop)
            .flags(WRITE, DENYOOM)
            .keys(KeySpec.key(2, "OW update"), KeySpec.range(3, -1, 1, "RO access"))
            .group("bitmap")
            .doc(
                "Performs bitwise operations on multiple strings, and stores the result.",
                "2.6.0",
                "O(N)"));
    t.register(
        command("bitfield", -2, c -> bitfield(c, false))
            .flags(WRITE, DENYOOM)
            .keys(
                KeySpec.key(1, "RW access update variable_flags")
                    .notes("This command allows both access and modification of the key"))
            .keyProc(KeyProcs.BITFIELD)
            .group("bitmap")
            .doc(
                "Performs arbitrary bitfield integer operations on strings.",
                "3.2.0",
                "O(1) for each subcommand specified"));
    t.register(
        command("bitfield_ro", -2, c -> bitfield(c, true))
            .flags(READONLY, FAST)
            .keys(KeySpec.key(1, "RO access"))
            .group("bitmap")
            .doc(
                "Performs arbitrary read-only bitfield integer operations on strings.",
                "6.0.0",
                "O(1) for each subcommand specified"));
  }

  // ---- arguments ----

  /**
   * A bit offset as Redis's getBitOffsetFromArgument: non-negative, its byte below
   * proto-max-bulk-len; with {@code bits > 0} the form "#n" means n * bits (BITFIELD).
   */
  private static long bitOffset(CommandContext c, int i, int bits) {
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
  private static byte[] grownCopy(byte[] current, long lastByte) {
    if (lastByte + 1 > Values.MAX_ARRAY) {
      throw new RedisError(Errors.STRING_TOO_LONG);
    }
    byte[] base = current == null ? EMPTY : current;
    return Arrays.copyOf(base, (int) Math.max(base.length, lastByte + 1));
  }

  private static int bitAt(byte[] bytes, long offset) {
    long index = offset >>> 3;
    if (bytes == null || index >= bytes.length) {
      return 0;
    }
    return (bytes[(int) index] >> (7 - (int) (offset & 7))) & 1;
  }

  private static void store(CommandContext c, Entry entry, byte[] key, byte[] bytes) {
    if (entry == null) {
      c.db().insert(key, bytes);
    } else {
      c.db().replace(entry, bytes);
    }
  }

  // ---- SETBIT / GETBIT ----

  private static void setbit(CommandContext c) {
    long offset = bitOffset(c, 2, 0);
    long on = c.longArg(3, BAD_BIT);
    if ((on & ~1L) != 0) {
      throw new RedisError(BAD_BIT);
    }
    byte[] key = c.arg(1);
    Entry entry = c.db().write(key);
    byte[] current = Values.string(entry);
    int old = bitAt(current, offset);
    boolean grows = current == null || (offset >>> 3) >= current.length;
    if (grows || old != on) {
      byte[] next = grownCopy(current, offset >>> 3);
      int index = (int) (offset >>> 3);
      int mask = 1 << (7 - (int) (offset & 7));
      next[index] = (byte) (on == 1 ? next[index] | mask : next[index] & ~mask);
      store(c, entry, key, next);
      c.dirty(1);
      c.notify(NotifyFlags.STRING, "setbit", key);
    }
    c.reply().integer(old);
  }

  private static void getbit(CommandContext c) {
    long offset = bitOffset(c, 2, 0);
    byte[] value = Values.string(c.db().read(c.arg(1)));
    c.reply().integer(bitAt(value, offset));
  }

  // ---- BITCOUNT / BITPOS ----

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
  private static void bitcount(CommandContext c) {
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
  private static void bitpos(CommandContext c) {
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

  // ---- BITOP ----

  /** BITOP AND|OR|XOR|NOT destkey key [key ...]. */
  private static void bitop(CommandContext c) {
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
      values[i] = value == null ? EMPTY : value;
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

  // ---- BITFIELD ----

  private static final int GET = 0;
  private static final int SET = 1;
  private static final int INCRBY = 2;
  private static final int WRAP = 0;
  private static final int SAT = 1;
  private static final int FAIL = 2;

  /** One parsed BITFIELD operation. */
  private record Op(int code, boolean signed, int bits, long offset, long value, int overflow) {}

  /**
   * BITFIELD key [GET type offset | SET type offset value | INCRBY type offset increment | OVERFLOW
   * WRAP|SAT|FAIL] ...; BITFIELD_RO with GET only.
   */
  private static void bitfield(CommandContext c, boolean readOnlyCommand) {
    Op[] ops = new Op[(c.argc() - 2) / 3 + 1];
    int count = 0;
    int overflow = WRAP;
    boolean readOnly = true;
    long highestWriteBit = 0;
    for (int j = 2; j < c.argc(); j++) {
      int remaining = c.argc() - j - 1;
      int code;
      if (c.is(j, "get") && remaining >= 2) {
        code = GET;
      } else if (c.is(j, "set") && remaining >= 3) {
        code = SET;
      } else if (c.is(j, "incrby") && remaining >= 3) {
        code = INCRBY;
      } else if (c.is(j, "overflow") && remaining >= 1) {
        j++;
        if (c.is(j, "wrap")) {
          overflow = WRAP;
        } else if (c.is(j, "sat")) {
          overflow = SAT;
        } else if (c.is(j, "fail")) {
          overflow = FAIL;
        } else {
          throw new RedisError("ERR Invalid OVERFLOW type specified");
        }
        continue;
      } else {
        throw new RedisError(Errors.SYNTAX);
      }
      byte[] type = c.arg(j + 1);
      boolean signed = type.length > 0 && type[0] == 'i';
      if (type.length == 0 || (!signed && type[0] != 'u')) {
        throw new RedisError(BAD_TYPE);
      }
      long bits = Numbers.parseLong(Arrays.copyOfRange(type, 1, type.length), BAD_TYPE);
      if (bits < 1 || bits > (signed ? 64 : 63)) {
        throw new RedisError(BAD_TYPE);
      }
      long offset = bitOffset(c, j + 2, (int) bits);
      long value = 0;
      if (code != GET) {
        readOnly = false;
        highestWriteBit = Math.max(highestWriteBit, offset + bits - 1);
        value = c.longArg(j + 3);
      }
      ops[count++] = new Op(code, signed, (int) bits, offset, value, overflow);
      j += code == GET ? 2 : 3;
    }
    Database db = c.db();
    byte[] key = c.arg(1);
    Entry entry;
    byte[] bytes;
    boolean dirty = false;
    if (readOnly) {
      entry = db.read(key);
      bytes = Values.string(entry);
    } else {
      if (readOnlyCommand) {
        throw new RedisError("ERR BITFIELD_RO only supports the GET subcommand");
      }
      entry = db.write(key);
      byte[] current = Values.string(entry);
      bytes = grownCopy(current, highestWriteBit >>> 3);
      dirty = current == null || current.length != bytes.length;
    }
    Reply reply = c.reply();
    reply.array(count);
    int changes = 0;
    for (int k = 0; k < count; k++) {
      Op op = ops[k];
      if (op.code == GET) {
        long v = getField(bytes, op.offset, op.bits);
        reply.integer(op.signed ? signExtend(v, op.bits) : v);
        continue;
      }
      long raw = getField(bytes, op.offset, op.bits);
      long oldValue = op.signed ? signExtend(raw, op.bits) : raw;
      long[] limit = new long[1];
      int overflowed;
      long newValue;
      long result;
      if (op.signed) {
        if (op.code == INCRBY) {
          overflowed = signedOverflow(oldValue, op.value, op.bits, op.overflow, limit);
          newValue = overflowed != 0 ? limit[0] : oldValue + op.value;
          result = newValue;
        } else {
          overflowed = signedOverflow(op.value, 0, op.bits, op.overflow, limit);
          newValue = overflowed != 0 ? limit[0] : op.value;
          result = oldValue;
        }
      } else {
        if (op.code == INCRBY) {
          overflowed = unsignedOverflow(oldValue, op.value, op.bits, op.overflow, limit);
          newValue = overflowed != 0 ? limit[0] : oldValue + op.value;
          result = newValue;
        } else {
          overflowed = unsignedOverflow(op.value, 0, op.bits, op.overflow, limit);
          newValue = overflowed != 0 ? limit[0] : op.value;
          result = oldValue;
        }
      }
      if (overflowed != 0 && op.overflow == FAIL) {
        reply.nil();
        continue;
      }
      reply.integer(result);
      setField(bytes, op.offset, op.bits, newValue);
      if (dirty || oldValue != newValue) {
        changes++;
      }
    }
    if (!readOnly && (dirty || changes > 0)) {
      store(c, entry, key, bytes);
    }
    if (changes > 0) {
      c.dirty(changes);
      c.notify(NotifyFlags.STRING, "setbit", key);
    }
  }

  /** {@code bits} bits from {@code offset}, most significant first; zeroes past the end. */
  private static long getField(byte[] bytes, long offset, int bits) {
    long value = 0;
    for (int j = 0; j < bits; j++) {
      value = (value << 1) | bitAt(bytes, offset + j);
    }
    return value;
  }

  private static void setField(byte[] bytes, long offset, int bits, long value) {
    for (int j = 0; j < bits; j++) {
      long at = offset + j;
      int index = (int) (at >>> 3);
      int mask = 1 << (7 - (int) (at & 7));
      boolean one = ((value >>> (bits - 1 - j)) & 1) != 0;
      bytes[index] = (byte) (one ? bytes[index] | mask : bytes[index] & ~mask);
    }
  }

  private static long signExtend(long value, int bits) {
    if (bits < 64 && (value & (1L << (bits - 1))) != 0) {
      value |= -1L << bits;
    }
    return value;
  }

  /** Redis's checkUnsignedBitfieldOverflow, with its unsigned 64-bit arithmetic. */
  private static int unsignedOverflow(long value, long incr, int bits, int owtype, long[] limit) {
    long max = bits == 64 ? -1L : (1L << bits) - 1;
    long maxincr = max - value;
    long minincr = -value;
    if (Long.compareUnsigned(value, max) > 0 || (incr > 0 && incr > maxincr)) {
      if (owtype == WRAP) {
        limit[0] = (value + incr) & ~(-1L << bits);
      } else if (owtype == SAT) {
        limit[0] = max;
      }
      return 1;
    } else if (incr < 0 && incr < minincr) {
      if (owtype == WRAP) {
        limit[0] = (value + incr) & ~(-1L << bits);
      } else if (owtype == SAT) {
        limit[0] = 0;
      }
      return -1;
    }
    return 0;
  }

  /** Redis's checkSignedBitfieldOverflow. */
  private static int signedOverflow(long value, long incr, int bits, int owtype, long[] limit) {
    long max = bits == 64 ? Long.MAX_VALUE : (1L << (bits - 1)) - 1;
    long min = -max - 1;
    long maxincr = max - value;
    long minincr = min - value;
    if (value > max
        || (bits != 64 && incr > maxincr)
        || (value >= 0 && incr > 0 && incr > maxincr)) {
      if (owtype == WRAP) {
        limit[0] = wrapSigned(value, incr, bits);
      } else if (owtype == SAT) {
        limit[0] = max;
      }
      return 1;
    } else if (value < min
        || (bits != 64 && incr < minincr)
        || (value < 0 && incr < 0 && incr < minincr)) {
      if (owtype == WRAP) {
        limit[0] = wrapSigned(value, incr, bits);
      } else if (owtype == SAT) {
        limit[0] = min;
      }
      return -1;
    }
    return 0;
  }

  private static long wrapSigned(long value, long incr, int bits) {
    long sum = value + incr;
    if (bits < 64) {
      long mask = -1L << bits;
      sum = (sum & (1L << (bits - 1))) != 0 ? sum | mask : sum & ~mask;
    }
    return sum;
  }
}
