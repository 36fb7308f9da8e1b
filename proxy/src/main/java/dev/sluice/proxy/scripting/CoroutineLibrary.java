package dev.sluice.proxy.scripting;

import org.luaj.vm2.LuaClosure;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * Lua 5.1's {@code coroutine} table (create, resume, yield, status, wrap, running), with Lua 5.1's
 * argument errors and messages; {@link Coroutines} runs the coroutines.
 */
final class CoroutineLibrary {
  private CoroutineLibrary() {}

  static LuaTable create(Coroutines coroutines, Watchdog watchdog) {
    LuaTable t = new LuaTable();
    t.rawset(
        "create",
        LuaLibraries.positioned(
            LuaLibraries.fn(a -> new Coroutine(luaFunction(a.arg1(), "create"))), watchdog));
    t.rawset(
        "resume",
        LuaLibraries.positioned(
            LuaLibraries.fn(a -> coroutines.resume(coroutine(a.arg1(), "resume"), a.subargs(2))),
            watchdog));
    t.rawset("yield", LuaLibraries.fn(coroutines::yield));
    t.rawset(
        "status",
        LuaLibraries.positioned(
            LuaLibraries.fn(a -> LuaValue.valueOf(coroutine(a.arg1(), "status").status.text)),
            watchdog));
    t.rawset(
        "running",
        LuaLibraries.fn(
            a -> {
              Coroutine co = coroutines.running();
              return co == null ? LuaValue.NIL : co;
            }));
    t.rawset(
        "wrap",
        LuaLibraries.positioned(
            LuaLibraries.fn(
                a -> wrap(coroutines, new Coroutine(luaFunction(a.arg1(), "wrap")), watchdog)),
            watchdog));
    return t;
  }

  /**
   * coroutine.wrap's function: resumes, and raises what the coroutine raised, a message with the
   * caller's position before it (as luaB_auxwrap's luaL_where).
   */
  private static LuaValue wrap(Coroutines coroutines, Coroutine co, Watchdog watchdog) {
    return LuaLibraries.positioned(
        LuaLibraries.fn(
            a -> {
              Varargs r = coroutines.resume(co, a);
              if (r.arg1().toboolean()) {
                return r.subargs(2);
              }
              LuaValue error = r.arg(2);
              throw error.isstring() ? new LuaError(error.tojstring()) : new LuaError(error);
            }),
        watchdog);
  }

  private static LuaValue luaFunction(LuaValue f, String name) {
    if (!(f instanceof LuaClosure)) {
      throw new LuaError("bad argument #1 to '" + name + "' (Lua function expected)");
    }
    return f;
  }

  private static Coroutine coroutine(LuaValue v, String name) {
    if (!(v instanceof Coroutine co)) {
      throw new LuaError("bad argument #1 to '" + name + "' (coroutine expected)");
    }
    return co;
  }
}
