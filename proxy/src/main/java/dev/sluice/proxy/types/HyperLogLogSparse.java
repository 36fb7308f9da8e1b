package dev.sluice.proxy.types;

import static dev.sluice.proxy.types.HyperLogLog.HEADER_SIZE;
import static dev.sluice.proxy.types.HyperLogLog.REGISTERS;

/**
 * The sparse encoding of a {@link HyperLogLog}: Redis's run-length opcodes after the 16-byte
 * header. ZERO (00xxxxxx) is a run of 1 to 64 zero registers, XZERO (01xxxxxx yyyyyyyy) a run of 1
 * to 16384, VAL (1vvvvvxx) a run of 1 to 4 registers of value 1 to 32. Corrupt forms are read as
 * Redis reads them: see {@link HyperLogLog} and {@link #runLength}.
 */
final class HyperLogLogSparse {
  private HyperLogLogSparse() {}

  static final int VAL_MAX_VALUE = 32;
  static final int VAL_MAX_LEN = 4;
  static final int ZERO_MAX_LEN = 64;
  static final int XZERO_MAX_LEN = 16384;

  /** {@link #set}: the register was not lower; nothing changed. */
  static final int UNCHANGED = 0;

  /** {@link #set}, as Redis: the opcodes do not cover the register. */
  static final int CORRUPT = -1;

  /** {@link #set}: the value would outgrow {@link HyperLogLog#SPARSE_MAX_BYTES}. */
  static final int NEEDS_DENSE = -2;

  /**
   * The update of Redis's hllSparseSet on {@code buf}, a sparse value of {@code len} bytes with
   * room for 4 more: finds the opcode covering register {@code index}, splits it into at most five
   * bytes (built in {@code seq}), merges adjacent equal VALs. Returns the new length, {@link
   * #UNCHANGED} if the register was not lower than {@code count}, {@link #CORRUPT}, or {@link
   * #NEEDS_DENSE} (with {@code buf} untouched) when the value would grow past the sparse limit.
   */
  static int set(byte[] buf, int len, byte[] seq, int index, int count) {
    int end = len;
    int p = HEADER_SIZE;
    int first = 0;
    int prev = -1;
    int span = 0;
    while (p < end) {
      int oplen = 1;
      int op = buf[p] & 0xff;
      if (isZero(op)) {
        span = zeroLen(op);
      } else if (isVal(op)) {
        span = valLen(op);
      } else {
        span = xzeroLen(op, buf[p + 1] & 0xff); // at the end: the byte past it, as Redis
        oplen = 2;
      }
      if (index <= first + span - 1) {
        break;
      }
      prev = p;
      p += oplen;
      first += span;
    }
    if (span == 0 || p >= end) {
      return CORRUPT;
    }
    int op = buf[p] & 0xff;
    int next = isXzero(op) ? p + 2 : p + 1;
    if (next >= end) {
      next = -1;
    }
    boolean zero = isZero(op);
    boolean xzero = isXzero(op);
    int runlen;
    if (zero) {
      runlen = zeroLen(op);
    } else if (xzero) {
      runlen = xzeroLen(op, buf[p + 1] & 0xff);
    } else {
      runlen = valLen(op);
    }
    boolean updated = false;
    if (!zero && !xzero) {
      int oldcount = valValue(op);
      if (oldcount >= count) {
        return UNCHANGED;
      }
      if (runlen == 1) {
        buf[p] = val(count, 1);
        updated = true;
      }
    }
    if (!updated && zero && runlen == 1) {
      buf[p] = val(count, 1);
      updated = true;
    }
    if (!updated) {
      int n = 0;
      int last = first + span - 1;
      if (zero || xzero) {
        if (index != first) {
          n = putZeros(seq, n, index - first);
        }
        seq[n++] = val(count, 1);
        if (index != last) {
          n = putZeros(seq, n, last - index);
        }
      } else {
        int curval = valValue(op);
        if (index != first) {
          seq[n++] = val(curval, index - first);
        }
        seq[n++] = val(count, 1);
        if (index != last) {
          seq[n++] = val(curval, last - index);
        }
      }
      int oldlen = xzero ? 2 : 1;
      int delta = n - oldlen;
      if (delta > 0 && len + delta > HyperLogLog.SPARSE_MAX_BYTES) {
        return NEEDS_DENSE;
      }
      if (delta != 0 && next >= 0) {
        System.arraycopy(buf, next, buf, next + delta, end - next);
      }
      len += delta;
      buf[len] = 0;
      // an XZERO cut off by the end was one byte long: its replacement's last byte falls past the
      // new end, where Redis writes it too
      System.arraycopy(seq, 0, buf, p, n);
      end += delta;
    }
    // merge adjacent VAL opcodes with the same value, scanning up to five opcodes from prev
    p = prev >= 0 ? prev : HEADER_SIZE;
    int scan = 5;
    while (p < end && scan-- > 0) {
      int op1 = buf[p] & 0xff;
      if (isXzero(op1)) {
        p += 2;
        continue;
      } else if (isZero(op1)) {
        p++;
        continue;
      }
      if (p + 1 < end && isVal(buf[p + 1] & 0xff)) {
        int op2 = buf[p + 1] & 0xff;
        int v1 = valValue(op1);
        if (v1 == valValue(op2)) {
          int merged = valLen(op1) + valLen(op2);
          if (merged <= VAL_MAX_LEN) {
            buf[p + 1] = val(v1, merged);
            System.arraycopy(buf, p + 1, buf, p, end - p);
            len--;
            buf[len] = 0;
            end--;
            continue;
          }
        }
      }
      p++;
    }
    return len;
  }

