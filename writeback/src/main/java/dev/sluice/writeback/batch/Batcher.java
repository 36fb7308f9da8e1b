package dev.sluice.writeback.batch;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Collects items in arrival order and hands them out in batches: a batch closes when it holds
 * {@code maxRows} items or when its oldest item has waited {@code maxDelay}, whichever comes first
 * (or at once after {@link #flushNow}). Thread-safe; one consumer calls {@link #nextBatch}.
 *
 * @param <T> what is batched
 */
public final class Batcher<T> {
  private record Item<T>(T value, long arrivedNanos) {}

  private final int maxRows;
  private final long maxDelayNanos;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final ArrayDeque<Item<T>> items = new ArrayDeque<>();
  private long flushRequests;
  private long flushServed;
  private boolean paused;
  private boolean closed;

  public Batcher(int maxRows, Duration maxDelay) {
    if (maxRows < 1) {
      throw new IllegalArgumentException("maxRows must be at least 1: " + maxRows);
    }
    this.maxRows = maxRows;
    this.maxDelayNanos = maxDelay.toNanos();
  }

  public int maxRows() {
    return maxRows;
  }

  public Duration maxDelay() {
    return Duration.ofNanos(maxDelayNanos);
  }

  public void add(T value) {
    lock.lock();
    try {
      boolean wasEmpty = items.isEmpty();
      items.addLast(new Item<>(value, System.nanoTime()));
      if (wasEmpty || items.size() == maxRows) {
        changed.signalAll();
      }
    } finally {
      lock.unlock();
    }
  }

  /** Closes the current batch now, however small, even while paused. */
  public void flushNow() {
    lock.lock();
    try {
      flushRequests++;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** While paused, batches close only on {@link #flushNow}. */
  public void paused(boolean paused) {
    lock.lock();
    try {
      this.paused = paused;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  public boolean paused() {
    lock.lock();
    try {
      return paused;
    } finally {
      lock.unlock();
    }
  }

  /** Items waiting for their batch. */
  public int size() {
    lock.lock();
    try {
      return items.size();
    } finally {
      lock.unlock();
    }
  }

  /** Nanos ({@link System#nanoTime}) at which the oldest waiting item arrived, or -1. */
  public long oldestArrival() {
    lock.lock();
    try {
      return items.isEmpty() ? -1 : items.peekFirst().arrivedNanos();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits for the next batch to close and takes it (at most {@code maxRows} items, oldest first).
   * Returns an empty list once {@link #close closed} and, for a flush request, when nothing waits.
   */
  public List<T> nextBatch() throws InterruptedException {
    lock.lock();
    try {
      while (true) {
        if (closed) {
          return List.of();
        }
        boolean flush = flushRequests != flushServed;
        if (flush) {
          flushServed = flushRequests;
          if (items.isEmpty()) {
            return List.of();
          }
          return take();
        }
        if (items.isEmpty() || paused) {
          changed.await();
          continue;
        }
        if (items.size() >= maxRows) {
          return take();
        }
        long wait = items.peekFirst().arrivedNanos() + maxDelayNanos - System.nanoTime();
        if (wait <= 0) {
          return take();
        }
        changed.await(wait, TimeUnit.NANOSECONDS);
      }
    } finally {
      lock.unlock();
    }
  }

  private List<T> take() {
    int n = Math.min(maxRows, items.size());
    List<T> batch = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      batch.add(items.pollFirst().value());
    }
    return batch;
  }

  /** Wakes the consumer and makes every later {@link #nextBatch} return an empty list. */
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
