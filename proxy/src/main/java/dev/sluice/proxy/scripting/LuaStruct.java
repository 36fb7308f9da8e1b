package dev.sluice.proxy.scripting;

import static dev.sluice.proxy.scripting.LuaLibraries.fn;

import java.io.ByteArrayOutputStream;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * {@code struct}: Redis's lua_struct (Roberto Ierusalimschy's struct library), byte for byte the
 * encoding of redis-server 7.
 */
final class LuaStruct {
  private LuaStruct() {}

  private static final int MAXINTSIZE = 32;
  private static final int MAXALIGN = 8;

  static LuaTable library() {
    LuaTable t = new LuaTable();
    t.rawset("pack", fn(LuaStruct::structPack));
    t.rawset("unpack", fn(LuaStruct::structUnpack));
    t.rawset("size", fn(LuaStruct::structSize));
    return t;
  }

  /** The parse state of one format string: position, endianness and maximum alignment. */
  private static final class Format {
    final LuaString fmt;
    final String fn;
    int i;
    boolean little = true;
    int align = 1;

    Format(LuaString fmt, String fn) {
      this.fmt = fmt;
      this.fn = fn;
    }

    boolean more() {
      return i < fmt.rawlen();
    }

    int next() {
      return fmt.luaByte(i++);
    }

    int getnum(int df) {
      if (!more() || !Character.isDigit(fmt.luaByte(i))) {
        return df;
      }
      int a = 0;
      do {
        int digit = fmt.luaByte(i) - '0';
        if (a > Integer.MAX_VALUE / 10 || a * 10 > Integer.MAX_VALUE - digit) {
          throw new LuaError("integral size overflow");
        }
        a = a * 10 + digit;
        i++;
      } while (more() && Character.isDigit(fmt.luaByte(i)));
      return a;
    }

    int optsize(int opt) {
      return switch (opt) {
        case 'B', 'b', 'x' -> 1;
        case 'H', 'h' -> 2;
        case 'L', 'l', 'T', 'd' -> 8;
        case 'f' -> 4;
        case 'c' -> getnum(1);
        case 'i', 'I' -> {
          int sz = getnum(4);
          if (sz > MAXINTSIZE) {
            throw new LuaError("integral size " + sz + " is larger than limit of " + MAXINTSIZE);
          }
          yield sz;
        }
        default -> 0;
      };
    }

    int toalign(long len, int opt, int size) {
      if (size == 0 || opt == 'c') {
        return 0;
      }
      int s = Math.min(size, align);
      return (int) ((s - (len & (s - 1))) & (s - 1));
    }

    void control(int opt) {
      switch (opt) {
        case ' ' -> {}
        case '>' -> little = false;
        case '<' -> little = true;
        case '=' -> little = true;
        case '!' -> {
          int a = getnum(MAXALIGN);
          if (a <= 0 || (a & (a - 1)) != 0) {
            throw new LuaError("alignment " + a + " is not a power of 2");
          }
          align = a;
        }
        default -> throw argError(1, "invalid format option '" + (char) opt + "'");
      }
    }

    LuaError argError(int arg, String msg) {
      return new LuaError("bad argument #" + arg + " to '" + fn + "' (" + msg + ")");
    }
  }

  private static Varargs structPack(Varargs a) {
    Format f = new Format(a.checkstring(1), "pack");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int arg = 2;
    long total = 0;
    while (f.more()) {
      int opt = f.next();
      int size = f.optsize(opt);
      int toalign = f.toalign(total, opt, size);
      total += toalign;
      for (int k = 0; k < toalign; k++) {
        out.write(0);
      }
      switch (opt) {
        case 'b', 'B', 'h', 'H', 'l', 'L', 'T', 'i', 'I' -> {
          double n = a.checkdouble(arg++);
          long value = n < 0 ? (long) n : unsignedOf(n);
          byte[] buf = new byte[size];
          for (int k = 0; k < size; k++) {
            buf[f.little ? k : size - 1 - k] = (byte) value;
            value = k < 7 ? value >>> 8 : 0;
          }
          out.write(buf, 0, size);
        }
        case 'x' -> out.write(0);
        case 'f' -> {
          int bits = Float.floatToRawIntBits((float) a.checkdouble(arg++));
          writeOrdered(out, bits & 0xffffffffL, 4, f.little);
        }
        case 'd' ->
            writeOrdered(out, Double.doubleToRawLongBits(a.checkdouble(arg++)), 8, f.little);
        case 'c', 's' -> {
          LuaString s = a.checkstring(arg++);
          int l = s.rawlen();
          if (size == 0) {
            size = l;
          }
          if (l < size) {
            throw f.argError(arg, "string too short");
          }
          out.write(s.m_bytes, s.m_offset, size);
          if (opt == 's') {
            out.write(0);
            size++;
          }
        }
        default -> f.control(opt);
      }
      total += size;
    }
    return LuaString.valueUsing(out.toByteArray());
  }

