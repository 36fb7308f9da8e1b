package dev.sluice.writeback.batch;

import dev.sluice.writeback.journal.JournalWriter;
import dev.sluice.writeback.sink.PostgresSink;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code sluice-flusher} thread and the applied watermark it moves: it takes closed batches
 * from the {@link Lanes}, waits until each row is durable, writes the batch with the {@link
 * BatchWriter} and marks the journal applied up to the batch's watermark, which frees budget and
 * segments. Waiters of {@link #awaitApplied} and the {@link FlushGuard}'s backoff sleep on one
 * condition, so that {@link #close} wakes both.
 *
 * <p>A flush that finds the lineage taken over ({@link PostgresSink.FencedException}) calls {@code
 * onFenced} (the {@link Flusher} starts following) and goes on taking batches, of which there are
 * none while following.
 */
final class FlushLoop implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(FlushLoop.class);

  private final Lanes<Flusher.Pending> lanes;
  private final JournalWriter journal;
  private final BatchWriter writer;
  private final Runnable onFenced;
  private final Thread thread;
  private final ReentrantLock stateLock = new ReentrantLock();
  private final Condition appliedChanged = stateLock.newCondition();
  private volatile long appliedLsn;
  private volatile boolean stopping;

  FlushLoop(
      Lanes<Flusher.Pending> lanes,
      JournalWriter journal,
      PostgresSink sink,
      Duration maxBackoff,
      Runnable onFenced) {
    this.lanes = lanes;
    this.journal = journal;
    this.onFenced = onFenced;
    this.writer = new BatchWriter(sink, new FlushGuard(maxBackoff, this::pause), lanes);
    this.thread = new Thread(this::run, "sluice-flusher");
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  BatchWriter writer() {
    return writer;
  }

  long appliedLsn() {
    return appliedLsn;
  }

  /** Start-up and promotion: everything up to {@code lsn} is in PostgreSQL. */
  void appliedAt(long lsn) {
    appliedLsn = lsn;
  }

  /** Waits until {@code lsn} is applied; false on timeout. */
  boolean awaitApplied(long lsn, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    stateLock.lock();
    try {
      while (appliedLsn < lsn) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        appliedChanged.await(left, TimeUnit.NANOSECONDS);
      }
      return true;
    } finally {
      stateLock.unlock();
    }
  }

  private void run() {
    try {
      while (!stopping) {
        Lanes.Batch<Flusher.Pending> batch = lanes.nextBatch();
        if (batch == null) {
          return;
        }
        List<PostgresSink.Entry> entries = new ArrayList<>(batch.items().size());
        for (Flusher.Pending p : batch.items()) {
          try {
            p.durable().get();
          } catch (ExecutionException e) {
            log.error("write-back: a journal append failed; the flusher stops", e.getCause());
            return;
          }
          entries.add(new PostgresSink.Entry(p.lsn(), p.record()));
        }
        try {
          if (!writer.write(batch, entries)) {
            return;
          }
          applied(batch.watermark());
        } catch (PostgresSink.FencedException e) {
          log.error("write-back: {}", e.getMessage());
          onFenced.run();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      log.error("write-back: the flusher failed and stops; the journal keeps the rows", e);
    }
  }

  private boolean pause(long millis) throws InterruptedException {
    stateLock.lock();
    try {
      long left = TimeUnit.MILLISECONDS.toNanos(millis);
      while (left > 0 && !stopping) {
        left = appliedChanged.awaitNanos(left);
      }
      return !stopping;
    } finally {
      stateLock.unlock();
    }
  }

  private void applied(long lsn) {
    stateLock.lock();
    try {
      if (lsn > appliedLsn) {
        appliedLsn = lsn;
        journal.markApplied(lsn);
      }
      appliedChanged.signalAll();
    } finally {
      stateLock.unlock();
    }
  }

  /** Stops the thread after the batch it is writing, if any (the lanes must be closed first). */
  @Override
  public void close() {
    stopping = true;
    stateLock.lock();
    try {
      appliedChanged.signalAll();
    } finally {
      stateLock.unlock();
    }
    try {
      thread.join(TimeUnit.SECONDS.toMillis(30));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
