package dev.sluice.proxy.scripting;

import dev.sluice.proxy.scripting.Coroutine.Status;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

/**
 * Runs a script's coroutines. LuaJ's interpreter keeps a Lua call stack on the Java stack, so a
 * suspended coroutine needs a thread of its own (Java 17 has no continuations): its body runs on a
 * pooled thread, and control passes between threads strictly one at a time, like a call — the
 * resumer parks until the coroutine yields or ends, the coroutine parks until resumed. Scripts
 * therefore still run one instruction at a time, and:
 *
 * <ul>
 *   <li>the {@code redis} functions run on the thread that runs the script and holds the keyspace
 *       lock (the <em>owner</em>): called from a coroutine they are handed to it ({@link
 *       #onOwner}), since the lock, and the commands' state, belong to that thread;
 *   <li>the watchdog's checkpoints run on whichever thread runs Lua, so SCRIPT KILL and the
 *       allocation limit stop a loop inside a coroutine; the error that stops it ends every
 *       coroutine on the way out;
 *   <li>when the script ends, coroutines left suspended are abandoned: their bodies unwind and give
 *       their threads back to the pool, which ends them after a second idle. A script holds at most
 *       one thread per coroutine it left suspended ({@value #MAX_THREADS} at once).
 * </ul>
 */
final class Coroutines {
  /** Coroutines of a script that may be started and unfinished at once: one thread each. */
  static final int MAX_THREADS = 1_000;

  static final String YIELD_ACROSS = "attempt to yield across metamethod/C-call boundary";

  /** Unwinds an abandoned coroutine's body; an Error so that no pcall on the way catches it. */
  private static final class Abandoned extends Error {
    Abandoned() {
      super("abandoned", null, false, false);
    }
  }

  /** A redis function called by a coroutine, run by the owner. */
  private static final class Task {
    final LuaValue function;
    final Varargs args;
    final Thread caller = Thread.currentThread();
    Varargs result;
    Throwable failure;
    volatile boolean done;

    Task(LuaValue function, Varargs args) {
      this.function = function;
      this.args = args;
    }
  }

  private final CoroutineThreads threads = new CoroutineThreads(MAX_THREADS);

  private final Watchdog watchdog;
  private final AllocationMeter meter;
  // the running script's thread, and its coroutines: touched only by the thread in control
  private Thread owner;
  private Coroutine current;
  // started and not dead: the ones end() must abandon
  private final Set<Coroutine> unfinished = Collections.newSetFromMap(new IdentityHashMap<>());
  private volatile Task task;

  Coroutines(Watchdog watchdog, AllocationMeter meter) {
    this.watchdog = watchdog;
    this.meter = meter;
  }

  /** A script starts on the calling thread. */
  void begin() {
    owner = Thread.currentThread();
    current = null;
  }

  /** The script ended: its suspended coroutines are abandoned, their threads given back. */
  void end() {
    for (Coroutine co : List.copyOf(unfinished)) {
      abandon(co);
    }
    unfinished.clear();
    owner = null;
    current = null;
  }

  /** The running coroutine, or null when the script's own code runs. */
  Coroutine running() {
    return current;
  }

  /**
   * coroutine.resume: {@code true} and what the coroutine yielded or returned, or false and why.
   */
  Varargs resume(Coroutine co, Varargs args) {
    if (co.status != Status.SUSPENDED) {
      return LuaValue.varargsOf(
          LuaValue.FALSE, LuaValue.valueOf("cannot resume " + co.status.text + " coroutine"));
    }
    Coroutine resumer = current;
    if (resumer != null) {
      resumer.status = Status.NORMAL;
    }
    current = co;
    co.transfer = args;
    co.resumer = Thread.currentThread();
    Watchdog.Frames own = watchdog.swap(co.frames);
    meter.pause();
    try {
      co.status = Status.RUNNING;
      if (co.started) {
        LockSupport.unpark(co.thread);
      } else {
        start(co);
      }
      await(co);
    } finally {
      if (co.status == Status.DEAD) {
        unfinished.remove(co);
      }
      meter.resume();
      watchdog.swap(own);
      current = resumer;
      if (resumer != null) {
        resumer.status = Status.RUNNING;
      }
    }
    Throwable failure = co.failure;
    if (failure instanceof LuaError e) {
      return LuaValue.varargsOf(LuaValue.FALSE, errorValue(e));
    }
    if (failure != null) {
      throw (Error) failure;
    }
    return LuaValue.varargsOf(LuaValue.TRUE, co.transfer);
  }

