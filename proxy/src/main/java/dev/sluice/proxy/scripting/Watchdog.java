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
  // the functions being run by the running coroutine (or the script), innermost last, and the last
  // instruction executed: where an error raised by a library function happened (LuaJ loses it on
  // tail calls such as `return redis.call(...)`)
  private Frames frames = new Frames();
  private Prototype lastPrototype;
  // the registers of the last Lua function that returned, if it ran the last instruction: a tail
  // call's, whose callee LuaJ calls after the caller's frame is gone
  private LuaValue[] returnedStack;
  private int lastPc;

  Watchdog(ScriptEngine engine) {
    this.engine = engine;
  }

  /**
   * The call stack of one Lua thread: each coroutine has its own, swapped in while it runs, so that
   * a coroutine that yields leaves the resumer's stack as it was.
   */
  static final class Frames {
    private LuaFunction[] functions = new LuaFunction[16];
    private LuaValue[][] stacks = new LuaValue[16][];
    private int depth;
  }

  /** Where an error happens: the instruction being executed and its frame's registers. */
  record Site(Prototype prototype, int pc, LuaValue[] stack) {
    LuaValue register(int r) {
      return r >= 0 && r < stack.length && stack[r] != null ? stack[r] : LuaValue.NIL;
    }

    /** Lua's RK(x): a constant or a register. */
    LuaValue rk(int x) {
      return org.luaj.vm2.Lua.ISK(x) ? prototype.k[org.luaj.vm2.Lua.INDEXK(x)] : register(x);
    }
  }

  /** The last instruction executed if it was a tail call whose function has returned, or null. */
  Site tailCallSite() {
    Prototype p = lastPrototype;
    if (p == null
        || returnedStack == null
        || lastPc < 0
        || lastPc >= p.code.length
        || org.luaj.vm2.Lua.GET_OPCODE(p.code[lastPc]) != org.luaj.vm2.Lua.OP_TAILCALL) {
      return null;
    }
    return new Site(p, lastPc, returnedStack);
  }

  /** The instruction the running Lua function executes, with its registers; null if unknown. */
  Site site() {
    Frames s = frames;
    if (s.depth == 0
        || !(s.functions[s.depth - 1] instanceof LuaClosure closure)
        || closure.p != lastPrototype
        || s.stacks[s.depth - 1] == null
        || lastPc < 0
        || lastPc >= closure.p.code.length) {
      return null;
    }
    return new Site(closure.p, lastPc, s.stacks[s.depth - 1]);
  }

  void reset() {
    frames = new Frames();
    lastPrototype = null;
    returnedStack = null;
  }

  /** Makes {@code next} the stack the interpreter's calls go to; returns the one it replaces. */
  Frames swap(Frames next) {
    Frames previous = frames;
    frames = next;
    return previous;
  }

  /** The line of the last instruction executed, or 0. */
  int currentLine() {
    Prototype p = lastPrototype;
    return p != null && p.lineinfo != null && lastPc >= 0 && lastPc < p.lineinfo.length
        ? p.lineinfo[lastPc]
        : 0;
  }

  private void push(LuaFunction f, LuaValue[] stack) {
    Frames s = frames;
    if (s.depth == s.functions.length) {
      s.functions = java.util.Arrays.copyOf(s.functions, s.depth * 2);
      s.stacks = java.util.Arrays.copyOf(s.stacks, s.depth * 2);
    }
    s.stacks[s.depth] = stack;
    s.functions[s.depth++] = f;
  }

  @Override
  public void onCall(LuaFunction f) {
    push(f, null);
  }

  @Override
  public void onCall(LuaClosure c, Varargs varargs, LuaValue[] stack) {
    push(c, stack);
  }

  @Override
  public void onReturn() {
    Frames s = frames;
    if (s.depth > 0) {
      if (s.functions[s.depth - 1] instanceof LuaClosure c) {
        returnedStack = c.p == lastPrototype ? s.stacks[s.depth - 1] : null;
      }
      s.functions[--s.depth] = null;
      s.stacks[s.depth] = null;
    }
  }

  @Override
  public void onInstruction(int pc, Varargs v, int top) {
    Frames s = frames;
    if (s.depth > 0 && s.functions[s.depth - 1] instanceof LuaClosure closure) {
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
