package dev.sluice.proxy.scripting;

import java.nio.charset.StandardCharsets;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaUserdata;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

/**
 * The libraries Redis gives scripts besides Lua's own: {@code bit} (LuaBitOp) and {@code cjson}
 * (encode/decode with Redis's lua-cjson rules); {@code cmsgpack} is {@link LuaCmsgpack} and {@code
 * struct} is {@link LuaStruct}.
 */
final class LuaLibraries {
  private LuaLibraries() {}

  /** cjson.null: a light userdata distinct from nil, as lua-cjson's. */
  static final LuaValue JSON_NULL = new LuaUserdata(new Object());

  interface Fn {
    Varargs apply(Varargs args);
  }

  static VarArgFunction fn(Fn f) {
    return new VarArgFunction() {
      @Override
      public Varargs invoke(Varargs args) {
        return f.apply(args);
      }
    };
  }

  static void install(Globals globals, Watchdog watchdog) {
    globals.rawset("bit", positioned(bit(), watchdog));
    globals.rawset("cjson", positioned(cjson(), watchdog));
    globals.rawset("cmsgpack", positioned(LuaCmsgpack.library(), watchdog));
    globals.rawset("struct", positioned(LuaStruct.library(), watchdog));
  }

  /**
   * Errors raised by these libraries carry the position of the calling script line, as the C
   * libraries' {@code luaL_error} gives them in Redis ("user_script:1: Missing bytes in input.").
   */
  private static LuaTable positioned(LuaTable library, Watchdog watchdog) {
    LuaValue k = LuaValue.NIL;
    while (true) {
      Varargs n = library.next(k);
      k = n.arg1();
      if (k.isnil()) {
        return library;
      }
      LuaValue f = n.arg(2);
      if (f.isfunction()) {
        library.rawset(k, positioned(f, watchdog));
      }
    }
  }

  /** {@code f} whose string errors carry the position of the calling script line. */
  static LuaValue positioned(LuaValue f, Watchdog watchdog) {
    return fn(
        a -> {
          try {
            return f.invoke(a);
          } catch (LuaError e) {
            if (e.getMessageObject() != null && e.getMessageObject().isstring()) {
              throw new ReadOnlyTable.Unpositioned(
                  "user_script:" + watchdog.currentLine() + ": " + e.getMessage());
            }
            throw e;
          }
        });
  }

  // --- bit -------------------------------------------------------------------------------------

  /** LuaBitOp's barg: the low 32 bits of the number, rounded as the FPU rounds (half even). */
  static int tobit(LuaValue v) {
    return (int) Double.doubleToRawLongBits(v.checkdouble() + 6755399441055744.0);
  }

  /** Argument {@code i} of bit.{@code name} as LuaBitOp's barg reads it. */
  private static int bitArg(Varargs a, int i, String name) {
    LuaValue n = a.arg(i).tonumber();
    if (n.isnil()) {
      throw badArgument(i, name, "number", a);
    }
    return tobit(n);
  }

  /** Lua 5.1's luaL_typerror: argument {@code i} of {@code function} is not a {@code expected}. */
  static LuaError badArgument(int i, String function, String expected, Varargs args) {
    String got = i > args.narg() ? "no value" : args.arg(i).typename();
    return new LuaError(
        "bad argument #"
            + i
            + " to '"
            + function
            + "' ("
            + expected
            + " expected, got "
            + got
            + ")");
  }

  private interface IntOp {
    int apply(int x, int y);
  }

  /** bit.band, bor, bxor: at least one argument, folded left. */
  private static VarArgFunction fold(String name, IntOp op) {
    return fn(
        a -> {
          int r = bitArg(a, 1, name);
          for (int i = 2; i <= a.narg(); i++) {
            r = op.apply(r, bitArg(a, i, name));
          }
          return LuaValue.valueOf(r);
        });
  }

  /** bit.lshift, rshift, arshift, rol, ror: the count taken modulo 32 by the operation. */
  private static VarArgFunction shift(String name, IntOp op) {
    return fn(a -> LuaValue.valueOf(op.apply(bitArg(a, 1, name), bitArg(a, 2, name))));
  }

