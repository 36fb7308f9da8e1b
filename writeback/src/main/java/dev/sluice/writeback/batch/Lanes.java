package dev.sluice.writeback.batch;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * Journaled rows waiting for PostgreSQL, one FIFO lane per mapping, with the DBA's flow control: a
 * lane can be paused (its batches close only for a flush request), throttled (a token bucket of
 * {@code rows-per-second}, at most a tenth of a second's worth per batch, so a throttled mapping
 * commits about ten times a second), or asked to flush up to an LSN (which bypasses pause and
 * throttle). Otherwise a lane's batch closes on {@code maxRows} rows or when its oldest row has
 * waited {@code maxDelay}.
 *
 * <p>One consumer {@link #nextBatch takes} a batch, writes it and reports it {@link #committed};
 * rows are added in LSN order. Each batch carries the {@link Batch#watermark}: the highest LSN
 * below which every row, of every lane, is committed once this batch is (one less than the lowest
 * LSN still queued, or the last LSN added when nothing is).
 *
 * @param <T> what is queued
 */
public final class Lanes<T> {
  private record Item<T>(long lsn, T value, int bytes, long arrivedNanos) {}

  /** A closed batch: one mapping's rows in LSN order, and the global watermark after it. */
  public record Batch<T>(String mapping, List<T> items, long lastLsn, long bytes, long watermark) {}

  /** A lane's figures. */
  public record LaneStatus(
      String mapping,
      boolean paused,
      int rowsPerSecond,
      long pendingRows,
      long pendingBytes,
      long oldestPendingNanos,
      long committedRows,
      long appliedLsn) {}

  private static final class Lane<T> {
    final String mapping;
    final ArrayDeque<Item<T>> items = new ArrayDeque<>();
    long queuedBytes;
    boolean paused;
    int rate;
    double tokens;
    long refilledAt;
    long flushUpTo;
    long lastAddedLsn;
    long appliedLsn;
    long committedRows;
    int inFlightRows;
    long inFlightBytes;
    long inFlightOldest = -1;

    Lane(String mapping) {
      this.mapping = mapping;
    }
  }

  private final int maxRows;
  private final long maxDelayNanos;
  private final LongSupplier clock;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final Map<String, Lane<T>> lanes = new LinkedHashMap<>();
  private long lastAdded;
  private boolean closed;

  public Lanes(int maxRows, Duration maxDelay, LongSupplier nanoClock) {
    if (maxRows < 1) {
      throw new IllegalArgumentException("maxRows must be at least 1: " + maxRows);
    }
    this.maxRows = maxRows;
    this.maxDelayNanos = maxDelay.toNanos();
    this.clock = nanoClock;
  }

  private Lane<T> lane(String mapping) {
    return lanes.computeIfAbsent(mapping, Lane::new);
  }

  /** Creates the lane of {@code mapping} if it has none. */
  public void declare(String mapping) {
    lock.lock();
    try {
      lane(mapping);
    } finally {
      lock.unlock();
    }
  }

  /** Everything up to {@code lsn} is committed or queued (start-up, before any add). */
  public void startAt(long lsn) {
    lock.lock();
    try {
      lastAdded = Math.max(lastAdded, lsn);
    } finally {
      lock.unlock();
    }
  }

  /** Queues a row; LSNs must grow from call to call. */
  public void add(String mapping, long lsn, T value, int bytes) {
    lock.lock();
    try {
      enqueue(lane(mapping), lsn, value, bytes, clock.getAsLong());
    } finally {
      lock.unlock();
    }
  }

  /**
   * Queues rows with consecutive LSNs from {@code firstLsn} under one acquisition of the lock (a
   * pipelined burst of writes); as {@link #add} for each.
   */
  public void addAll(String[] mappings, long firstLsn, List<T> values, int[] bytes) {
    lock.lock();
    try {
      long now = clock.getAsLong();
      String mapping = null;
      Lane<T> lane = null;
      for (int i = 0; i < mappings.length; i++) {
        if (mappings[i] != mapping) { // a burst's rows mostly share one mapping: one lookup
          mapping = mappings[i];
          lane = lane(mapping);
        }
        enqueue(lane, firstLsn + i, values.get(i), bytes[i], now);
      }
    } finally {
      lock.unlock();
    }
  }

  // under the lock
  private void enqueue(Lane<T> lane, long lsn, T value, int bytes, long now) {
    boolean wasEmpty = lane.items.isEmpty();
    lane.items.addLast(new Item<>(lsn, value, bytes, now));
    lane.queuedBytes += bytes;
    lane.lastAddedLsn = lsn;
    lastAdded = lsn;
    if (wasEmpty || lane.items.size() == maxRows) {
      changed.signalAll();
    }
  }

  public void paused(String mapping, boolean paused) {
    lock.lock();
    try {
      lane(mapping).paused = paused;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Limits the lane to {@code rowsPerSecond}; 0 removes the limit. */
  public void throttle(String mapping, int rowsPerSecond) {
    if (rowsPerSecond < 0) {
      throw new IllegalArgumentException("rows per second must be positive: " + rowsPerSecond);
    }
    lock.lock();
    try {
      Lane<T> lane = lane(mapping);
      if (lane.rate != rowsPerSecond) {
        lane.rate = rowsPerSecond;
        lane.tokens = 0;
        lane.refilledAt = clock.getAsLong();
      }
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Asks for every row of the lane queued so far to be written now, paused or throttled; returns
   * the LSN to wait for with {@link #awaitApplied} and the rows pending in the lane.
   */
  public long[] requestFlush(String mapping) {
    lock.lock();
    try {
      Lane<T> lane = lane(mapping);
      lane.flushUpTo = Math.max(lane.flushUpTo, lane.lastAddedLsn);
      changed.signalAll();
      return new long[] {lane.lastAddedLsn, lane.items.size() + lane.inFlightRows};
    } finally {
      lock.unlock();
    }
  }

  /** Waits until the lane's rows up to {@code lsn} are committed; false on timeout. */
  public boolean awaitApplied(String mapping, long lsn, long deadlineNanos)
      throws InterruptedException {
    lock.lock();
    try {
      Lane<T> lane = lane(mapping);
      while (lane.appliedLsn < lsn && !closed) {
        long left = deadlineNanos - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        changed.awaitNanos(left);
      }
      return lane.appliedLsn >= lsn;
    } finally {
      lock.unlock();
    }
  }

  /** The batch taken last is committed (or dead-lettered) up to {@code lsn}. */
  public void committed(Batch<T> batch, long lsn) {
    lock.lock();
    try {
      Lane<T> lane = lane(batch.mapping());
      lane.appliedLsn = Math.max(lane.appliedLsn, lsn);
      if (lsn >= batch.lastLsn()) {
        lane.committedRows += lane.inFlightRows;
        lane.inFlightRows = 0;
        lane.inFlightBytes = 0;
        lane.inFlightOldest = -1;
      }
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Rows queued or being written, all lanes. */
  public long pendingRows() {
    lock.lock();
    try {
      long n = 0;
      for (Lane<T> lane : lanes.values()) {
        n += lane.items.size() + lane.inFlightRows;
      }
      return n;
    } finally {
      lock.unlock();
    }
  }

  public List<String> mappings() {
    lock.lock();
    try {
      return new ArrayList<>(lanes.keySet());
    } finally {
      lock.unlock();
    }
  }

  public List<LaneStatus> status() {
    lock.lock();
    try {
      List<LaneStatus> out = new ArrayList<>(lanes.size());
      long now = clock.getAsLong();
      for (Lane<T> lane : lanes.values()) {
        long oldest =
            lane.inFlightOldest >= 0
                ? lane.inFlightOldest
                : lane.items.isEmpty() ? -1 : lane.items.peekFirst().arrivedNanos();
        out.add(
            new LaneStatus(
                lane.mapping,
                lane.paused,
                lane.rate,
                lane.items.size() + lane.inFlightRows,
                lane.queuedBytes + lane.inFlightBytes,
                oldest < 0 ? 0 : Math.max(0, now - oldest),
                lane.committedRows,
                lane.appliedLsn));
      }
      return out;
    } finally {
      lock.unlock();
    }
  }

  /** What {@link #tryTake} found: a batch, or how long to wait before one may close. */
  public record Taken<T>(Batch<T> batch, long waitNanos) {}

  /** Takes the next batch that may close now, if any, without waiting. */
  public Taken<T> tryTake() {
    lock.lock();
    try {
      return take(clock.getAsLong());
    } finally {
      lock.unlock();
    }
  }

  /** Waits for the next batch; null once {@link #close closed}. */
  public Batch<T> nextBatch() throws InterruptedException {
    lock.lock();
    try {
      while (!closed) {
        Taken<T> taken = take(clock.getAsLong());
        if (taken.batch() != null) {
          return taken.batch();
        }
        if (taken.waitNanos() == Long.MAX_VALUE) {
          changed.await();
        } else {
          changed.await(Math.max(1, taken.waitNanos()), TimeUnit.NANOSECONDS);
        }
      }
      return null;
    } finally {
      lock.unlock();
    }
  }

  private Taken<T> take(long now) {
    Lane<T> best = null;
    int bestRows = 0;
    boolean bestFlush = false;
    long wait = Long.MAX_VALUE;
    for (Lane<T> lane : lanes.values()) {
      if (lane.items.isEmpty()) {
        continue;
      }
      Item<T> head = lane.items.peekFirst();
      int rows = 0;
      boolean flush = head.lsn() <= lane.flushUpTo;
      if (flush) {
        rows = Math.min(maxRows, lane.items.size());
      } else if (!lane.paused) {
        boolean closes = lane.items.size() >= maxRows || now - head.arrivedNanos() >= maxDelayNanos;
        long closeWait = Math.max(1, head.arrivedNanos() + maxDelayNanos - now);
        if (lane.rate > 0) {
          refill(lane, now);
          int cap = cap(lane);
          int need = Math.min(lane.items.size(), cap);
          if (!closes && lane.items.size() < cap) {
            wait = Math.min(wait, closeWait);
          } else if (lane.tokens < need) {
            wait =
                Math.min(
                    wait, (long) Math.ceil((need - lane.tokens) * 1_000_000_000.0 / lane.rate));
          } else {
            rows = need;
          }
        } else if (closes) {
          rows = Math.min(maxRows, lane.items.size());
        } else {
          wait = Math.min(wait, closeWait);
        }
      }
      if (rows > 0 && (best == null || head.lsn() < best.items.peekFirst().lsn())) {
        best = lane;
        bestRows = rows;
        bestFlush = flush;
      }
    }
    if (best == null) {
      return new Taken<>(null, wait);
    }
    if (!bestFlush && best.rate > 0) {
      best.tokens -= bestRows;
    }
    List<T> values = new ArrayList<>(bestRows);
    long bytes = 0;
    long last = 0;
    long oldest = best.items.peekFirst().arrivedNanos();
    for (int i = 0; i < bestRows; i++) {
      Item<T> item = best.items.peekFirst();
      if (bestFlush && item.lsn() > best.flushUpTo) {
        break;
      }
      best.items.pollFirst();
      values.add(item.value());
      bytes += item.bytes();
      last = item.lsn();
    }
    best.queuedBytes -= bytes;
    best.inFlightRows = values.size();
    best.inFlightBytes = bytes;
    best.inFlightOldest = oldest;
    long watermark = lastAdded;
    for (Lane<T> lane : lanes.values()) {
      if (!lane.items.isEmpty()) {
        watermark = Math.min(watermark, lane.items.peekFirst().lsn() - 1);
      }
    }
    return new Taken<>(new Batch<>(best.mapping, values, last, bytes, watermark), 0);
  }

  private int cap(Lane<T> lane) {
    return Math.max(1, Math.min(maxRows, lane.rate / 10));
  }

  private void refill(Lane<T> lane, long now) {
    double cap = cap(lane);
    if (lane.tokens < cap) {
      lane.tokens = Math.min(cap, lane.tokens + (now - lane.refilledAt) * lane.rate / 1e9);
    }
    lane.refilledAt = now;
  }

  /**
   * Drops every queued row, as a node that stops flushing does (they stay in its journal); a batch
   * being written is the flusher's to finish or abandon.
   */
  public void clear() {
    lock.lock();
    try {
      for (Lane<T> lane : lanes.values()) {
        lane.items.clear();
        lane.queuedBytes = 0;
      }
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Wakes the consumer; {@link #nextBatch} returns null from now on. */
  public void close() {
    lock.lock();
    try {
      closed = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }
}
