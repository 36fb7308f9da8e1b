package dev.sluice.proxy.scripting;

import org.luaj.vm2.LuaClosure;
import org.luaj.vm2.LuaFunction;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Prototype;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.DebugLib;

/**
 * Installed as the globals' {@code debuglib} so LuaJ's interpreter calls it on every instruction,
 * but never exposed to scripts (there is no {@code debug} table). Every {@value #CHECK_EVERY}
 * instructions it asks the engine whether the script must stop (SCRIPT KILL); it keeps none of
 * DebugLib's call-stack bookkeeping, and adds no traceback to error messages.
 */
final class Watchdog extends DebugLib {
  static final int CHECK_EVERY = 4096;

  private final ScriptEngine engine;
  private int count;
  // the functions being run, innermost last, and the last instruction executed: where an error
  // raised by a library function happened (LuaJ loses it on tail calls such as `return
  // redis.call(...)`)
  private LuaFunction[] frames = new LuaFunction[64];
  private int depth;
  private Prototype lastPrototype;
  private int lastPc;

  Watchdog(ScriptEngine engine) {
    this.engine = engine;
  }

  void reset() {
    depth = 0;
    lastPrototype = null;
    java.util.Arrays.fill(frames, null);
  }

  /** The line of the last instruction executed, or 0. */
  int currentLine() {
    Prototype p = lastPrototype;
    return p != null && p.lineinfo != null && lastPc >= 0 && lastPc < p.lineinfo.length
        ? p.lineinfo[lastPc]
        : 0;
  }

  private void push(LuaFunction f) {
    if (depth == frames.length) {
      frames = java.util.Arrays.copyOf(frames, depth * 2);
    }
    frames[depth++] = f;
  }

  @Override
  public void onCall(LuaFunction f) {
    push(f);
  }

  @Override
  public void onCall(LuaClosure c, Varargs varargs, LuaValue[] stack) {
    push(c);
  }

  @Override
  public void onReturn() {
    if (depth > 0) {
      frames[--depth] = null;
    }
  }

  @Override
  public void onInstruction(int pc, Varargs v, int top) {
    if (depth > 0 && frames[depth - 1] instanceof LuaClosure closure) {
      lastPrototype = closure.p;
      lastPc = pc;
    }
    if (++count >= CHECK_EVERY) {
      count = 0;
      engine.checkpoint();
    }
  }

  @Override
  public String traceback(int level) {
    return "";
  }
}
