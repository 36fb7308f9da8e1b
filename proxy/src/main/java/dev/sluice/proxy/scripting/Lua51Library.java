package dev.sluice.proxy.scripting;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * Lua 5.1's library where LuaJ's is Lua 5.2's: {@code loadstring}, {@code table.getn}, {@code
 * maxn}, {@code foreach}, {@code foreachi}, {@code setn}, {@code math.mod}, {@code log10}, {@code
 * string.gfind}, no {@code table.unpack} or {@code pack}, and numbers written as Lua 5.1 writes
 * them ({@code %.14g}) by {@code tostring}, {@code table.concat} and {@code string.format}.
 */
final class Lua51Library {
  /** Lua 5.1's LUA_IDSIZE less the {@code [string "..."]} around a chunk's source. */
  private static final int CHUNK_ID_SOURCE = 60 - 17;

  private Lua51Library() {}

  static void install(ReadOnlyTable globals, Watchdog watchdog) {
    LuaTable table = (LuaTable) globals.rawget("table");
    LuaTable math = (LuaTable) globals.rawget("math");
    LuaTable string = (LuaTable) globals.rawget("string");
    table.rawset("unpack", LuaValue.NIL);
    table.rawset("pack", LuaValue.NIL);
    table.rawset("getn", LuaLibraries.fn(a -> LuaValue.valueOf(a.checktable(1).rawlen())));
    table.rawset("maxn", LuaLibraries.fn(a -> LuaValue.valueOf(maxn(a.checktable(1)))));
    table.rawset(
        "setn",
        LuaLibraries.fn(
            a -> {
              throw new LuaError("'setn' is obsolete");
            }));
    table.rawset("foreach", LuaLibraries.fn(Lua51Library::foreach));
    table.rawset("foreachi", LuaLibraries.fn(Lua51Library::foreachi));
    table.rawset(
        "concat", LuaLibraries.positioned(LuaLibraries.fn(Lua51Library::concat), watchdog));
    math.rawset("mod", math.rawget("fmod"));
    math.rawset("log10", LuaLibraries.fn(a -> LuaValue.valueOf(Math.log10(a.checkdouble(1)))));
    coerceNumbers(string, 1, "byte", "len", "lower", "rep", "reverse", "sub", "upper");
    coerceNumbers(string, 2, "find", "match", "gmatch");
    coerceNumbers(string, 3, "gsub");
    string.rawset("gfind", string.rawget("gmatch"));
    string.rawset("format", LuaLibraries.positioned(LuaLibraries.fn(LuaFormat::format), watchdog));
    LuaValue tostring = globals.rawget("tostring");
    globals.rawset(
        "tostring",
        LuaLibraries.fn(
            a ->
                a.arg1().type() == LuaValue.TNUMBER
                    ? LuaValue.valueOf(LuaFormat.number(a.arg1().todouble()))
                    : tostring.invoke(a)));
    globals.rawset("loadstring", LuaLibraries.fn(a -> loadstring(globals, a)));
  }

  /**
   * Makes the first {@code count} arguments of each function, where they are numbers, the strings
   * Lua 5.1 coerces them to ({@code %.14g}); LuaJ's own coercion writes Java's float text ({@code
   * string.len(1/3)} would be 10, not 16).
   */
  private static void coerceNumbers(LuaTable string, int count, String... names) {
    for (String name : names) {
      LuaValue f = string.rawget(name);
      string.rawset(
          name,
          LuaLibraries.fn(
              a -> {
                int n = Math.min(count, a.narg());
                LuaValue[] coerced = null;
                for (int i = 1; i <= n; i++) {
                  if (a.arg(i).type() == LuaValue.TNUMBER) {
                    if (coerced == null) {
                      coerced = new LuaValue[n];
                      for (int j = 1; j <= n; j++) {
                        coerced[j - 1] = a.arg(j);
                      }
                    }
                    coerced[i - 1] = LuaValue.valueOf(LuaFormat.number(a.arg(i).todouble()));
                  }
                }
                return f.invoke(
                    coerced == null ? a : LuaValue.varargsOf(coerced, a.subargs(n + 1)));
              }));
    }
  }

