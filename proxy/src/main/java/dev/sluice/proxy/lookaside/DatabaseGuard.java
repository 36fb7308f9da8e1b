package dev.sluice.proxy.lookaside;

import dev.sluice.proxy.postgres.PostgresReachability;
import dev.sluice.proxy.postgres.SqlErrors;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.bulkhead.ThreadPoolBulkhead;
import io.github.resilience4j.bulkhead.ThreadPoolBulkheadConfig;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.timelimiter.TimeLimiter;
import io.github.resilience4j.timelimiter.TimeLimiterConfig;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Protects PostgreSQL from look-aside loads, and clients from a database that is down: the one
 * place where Resilience4j is composed.
 *
 * <h2>Order</h2>
 *
 * A query is decorated in this order: <b>bulkhead → time limiter → circuit breaker</b>. So a call
 * meets them from the outside in: first the circuit breaker of its mapping (open: the call fails at
 * once, before it takes a thread or waits for anything), then the time limiter (the caller gets an
 * answer after at most {@code postgres.query-timeout} + 250 ms, whatever the database does), then
 * the bulkhead (a thread pool of {@code postgres.pool-size} threads — one per pooled connection —
 * and a queue of {@code postgres.max-queued-loads}; a full queue fails at once, so a burst of
 * misses costs neither unbounded memory nor unbounded waiting). The breaker sits outermost so that
 * timeouts and a full bulkhead count as failures, and so that an open breaker costs no thread.
 *
 * <h2>Known unreachable</h2>
 *
 * Before all of them, {@link PostgresReachability}: while PostgreSQL is known to be unreachable
 * (the pool's last connection attempt failed) a call fails at once with the reason of that attempt,
 * taking no thread and counting in no breaker (the database is gone for every mapping alike, and a
 * breaker left open would delay the first load once it is back). Calls running when it becomes
 * unreachable fail at once too: each would otherwise wait for a connection until the time limiter
 * answered.
 *
 * <h2>Breakers</h2>
 *
 * One per mapping (its state shows in SLUICE STATUS), over the last 10 calls: once at least 3 calls
 * were made and half of them failed it opens for 1 s, then lets one call probe the database. Only
 * database failures count: a key that does not fit its column ({@link KeyMismatchException}) is the
 * client's mistake and is ignored.
 *
 * <h2>Errors</h2>
 *
 * Failures become {@link LoadFailure}s with the reply text, e.g. {@code ERR PostgreSQL is
 * unavailable for mapping 'users': connection refused}.
 */
final class DatabaseGuard implements AutoCloseable {
  static final Duration OPEN_STATE_WAIT = Duration.ofSeconds(1);

  private final ThreadPoolBulkhead bulkhead;
  private final TimeLimiter timeLimiter;
  private final Duration timeout;
  private final CircuitBreakerConfig breakerConfig;
  private final Map<String, CircuitBreaker> breakers = new ConcurrentHashMap<>();
  private final Map<String, String> lastFailure = new ConcurrentHashMap<>();
  private final ScheduledExecutorService timer;
  private final int poolSize;
  private final int queueCapacity;
  private final PostgresReachability reachability;
  private final PostgresReachability.Listener failRunning = this::failRunning;
  // the calls not answered yet: failed at once when PostgreSQL goes away
  private final java.util.Set<Running> running = ConcurrentHashMap.newKeySet();

  /**
   * @param poolSize loads running at once ({@code postgres.pool-size})
   * @param queueCapacity loads waiting for them ({@code postgres.max-queued-loads})
   * @param reachability whether PostgreSQL is known to be unreachable
   */
  DatabaseGuard(
      int poolSize, int queueCapacity, Duration queryTimeout, PostgresReachability reachability) {
    this.poolSize = poolSize;
    this.reachability = reachability;
    this.queueCapacity = queueCapacity;
    this.bulkhead =
        ThreadPoolBulkhead.of(
            "sluice-load",
            ThreadPoolBulkheadConfig.custom()
                .coreThreadPoolSize(poolSize)
                .maxThreadPoolSize(poolSize)
                .queueCapacity(queueCapacity)
                .build());
    this.timeout = queryTimeout.plusMillis(250);
    this.timeLimiter =
        TimeLimiter.of(
            TimeLimiterConfig.custom().timeoutDuration(timeout).cancelRunningFuture(true).build());
    this.breakerConfig =
        CircuitBreakerConfig.custom()
            .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
            .slidingWindowSize(10)
            .minimumNumberOfCalls(3)
            .failureRateThreshold(50)
            .waitDurationInOpenState(OPEN_STATE_WAIT)
            .permittedNumberOfCallsInHalfOpenState(1)
            .ignoreExceptions(KeyMismatchException.class, CancellationException.class)
            .build();
    this.timer =
        Executors.newSingleThreadScheduledExecutor(new DefaultThreadFactory("sluice-load-timer"));
    reachability.addListener(failRunning);
  }

  /**
   * Runs {@code query} for {@code mapping} on the bulkhead's threads, protected as described above.
   * The future fails with a {@link LoadFailure} (reply text) or a {@link KeyMismatchException}.
   */
  <T> CompletableFuture<T> call(String mapping, Supplier<T> query) {
    CircuitBreaker breaker = breaker(mapping);
    CompletableFuture<T> result = new CompletableFuture<>();
    Running call = new Running(mapping, result);
    // registered before the check, so a concurrent outage either is seen here or fails it
    running.add(call);
    result.whenComplete((value, error) -> running.remove(call));
    String unreachable = reachability.unreachableReason();
    if (unreachable != null) {
      result.completeExceptionally(unreachable(mapping, unreachable));
      return result;
    }
    Supplier<java.util.concurrent.CompletionStage<T>> guarded =
        () ->
            timeLimiter.executeCompletionStage(
                timer,
                () -> {
                  try {
                    return bulkhead.executeSupplier(call.track(query));
                  } catch (BulkheadFullException e) {
                    return CompletableFuture.failedFuture(e);
                  }
                });
    breaker
        .executeCompletionStage(guarded)
        .whenComplete(
            (value, error) -> {
              if (error == null) {
                result.complete(value);
              } else {
                result.completeExceptionally(translate(mapping, unwrap(error)));
              }
            });
    return result;
  }

  /** The breaker of a mapping: CLOSED, OPEN, HALF_OPEN… */
  String state(String mapping) {
    return breaker(mapping).getState().name().toLowerCase(java.util.Locale.ROOT);
  }

  /** Whether PostgreSQL is known to be unreachable. */
  boolean unreachable() {
    return !reachability.reachable();
  }

  private void failRunning(String reason) {
    running.forEach(call -> call.fail(unreachable(call.mapping, reason)));
  }

  private LoadFailure unreachable(String mapping, String reason) {
    lastFailure.put(mapping, reason);
    return new LoadFailure(unavailable(mapping) + reason);
  }

  private static String unavailable(String mapping) {
    return "ERR PostgreSQL is unavailable for mapping '" + mapping + "': ";
  }

  /**
   * Fails with a {@link LoadFailure} if PostgreSQL is known to be unreachable or the mapping's
   * breaker does not let calls through now.
   */
  void checkPermitted(String mapping) {
    String unreachable = reachability.unreachableReason();
    if (unreachable != null) {
      throw unreachable(mapping, unreachable);
    }
    CircuitBreaker breaker = breaker(mapping);
    if (breaker.getState() == CircuitBreaker.State.OPEN) {
      throw translate(mapping, CallNotPermittedException.createCallNotPermittedException(breaker));
    }
  }

  private CircuitBreaker breaker(String mapping) {
    return breakers.computeIfAbsent(mapping, m -> CircuitBreaker.of(m, breakerConfig));
  }

  private static Throwable unwrap(Throwable error) {
    while ((error instanceof CompletionException
            || error instanceof java.util.concurrent.ExecutionException)
        && error.getCause() != null) {
      error = error.getCause();
    }
    return error;
  }

  private RuntimeException translate(String mapping, Throwable error) {
    if (error instanceof KeyMismatchException mismatch) {
      return mismatch;
    }
    if (error instanceof LoadFailure failure) {
      return failure;
    }
    String prefix = unavailable(mapping);
    if (error instanceof CallNotPermittedException) {
      String last = lastFailure.getOrDefault(mapping, "recent loads failed");
      return new LoadFailure(
          prefix
              + "too many recent loads failed (last: "
              + last
              + "); the next attempt goes through within "
              + OPEN_STATE_WAIT.toMillis()
              + " ms");
    }
    String reason;
    if (error instanceof TimeoutException) {
      reason = "no answer within " + timeout.toMillis() + " ms";
    } else if (error instanceof BulkheadFullException) {
      reason =
          "too many loads waiting ("
              + poolSize
              + " running, "
              + queueCapacity
              + " queued); try again";
      return new LoadFailure("ERR PostgreSQL is busy for mapping '" + mapping + "': " + reason);
    } else if (error instanceof SQLException sql) {
      reason = SqlErrors.reason(sql);
    } else {
      reason = String.valueOf(error);
    }
    lastFailure.put(mapping, reason);
    return new LoadFailure(prefix + reason);
  }

  @Override
  public void close() {
    reachability.removeListener(failRunning);
    timer.shutdownNow();
    try {
      bulkhead.close();
    } catch (Exception e) {
      // nothing left to do at shutdown
    }
  }

  /**
   * A call not answered yet. When PostgreSQL goes away it is answered at once and its query's
   * thread, most likely waiting for a pooled connection, is interrupted, so the bulkhead's threads
   * are free again at once; a query answered before it ran does not run. Whatever such a query ends
   * with does not count in the breaker ({@link CancellationException}, ignored).
   */
  private static final class Running {
    final String mapping;
    private final CompletableFuture<?> result;
    private Thread worker; // guarded by this: the thread running the query, while it runs

    Running(String mapping, CompletableFuture<?> result) {
      this.mapping = mapping;
      this.result = result;
    }

    <T> Supplier<T> track(Supplier<T> query) {
      return () -> {
        synchronized (this) {
          if (result.isDone()) {
            throw new CancellationException("answered before its query ran");
          }
          worker = Thread.currentThread();
        }
        try {
          return query.get();
        } catch (RuntimeException e) {
          if (result.isDone()) {
            throw new CancellationException("answered before its query ended: " + e);
          }
          throw e;
        } finally {
          synchronized (this) {
            worker = null;
          }
          Thread.interrupted(); // an interrupt meant for this query must not reach the next one
        }
      };
    }

    void fail(RuntimeException error) {
      result.completeExceptionally(error);
      synchronized (this) {
        if (worker != null) {
          worker.interrupt();
        }
      }
    }
  }

  /** A failed load: the message is the error reply. */
  static final class LoadFailure extends RuntimeException {
    LoadFailure(String reply) {
      super(reply, null, false, false);
    }
  }
}
