package dev.sluice.writeback.batch;

import dev.sluice.writeback.journal.JournalException;
import dev.sluice.writeback.journal.JournalFullException;
import dev.sluice.writeback.journal.JournalWriter;
import dev.sluice.writeback.sink.AppendRow;
import dev.sluice.writeback.sink.PostgresSink;
import dev.sluice.writeback.sink.WriteRecord;
import dev.sluice.writeback.sink.WriteRecordCodec;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves journaled append rows into PostgreSQL: every row goes through the {@link JournalWriter}
 * first ({@link #append}), then into its mapping's lane of {@link Lanes} (where the DBA's pause,
 * throttle and flush act); the {@link FlushLoop}'s {@code sluice-flusher} thread takes closed
 * batches, one mapping's rows in LSN order each, waits until each row is durable, writes the batch
 * with the {@link PostgresSink} (rows and the batch's highest LSN in one transaction) and then
 * calls {@link JournalWriter#markApplied}, which releases budget and deletes applied segments.
 *
 * <p>One flusher thread serves all append mappings. Since a paused mapping holds its rows while the
 * others flow, each transaction records the mapping's own highest LSN ({@code
 * sluice.applied_mapping}) and the lineage's watermark ({@code sluice.applied}, everything below it
 * committed); start-up skips a record at or below either.
 *
 * <p>{@link #start} reads the lineage's applied LSN, marks the journal applied up to it and replays
 * every record above it: nothing acknowledged is lost, nothing is written twice. A failure that is
 * not about particular rows is retried by the {@link FlushGuard} (jittered exponential backoff
 * behind a circuit breaker), re-reading the applied LSN first, for ever: rows are never dropped.
 * The writing itself, and its counts, are the {@link BatchWriter}'s.
 *
 * <p>Across replicated nodes a journal has one of two roles. The primary's flushes; every record it
 * journals goes to its {@link RecordShipper} (the replication stream), and a write is acknowledged
 * once its {@link WriteAcknowledgement} says so (the fsync, and with {@code writeback.ack: replica}
 * the replicas' ACKs). A follower's ({@link #demote}: a replica, or a primary whose lineage another
 * node took over, which a flush finds out as {@link PostgresSink.FencedException}) flushes nothing
 * and refuses appends of its own; it appends its primary's records with their LSNs ({@link
 * #appendShipped}), restarts the journal at a full resync ({@link #adopt}) and frees what the
 * primary says PostgreSQL holds ({@link #followerApplied}). {@link #promote} takes the lineage over
 * (its term goes up, so the old owner's flushes fail from then on), continues the numbering above
 * every LSN the lineage applied and flushes what the journal holds above them.
 */
public final class Flusher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Flusher.class);

  /** A queued row: its LSN and the future of its durability (shared by a group's rows). */
  record Pending(long lsn, CompletableFuture<Long> durable, WriteRecord record) {}

  /** What a {@link #flush(String, Duration)} did: rows it waited for, and whether all are in. */
  public record FlushOutcome(long rows, boolean done) {}

  private final JournalWriter journal;
  private final Path journalDir;
  private final PostgresSink sink;
  private final Lanes<Pending> lanes;
  private final FlushLoop loop;
  // a replica's flusher, or a fenced one: it journals its primary's records and flushes nothing
  private volatile boolean following;
  private volatile Lineage lineage;
  private volatile RecordShipper shipper = (first, types, payloads) -> {};
  private volatile WriteAcknowledgement acknowledgement = (lsn, durable) -> durable;

  /** Sets who ships journaled records to replicas. */
  public void shipper(RecordShipper shipper) {
    this.shipper = shipper;
  }

  /** Sets what acknowledging a journaled write waits for. */
  public void acknowledgement(WriteAcknowledgement acknowledgement) {
    this.acknowledgement = acknowledgement;
  }

  public Flusher(
      JournalWriter journal,
      Path journalDir,
      PostgresSink sink,
      int maxBatchRows,
      Duration maxBatchDelay,
      Duration maxBackoff) {
    this.journal = journal;
    this.journalDir = journalDir;
    this.sink = sink;
    this.lanes = new Lanes<>(maxBatchRows, maxBatchDelay, System::nanoTime);
    for (String mapping : sink.mappings()) {
      lanes.declare(mapping);
    }
    this.loop = new FlushLoop(lanes, journal, sink, maxBackoff, this::demote);
  }

  /** The lineage this journal belongs to, and this node's term as its owner. */
  public Lineage lineage() {
    return lineage;
  }

  /** Whether this node flushes nothing: a replica, or a primary whose lineage was taken over. */
  public boolean following() {
    return following;
  }

  /** What start-up replay found. */
  public record Replay(long appliedLsn, long records, long lastLsn) {}

  /** Hears of each record {@link #start} queues again from the journal. */
  public interface ReplayListener {
    void replayed(long lsn, WriteRecord record);
  }

  private ReplayListener replayListener = (lsn, record) -> {};

  /** Sets who hears of replayed records (keys written before a restart and not yet applied). */
  public void onReplay(ReplayListener listener) {
    this.replayListener = listener;
  }

  /**
   * Reads the applied LSN from PostgreSQL, marks the journal applied up to it, queues every record
   * above it and starts the flusher thread. Call before the first {@link #append}.
   */
  public Replay start() throws SQLException {
    Lineage stored = Lineage.read(journalDir);
    if (stored == null) {
      // an empty journal starts a lineage; an older journal's LSNs were kept under the node's name
      Lineage created =
          journal.lastLsn() == 0 ? Lineage.fresh(sink.node()) : new Lineage(sink.node(), 0);
      stored = created.withTerm(sink.claim(created.id()));
      stored.write(journalDir);
    }
    lineage = stored;
    sink.owner(stored.id(), stored.term());
    long owner = sink.ownerTerm(stored.id());
    Replay replay;
    if (owner != stored.term()) {
      log.warn(
          "write-back: lineage '{}' has term {} in sluice.lineage_owner, this node holds term {}:"
              + " another node took it over, so this one flushes nothing until it is promoted"
              + " (REPLICAOF NO ONE) or follows a primary",
          stored.id(),
          owner,
          stored.term());
      following = true;
      replay = new Replay(sink.readApplied(), 0, journal.lastLsn());
    } else {
      replay = replayAboveApplied();
    }
    loop.start();
    return replay;
  }

  /**
   * Reads the lineage's applied LSNs, continues the journal's numbering above them (so that no LSN
   * the lineage already applied is used again) and queues every record above them.
   */
  private Replay replayAboveApplied() throws SQLException {
    long applied = sink.readApplied();
    Map<String, Long> byMapping = sink.readAppliedByMapping();
    long highest = applied;
    for (long lsn : byMapping.values()) {
      highest = Math.max(highest, lsn);
    }
    long last = journal.lastLsn();
    if (applied > last) {
      log.info(
          "write-back: lineage '{}' applied up to LSN {}, the journal in {} ends at LSN {}:"
              + " continuing at LSN {}",
          lineage.id(),
          applied,
          journalDir,
          last,
          highest + 1);
    }
    if (Math.min(applied, last) > 0) {
      journal.markApplied(Math.min(applied, last));
    }
    JournalWriter.Filled filled = journal.skipTo(highest + 1);
    if (filled != null) {
      shipper.journaled(filled.firstLsn(), filled.types(), filled.payloads());
    }
    loop.appliedAt(Math.min(applied, journal.lastLsn()));
    long replayed =
        applied >= last
            ? 0
            : new JournalReplay(
                    journalDir,
                    lanes,
                    (lsn, row) -> {
                      replayListener.replayed(lsn, row);
                      shipper.held(lsn, WriteRecordCodec.type(row), WriteRecordCodec.encode(row));
                    })
                .replay(applied, last, byMapping);
    lanes.startAt(journal.lastLsn());
    return new Replay(applied, replayed, last);
  }

  /**
   * This node was promoted: it takes its lineage over in PostgreSQL (so the previous owner's
   * flushes fail from now on), then flushes what its journal holds above the applied LSNs and
   * everything journaled later. No write is journaled meanwhile: a following flusher refuses them.
   *
   * @param wanted checked under this flusher's lock, which {@link #demote} takes too: false (the
   *     node follows a primary again) promotes nothing
   * @return what was replayed, or null when no longer {@code wanted}
   */
  public synchronized Replay promote(BooleanSupplier wanted) throws SQLException {
    if (!wanted.getAsBoolean()) {
      return null;
    }
    Lineage current = lineage;
    Lineage owned = current.withTerm(sink.claim(current.id()));
    owned.write(journalDir);
    lineage = owned;
    sink.owner(owned.id(), owned.term());
    lanes.clear();
    Replay replay = replayAboveApplied();
    following = false;
    log.info(
        "write-back: promoted, lineage '{}' term {}: applied up to LSN {}, {} records to flush,"
            + " journaling from LSN {}",
        owned.id(),
        owned.term(),
        replay.appliedLsn(),
        replay.records(),
        journal.lastLsn() + 1);
    return replay;
  }

  /** This node follows a primary now: it stops flushing; its queued rows stay in the journal. */
  public synchronized void demote() {
    if (!following) {
      log.info("write-back: following a primary, this node no longer flushes");
    }
    following = true;
    lanes.clear();
  }

  /**
   * A full resync from the primary: this journal is discarded (it may hold a demoted primary's
   * records, which the new primary never had) and continues at {@code nextLsn} in the primary's
   * lineage, followed with term 0 until a promotion.
   */
  public synchronized void adopt(String lineageId, long nextLsn) {
    following = true;
    lanes.clear();
    journal.reset(nextLsn);
    Lineage adopted = new Lineage(lineageId, 0);
    adopted.write(journalDir);
    lineage = adopted;
    sink.owner(adopted.id(), 0);
  }

  /**
   * A replica appends records its primary journaled, with the primary's LSNs (those it holds
   * already are skipped); returns the future of their durability, or null when it held them all.
   *
   * @throws JournalException when they would leave a gap
   */
  public synchronized CompletableFuture<Long> appendShipped(
      long firstLsn, byte[] types, byte[][] payloads) {
    return journal.appendAt(firstLsn, types, payloads);
  }

  /**
   * A follower hears from its primary that PostgreSQL applied {@code lineage} up to {@code lsn}:
   * its journal frees what it holds up to there (nothing for another lineage).
   */
  public synchronized void followerApplied(String lineageId, long lsn) {
    Lineage current = lineage;
    long upTo = Math.min(lsn, journal.lastLsn());
    if (following && current != null && current.id().equals(lineageId) && upTo > 0) {
      journal.markApplied(upTo);
    }
  }

  private void refuseWhileFollowing() {
    if (following) {
      throw new JournalException(
          "this node follows a primary (or its lineage was taken over): write-back writes go to"
              + " the primary");
    }
  }

  /**
   * Journals {@code row} (an append row, a row upsert or delete, a kv write or delete; record types
   * in {@link WriteRecordCodec}) and queues it for PostgreSQL; {@link Appended#durable} completes
   * once it is durable, which is when the caller may acknowledge it. Futures complete in LSN order.
   *
   * @throws JournalFullException when the journal's budget is used
   */
  public Appended append(WriteRecord row) {
    byte[] payload = WriteRecordCodec.encode(row);
    synchronized (this) {
      refuseWhileFollowing();
      // under this lock, the batcher's order is the journal's LSN order, and the journal's last
      // LSN is the one just assigned (every append of the journal goes through here)
      byte type = WriteRecordCodec.type(row);
      CompletableFuture<Long> durable = journal.append(type, payload);
      long lsn = journal.lastLsn();
      lanes.add(row.mapping(), lsn, new Pending(lsn, durable, row), payload.length);
      shipper.journaled(lsn, new byte[] {type}, new byte[][] {payload});
      return new Appended(lsn, acknowledgement.after(lsn, durable));
    }
  }

  /**
   * Journals records as one group (a connection's pipelined burst of XADDs): consecutive LSNs, one
   * record each on disk as from {@link #append}, but one lock, one journal queue entry and one
   * future for all of them. Either all are journaled or, when they do not fit in the budget, none.
   *
   * @param rows at least one record
   * @return the first record's LSN (the others follow it) and the future of the group's durability
   * @throws JournalFullException before journaling anything
   */
  public Appended appendGroup(List<? extends WriteRecord> rows) {
    int n = rows.size();
    byte[] types = new byte[n];
    byte[][] payloads = new byte[n][];
    String[] mappings = new String[n];
    int[] bytes = new int[n];
    Pending[] pending = new Pending[n];
    for (int i = 0; i < n; i++) {
      WriteRecord row = rows.get(i);
      types[i] = WriteRecordCodec.type(row);
      payloads[i] = WriteRecordCodec.encode(row);
      mappings[i] = row.mapping();
      bytes[i] = payloads[i].length;
    }
    synchronized (this) {
      refuseWhileFollowing();
      // as in append: under this lock the lanes see rows in the journal's LSN order
      CompletableFuture<Long> durable = journal.appendAll(types, payloads);
      long first = journal.lastLsn() - n + 1;
      for (int i = 0; i < n; i++) {
        pending[i] = new Pending(first + i, durable, rows.get(i));
      }
      lanes.addAll(mappings, first, Arrays.asList(pending), bytes);
      shipper.journaled(first, types, payloads);
      return new Appended(first, acknowledgement.after(first + n - 1, durable));
    }
  }

  /**
   * Journals rows as one unit (an HTTP ingest request): while it runs no other append interleaves,
   * and when {@code recordBytes} (the sum of {@link JournalWriter#recordSize} of the rows' encoded
   * payloads) does not fit in the budget nothing is journaled. Every other append also goes through
   * this flusher's lock, so once the check passes every row of the unit fits.
   *
   * @return the first row's LSN and the last row's {@link Appended}, or null when {@code rows} is
   *     empty
   * @throws JournalFullException before journaling anything
   */
  public synchronized Unit appendAll(Iterator<AppendRow> rows, long recordBytes) {
    long pending = journal.pendingBytes();
    if (pending + recordBytes > journal.budget()) {
      throw new JournalFullException(pending, journal.budget());
    }
    long first = -1;
    Appended last = null;
    while (rows.hasNext()) {
      last = append(rows.next());
      if (first < 0) {
        first = last.lsn();
      }
    }
    return last == null ? null : new Unit(first, last);
  }

  /** Rows journaled by {@link #appendAll}: futures complete in LSN order, the last one last. */
  public record Unit(long firstLsn, Appended last) {}

  /** A journaled row: its LSN, known at once, and the future of its durability. */
  public record Appended(long lsn, CompletableFuture<Long> durable) {}

  public long appliedLsn() {
    return loop.appliedLsn();
  }

  /** Rows journaled and not yet committed in PostgreSQL. */
  public long pendingRows() {
    return lanes.pendingRows();
  }

  /** What was written into PostgreSQL, and how the writing goes. */
  public BatchWriter writer() {
    return loop.writer();
  }

  /** Pauses or resumes flushing one mapping; its rows keep being journaled meanwhile. */
  public void paused(String mapping, boolean paused) {
    lanes.paused(mapping, paused);
  }

  /** Limits one mapping's flushing to {@code rowsPerSecond} (0: no limit). */
  public void throttle(String mapping, int rowsPerSecond) {
    lanes.throttle(mapping, rowsPerSecond);
  }

  /** Asks for the mapping's queued rows to be written now, without waiting. */
  public void requestFlush(String mapping) {
    lanes.requestFlush(mapping);
  }

  public List<Lanes.LaneStatus> laneStatus() {
    return lanes.status();
  }

  /**
   * Flushes everything journaled before the call, waiting at most {@code timeout}; works while
   * paused (and leaves the pause in place). Returns whether everything up to that point is in
   * PostgreSQL.
   */
  public boolean flush(Duration timeout) throws InterruptedException {
    return flush(null, timeout).done();
  }

  /**
   * Flushes the rows of {@code mapping} (every mapping when null) journaled before the call,
   * whatever its pause or throttle, waiting at most {@code timeout}.
   */
  public FlushOutcome flush(String mapping, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<String> names = mapping == null ? lanes.mappings() : List.of(mapping);
    long[][] goals = new long[names.size()][];
    long rows = 0;
    for (int i = 0; i < names.size(); i++) {
      goals[i] = lanes.requestFlush(names.get(i));
      rows += goals[i][1];
    }
    for (int i = 0; i < names.size(); i++) {
      if (!lanes.awaitApplied(names.get(i), goals[i][0], deadline)) {
        return new FlushOutcome(rows, false);
      }
    }
    return new FlushOutcome(rows, true);
  }

  /** Waits until {@code lsn} is applied; false on timeout. */
  public boolean awaitApplied(long lsn, Duration timeout) throws InterruptedException {
    return loop.awaitApplied(lsn, timeout);
  }

  /**
   * Stops the flusher thread after the batch it is writing, if any; rows still queued stay in the
   * journal and are replayed at the next start.
   */
  @Override
  public void close() {
    lanes.close();
    loop.close();
  }
}