  private static LuaTable bit() {
    LuaTable t = new LuaTable();
    t.rawset("tobit", fn(a -> LuaValue.valueOf(bitArg(a, 1, "tobit"))));
    t.rawset("bnot", fn(a -> LuaValue.valueOf(~bitArg(a, 1, "bnot"))));
    t.rawset("band", fold("band", (x, y) -> x & y));
    t.rawset("bor", fold("bor", (x, y) -> x | y));
    t.rawset("bxor", fold("bxor", (x, y) -> x ^ y));
    t.rawset("lshift", shift("lshift", (x, n) -> x << n));
    t.rawset("rshift", shift("rshift", (x, n) -> x >>> n));
    t.rawset("arshift", shift("arshift", (x, n) -> x >> n));
    t.rawset("rol", shift("rol", Integer::rotateLeft));
    t.rawset("ror", shift("ror", Integer::rotateRight));
    t.rawset("bswap", fn(a -> LuaValue.valueOf(Integer.reverseBytes(bitArg(a, 1, "bswap")))));
    t.rawset(
        "tohex",
        fn(
            a -> {
              int x = bitArg(a, 1, "tohex");
              int n = a.narg() < 2 ? 8 : bitArg(a, 2, "tohex");
              boolean upper = n < 0;
              // LuaBitOp negates n; the negation of INT_MIN stays negative and its loop then
              // writes all eight digits
              n = n == Integer.MIN_VALUE ? 8 : Math.min(8, Math.abs(n));
              String hex = String.format("%08x", x).substring(8 - n);
              return LuaValue.valueOf(upper ? hex.toUpperCase(java.util.Locale.ROOT) : hex);
            }));
    return t;
  }

  // --- cjson -----------------------------------------------------------------------------------

  private static LuaTable cjson() {
    LuaTable t = new LuaTable();
    t.rawset("null", JSON_NULL);
    t.rawset(
        "encode",
        fn(
            a -> {
              StringBuilder out = new StringBuilder();
              encode(a.arg1(), out, 0);
              return LuaString.valueOf(out.toString().getBytes(StandardCharsets.ISO_8859_1));
            }));
    t.rawset(
        "decode",
        fn(
            a -> {
              byte[] bytes = LuaValues.bytes(a.arg1().checkstring());
              JsonParser p = new JsonParser(new String(bytes, StandardCharsets.ISO_8859_1));
              p.ws();
              LuaValue v = p.value(0);
              p.ws();
              if (p.pos != p.s.length()) {
                throw new LuaError(
                    "Expected the end but found invalid token at character " + (p.pos + 1));
              }
              return v;
            }));
    return t;
  }

  private static void encode(LuaValue v, StringBuilder out, int depth) {
    if (depth > 1000) {
      throw new LuaError("Cannot serialise, excessive nesting (1001)");
    }
    switch (v.type()) {
      case LuaValue.TNIL -> out.append("null");
      case LuaValue.TBOOLEAN -> out.append(v.toboolean());
      case LuaValue.TNUMBER -> {
        double d = v.todouble();
        if (Double.isNaN(d) || Double.isInfinite(d)) {
          throw new LuaError("Cannot serialise number: must not be NaN or Inf");
        }
        out.append(LuaFormat.number(d));
      }
      case LuaValue.TSTRING -> quote(v.checkstring(), out);
      case LuaValue.TTABLE -> {
        LuaTable table = (LuaTable) v;
        int max = 0;
        int count = 0;
        boolean array = true;
        for (Varargs n = table.next(LuaValue.NIL); !n.arg1().isnil(); n = table.next(n.arg1())) {
          LuaValue k = n.arg1();
          count++;
          if (k.type() == LuaValue.TNUMBER
              && k.todouble() == Math.floor(k.todouble())
              && k.todouble() >= 1) {
            max = Math.max(max, (int) k.todouble());
          } else {
            array = false;
          }
        }
        if (array && count > 0) {
          if (max > 10 && max > count * 2) {
            throw new LuaError("Cannot serialise table: excessively sparse array");
          }
          out.append('[');
          for (int i = 1; i <= max; i++) {
            if (i > 1) {
              out.append(',');
            }
            encode(table.rawget(i), out, depth + 1);
          }
          out.append(']');
        } else {
          out.append('{');
          boolean first = true;
          for (Varargs n = table.next(LuaValue.NIL); !n.arg1().isnil(); n = table.next(n.arg1())) {
            LuaValue k = n.arg1();
            if (k.type() != LuaValue.TSTRING && k.type() != LuaValue.TNUMBER) {
              throw new LuaError(
                  "Cannot serialise " + k.typename() + ": table key must be a number or string");
            }
            if (!first) {
              out.append(',');
            }
            first = false;
            quote(
                k.type() == LuaValue.TNUMBER
                    ? LuaValue.valueOf(LuaFormat.number(k.todouble()))
                    : k.checkstring(),
                out);
            out.append(':');
            encode(n.arg(2), out, depth + 1);
          }
          out.append('}');
        }
      }
      default -> {
        if (v == JSON_NULL) {
          out.append("null");
        } else {
          throw new LuaError("Cannot serialise " + v.typename() + ": type not supported");
        }
      }
    }
  }

