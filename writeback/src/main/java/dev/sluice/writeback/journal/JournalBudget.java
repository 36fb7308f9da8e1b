package dev.sluice.writeback.journal;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The journal's budget: bytes of records journaled and not yet applied.
 *
 * <p>Positions count record bytes ({@link JournalFormat#recordSize}) since the writer opened or was
 * last reset. Rather than one entry per record, a checkpoint every {@code checkpointEvery} bytes
 * remembers which LSN ended at which position: marking an LSN applied releases the bytes up to the
 * last checkpoint at or below it, so pending bytes are exact to within one interval (and exact once
 * the last LSN is applied), for a few thousand checkpoints whatever the record count.
 *
 * <p>Not thread-safe: {@link JournalWriter} calls it under its own lock.
 */
final class JournalBudget {
  private record Checkpoint(long lsn, long position) {}

  private final long budget;
  private final long checkpointEvery;
  private final Deque<Checkpoint> checkpoints = new ArrayDeque<>();
  private long reservedPosition;
  private long appliedPosition;
  private long lastCheckpointPosition;

  JournalBudget(long budget) {
    this.budget = budget;
    this.checkpointEvery = Math.max(512, Math.min(64 * 1024, budget / 1024));
  }

  long budget() {
    return budget;
  }

  /** Bytes journaled and not yet applied. */
  long pending() {
    return reservedPosition - appliedPosition;
  }

  /**
   * The bytes {@code payloads} take as records.
   *
   * @throws IllegalArgumentException when one is larger than the format allows, or than the whole
   *     budget (it could never be journaled)
   */
  long sizeOf(byte[][] payloads) {
    long size = 0;
    for (byte[] payload : payloads) {
      if (payload.length > JournalFormat.MAX_PAYLOAD) {
        throw new IllegalArgumentException(
            "journal record of " + payload.length + " bytes exceeds the 64 MiB maximum");
      }
      long recordSize = JournalFormat.recordSize(payload.length);
      if (recordSize > budget) {
        throw new IllegalArgumentException(
            "journal record of " + recordSize + " bytes exceeds the journal budget " + budget);
      }
      size += recordSize;
    }
    return size;
  }

  /**
   * @throws JournalFullException when {@code bytes} more would exceed the budget
   */
  void ensureRoom(long bytes) {
    long pending = pending();
    if (pending + bytes > budget) {
      throw new JournalFullException(pending, budget);
    }
  }

  /** Record {@code lsn}, of {@code recordSize} bytes, was journaled. */
  void reserved(long lsn, long recordSize) {
    reservedPosition += recordSize;
    if (reservedPosition - lastCheckpointPosition >= checkpointEvery) {
      checkpoints.addLast(new Checkpoint(lsn, reservedPosition));
      lastCheckpointPosition = reservedPosition;
    }
  }

  /** Everything up to {@code lsn} is applied; {@code lastLsn} is the last one journaled. */
  void applied(long lsn, long lastLsn) {
    while (!checkpoints.isEmpty() && checkpoints.peekFirst().lsn() <= lsn) {
      appliedPosition = checkpoints.pollFirst().position();
    }
    if (lsn == lastLsn) {
      appliedPosition = reservedPosition;
    }
  }

  /** The journal restarted empty. */
  void clear() {
    reservedPosition = 0;
    appliedPosition = 0;
    lastCheckpointPosition = 0;
    checkpoints.clear();
  }
}
