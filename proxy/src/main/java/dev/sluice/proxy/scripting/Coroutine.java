package dev.sluice.proxy.scripting;

import java.util.Locale;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * A Lua 5.1 coroutine as scripts see it (type {@code thread}); {@link Coroutines} runs it. Its
 * fields are handed between the resumer's thread and the coroutine's own: each writes them before
 * the volatile {@link #status} that gives control away, and reads them after seeing it back.
 */
final class Coroutine extends LuaValue {
  enum Status {
    SUSPENDED,
    RUNNING,
    NORMAL,
    DEAD;

    /** As coroutine.status names it. */
    final String text = name().toLowerCase(Locale.ROOT);
  }

  final LuaValue body;
  final Watchdog.Frames frames = new Watchdog.Frames();
  volatile Status status = Status.SUSPENDED;
  // set by the script's end: the suspended body must unwind and give its thread back
  volatile boolean abandoned;
  boolean started;
  // the thread the body runs on (once started) and the one waiting for it to yield or end
  Thread thread;
  Thread resumer;
  // resume's arguments on the way in, yield's or the body's values on the way out
  Varargs transfer = LuaValue.NONE;
  // how the body ended, if not by returning: a LuaError, or an Error that ends the whole script
  Throwable failure;
  // pcalls the body is inside: Lua 5.1 cannot yield across them
  int boundaries;

  Coroutine(LuaValue body) {
    this.body = body;
  }

  @Override
  public int type() {
    return TTHREAD;
  }

  @Override
  public String typename() {
    return "thread";
  }

  @Override
  public boolean isthread() {
    return true;
  }

  @Override
  public String tojstring() {
    return "thread: 0x" + String.format("%08x", System.identityHashCode(this));
  }
}
