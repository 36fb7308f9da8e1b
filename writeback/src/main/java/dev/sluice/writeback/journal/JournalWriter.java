package dev.sluice.writeback.journal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The write side of the journal: appends records to segment files from one writer thread, with
 * group commit, and acknowledges each append once it is durable.
 *
 * <h2>On-disk format (version 1)</h2>
 *
 * <p>A journal is a directory of segment files named {@code journal-<first LSN, 20 digits>.seg}.
 * All integers are big-endian.
 *
 * <pre>
 * segment header (20 bytes)
 *   magic      4  0x534C4A4E ("SLJN")
 *   version    2  1
 *   reserved   2  0
 *   first LSN  8  LSN of the segment's first record (equals the number in the file name)
 *   crc32c     4  CRC-32C of the 16 bytes above
 * records, back to back, until the end of the file
 *   length     4  payload length, 0..67108864 (64 MiB)
 *   crc32c     4  CRC-32C of lsn, type and payload (java.util.zip.CRC32C)
 *   lsn        8  log sequence number: 1, 2, 3, … contiguous across segments and restarts
 *   type       1  what the payload encodes, chosen by the caller
 *   payload    length bytes
 * </pre>
 *
 * <p>A segment is closed (forced, never written again) when the next record would take it past the
 * segment size; the next segment starts at the next LSN. A record larger than the segment size gets
 * a segment of its own.
 *
 * <h2>Threads and durability</h2>
 *
 * <p>{@link #append} assigns the LSN and queues the record ({@link #appendAll}: a group of records
 * with consecutive LSNs and one future, each still a record of its own in the format above; the
 * format does not know groups); the single {@code sluice-journal} thread drains everything queued,
 * writes it in one go and, under the {@code always} policy, calls {@code FileChannel.force} once
 * for the whole group before completing the futures (group commit). Under an interval policy the
 * futures complete once the group is written and the writer forces at most one interval later: a
 * crash of the machine may lose that window of acknowledged appends. Futures complete on the writer
 * thread; callers must not block in their continuations.
 *
 * <h2>Budget and deletion</h2>
 *
 * <p>Bytes journaled but not yet {@linkplain #markApplied applied} count against the budget; an
 * append that would exceed it throws {@link JournalFullException} at once. {@link #markApplied}
 * deletes the closed segments whose last LSN is applied; the segment being written is never
 * deleted, so the LSN sequence survives restarts.
 *
 * <p>This class assigns LSNs and runs the writer thread's group commit; {@link JournalBudget}
 * counts the bytes against the budget, {@link SegmentAppender} encodes the records into the files
 * and {@link SegmentList} keeps which LSNs each file holds.
 */
public final class JournalWriter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(JournalWriter.class);
  private static final Pending CLOSE = new Pending(-1, new byte[0], new byte[0][], null);

  /** The record type of a filler: an LSN skipped over, no write (see {@link #skipTo}). */
  public static final byte FILLER = 0;

  private static final int MAX_GROUP = 16_384;

  /**
   * Records queued by one {@link #append} or {@link #appendAll}: consecutive LSNs from {@code lsn},
   * one future for all of them, completed with the last one's LSN.
   */
  private record Pending(long lsn, byte[] types, byte[][] payloads, CompletableFuture<Long> done) {
    long lastLsn() {
      return lsn + payloads.length - 1;
    }
  }

  private final JournalOptions options;
  private final JournalReader.Recovery recovery;
  private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
  private final Thread thread;

  // Guarded by "this": LSN assignment, queueing, budget accounting.
  private long nextLsn;
  private long appliedLsn;
  private final JournalBudget budget;
  private boolean closed;
  private volatile Throwable failure;

  private final SegmentList segments;

  // Writer thread only.
  private final SegmentAppender appender;
  private long unforcedSince = -1;

  // Durability watermark, guarded by "durableLock".
  private final Object durableLock = new Object();
  private long durableLsn;

  private JournalWriter(JournalOptions options) throws IOException {
    this.options = options;
    this.budget = new JournalBudget(options.budget());
    this.appender = new SegmentAppender(options.dir(), options.segmentSize(), this::rolled);
    Files.createDirectories(options.dir());
    this.recovery =
        JournalReader.recover(
            options.dir(),
            (file, offset, record) ->
                budget.reserved(record.lsn(), JournalFormat.recordSize(record.payload().length)));
    this.segments = new SegmentList(options.dir(), recovery.lastLsn());
    Path last = segments.last();
    this.nextLsn = last == null ? 1 : recovery.lastLsn() + 1;
    this.durableLsn = nextLsn - 1;
    if (last != null) {
      appender.resume(last);
    }
    this.thread = new Thread(this::run, "sluice-journal");
    thread.setDaemon(true);
    thread.start();
  }

  /** Recovers the journal in {@code options.dir()} (see {@link JournalReader}) and opens it. */
  public static JournalWriter open(JournalOptions options) {
    try {
      return new JournalWriter(options);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the journal in " + options.dir(), e);
    }
  }

  /** What recovery found when this writer opened. */
  public JournalReader.Recovery recovery() {
    return recovery;
  }

  /**
   * Queues a record. The future completes with its LSN once it is durable under the fsync policy,
   * or exceptionally if the journal fails.
   *
   * @throws JournalFullException when the budget is exhausted (nothing is written)
   * @throws JournalException when the journal is closed or has failed
   */
  public CompletableFuture<Long> append(byte type, byte[] payload) {
    return appendAll(new byte[] {type}, new byte[][] {payload});
  }

  /**
   * Queues records as one group: they get consecutive LSNs (nothing else interleaves), each is
   * still its own record on disk, and one future completes with the last one's LSN once all are
   * durable. Either all are queued or, when their bytes do not fit in the budget, none is. A client
   * pipelining many writes pays one lock, one queue entry and one future for the group instead of
   * one each.
   *
   * @param types each record's type, as for {@link #append}
   * @param payloads each record's payload, as many as {@code types}, at least one
   * @throws JournalFullException when the group does not fit in the budget (nothing is written)
   * @throws JournalException when the journal is closed or has failed
   */
  public CompletableFuture<Long> appendAll(byte[] types, byte[][] payloads) {
    if (types.length != payloads.length || payloads.length == 0) {
      throw new IllegalArgumentException(
          "a journal group needs as many types as payloads, at least one: got "
              + types.length
              + " types and "
              + payloads.length
              + " payloads");
    }
    long size = budget.sizeOf(payloads);
    CompletableFuture<Long> done = new CompletableFuture<>();
    synchronized (this) {
      if (failure != null) {
        throw new JournalException("journal failed: " + failure, failure);
      }
      if (closed) {
        throw new JournalException("journal closed");
      }
      budget.ensureRoom(size);
      long first = nextLsn;
      for (byte[] payload : payloads) {
        budget.reserved(nextLsn++, JournalFormat.recordSize(payload.length));
      }
      queue.add(new Pending(first, types, payloads, done));
    }
    return done;
  }

  /**
   * Queues records that must get the LSNs {@code firstLsn}, {@code firstLsn + 1}, … (a replica
   * appending what its primary journaled, with the primary's LSNs). Records at or below the last
   * LSN are skipped as already held (a full resync sends again what the replica may have); the rest
   * must continue the journal without a gap.
   *
   * @return the future of the last new record's durability, or null when every record was held
   * @throws JournalException when the first new record would leave a gap after the last LSN
   */
  public CompletableFuture<Long> appendAt(long firstLsn, byte[] types, byte[][] payloads) {
    synchronized (this) {
      long skip = Math.max(0, nextLsn - firstLsn);
      if (skip >= payloads.length) {
        return null;
      }
      if (firstLsn > nextLsn) {
        throw new JournalException(
            "journal append at LSN "
                + firstLsn
                + " refused: the journal in "
                + options.dir()
                + " ends at LSN "
                + (nextLsn - 1)
                + ", records "
                + nextLsn
                + ".."
                + (firstLsn - 1)
                + " are missing");
      }
      int from = (int) skip;
      return appendAll(
          Arrays.copyOfRange(types, from, types.length),
          Arrays.copyOfRange(payloads, from, payloads.length));
    }
  }

  /**
   * Makes the next LSN at least {@code next}: when everything journaled is applied, the journal
   * starts again empty at {@code next} (see {@link #reset}); otherwise the LSNs in between are
   * taken by {@link #FILLER} records, which replay skips. A promoted replica calls this so that it
   * never reuses an LSN its old primary flushed without shipping.
   *
   * @return the fillers' first LSN and the future of their durability, or null when none were
   *     needed
   */
  public synchronized Filled skipTo(long next) {
    if (next <= nextLsn) {
      return null;
    }
    if (appliedLsn >= nextLsn - 1) {
      reset(next);
      return null;
    }
    int n = Math.toIntExact(next - nextLsn);
    byte[] types = new byte[n];
    byte[][] payloads = new byte[n][];
    Arrays.fill(types, FILLER);
    Arrays.fill(payloads, new byte[0]);
    long first = nextLsn;
    return new Filled(first, types, payloads, appendAll(types, payloads));
  }

  /** Filler records {@link #skipTo} journaled, as they must be shipped to replicas. */
  public record Filled(
      long firstLsn, byte[] types, byte[][] payloads, CompletableFuture<Long> durable) {}

  /**
   * Discards every record and continues at {@code next}: a replica at a full resync (its records
   * may be a demoted primary's, which its new primary never had) or a journal whose records are all
   * applied and must skip ahead. Records queued before are written first, then every segment is
   * deleted; the next append starts a new segment.
   */
  public synchronized void reset(long next) {
    if (next < 1) {
      throw new IllegalArgumentException("a journal restarts at LSN 1 or above: " + next);
    }
    if (closed || failure != null) {
      throw new JournalException("journal closed or failed: cannot reset it");
    }
    nextLsn = next;
    appliedLsn = next - 1;
    budget.clear();
    queue.add(new Pending(next, new byte[0], new byte[0][], null));
  }

  /**
   * Everything up to {@code lsn} is in PostgreSQL: releases its bytes from the budget and deletes
   * closed segments whose last LSN is at or below it.
   */
  public void markApplied(long lsn) {
    synchronized (this) {
      if (lsn >= nextLsn) {
        throw new IllegalArgumentException(
            "cannot mark LSN " + lsn + " applied: the last journaled LSN is " + (nextLsn - 1));
      }
      if (lsn <= appliedLsn) {
        return;
      }
      appliedLsn = lsn;
      budget.applied(lsn, nextLsn - 1);
    }
    segments.deleteApplied(lsn);
  }

  /** The most bytes of records journaled and not yet applied (journal.budget). */
  public long budget() {
    return options.budget();
  }

  /** Bytes a record with a payload of {@code payloadLength} bytes takes against the budget. */
  public static long recordSize(int payloadLength) {
    return JournalFormat.recordSize(payloadLength);
  }

  /** Bytes journaled and not yet applied (exact to within a small granularity). */
  public synchronized long pendingBytes() {
    return budget.pending();
  }

  /** The last LSN assigned (0 when nothing was ever journaled). */
  public synchronized long lastLsn() {
    return nextLsn - 1;
  }

  /** How many times the writer called {@code FileChannel.force} (metrics and tests). */
  public long forceCount() {
    return appender.forceCount();
  }

  /** Total time the writer spent in {@code FileChannel.force}, in nanoseconds (metrics). */
  public long forceNanos() {
    return appender.forceNanos();
  }

  /** Segment files currently on disk. */
  public List<Path> segmentFiles() {
    return segments.files();
  }

  /** Waits until {@code lsn} has been forced to disk; false on timeout. */
  public boolean awaitDurable(long lsn, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (durableLock) {
      while (durableLsn < lsn) {
        long left = deadline - System.nanoTime();
        if (left <= 0 || failure != null) {
          return false;
        }
        TimeUnit.NANOSECONDS.timedWait(durableLock, left);
      }
      return true;
    }
  }

  /** Writes and forces everything queued, then stops the writer thread. */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      queue.add(CLOSE);
    }
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // ---- writer thread ----

  private void run() {
    List<Pending> group = new ArrayList<>();
    long lastWritten = nextLsnSnapshot() - 1;
    try {
      while (true) {
        group.clear();
        Pending first;
        if (unforcedSince >= 0) {
          long due = unforcedSince + options.fsync().interval().toNanos() - System.nanoTime();
          first = due <= 0 ? null : queue.poll(due, TimeUnit.NANOSECONDS);
          if (first == null) {
            force(lastWritten);
            continue;
          }
        } else {
          first = queue.take();
        }
        group.add(first);
        queue.drainTo(group, MAX_GROUP);
        boolean stop = false;
        for (Pending p : group) {
          if (p == CLOSE) {
            stop = true;
            continue;
          }
          if (p.payloads.length == 0) {
            discardSegments(p.lsn);
            lastWritten = p.lsn - 1;
            continue;
          }
          write(p);
          lastWritten = p.lastLsn();
        }
        appender.flush();
        if (options.fsync().always() || stop) {
          force(lastWritten);
          complete(group);
        } else {
          complete(group);
          if (unforcedSince < 0) {
            unforcedSince = System.nanoTime();
          }
        }
        if (stop) {
          break;
        }
      }
    } catch (Throwable t) {
      failure = t;
      LOG.error("journal: writing failed; refusing further appends", t);
      for (Pending p : group) {
        if (p.done != null) {
          p.done.completeExceptionally(new JournalException("journal write failed", t));
        }
      }
      List<Pending> rest = new ArrayList<>();
      queue.drainTo(rest);
      for (Pending p : rest) {
        if (p.done != null) {
          p.done.completeExceptionally(new JournalException("journal write failed", t));
        }
      }
      synchronized (durableLock) {
        durableLock.notifyAll();
      }
    } finally {
      try {
        appender.close();
      } catch (IOException e) {
        LOG.warn("journal: closing the segment failed: {}", e.toString());
      }
    }
  }

  /**
   * {@link #reset}'s work on the writer thread: every segment goes, the next starts at {@code
   * next}.
   */
  private void discardSegments(long next) throws IOException {
    appender.closeSegment();
    segments.deleteAll();
    synchronized (durableLock) {
      durableLsn = next - 1;
      durableLock.notifyAll();
    }
  }

  private synchronized long nextLsnSnapshot() {
    return nextLsn;
  }

  private static void complete(List<Pending> group) {
    for (Pending p : group) {
      if (p.done != null) {
        p.done.complete(p.lastLsn());
      }
    }
  }

  private void write(Pending p) throws IOException {
    for (int i = 0; i < p.payloads.length; i++) {
      appender.append(p.lsn + i, p.types[i], p.payloads[i]);
    }
    segments.extendLast(p.lastLsn()); // once per group; roll() closes a segment's range
  }

  /** A new segment: the previous one ends before it, and the forced window closed with it. */
  private void rolled(Path path, long firstLsn) {
    unforcedSince = -1;
    segments.rolled(path, firstLsn);
  }

  private void force(long lsn) throws IOException {
    appender.force();
    unforcedSince = -1;
    synchronized (durableLock) {
      if (lsn > durableLsn) {
        durableLsn = lsn;
      }
      durableLock.notifyAll();
    }
  }
}