  /** C's (uint64_t) of a non-negative double, saturating as x86 does not, but never negative. */
  private static long unsignedOf(double n) {
    if (n >= 9.223372036854775807E18) {
      return (long) (n - 9.223372036854775807E18) + Long.MIN_VALUE;
    }
    return (long) n;
  }

  private static void writeOrdered(ByteArrayOutputStream out, long v, int size, boolean little) {
    for (int k = 0; k < size; k++) {
      int shift = little ? 8 * k : 8 * (size - 1 - k);
      out.write((int) (v >>> shift) & 0xff);
    }
  }

  private static Varargs structUnpack(Varargs a) {
    Format f = new Format(a.checkstring(1), "unpack");
    LuaString data = a.checkstring(2);
    long ld = data.rawlen();
    long pos = a.optlong(3, 1);
    if (pos <= 0) {
      throw f.argError(3, "offset must be 1 or greater");
    }
    pos--;
    java.util.List<LuaValue> res = new java.util.ArrayList<>();
    while (f.more()) {
      int opt = f.next();
      long size = f.optsize(opt);
      pos += f.toalign(pos, opt, (int) size);
      if (!(size <= ld && pos <= ld - size)) {
        throw f.argError(2, "data string too short");
      }
      switch (opt) {
        case 'b', 'B', 'h', 'H', 'l', 'L', 'T', 'i', 'I' -> {
          boolean signed = Character.isLowerCase(opt);
          int sz = (int) size;
          long l = 0;
          for (int k = 0; k < sz; k++) {
            int idx = f.little ? sz - 1 - k : k;
            l = (l << 8) | data.luaByte((int) pos + idx);
          }
          double v;
          if (!signed) {
            v = l >= 0 ? (double) l : LuaCmsgpack.unsigned(l);
          } else {
            if (sz < 8) {
              long mask = -1L << (sz * 8 - 1);
              if ((l & mask) != 0) {
                l |= mask;
              }
            }
            v = (double) l;
          }
          res.add(LuaValue.valueOf(v));
        }
        case 'x' -> {}
        case 'f' -> {
          long bits = readOrdered(data, (int) pos, 4, f.little);
          res.add(LuaValue.valueOf((double) Float.intBitsToFloat((int) bits)));
        }
        case 'd' -> {
          long bits = readOrdered(data, (int) pos, 8, f.little);
          res.add(LuaValue.valueOf(Double.longBitsToDouble(bits)));
        }
        case 'c' -> {
          if (size == 0) {
            if (res.isEmpty() || !res.get(res.size() - 1).isnumber()) {
              throw new LuaError("format 'c0' needs a previous size");
            }
            size = (long) res.remove(res.size() - 1).todouble();
            if (!(size <= ld && pos <= ld - size)) {
              throw f.argError(2, "data string too short");
            }
          }
          res.add(data.substring((int) pos, (int) (pos + size)));
        }
        case 's' -> {
          int e = -1;
          for (int k = (int) pos; k < ld; k++) {
            if (data.luaByte(k) == 0) {
              e = k;
              break;
            }
          }
          if (e < 0) {
            throw new LuaError("unfinished string in data");
          }
          size = e - pos + 1;
          res.add(data.substring((int) pos, e));
        }
        default -> f.control(opt);
      }
      pos += size;
    }
    res.add(LuaValue.valueOf(pos + 1));
    return LuaValue.varargsOf(res.toArray(new LuaValue[0]));
  }

  private static long readOrdered(LuaString data, int pos, int size, boolean little) {
    long v = 0;
    for (int k = 0; k < size; k++) {
      int idx = little ? size - 1 - k : k;
      v = (v << 8) | data.luaByte(pos + idx);
    }
    return v;
  }

  private static Varargs structSize(Varargs a) {
    Format f = new Format(a.checkstring(1), "size");
    long pos = 0;
    while (f.more()) {
      int opt = f.next();
      int size = f.optsize(opt);
      pos += f.toalign(pos, opt, size);
      if (opt == 's') {
        throw f.argError(1, "option 's' has no fixed size");
      } else if (opt == 'c' && size == 0) {
        throw f.argError(1, "option 'c0' has no fixed size");
      }
      if (!Character.isLetterOrDigit(opt)) {
        f.control(opt);
      }
      pos += size;
    }
    return LuaValue.valueOf(pos);
  }
}