  /**
   * loadstring(s [, chunkname]): the chunk compiled in the sandbox's globals, or nil and the error.
   * Bytecode is refused, as Redis's Lua refuses it.
   */
  private static Varargs loadstring(ReadOnlyTable globals, Varargs a) {
    LuaString source = a.checkstring(1);
    String name = chunkId(a.isnoneornil(2) ? source.tojstring() : a.checkjstring(2));
    byte[] bytes = LuaValues.bytes(source);
    return compile(globals, bytes, name);
  }

  /**
   * A chunk of loadstring or load, named {@code name} (a Lua 5.1 chunk id): the function, or nil
   * and the error. Bytecode is refused, as Redis's Lua refuses it.
   */
  static Varargs compile(ReadOnlyTable globals, byte[] bytes, String name) {
    if (bytes.length > 0 && bytes[0] == 27) {
      return LuaValue.varargsOf(
          LuaValue.NIL, LuaValue.valueOf(name + ":1: unexpected symbol near 'char(27)'"));
    }
    try {
      // "@": LuaJ then writes the name as it is, in compile errors and positions
      return globals.load(new ByteArrayInputStream(bytes), "@" + name, "t", globals);
    } catch (LuaError e) {
      return LuaValue.varargsOf(
          LuaValue.NIL,
          LuaValue.valueOf(
              LuaCompileErrors.explain(
                  LuaErrorText.plainMessage(e.getMessage()), bytes, 0, "@" + name)));
    }
  }

  /** Lua 5.1's luaO_chunkid: how errors name a chunk loaded from {@code source}. */
  static String chunkId(String source) {
    if (source.startsWith("=")) {
      return source.substring(1, Math.min(source.length(), 60));
    }
    if (source.startsWith("@")) {
      String file = source.substring(1);
      int room = 60 - 8;
      return file.length() > room ? "..." + file.substring(file.length() - room) : file;
    }
    int line = 0;
    while (line < source.length() && source.charAt(line) != '\n' && source.charAt(line) != '\r') {
      line++;
    }
    int length = Math.min(line, CHUNK_ID_SOURCE);
    return length < source.length()
        ? "[string \"" + source.substring(0, length) + "...\"]"
        : "[string \"" + source + "\"]";
  }

  private static double maxn(LuaTable t) {
    double max = 0;
    for (Varargs n = t.next(LuaValue.NIL); !n.arg1().isnil(); n = t.next(n.arg1())) {
      if (n.arg1().type() == LuaValue.TNUMBER) {
        max = Math.max(max, n.arg1().todouble());
      }
    }
    return max;
  }

  private static Varargs foreach(Varargs a) {
    LuaTable t = a.checktable(1);
    LuaValue f = a.checkfunction(2);
    for (Varargs n = t.next(LuaValue.NIL); !n.arg1().isnil(); n = t.next(n.arg1())) {
      LuaValue r = f.call(n.arg1(), n.arg(2));
      if (!r.isnil()) {
        return r;
      }
    }
    return LuaValue.NONE;
  }

  private static Varargs foreachi(Varargs a) {
    LuaTable t = a.checktable(1);
    LuaValue f = a.checkfunction(2);
    int n = t.rawlen();
    for (int i = 1; i <= n; i++) {
      LuaValue r = f.call(LuaValue.valueOf(i), t.rawget(i));
      if (!r.isnil()) {
        return r;
      }
    }
    return LuaValue.NONE;
  }

  /** table.concat(t [, sep [, i [, j]]]), numbers as Lua 5.1 writes them. */
  private static Varargs concat(Varargs a) {
    LuaString sep = a.isnoneornil(2) ? LuaValue.EMPTYSTRING : a.checkstring(2);
    LuaTable t = a.checktable(1);
    int i = a.isnoneornil(3) ? 1 : a.checkint(3);
    int last = a.isnoneornil(4) ? t.rawlen() : a.checkint(4);
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    byte[] separator = LuaValues.bytes(sep);
    for (; i <= last; i++) {
      LuaValue v = t.rawget(i);
      byte[] item;
      if (v.type() == LuaValue.TNUMBER) {
        item = LuaFormat.number(v.todouble()).getBytes(StandardCharsets.US_ASCII);
      } else if (v.type() == LuaValue.TSTRING) {
        item = LuaValues.bytes(v.checkstring());
      } else {
        throw new LuaError("invalid value (at index " + i + ") in table for 'concat'");
      }
      out.write(item, 0, item.length);
      if (i != last) {
        out.write(separator, 0, separator.length);
      }
    }
    return LuaString.valueOf(out.toByteArray());
  }
}
