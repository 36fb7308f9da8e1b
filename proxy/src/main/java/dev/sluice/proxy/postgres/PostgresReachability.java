package dev.sluice.proxy.postgres;

import io.netty.util.concurrent.DefaultThreadFactory;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether PostgreSQL is known to be unreachable: the pool's connection attempts ({@link
 * ObservedDataSource}) decide it. A failed attempt (refused, timed out, authentication failed)
 * makes it unreachable at once; a broken pooled connection or one that fails HikariCP's validation
 * is evicted and replaced, and that replacement's attempt decides. While unreachable, a probe on
 * thread {@code sluice-postgres-probe} tries a connection after 50 ms, doubling to 2 s, and the
 * first attempt that succeeds (the probe's or the pool's) makes it reachable again.
 *
 * <p>Without this, a caller that wants a connection while the database is gone waits HikariCP's
 * whole {@code connectionTimeout}, however fast the database refused. Readers who can answer
 * without the database ask {@link #unreachableReason()} first and fail at once.
 *
 * <p>The outcome of the attempt that started last wins, so a slow attempt that started before the
 * database came back cannot mark it unreachable again. {@link Listener}s are called on the thread
 * that made the attempt, outside any lock.
 */
public final class PostgresReachability implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PostgresReachability.class);
  private static final long MIN_PROBE_MS = 50;
  private static final long MAX_PROBE_MS = 2_000;

  /** Told when PostgreSQL becomes unreachable and when it is back. */
  public interface Listener {
    void unreachable(String reason);

    default void reachable() {}
  }

  private final List<Listener> listeners = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService prober =
      Executors.newSingleThreadScheduledExecutor(
          new DefaultThreadFactory("sluice-postgres-probe", true));
  private final AtomicLong outages = new AtomicLong();
  private volatile String unreachableReason; // null while reachable
  private volatile Runnable probe = () -> {};
  private long decidedStart = Long.MIN_VALUE; // guarded by this: start of the deciding attempt
  private long probeDelayMs = MIN_PROBE_MS; // only on the probe thread, and under this to reset

  /** What the probe runs: a connection attempt that reports to this object. */
  void probeWith(Runnable attempt) {
    this.probe = attempt;
  }

  /** Why PostgreSQL is unreachable, or null while it is (as far as anyone knows) reachable. */
  public String unreachableReason() {
    return unreachableReason;
  }

  public boolean reachable() {
    return unreachableReason == null;
  }

  /** How many times PostgreSQL became unreachable since start. */
  public long outages() {
    return outages.get();
  }

  public void addListener(Listener listener) {
    listeners.add(listener);
  }

  public void removeListener(Listener listener) {
    listeners.remove(listener);
  }

  /** A connection attempt that started at {@code startNanos} ({@link System#nanoTime}) failed. */
  void attemptFailed(long startNanos, SQLException error) {
    String reason = SqlErrors.reason(error);
    boolean flipped;
    synchronized (this) {
      if (startNanos < decidedStart) {
        return;
      }
      decidedStart = startNanos;
      flipped = unreachableReason == null;
      unreachableReason = reason;
      if (flipped) {
        outages.incrementAndGet();
        probeDelayMs = MIN_PROBE_MS;
      }
    }
    if (flipped) {
      log.warn("PostgreSQL is unreachable: {}; misses fail at once until it answers again", reason);
      scheduleProbe(MIN_PROBE_MS);
      for (Listener listener : listeners) {
        listener.unreachable(reason);
      }
    }
  }

  /** A connection attempt that started at {@code startNanos} succeeded. */
  void attemptSucceeded(long startNanos) {
    synchronized (this) {
      if (startNanos < decidedStart || unreachableReason == null) {
        decidedStart = Math.max(decidedStart, startNanos);
        return;
      }
      decidedStart = startNanos;
      unreachableReason = null;
    }
    log.info("PostgreSQL is reachable again");
    for (Listener listener : listeners) {
      listener.reachable();
    }
  }

  private void scheduleProbe(long delayMs) {
    try {
      prober.schedule(this::runProbe, delayMs, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // closed: nobody is left to tell
    }
  }

  private void runProbe() {
    if (reachable()) {
      return;
    }
    try {
      probe.run();
    } catch (RuntimeException e) {
      log.debug("PostgreSQL probe failed", e);
    }
    if (!reachable()) {
      long delay;
      synchronized (this) {
        probeDelayMs = Math.min(MAX_PROBE_MS, probeDelayMs * 2);
        delay = probeDelayMs;
      }
      scheduleProbe(delay);
    }
  }

  @Override
  public void close() {
    prober.shutdownNow();
  }
}
