package dev.sluice.writeback.batch;

/**
 * Hears of every record this node journals as a primary, under the {@link Flusher}'s lock, in LSN
 * order: replication sends them to the replicas.
 */
public interface RecordShipper {
  void journaled(long firstLsn, byte[] types, byte[][] payloads);

  /** A record above the applied LSN found in the journal at start or promotion. */
  default void held(long lsn, byte type, byte[] payload) {}
}
