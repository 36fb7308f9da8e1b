package dev.sluice.proxy.engine;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A counter bumped only under the keyspace lock, by one thread at a time, and read from any: as
 * Redis's counters are plain integers of its one thread. A {@link
 * java.util.concurrent.atomic.LongAdder} pays a compare-and-set per increment (1.4% of the I/O
 * thread's samples at {@code -P 1}, async-profiler), for a contention the lock already rules out.
 * Reads and writes are opaque: never torn, and seen by other threads without a fence on the
 * writer's path.
 */
public final class LockedCounter {
  private static final VarHandle VALUE;

  static {
    try {
      VALUE = MethodHandles.lookup().findVarHandle(LockedCounter.class, "value", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  @SuppressWarnings("unused") // through VALUE
  private long value;

  public void increment() {
    add(1);
  }

  public void add(long n) {
    VALUE.setOpaque(this, (long) VALUE.getOpaque(this) + n);
  }

  public long sum() {
    return (long) VALUE.getOpaque(this);
  }

  public void reset() {
    VALUE.setOpaque(this, 0L);
  }
}
