package dev.sluice.config;

import static dev.sluice.config.ValueParsers.integer;
import static dev.sluice.config.ValueParsers.memory;

import java.time.Duration;

/**
 * The write-back settings: the durable journal (journal.*) and the flusher that drains it into
 * PostgreSQL (writeback.*).
 */
public final class WriteBackSettings {
  private WriteBackSettings() {}

  // Write-back journal.

  public static final Setting<String> JOURNAL_DIR =
      new Setting<>(
          "journal.dir",
          ValueParsers.nonEmpty("a directory"),
          "./data/journal",
          false,
          "Where the write-back journal keeps its segment files.");

  public static final Setting<Long> JOURNAL_SEGMENT_SIZE =
      new Setting<>(
          "journal.segment-size",
          memory(64 * 1024, 1024L * 1024 * 1024),
          "64mb",
          false,
          "Size at which the journal starts a new segment file (64kb..1gb).");

  public static final Setting<Long> JOURNAL_BUDGET =
      new Setting<>(
          "journal.budget",
          memory(64 * 1024, Long.MAX_VALUE),
          "1gb",
          false,
          "Most bytes of journaled writes not yet applied to PostgreSQL; beyond it writes are"
              + " refused with 'journal full'.");

  public static final Setting<Duration> JOURNAL_FSYNC =
      new Setting<>(
          "journal.fsync",
          ValueParsers.fsyncPolicy(),
          "always",
          false,
          "When the journal forces writes to disk: 'always' (a write is acknowledged after"
              + " fsync) or an interval such as 100ms (acknowledged at once, forced every"
              + " interval: a crash may lose up to that much acknowledged data).");

  // Write-back flushing.

  public static final Setting<String> WRITEBACK_NODE =
      new Setting<>(
          "writeback.node",
          ValueParsers.nonEmpty("a node name"),
          "sluice",
          false,
          "Name of this Sluice: the origin of its flushes, the owner in sluice.lineage_owner, and"
              + " the start of the replication lineage it creates for an empty journal (applied"
              + " LSNs are kept per lineage). Each Sluice needs its own name.");

  public static final Setting<Integer> WRITEBACK_MAX_BATCH_ROWS =
      new Setting<>(
          "writeback.max-batch-rows",
          integer(1, 10_000_000),
          "50000",
          false,
          "Most journaled rows one flush transaction takes; a batch closes when it has this many.");

  public static final Setting<Duration> WRITEBACK_MAX_BATCH_DELAY =
      new Setting<>(
          "writeback.max-batch-delay",
          ValueParsers.duration(Duration.ofMillis(1), Duration.ofDays(1)),
          "200ms",
          false,
          "Longest a journaled row waits for its batch to fill before the batch is flushed anyway.");

  public static final Setting<Duration> WRITEBACK_MAX_BACKOFF =
      new Setting<>(
          "writeback.max-backoff",
          ValueParsers.duration(Duration.ofMillis(10), Duration.ofHours(1)),
          "30s",
          false,
          "Longest pause between retries of a flush that failed for a connection-level reason"
              + " (the pause doubles from 100ms, with jitter); also how long the flusher's circuit"
              + " breaker stays open.");

  public static final Setting<String> WRITEBACK_ACK =
      new Setting<>(
          "writeback.ack",
          ValueParsers.oneOf("local", "replica"),
          "local",
          false,
          "When a write-back write (XADD on an append mapping, a write to a row write-back or kv"
              + " key) is acknowledged: 'local' once this node's journal has it, 'replica' once"
              + " writeback.ack-replicas replicas have it in their journals too (the write waits"
              + " while fewer replicas are connected).");

  public static final Setting<Integer> WRITEBACK_ACK_REPLICAS =
      new Setting<>(
          "writeback.ack-replicas",
          integer(1, 64),
          "1",
          false,
          "With writeback.ack: replica, how many replicas must have journaled a write before it is"
              + " acknowledged (1..64).");
}