  /** coroutine.yield, on the coroutine's thread: parks it until resumed. */
  Varargs yield(Varargs values) {
    Coroutine co = current;
    if (co == null || co.boundaries > 0 || co.thread != Thread.currentThread()) {
      throw new ReadOnlyTable.Unpositioned(YIELD_ACROSS);
    }
    co.transfer = values;
    meter.pause();
    Thread resumer = co.resumer;
    co.status = Status.SUSPENDED;
    LockSupport.unpark(resumer);
    while (co.status != Status.RUNNING) {
      if (co.abandoned) {
        throw new Abandoned();
      }
      LockSupport.park(this);
    }
    meter.resume();
    return co.transfer;
  }

  /** A pcall starts (true) or ends: a coroutine cannot yield from inside it, as in Lua 5.1. */
  void boundary(boolean enter) {
    Coroutine co = current;
    if (co != null) {
      co.boundaries += enter ? 1 : -1;
    }
  }

  /** {@code f}, run on the owner's thread whichever thread calls it. */
  LuaValue onOwner(LuaValue f) {
    return new VarArgFunction() {
      @Override
      public Varargs invoke(Varargs args) {
        Thread o = owner;
        if (o == null || o == Thread.currentThread()) {
          return f.invoke(args);
        }
        return handToOwner(o, new Task(f, args));
      }
    };
  }

  private Varargs handToOwner(Thread o, Task t) {
    meter.pause();
    task = t;
    LockSupport.unpark(o);
    while (!t.done) {
      LockSupport.park(this);
    }
    meter.resume();
    if (t.failure instanceof RuntimeException e) {
      throw e;
    }
    if (t.failure != null) {
      throw (Error) t.failure;
    }
    return t.result;
  }

  private void start(Coroutine co) {
    co.started = true;
    unfinished.add(co);
    if (!threads.start(() -> body(co))) {
      co.status = Status.DEAD;
      throw new LuaError("too many unfinished coroutines (at most " + MAX_THREADS + " at once)");
    }
  }

  private void body(Coroutine co) {
    co.thread = Thread.currentThread();
    meter.resume();
    try {
      co.transfer = co.body.invoke(co.transfer);
    } catch (Abandoned e) {
      // the script has ended
    } catch (Throwable e) {
      // a LuaError for resume to return, else what ends the script (SCRIPT KILL, allocation
      // limit, stack overflow): the resumer throws it on
      co.failure = e;
    } finally {
      if (!co.abandoned) {
        meter.pause();
      }
      threads.release();
      Thread resumer = co.resumer;
      co.status = Status.DEAD;
      LockSupport.unpark(resumer);
    }
  }

  /**
   * Waits for {@code co} to yield or end; the owner meanwhile runs the redis calls handed to it.
   */
  private void await(Coroutine co) {
    boolean isOwner = Thread.currentThread() == owner;
    while (co.status == Status.RUNNING || co.status == Status.NORMAL) {
      Task t = task;
      if (isOwner && t != null) {
        task = null;
        run(t);
      } else {
        LockSupport.park(this);
      }
    }
  }

  private void run(Task t) {
    meter.resume();
    try {
      t.result = t.function.invoke(t.args);
    } catch (Throwable e) {
      t.failure = e;
    } finally {
      meter.pause();
      t.done = true;
      LockSupport.unpark(t.caller);
    }
  }

  private void abandon(Coroutine co) {
    Watchdog.Frames own = watchdog.swap(co.frames);
    co.resumer = Thread.currentThread();
    co.abandoned = true;
    LockSupport.unpark(co.thread);
    while (co.status != Status.DEAD) {
      LockSupport.park(this);
    }
    watchdog.swap(own);
  }

  /** The error value resume returns: a string without LuaJ's position format, else as raised. */
  private LuaValue errorValue(LuaError e) {
    LuaValue error = e.getMessageObject();
    if (error == null) {
      return LuaValue.NIL;
    }
    return error.type() == LuaValue.TSTRING
        ? LuaValue.valueOf(
            LuaErrorNames.tailCall(LuaErrorText.plainMessage(error.tojstring()), watchdog))
        : error;
  }
}
