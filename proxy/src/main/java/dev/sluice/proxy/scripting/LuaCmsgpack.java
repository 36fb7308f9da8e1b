package dev.sluice.proxy.scripting;

import static dev.sluice.proxy.scripting.LuaLibraries.fn;

import java.io.ByteArrayOutputStream;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/** {@code cmsgpack}: Redis's lua_cmsgpack 0.4.0, byte for byte the encoding of redis-server 7. */
final class LuaCmsgpack {
  private LuaCmsgpack() {}

  /** lua_cmsgpack's LUACMSGPACK_MAX_NESTING: deeper tables are encoded as nil. */
  private static final int MAX_NESTING = 16;

  static LuaTable library() {
    LuaTable t = new LuaTable();
    t.rawset("_NAME", "cmsgpack");
    t.rawset("_VERSION", "lua-cmsgpack 0.4.0");
    t.rawset("_COPYRIGHT", "Copyright (C) 2012, Salvatore Sanfilippo");
    t.rawset("_DESCRIPTION", "MessagePack C implementation for Lua");
    t.rawset(
        "pack",
        fn(
            a -> {
              if (a.narg() == 0) {
                throw new LuaError("bad argument #0 to 'pack' (MessagePack pack needs input.)");
              }
              ByteArrayOutputStream out = new ByteArrayOutputStream();
              for (int i = 1; i <= a.narg(); i++) {
                mpEncode(a.arg(i), out, 0);
              }
              return LuaString.valueUsing(out.toByteArray());
            }));
    t.rawset("unpack", fn(a -> unpackFull(a.checkstring(1), 0, 0)));
    t.rawset("unpack_one", fn(a -> unpackFull(a.checkstring(1), 1, a.optint(2, 0))));
    t.rawset("unpack_limit", fn(a -> unpackFull(a.checkstring(1), a.checkint(2), a.optint(3, 0))));
    return t;
  }

  private static void mpEncode(LuaValue v, ByteArrayOutputStream out, int level) {
    switch (v.type()) {
      case LuaValue.TSTRING -> {
        LuaString s = v.checkstring();
        int len = s.rawlen();
        if (len < 32) {
          out.write(0xa0 | len);
        } else if (len <= 0xff) {
          out.write(0xd9);
          out.write(len);
        } else if (len <= 0xffff) {
          out.write(0xda);
          be(out, len, 2);
        } else {
          out.write(0xdb);
          be(out, len, 4);
        }
        out.write(s.m_bytes, s.m_offset, len);
      }
      case LuaValue.TBOOLEAN -> out.write(v.toboolean() ? 0xc3 : 0xc2);
      case LuaValue.TNUMBER -> {
        double d = v.todouble();
        if (!Double.isInfinite(d) && !Double.isNaN(d) && (double) (long) d == d) {
          mpEncodeInt((long) d, out);
        } else if ((double) (float) d == d) {
          out.write(0xca);
          be(out, Float.floatToRawIntBits((float) d) & 0xffffffffL, 4);
        } else {
          out.write(0xcb);
          be(out, Double.doubleToRawLongBits(d), 8);
        }
      }
      case LuaValue.TTABLE -> {
        if (level == MAX_NESTING) {
          out.write(0xc0);
        } else {
          mpEncodeTable((LuaTable) v, out, level + 1);
        }
      }
      default -> out.write(0xc0);
    }
  }

  private static void mpEncodeInt(long n, ByteArrayOutputStream out) {
    if (n >= 0) {
      if (n <= 127) {
        out.write((int) n);
      } else if (n <= 0xff) {
        out.write(0xcc);
        out.write((int) n);
      } else if (n <= 0xffff) {
        out.write(0xcd);
        be(out, n, 2);
      } else if (n <= 0xffffffffL) {
        out.write(0xce);
        be(out, n, 4);
      } else {
        out.write(0xcf);
        be(out, n, 8);
      }
    } else if (n >= -32) {
      out.write((int) n & 0xff);
    } else if (n >= -128) {
      out.write(0xd0);
      out.write((int) n & 0xff);
    } else if (n >= -32768) {
      out.write(0xd1);
      be(out, n, 2);
    } else if (n >= Integer.MIN_VALUE) {
      out.write(0xd2);
      be(out, n, 4);
    } else {
      out.write(0xd3);
      be(out, n, 8);
    }
  }

  private static void be(ByteArrayOutputStream out, long v, int size) {
    for (int i = size - 1; i >= 0; i--) {
      out.write((int) (v >>> (8 * i)) & 0xff);
    }
  }

  /** Arrays when the keys are exactly 1..n (lua_cmsgpack's table_is_an_array); maps otherwise. */
  private static void mpEncodeTable(LuaTable t, ByteArrayOutputStream out, int level) {
    long max = 0;
    long count = 0;
    boolean array = true;
    LuaValue k = LuaValue.NIL;
    while (true) {
      Varargs n = t.next(k);
      k = n.arg1();
      if (k.isnil()) {
        break;
      }
      count++;
      if (k.type() == LuaValue.TNUMBER) {
        double d = k.todouble();
        if (d >= 1 && (double) (long) d == d) {
          max = Math.max(max, (long) d);
          continue;
        }
      }
      array = false;
    }
    if (array && max == count) {
      header(out, count, 0x90, 0xdc, 0xdd);
      for (long i = 1; i <= count; i++) {
        mpEncode(t.rawget(LuaValue.valueOf((double) i)), out, level);
      }
    } else {
      header(out, count, 0x80, 0xde, 0xdf);
      k = LuaValue.NIL;
      while (true) {
        Varargs n = t.next(k);
        k = n.arg1();
        if (k.isnil()) {
          break;
        }
        mpEncode(k, out, level);
        mpEncode(n.arg(2), out, level);
      }
    }
  }

