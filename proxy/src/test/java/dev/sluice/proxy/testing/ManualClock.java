package dev.sluice.proxy.testing;

import dev.sluice.proxy.keyspace.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A clock that moves only when a test says so. Its monotonic readings ({@link #nanoTime}) follow
 * its millis and, after {@link #stepEachReading}, also move by a step at each reading on a thread:
 * the executor reads it at the end of each command and at the start of one that does not follow
 * another in a chunk of its connection's pipeline, so every command then takes that step.
 */
public final class ManualClock implements Clock {
  private final AtomicLong millis;
  private final AtomicLong stepNanos = new AtomicLong();
  // per thread, so that the cron thread's readings do not lengthen a command on an I/O thread
  private final ThreadLocal<long[]> stepped = ThreadLocal.withInitial(() -> new long[1]);

  public ManualClock(long startMillis) {
    this.millis = new AtomicLong(startMillis);
  }

  public ManualClock() {
    this(1_700_000_000_000L);
  }

  @Override
  public long millis() {
    return millis.get();
  }

  @Override
  public long nanoTime() {
    long[] moved = stepped.get();
    moved[0] += stepNanos.get();
    return millis.get() * 1_000_000 + moved[0];
  }

  /** From now on two readings of {@link #nanoTime} on one thread are {@code step} apart. */
  public void stepEachReading(Duration step) {
    stepNanos.set(step.toNanos());
  }

  public void advance(Duration duration) {
    millis.addAndGet(duration.toMillis());
  }

  public void set(long epochMillis) {
    millis.set(epochMillis);
  }
}