  /**
   * Writes the registers of the sparse value in {@code sparse[0..len)} into {@code dense} (Redis's
   * hllSparseToDense); false if the sparse form is corrupt.
   */
  static boolean toDense(byte[] sparse, int len, byte[] dense) {
    int idx = 0;
    int p = HEADER_SIZE;
    while (p < len) {
      int op = sparse[p] & 0xff;
      int runlen = runLength(sparse, p);
      if (runlen + idx > REGISTERS) {
        return false;
      }
      if (isVal(op)) {
        int value = valValue(op);
        while (runlen-- > 0) {
          HyperLogLogDense.denseSetRegister(dense, idx++, value);
        }
      } else {
        idx += runlen;
      }
      p += isXzero(op) ? 2 : 1;
    }
    return idx == REGISTERS;
  }

  /** Raises {@code max[i]} to register i of a stored sparse HLL; false if it is corrupt. */
  static boolean mergeInto(byte[] max, byte[] value) {
    int i = 0;
    int p = HEADER_SIZE;
    while (p < value.length) {
      int op = value[p] & 0xff;
      int runlen = runLength(value, p);
      if (runlen + i > REGISTERS) {
        return false;
      }
      if (isVal(op)) {
        int v = valValue(op);
        while (runlen-- > 0) {
          if (v > max[i]) {
            max[i] = (byte) v;
          }
          i++;
        }
      } else {
        i += runlen;
      }
      p += isXzero(op) ? 2 : 1;
    }
    return i == REGISTERS;
  }

  /**
   * Counts the registers of a stored sparse HLL by value into {@code histogram}; false if it is
   * corrupt.
   */
  static boolean histogram(byte[] value, int[] histogram) {
    int idx = 0;
    int p = HEADER_SIZE;
    while (p < value.length) {
      int op = value[p] & 0xff;
      int runlen = runLength(value, p);
      if (runlen + idx > REGISTERS) {
        return false;
      }
      histogram[isVal(op) ? valValue(op) : 0] += runlen;
      idx += runlen;
      p += isXzero(op) ? 2 : 1;
    }
    return idx == REGISTERS;
  }

  /**
   * The number of registers the sparse opcode at {@code p} covers; an XZERO's second byte may be
   * the one past the end of {@code b}'s value: 0 for a stored value, as in an sds string.
   */
  static int runLength(byte[] b, int p) {
    int op = b[p] & 0xff;
    if (isZero(op)) {
      return zeroLen(op);
    }
    if (isVal(op)) {
      return valLen(op);
    }
    return xzeroLen(op, p + 1 < b.length ? b[p + 1] & 0xff : 0);
  }

  static boolean isZero(int op) {
    return (op & 0xc0) == 0;
  }

  static boolean isXzero(int op) {
    return (op & 0xc0) == 0x40;
  }

  static boolean isVal(int op) {
    return (op & 0x80) != 0;
  }

  static int zeroLen(int op) {
    return (op & 0x3f) + 1;
  }

  static int xzeroLen(int op, int next) {
    return (((op & 0x3f) << 8) | next) + 1;
  }

  static int valValue(int op) {
    return ((op >>> 2) & 0x1f) + 1;
  }

  static int valLen(int op) {
    return (op & 0x3) + 1;
  }

  static byte val(int value, int length) {
    return (byte) (((value - 1) << 2 | (length - 1)) | 0x80);
  }

  static void setXzero(byte[] b, int at, int length) {
    int l = length - 1;
    b[at] = (byte) ((l >>> 8) | 0x40);
    b[at + 1] = (byte) (l & 0xff);
  }

  /** A run of zero registers as ZERO (up to 64) or XZERO; returns the next free position. */
  static int putZeros(byte[] seq, int n, int length) {
    if (length > ZERO_MAX_LEN) {
      setXzero(seq, n, length);
      return n + 2;
    }
    seq[n] = (byte) (length - 1);
    return n + 1;
  }

  /**
   * PFDEBUG DECODE's text of a stored sparse value: each opcode as "z:len", "Z:len" or
   * "v:value,len", separated by spaces.
   */
  static String decode(byte[] value) {
    StringBuilder out = new StringBuilder();
    int p = HEADER_SIZE;
    while (p < value.length) {
      int op = value[p] & 0xff;
      if (out.length() > 0) {
        out.append(' ');
      }
      if (isZero(op)) {
        out.append("z:").append(zeroLen(op));
        p++;
      } else if (isXzero(op)) {
        out.append("Z:").append(runLength(value, p));
        p += 2;
      } else {
        out.append("v:").append(valValue(op)).append(',').append(valLen(op));
        p++;
      }
    }
    return out.toString();
  }
}