  private static void header(ByteArrayOutputStream out, long n, int fix, int c16, int c32) {
    if (n <= 15) {
      out.write(fix | (int) n);
    } else if (n <= 0xffff) {
      out.write(c16);
      be(out, n, 2);
    } else {
      out.write(c32);
      be(out, n, 4);
    }
  }

  /**
   * unpack (limit and offset 0: all objects), unpack_one (limit 1) and unpack_limit; the last two
   * return the offset of the next object (-1 at the end) before the objects, as lua_cmsgpack does.
   */
  private static Varargs unpackFull(LuaString s, int limit, int offset) {
    boolean decodeAll = limit == 0 && offset == 0;
    if (offset < 0 || limit < 0) {
      // lua_cmsgpack prints the input length where it means the limit.
      throw new LuaError(
          "Invalid request to unpack with offset of "
              + offset
              + " and limit of "
              + s.rawlen()
              + ".");
    }
    if (offset > s.rawlen()) {
      throw new LuaError(
          "Start offset " + offset + " greater than input length " + s.rawlen() + ".");
    }
    Decoder d = new Decoder(s, offset);
    java.util.List<LuaValue> values = new java.util.ArrayList<>();
    while (d.pos < d.end && (decodeAll || values.size() < limit)) {
      values.add(d.decode());
    }
    if (decodeAll) {
      return LuaValue.varargsOf(values.toArray(new LuaValue[0]));
    }
    LuaValue[] out = new LuaValue[values.size() + 1];
    out[0] = LuaValue.valueOf(d.pos < d.end ? d.pos : -1);
    for (int i = 0; i < values.size(); i++) {
      out[i + 1] = values.get(i);
    }
    return LuaValue.varargsOf(out);
  }

  private static final class Decoder {
    final byte[] b;
    final int base;
    final int end;
    int pos;

    Decoder(LuaString s, int offset) {
      this.b = s.m_bytes;
      this.base = s.m_offset;
      this.end = s.rawlen();
      this.pos = offset;
    }

    private int u8() {
      need(1);
      return b[base + pos++] & 0xff;
    }

    private long be(int size) {
      need(size);
      long v = 0;
      for (int i = 0; i < size; i++) {
        v = (v << 8) | (b[base + pos++] & 0xff);
      }
      return v;
    }

    private void need(long n) {
      if (end - pos < n) {
        throw new LuaError("Missing bytes in input.");
      }
    }

    private LuaValue bytes(long len) {
      need(len);
      byte[] c = java.util.Arrays.copyOfRange(b, base + pos, base + pos + (int) len);
      pos += (int) len;
      return LuaString.valueUsing(c);
    }

    private LuaValue array(long n) {
      LuaTable t = new LuaTable();
      for (long i = 1; i <= n; i++) {
        t.rawset((int) i, decode());
      }
      return t;
    }

    private LuaValue map(long n) {
      LuaTable t = new LuaTable();
      for (long i = 0; i < n; i++) {
        LuaValue k = decode();
        LuaValue v = decode();
        if (!k.isnil()) {
          t.rawset(k, v);
        }
      }
      return t;
    }

    LuaValue decode() {
      int c = u8();
      if (c <= 0x7f) {
        return LuaValue.valueOf(c);
      }
      if (c >= 0xe0) {
        return LuaValue.valueOf((byte) c);
      }
      if ((c & 0xe0) == 0xa0) {
        return bytes(c & 0x1f);
      }
      if ((c & 0xf0) == 0x90) {
        return array(c & 0x0f);
      }
      if ((c & 0xf0) == 0x80) {
        return map(c & 0x0f);
      }
      switch (c) {
        case 0xc0:
          return LuaValue.NIL;
        case 0xc2:
          return LuaValue.FALSE;
        case 0xc3:
          return LuaValue.TRUE;
        case 0xcc:
          return LuaValue.valueOf(be(1));
        case 0xcd:
          return LuaValue.valueOf(be(2));
        case 0xce:
          return LuaValue.valueOf(be(4));
        case 0xcf:
          {
            long v = be(8);
            return LuaValue.valueOf(v >= 0 ? (double) v : unsigned(v));
          }
        case 0xd0:
          return LuaValue.valueOf((byte) be(1));
        case 0xd1:
          return LuaValue.valueOf((short) be(2));
        case 0xd2:
          return LuaValue.valueOf((int) be(4));
        case 0xd3:
          return LuaValue.valueOf((double) be(8));
        case 0xca:
          return LuaValue.valueOf((double) Float.intBitsToFloat((int) be(4)));
        case 0xcb:
          return LuaValue.valueOf(Double.longBitsToDouble(be(8)));
        case 0xc4:
        case 0xd9:
          return bytes(be(1));
        case 0xc5:
        case 0xda:
          return bytes(be(2));
        case 0xc6:
        case 0xdb:
          return bytes(be(4));
        case 0xdc:
          return array(be(2));
        case 0xdd:
          return array(be(4));
        case 0xde:
          return map(be(2));
        case 0xdf:
          return map(be(4));
        default:
          throw new LuaError("Bad data format in input.");
      }
    }
  }

  /** A uint64 as Lua 5.1's number (a double), as lua_cmsgpack and lua_struct convert it. */
  static double unsigned(long v) {
    return (double) (v >>> 1) * 2.0 + (v & 1);
  }
}
