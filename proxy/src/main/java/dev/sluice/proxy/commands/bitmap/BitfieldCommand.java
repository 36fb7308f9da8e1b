package dev.sluice.proxy.commands.bitmap;

import dev.sluice.proxy.commands.Values;
import dev.sluice.proxy.engine.CommandContext;
import dev.sluice.proxy.engine.Errors;
import dev.sluice.proxy.engine.Numbers;
import dev.sluice.proxy.engine.RedisError;
import dev.sluice.proxy.keyspace.Database;
import dev.sluice.proxy.keyspace.Entry;
import dev.sluice.proxy.keyspace.NotifyFlags;
import dev.sluice.proxy.resp.Reply;
import java.util.Arrays;

/** BITFIELD and BITFIELD_RO, with Redis's overflow arithmetic. */
final class BitfieldCommand {
  private BitfieldCommand() {}

  private static final String BAD_TYPE =
      "ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but"
          + " i64 is.";

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
  static void bitfield(CommandContext c, boolean readOnlyCommand) {
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
      long offset = Bitmaps.bitOffset(c, j + 2, (int) bits);
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
      bytes = Bitmaps.grownCopy(current, highestWriteBit >>> 3);
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
      Bitmaps.store(c, entry, key, bytes);
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
      value = (value << 1) | Bitmaps.bitAt(bytes, offset + j);
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
