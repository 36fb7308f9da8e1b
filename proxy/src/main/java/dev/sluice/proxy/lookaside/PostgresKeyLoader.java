package dev.sluice.proxy.lookaside;

import dev.sluice.config.MappingConfig;
import dev.sluice.proxy.engine.KeyLoader;
import dev.sluice.proxy.keyspace.Clock;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * The look-aside loader for mappings with {@code read: through} (row and query mappings): what a
 * command's miss on such a key turns into.
 *
 * <ul>
 *   <li>{@link #needsLoad}: database 0, a read-through row or query mapping ({@link MappingRouter},
 *       first match in file order), not in the {@link NegativeCache}. Called under the keyspace
 *       lock; no allocation for plain keys.
 *   <li>{@link #load}: one query per key, <b>single-flight</b>: a key already being loaded gets the
 *       running query's result (followers attach to the leader's future in {@link #flights}), so N
 *       concurrent misses of one key cause one query. Queries run through the {@link DatabaseGuard}
 *       on its bounded pool; the caller (holding the lock) never waits.
 *   <li>A missing row (empty result) is remembered for the mapping's {@code negative-ttl}; loaded
 *       keys get its {@code ttl}.
 *   <li>Invalidation (NOTIFY, SLUICE INVALIDATE) bumps {@link #epoch}; a query that was running
 *       meanwhile may have read the old row, so it runs once more before answering.
 * </ul>
 */
public final class PostgresKeyLoader implements KeyLoader {
  private final MappingRouter router;
  private final MappingPlan[] plans; // per mapping index; null when not read-through
  private final MappingStats[] stats;
  private final NegativeCache negative;
  private final DatabaseGuard guard;
  private final DataSource dataSource;
  private final Map<ByteBuffer, CompletableFuture<LoadedValue>> flights = new ConcurrentHashMap<>();
  private final AtomicLong epoch = new AtomicLong();
  private final Clock clock;
  private volatile Consumer<byte[]> beforeLoad = key -> {};

  PostgresKeyLoader(
      MappingRouter router,
      MappingPlan[] plans,
      MappingStats[] stats,
      Clock clock,
      DatabaseGuard guard,
      DataSource dataSource) {
    this.router = router;
    this.plans = plans;
    this.stats = stats;
    this.negative = new NegativeCache(clock);
    this.clock = clock;
    this.guard = guard;
    this.dataSource = dataSource;
  }

  @Override
  public boolean needsLoad(int db, byte[] key) {
    if (db != 0) {
      return false;
    }
    int index = router.indexOf(key);
    if (index < 0 || plans[index] == null) {
      return false;
    }
    stats[index].accesses.increment();
    if (negative.contains(key)) {
      stats[index].negativeHits.increment();
      return false;
    }
    return true;
  }

  @Override
  public boolean keptWhole(int db, byte[] key) {
    if (db != 0) {
      return false;
    }
    int index = router.indexOf(key);
    return index >= 0
        && plans[index] != null
        && plans[index].mapping.kind() == MappingConfig.Kind.KV;
  }

  @Override
  public void load(int db, List<byte[]> keys, Consumer<Result> done) {
    List<CompletableFuture<LoadedValue>> pending = new ArrayList<>(keys.size());
    List<MappingPlan> planOf = new ArrayList<>(keys.size());
    for (byte[] key : keys) {
      int index = router.indexOf(key);
      MappingPlan plan = index < 0 ? null : plans[index];
      planOf.add(plan);
      if (plan == null) {
        pending.add(CompletableFuture.completedFuture(null));
      } else {
        stats[index].misses.increment();
        pending.add(flight(plan, key));
      }
    }
    CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new))
        .whenComplete(
            (ignored, error) -> {
              if (error != null) {
                done.accept(Result.failed(dev.sluice.proxy.engine.Errors.of(unwrap(error))));
                return;
              }
              List<Loaded> values = new ArrayList<>(keys.size());
              for (int i = 0; i < keys.size(); i++) {
                LoadedValue value = pending.get(i).join();
                MappingPlan plan = planOf.get(i);
                long ttl = plan == null ? 0 : plan.ttlMillis();
                if (value instanceof LoadedValue.Kv kv && kv.expireAtMillis() > 0) {
                  // a kv key keeps the expiry it was written with
                  ttl = Math.max(1, kv.expireAtMillis() - clock.millis());
                }
                values.add(
                    new Loaded(keys.get(i), value == null ? null : value.materialize(), ttl));
              }
              done.accept(new Result(values, null));
            });
  }

  private static Throwable unwrap(Throwable error) {
    while (error instanceof CompletionException && error.getCause() != null) {
      error = error.getCause();
    }
    return error;
  }

  /** The running load of {@code key}, or a new one: single flight. */
  private CompletableFuture<LoadedValue> flight(MappingPlan plan, byte[] key) {
    ByteBuffer id = ByteBuffer.wrap(key);
    CompletableFuture<LoadedValue> running = flights.get(id);
    if (running != null) {
      return running;
    }
    CompletableFuture<LoadedValue> mine = new CompletableFuture<>();
    running = flights.putIfAbsent(id, mine);
    if (running != null) {
      return running;
    }
    query(plan, key, mine, id, true);
    return mine;
  }

  private void query(
      MappingPlan plan,
      byte[] key,
      CompletableFuture<LoadedValue> flight,
      ByteBuffer id,
      boolean mayRetry) {
    long startEpoch = epoch.get();
    MappingStats figures = stats[plan.index];
    guard
        .call(
            plan.mapping.name(),
            () -> {
              long start = System.nanoTime();
              beforeLoad.accept(key);
              try (Connection connection = dataSource.getConnection()) {
                LoadedValue value = plan.fetch(connection, key);
                if (value instanceof LoadedValue.Kv kv && kv.expiredAt(clock.millis())) {
                  return null; // expired in sluice.kv: as absent as a key expired in memory
                }
                return value;
              } catch (SQLException e) {
                throw new CompletionException(e);
              } finally {
                figures.loaded((System.nanoTime() - start) / 1000);
              }
            })
        .whenComplete(
            (value, error) -> {
              if (error == null && mayRetry && epoch.get() != startEpoch) {
                query(plan, key, flight, id, false); // invalidated meanwhile: read again
                return;
              }
              flights.remove(id, flight);
              if (error != null) {
                figures.loadErrors.increment();
                flight.completeExceptionally(error);
                return;
              }
              if (value == null) {
                negative.put(plan.index, key, plan.negativeTtlMillis());
              }
              flight.complete(value);
            });
  }

  /**
   * Runs {@code settle} with the key before each query, on the query's thread: write-back uses it
   * to flush the key's pending writes first, so a miss never reads a row older than what was
   * written to it (an evicted or expired written key, DEL with on-delete: evict).
   */
  void beforeLoad(Consumer<byte[]> settle) {
    this.beforeLoad = settle;
  }

  /** A key was written: it is no longer known to be absent. */
  void forgetAbsent(byte[] key) {
    negative.remove(key);
  }

  // ---- invalidation ----

  /** Forgets that {@code key} is absent, and makes running loads read again. */
  void forget(byte[] key) {
    epoch.incrementAndGet();
    negative.remove(key);
  }

  /** Forgets every absent key of a mapping, and makes running loads read again. */
  void forgetMapping(int index) {
    epoch.incrementAndGet();
    negative.removeMapping(index);
  }

  /** Forgets the absent keys {@code which} accepts, and makes running loads read again. */
  void forgetMatching(java.util.function.Predicate<byte[]> which) {
    epoch.incrementAndGet();
    negative.removeMatching(which);
  }

  // ---- for status ----

  MappingRouter router() {
    return router;
  }

  MappingPlan plan(int index) {
    return plans[index];
  }

  MappingStats stats(int index) {
    return stats[index];
  }

  DatabaseGuard guard() {
    return guard;
  }

  int negativeSize() {
    return negative.size();
  }

  /** The mapping called {@code name}, or -1. */
  int indexOf(String name) {
    List<MappingConfig> mappings = router.mappings();
    for (int i = 0; i < mappings.size(); i++) {
      if (mappings.get(i).name().equals(name)) {
        return i;
      }
    }
    return -1;
  }
}
