package dev.sluice.writeback.batch;

import dev.sluice.writeback.sink.PostgresSink;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes the {@link Flusher}'s batches into PostgreSQL, on the flusher's thread: through the {@link
 * FlushGuard} (retries with backoff behind the circuit breaker), a retry first skipping what a
 * commit whose answer was lost applied; and counts what was written, for SLUICE STATUS, the metrics
 * and tests (read on any thread).
 */
public final class BatchWriter {
  /** What a retry answers when it finds the whole batch already committed. */
  private static final PostgresSink.Result NOTHING_LEFT = new PostgresSink.Result(0, 0, 0);

  private final PostgresSink sink;
  private final FlushGuard guard;
  private final Lanes<Flusher.Pending> lanes;
  private final AtomicLong rowsWritten = new AtomicLong();
  private final AtomicLong deadLetters = new AtomicLong();
  private final Map<String, AtomicLong> deadLettersByMapping = new ConcurrentHashMap<>();
  private final Map<String, Long> lastFlushByMapping = new ConcurrentHashMap<>();
  private volatile long lastFlushMillis;

  BatchWriter(PostgresSink sink, FlushGuard guard, Lanes<Flusher.Pending> lanes) {
    this.sink = sink;
    this.guard = guard;
    this.lanes = lanes;
  }

  /**
   * Writes the batch, retrying for ever; false when stopping before it was written (it is replayed
   * at the next start).
   *
   * @throws PostgresSink.FencedException when another node took the lineage over
   */
  boolean write(Lanes.Batch<Flusher.Pending> batch, List<PostgresSink.Entry> entries)
      throws InterruptedException {
    List<List<PostgresSink.Entry>> todo = new ArrayList<>(List.of(entries));
    PostgresSink.Result result =
        guard.call(
            "flushing " + entries.size() + " rows of '" + batch.mapping() + "'",
            retry -> {
              if (retry) {
                // a commit whose answer was lost may have gone through: skip what is applied
                todo.set(0, unapplied(batch, todo.get(0)));
                if (todo.get(0).isEmpty()) {
                  return NOTHING_LEFT; // its last transaction recorded the watermark
                }
              }
              return sink.write(todo.get(0), batch.watermark());
            });
    if (result == null) {
      return false;
    }
    rowsWritten.addAndGet(result.rows());
    deadLetters.addAndGet(result.deadLetters());
    if (result.deadLetters() > 0) {
      deadLettersByMapping
          .computeIfAbsent(batch.mapping(), m -> new AtomicLong())
          .addAndGet(result.deadLetters());
    }
    lastFlushMillis = System.currentTimeMillis();
    lastFlushByMapping.put(batch.mapping(), lastFlushMillis);
    lanes.committed(batch, batch.lastLsn());
    return true;
  }

  /**
   * The entries of {@code todo} above what PostgreSQL says is applied for the batch's mapping;
   * tells the lanes about the ones already committed.
   */
  private List<PostgresSink.Entry> unapplied(
      Lanes.Batch<Flusher.Pending> batch, List<PostgresSink.Entry> todo) throws SQLException {
    long applied =
        Math.max(sink.readApplied(), sink.readAppliedByMapping().getOrDefault(batch.mapping(), 0L));
    List<PostgresSink.Entry> rest = new ArrayList<>();
    for (PostgresSink.Entry entry : todo) {
      if (entry.lsn() > applied) {
        rest.add(entry);
      }
    }
    if (!rest.isEmpty() && rest.size() < todo.size()) {
      lanes.committed(batch, todo.get(todo.size() - rest.size() - 1).lsn());
    }
    return rest;
  }

  /** Rows written to their tables (dead letters not counted). */
  public long rowsWritten() {
    return rowsWritten.get();
  }

  public long deadLetters() {
    return deadLetters.get();
  }

  /** Dead letters of one mapping since start. */
  public long deadLetters(String mapping) {
    AtomicLong n = deadLettersByMapping.get(mapping);
    return n == null ? 0 : n.get();
  }

  /** Flush transactions committed. */
  public long transactions() {
    return sink.transactions();
  }

  /** SQL statements that wrote rows (COPY, multi-row upserts, batched deletes), see the sink. */
  public long statements() {
    return sink.statements();
  }

  /** Database attempts that failed and were retried. */
  public long retries() {
    return guard.retries();
  }

  /** The state of the circuit breaker: closed, open or half_open. */
  public String breakerState() {
    return guard.state();
  }

  /** The last connection-level error, while retrying; null when the last flush succeeded. */
  public String lastError() {
    return guard.lastError();
  }

  /** When a batch last committed (epoch millis), 0 if never since start. */
  public long lastFlushMillis() {
    return lastFlushMillis;
  }

  /** When a batch of {@code mapping} last committed (epoch millis), 0 if never since start. */
  public long lastFlushMillis(String mapping) {
    return lastFlushByMapping.getOrDefault(mapping, 0L);
  }
}
