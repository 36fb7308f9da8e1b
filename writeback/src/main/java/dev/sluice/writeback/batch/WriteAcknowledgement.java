package dev.sluice.writeback.batch;

import java.util.concurrent.CompletableFuture;

/**
 * What a journaled write waits for before its client may be answered: the journal's {@code durable}
 * future, or more (writeback.ack: replica waits for replicas too).
 */
public interface WriteAcknowledgement {
  CompletableFuture<Long> after(long lastLsn, CompletableFuture<Long> durable);
}
