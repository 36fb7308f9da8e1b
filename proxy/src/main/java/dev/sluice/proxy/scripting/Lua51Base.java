package dev.sluice.proxy.scripting;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.luaj.vm2.LuaClosure;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.compiler.DumpState;

/**
 * Lua 5.1 base functions Redis keeps that LuaJ has not, or has as Lua 5.2's: {@code load(func [,
 * chunkname])}, {@code collectgarbage} and {@code gcinfo} (with Lua 5.1's options and result types;
 * the JVM's collector is never triggered from a script), and {@code string.dump}.
 */
final class Lua51Base {
  private static final String[] GC_OPTIONS = {
    "stop", "restart", "collect", "count", "step", "setpause", "setstepmul"
  };

  private Lua51Base() {}

  static void install(ReadOnlyTable globals, Watchdog watchdog) {
    globals.rawset(
        "load", LuaLibraries.positioned(LuaLibraries.fn(a -> load(globals, a)), watchdog));
    globals.rawset(
        "collectgarbage", LuaLibraries.positioned(LuaLibraries.fn(new Collector()), watchdog));
    globals.rawset("gcinfo", LuaLibraries.fn(a -> LuaValue.valueOf(heapKilobytes())));
    ((LuaTable) globals.rawget("string"))
        .rawset("dump", LuaLibraries.positioned(LuaLibraries.fn(Lua51Base::dump), watchdog));
  }

  /**
   * load(func [, chunkname]): the chunk {@code func} returns piece by piece (until nil), compiled
   * as loadstring compiles; nil and the error if it does not compile or {@code func} fails.
   */
  private static Varargs load(ReadOnlyTable globals, Varargs a) {
    LuaValue reader = a.arg1();
    if (!reader.isfunction()) {
      throw LuaLibraries.badArgument(1, "load", "function", a);
    }
    String name = Lua51Library.chunkId(a.isnoneornil(2) ? "=(load)" : a.checkjstring(2));
    ByteArrayOutputStream chunk = new ByteArrayOutputStream();
    try {
      for (LuaValue piece = reader.call(); !piece.isnil(); piece = reader.call()) {
        if (!piece.isstring()) {
          throw new LuaError("reader function must return a string");
        }
        chunk.writeBytes(LuaValues.bytes(piece.checkstring()));
      }
    } catch (LuaError e) {
      return LuaValue.varargsOf(
          LuaValue.NIL, LuaValue.valueOf(LuaErrorText.plainMessage(e.getMessage())));
    }
    return Lua51Library.compile(globals, chunk.toByteArray(), name);
  }

  /**
   * collectgarbage([opt [, arg]]) as Lua 5.1 answers it; the pause and step multiplier are kept.
   */
  private static final class Collector implements LuaLibraries.Fn {
    private int pause = 200;
    private int stepmul = 200;

    @Override
    public Varargs apply(Varargs a) {
      String option = a.isnoneornil(1) ? "collect" : option(a.arg1(), a);
      LuaValue extra = a.arg(2);
      if (!a.isnoneornil(2) && extra.tonumber().isnil()) {
        throw LuaLibraries.badArgument(2, "collectgarbage", "number", a);
      }
      int ex = a.isnoneornil(2) ? 0 : (int) extra.todouble();
      int previous;
      switch (option) {
        case "count":
          return LuaValue.valueOf(heapKilobytes());
        case "step":
          return LuaValue.FALSE;
        case "setpause":
          previous = pause;
          pause = ex;
          return LuaValue.valueOf(previous);
        case "setstepmul":
          previous = stepmul;
          stepmul = ex;
          return LuaValue.valueOf(previous);
        default:
          return LuaValue.valueOf(0);
      }
    }

    private static String option(LuaValue v, Varargs a) {
      if (!v.isstring()) {
        throw LuaLibraries.badArgument(1, "collectgarbage", "string", a);
      }
      String o = v.tojstring();
      for (String known : GC_OPTIONS) {
        if (known.equals(o)) {
          return o;
        }
      }
      throw new LuaError("bad argument #1 to 'collectgarbage' (invalid option '" + o + "')");
    }
  }

  /** What Lua's heap would be: the JVM's, in kilobytes. */
  private static double heapKilobytes() {
    Runtime r = Runtime.getRuntime();
    return (r.totalMemory() - r.freeMemory()) / 1024.0;
  }

  /** string.dump(f): LuaJ's bytecode of a Lua function (no Lua here will load it back). */
  private static Varargs dump(Varargs a) {
    LuaValue f = a.arg1();
    if (!f.isfunction()) {
      throw LuaLibraries.badArgument(1, "dump", "function", a);
    }
    if (!(f instanceof LuaClosure closure)) {
      throw new LuaError("unable to dump given function");
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      DumpState.dump(closure.p, out, false);
    } catch (IOException e) {
      throw new LuaError("unable to dump given function");
    }
    return LuaString.valueOf(out.toByteArray());
  }
}