  private static void quote(LuaString s, StringBuilder out) {
    out.append('"');
    for (byte b : LuaValues.bytes(s)) {
      int c = b & 0xff;
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '/' -> out.append("\\/");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            out.append(String.format("\\u%04x", c));
          } else {
            out.append((char) c); // bytes kept as they are: ISO-8859-1 round-trips them
          }
        }
      }
    }
    out.append('"');
  }

  /** A JSON parser over the bytes of a Lua string (each char one byte). */
  private static final class JsonParser {
    final String s;
    int pos;

    JsonParser(String s) {
      this.s = s;
    }

    void ws() {
      while (pos < s.length() && " \t\r\n".indexOf(s.charAt(pos)) >= 0) {
        pos++;
      }
    }

    LuaError error(String what) {
      return new LuaError(
          "Expected " + what + " but found invalid token at character " + (pos + 1));
    }

    LuaValue value(int depth) {
      if (depth > 1000) {
        throw new LuaError(
            "Found too many nested data structures (1001) at character " + (pos + 1));
      }
      if (pos >= s.length()) {
        throw error("value");
      }
      char c = s.charAt(pos);
      if (c == '{') {
        pos++;
        LuaTable t = new LuaTable();
        ws();
        if (pos < s.length() && s.charAt(pos) == '}') {
          pos++;
          return t;
        }
        while (true) {
          ws();
          if (pos >= s.length() || s.charAt(pos) != '"') {
            throw error("object key string");
          }
          LuaValue key = string();
          ws();
          if (pos >= s.length() || s.charAt(pos) != ':') {
            throw error("colon");
          }
          pos++;
          ws();
          t.rawset(key, value(depth + 1));
          ws();
          if (pos < s.length() && s.charAt(pos) == ',') {
            pos++;
          } else if (pos < s.length() && s.charAt(pos) == '}') {
            pos++;
            return t;
          } else {
            throw error("comma or object end");
          }
        }
      }
      if (c == '[') {
        pos++;
        LuaTable t = new LuaTable();
        ws();
        if (pos < s.length() && s.charAt(pos) == ']') {
          pos++;
          return t;
        }
        int i = 1;
        while (true) {
          ws();
          t.rawset(i++, value(depth + 1));
          ws();
          if (pos < s.length() && s.charAt(pos) == ',') {
            pos++;
          } else if (pos < s.length() && s.charAt(pos) == ']') {
            pos++;
            return t;
          } else {
            throw error("comma or array end");
          }
        }
      }
      if (c == '"') {
        return string();
      }
      if (s.startsWith("true", pos)) {
        pos += 4;
        return LuaValue.TRUE;
      }
      if (s.startsWith("false", pos)) {
        pos += 5;
        return LuaValue.FALSE;
      }
      if (s.startsWith("null", pos)) {
        pos += 4;
        return JSON_NULL;
      }
      boolean numeric = c == '-' || (c >= '0' && c <= '9');
      if (!numeric && !invalidNumber()) {
        throw error("value");
      }
      int end = LuaFormat.strtodEnd(s, pos);
      if (end == pos) {
        throw new LuaError("Expected value but found invalid number at character " + (pos + 1));
      }
      LuaValue v = LuaValue.valueOf(LuaFormat.strtod(s.substring(pos, end)));
      pos = end;
      return v;
    }

    /**
     * lua-cjson's json_is_invalid_number, for what does not start like a JSON number: a plus sign,
     * inf or nan, which Redis's cjson (decode_invalid_numbers) then reads with strtod.
     */
    boolean invalidNumber() {
      return s.charAt(pos) == '+'
          || s.regionMatches(true, pos, "inf", 0, 3)
          || s.regionMatches(true, pos, "nan", 0, 3);
    }

    LuaValue string() {
      pos++; // opening quote
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
      while (true) {
        if (pos >= s.length()) {
          throw error("string end");
        }
        char c = s.charAt(pos++);
        if (c == '"') {
          break;
        }
        if (c != '\\') {
          out.write(c);
          continue;
        }
        if (pos >= s.length()) {
          throw error("escape");
        }
        char e = s.charAt(pos++);
        switch (e) {
          case 'b' -> out.write('\b');
          case 'f' -> out.write('\f');
          case 'n' -> out.write('\n');
          case 'r' -> out.write('\r');
          case 't' -> out.write('\t');
          case 'u' -> {
            int cp = Integer.parseInt(s.substring(pos, Math.min(pos + 4, s.length())), 16);
            pos += 4;
            byte[] utf8 = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
            out.write(utf8, 0, utf8.length);
          }
          default -> out.write(e);
        }
      }
      return LuaString.valueOf(out.toByteArray());
    }
  }
}
