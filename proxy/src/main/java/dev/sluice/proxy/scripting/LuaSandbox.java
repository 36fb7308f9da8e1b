package dev.sluice.proxy.scripting;

import org.luaj.vm2.LoadState;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.compiler.LuaC;
import org.luaj.vm2.lib.BaseLib;
import org.luaj.vm2.lib.PackageLib;
import org.luaj.vm2.lib.StringLib;
import org.luaj.vm2.lib.TableLib;
import org.luaj.vm2.lib.TwoArgFunction;
import org.luaj.vm2.lib.VarArgFunction;
import org.luaj.vm2.lib.jse.JseMathLib;

/**
 * Builds the Lua state scripts run in, sandboxed as Redis 7 does it: only the libraries Redis
 * offers, no access to files, processes, the debug library or bytecode; reading an unknown global
 * fails; and the globals, every library table and the string metatable are read-only ({@link
 * ReadOnlyTable}). Scripts therefore share nothing they can change: a script's locals go with its
 * run, it cannot create or replace a global, and the next script (another user's, perhaps) finds
 * the state as it was built. SCRIPT FLUSH builds a new one.
 */
final class LuaSandbox {
  /** Globals LuaJ installs that Redis does not offer to scripts. */
  private static final String[] REMOVED = {
    "dofile",
    "loadfile",
    "print",
    "require",
    "package",
    "module",
    "rawlen",
    "debug",
    "os",
    "io",
    "luajava"
  };

  private LuaSandbox() {}

  /** A new sealed state whose {@code redis} table calls into {@code engine}. */
  static ReadOnlyTable create(ScriptEngine engine, Watchdog watchdog) {
    ReadOnlyTable globals = new ReadOnlyTable();
    globals.load(new BaseLib());
    globals.load(new PackageLib());
    globals.load(new TableLib());
    globals.load(new StringLib());
    globals.load(new JseMathLib());
    LoadState.install(globals);
    LuaC.install(globals);
    // the watchdog is LuaJ's instruction hook; scripts never see it as `debug`
    globals.debuglib = watchdog;
    LuaErrorNames.install(globals, watchdog);
    for (String name : REMOVED) {
      globals.rawset(name, LuaValue.NIL);
    }
    globals.rawset("unpack", ((LuaTable) globals.rawget("table")).rawget("unpack"));
    globals.rawset("_VERSION", LuaValue.valueOf("Lua 5.1"));
    Coroutines coroutines = engine.coroutines();
    globals.rawset("coroutine", CoroutineLibrary.create(coroutines, watchdog));
    installPcall(globals, engine);
    installXpcall(globals, engine);
    globals.rawset("redis", RedisLib.create(engine));
    LuaLibraries.install(globals, watchdog);
    Lua51Library.install(globals, watchdog);
    Lua51Base.install(globals, watchdog);

    ReadOnlyTable.sealValues(globals);
    ReadOnlyTable.sealStringMetatable(globals.rawget("string"));
    globals.setmetatable(ReadOnlyTable.sealedCopy(unknownGlobalsFail()));
    globals.seal();
    return globals;
  }

  /** Reading a global that does not exist is an error, as in Redis 7. */
  static LuaTable unknownGlobalsFail() {
    LuaTable meta = new LuaTable();
    meta.rawset(
        LuaValue.INDEX,
        new TwoArgFunction() {
          @Override
          public LuaValue call(LuaValue table, LuaValue name) {
            throw new LuaError(
                "Script attempted to access nonexistent global variable '"
                    + name.tojstring()
                    + "'");
          }
        });
    return meta;
  }

  /**
   * Lua 5.1's xpcall(f, handler): f runs without arguments and the handler gets the error value
   * itself, an {err=…} table included (LuaJ's lets such an error escape).
   */
  private static void installXpcall(ReadOnlyTable globals, ScriptEngine engine) {
    Coroutines coroutines = engine.coroutines();
    globals.rawset(
        "xpcall",
        new VarArgFunction() {
          @Override
          public Varargs invoke(Varargs args) {
            LuaValue handler = args.arg(2);
            coroutines.boundary(true);
            try {
              return LuaValue.varargsOf(LuaValue.TRUE, args.arg1().invoke(LuaValue.NONE));
            } catch (LuaError e) {
              LuaValue error = e.getMessageObject();
              if (error == null || error.isstring()) {
                error = LuaValue.valueOf(engine.errorText(e.getMessage()));
              }
              return LuaValue.varargsOf(LuaValue.FALSE, handler.call(error));
            } finally {
              coroutines.boundary(false);
            }
          }
        });
  }

  /**
   * Redis 7's pcall: an error raised as an {err=…} table (by redis.call) comes back as its text, as
   * it did before Redis 7. String errors lose LuaJ's position format.
   */
  private static void installPcall(ReadOnlyTable globals, ScriptEngine engine) {
    Coroutines coroutines = engine.coroutines();
    LuaValue pcall = globals.rawget("pcall");
    globals.rawset(
        "pcall",
        new VarArgFunction() {
          @Override
          public Varargs invoke(Varargs args) {
            Varargs result;
            coroutines.boundary(true);
            try {
              result = pcall.invoke(args);
            } finally {
              coroutines.boundary(false);
            }
            if (result.arg1().toboolean()) {
              return result;
            }
            LuaValue error = result.arg(2);
            if (error.istable() && error.rawget(ScriptEngine.Lua.ERR).isstring()) {
              return LuaValue.varargsOf(LuaValue.FALSE, error.rawget(ScriptEngine.Lua.ERR));
            }
            if (error.isstring()) {
              return LuaValue.varargsOf(
                  LuaValue.FALSE, LuaValue.valueOf(engine.errorText(error.tojstring())));
            }
            return result;
          }
        });
  }
}
