package dev.sluice.writeback.batch;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The flusher's protection around its database writes: the one place where retry, backoff and the
 * circuit breaker are composed.
 *
 * <h2>Order</h2>
 *
 * <b>retry with backoff (outside) → circuit breaker → the database call (inside)</b>. Each attempt
 * asks the breaker first; a closed or half-open breaker lets it reach PostgreSQL and records its
 * outcome, an open one refuses it without touching the database. Either way a failed attempt is
 * followed by a pause — jittered exponential backoff, 100 ms doubling up to {@code maxBackoff} —
 * and another attempt, for ever: rows are never dropped, whatever the breaker says. The breaker
 * sits inside the retry so that it sees every real attempt, and so that while it is open the
 * retries cost the database nothing.
 *
 * <h2>Breaker</h2>
 *
 * One for the flusher (every mapping writes to the same database): once 3 attempts in a row failed
 * it opens for {@code maxBackoff}, then lets one attempt probe the database (half-open); its
 * success closes it, its failure opens it again. (Not "half of the last few": a success after two
 * failures would then open it and hold the next batch back for {@code maxBackoff}.) Only the {@link
 * SQLException}s that reach here count: the sink handles row-level refusals itself (dead letters),
 * so what arrives is connection-level (class 08, timeouts, shutdown) and is retried, never
 * dead-lettered.
 */
final class FlushGuard {
  static final long FIRST_BACKOFF_MILLIS = 100;

  private static final Logger log = LoggerFactory.getLogger(FlushGuard.class);

  /** One attempt at a database write; {@code retry} is false for the first attempt. */
  @FunctionalInterface
  interface Attempt<T> {
    T run(boolean retry) throws SQLException;
  }

  /** Waits {@code millis} unless stopping; false when stopping. */
  @FunctionalInterface
  interface Pause {
    boolean pause(long millis) throws InterruptedException;
  }

  private final CircuitBreaker breaker;
  private final long maxBackoffMillis;
  private final Pause pause;
  private final AtomicLong retries = new AtomicLong();
  private volatile String lastError;

  FlushGuard(Duration maxBackoff, Pause pause) {
    this.maxBackoffMillis = Math.max(FIRST_BACKOFF_MILLIS, maxBackoff.toMillis());
    this.pause = pause;
    this.breaker =
        CircuitBreaker.of(
            "sluice-flusher",
            CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(3)
                .minimumNumberOfCalls(3)
                .failureRateThreshold(100)
                .waitDurationInOpenState(Duration.ofMillis(maxBackoffMillis))
                .permittedNumberOfCallsInHalfOpenState(1)
                .recordExceptions(SQLException.class)
                .build());
  }

  /**
   * Runs {@code attempt} until it succeeds, as described above; null when the flusher stops first.
   *
   * @param what the work, for the log ("flushing 10000 rows of 'events'")
   */
  <T> T call(String what, Attempt<T> attempt) throws InterruptedException {
    long backoff = FIRST_BACKOFF_MILLIS;
    boolean retry = false;
    while (true) {
      long millis = ThreadLocalRandom.current().nextLong(backoff / 2, backoff + 1);
      boolean permitted = breaker.tryAcquirePermission();
      if (permitted) {
        long start = breaker.getCurrentTimestamp();
        try {
          T result = attempt.run(retry);
          breaker.onResult(
              breaker.getCurrentTimestamp() - start, breaker.getTimestampUnit(), result);
          if (lastError != null) {
            log.info("write-back: PostgreSQL accepts writes again (breaker {})", state());
          }
          lastError = null;
          return result;
        } catch (SQLException e) {
          breaker.onError(breaker.getCurrentTimestamp() - start, breaker.getTimestampUnit(), e);
          retries.incrementAndGet();
          lastError = e.getMessage();
          log.warn(
              "write-back: {} failed ({}: {}); retrying in {} ms, circuit breaker {}",
              what,
              e.getSQLState(),
              e.getMessage(),
              millis,
              state());
        } catch (RuntimeException | Error e) {
          breaker.releasePermission();
          throw e;
        }
      } else {
        log.debug("write-back: {} waits: the flusher's circuit breaker is open", what);
      }
      if (!pause.pause(millis)) {
        return null;
      }
      backoff = Math.min(backoff * 2, maxBackoffMillis);
      retry = true;
    }
  }

  /** The breaker's state: closed, open or half_open (lower case, as in SLUICE STATUS). */
  String state() {
    return breaker.getState().name().toLowerCase(Locale.ROOT);
  }

  /** Attempts that failed (each followed by a retry). */
  long retries() {
    return retries.get();
  }

  /** The last attempt's error while retrying; null once an attempt succeeded. */
  String lastError() {
    return lastError;
  }
}
