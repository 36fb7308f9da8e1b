package dev.sluice.proxy.runtime;

import dev.sluice.proxy.durable.AppendWriteBack;
import dev.sluice.proxy.replication.JournalFreeStream;
import dev.sluice.proxy.replication.Primary;
import dev.sluice.writeback.batch.Flusher;
import dev.sluice.writeback.batch.RecordShipper;
import dev.sluice.writeback.batch.WriteAcknowledgement;
import dev.sluice.writeback.journal.JournalWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Write-back across replicated nodes, the primary's side: the journal records this node writes go
 * into the replication stream with their LSNs, so that replicas hold them too.
 *
 * <p><b>Design.</b> Only the primary flushes to PostgreSQL; a replica's {@link Flusher} follows
 * ({@link Flusher#demote}) and appends what it receives with the primary's LSNs ({@link
 * Flusher#appendShipped}). Each record the primary journals ({@link #journaled}, under the
 * flusher's lock, so in LSN order) is queued and shipped as soon as this thread holds the keyspace
 * lock (at once for a command, which holds it; a burst of XADDs or an HTTP ingest try to take it
 * without waiting, and when it is busy a task on the cron's thread ships what they left as soon as
 * it gets it) as {@code SLUICE.JOURNAL RECORDS <lineage> <first LSN> <type> <payload> …} (up to
 * {@value #MAX_PER_COMMAND} records a command, codec bytes of {@code WriteRecordCodec}). A replica
 * forces them to disk before its {@code REPLCONF ACK} counts the command's bytes ({@link
 * Replication#durableOffset}).
 *
 * <p>The records above the applied LSN stay here too (the tail, also the ones replayed at start): a
 * full resync sends, after the RDB file, {@code SLUICE.JOURNAL SYNC <lineage> <applied + 1>} (the
 * replica discards its own journal, which may hold a demoted primary's records, and takes this
 * lineage) and then the tail, an LSN that is not in it (a mapping's row already applied, a filler)
 * as a filler record. Partial resyncs need nothing more: the records are in the backlog.
 *
 * <p>With {@code writeback.ack: replica} a write's future ({@link #after}) completes once the
 * journal has it and {@code writeback.ack-replicas} replicas acknowledged the stream offset past
 * its record; the connection holds the reply meanwhile, as for the journal's fsync, and asks the
 * replicas for an ACK (REPLCONF GETACK) when it ships.
 */
public final class ReplicationJournal implements RecordShipper, WriteAcknowledgement {
  static final byte[] COMMAND = JournalFreeStream.JOURNAL;
  static final byte[] RECORDS = bytes("RECORDS");
  static final byte[] SYNC = bytes("SYNC");
  static final byte[] APPLIED = bytes("APPLIED");
  static final int MAX_PER_COMMAND = 1024;
  private static final byte[] NOTHING = new byte[0];

  private record Shipped(long lsn, byte type, byte[] payload) {}

  private record Waiter(long lsn, CompletableFuture<Long> done) {}

  private final ServerContext server;
  private final ConcurrentLinkedQueue<Shipped> queue = new ConcurrentLinkedQueue<>();
  private final ConcurrentSkipListMap<Long, Shipped> tail = new ConcurrentSkipListMap<>();
  // under the keyspace lock: the last LSN of each shipped command, and the stream offset after it
  private final TreeMap<Long, Long> offsets = new TreeMap<>();
  private final List<Waiter> waiters = new ArrayList<>(); // guarded by itself
  private volatile int ackReplicas;
  private long appliedSent; // under the keyspace lock
  private volatile Executor shipper;
  private final AtomicBoolean shipScheduled = new AtomicBoolean();

  ReplicationJournal(ServerContext server) {
    this.server = server;
  }

  /** writeback.ack: 0 for local, else writeback.ack-replicas. */
  public void ackReplicas(int replicas) {
    this.ackReplicas = replicas;
  }

  private Flusher flusher() {
    AppendWriteBack appends = server.appends();
    return appends == null ? null : appends.flusher();
  }

  // ---- the flusher's side ----

  @Override
  public void journaled(long firstLsn, byte[] types, byte[][] payloads) {
    for (int i = 0; i < payloads.length; i++) {
      queue.add(new Shipped(firstLsn + i, types[i], payloads[i]));
    }
    ReentrantLock lock = server.keyspace().lock();
    // never wait for the keyspace lock under the flusher's: a command holding it may be waiting
    // for the flusher's; it ships the queue itself once it journals
    if (lock.isHeldByCurrentThread()) {
      ship();
    } else if (lock.tryLock()) {
      try {
        ship();
      } finally {
        lock.unlock();
      }
    } else {
      shipSoon();
    }
  }

  /** Where records journaled without the keyspace lock are shipped from: the cron's thread. */
  void shipOn(Executor executor) {
    this.shipper = executor;
  }

  /**
   * The keyspace lock was busy: a task ships what is queued as soon as it gets the lock, instead of
   * the next command or the cron's next second (a writer with {@code writeback.ack: replica} waits
   * for it). One task at a time; it clears its flag before it takes the lock, so that records
   * queued meanwhile are shipped by it or by the next.
   */
  private void shipSoon() {
    Executor executor = shipper;
    if (executor == null || !shipScheduled.compareAndSet(false, true)) {
      return;
    }
    try {
      executor.execute(
          () -> {
            shipScheduled.set(false);
            ReentrantLock lock = server.keyspace().lock();
            lock.lock();
            try {
              ship();
            } finally {
              lock.unlock();
            }
          });
    } catch (RejectedExecutionException e) {
      shipScheduled.set(false); // shutting down: the journal keeps the records
    }
  }

  @Override
  public void held(long lsn, byte type, byte[] payload) {
    tail.put(lsn, new Shipped(lsn, type, payload));
  }

  @Override
  public CompletableFuture<Long> after(long lastLsn, CompletableFuture<Long> durable) {
    if (ackReplicas == 0) {
      return durable;
    }
    CompletableFuture<Long> replicas = new CompletableFuture<>();
    synchronized (waiters) {
      waiters.add(new Waiter(lastLsn, replicas));
    }
    return durable.thenCombine(replicas, (lsn, ignored) -> lsn);
  }

  // ---- under the keyspace lock ----

  /** Ships what was journaled and not yet sent, in LSN order. */
  void ship() {
    Flusher flusher = flusher();
    if (flusher == null || queue.isEmpty()) {
      return;
    }
    List<Shipped> group = new ArrayList<>();
    Shipped next;
    while ((next = queue.poll()) != null) {
      tail.put(next.lsn(), next);
      if (!group.isEmpty()
          && (group.size() == MAX_PER_COMMAND
              || group.get(group.size() - 1).lsn() + 1 != next.lsn())) {
        emit(flusher, group);
        group.clear();
      }
      group.add(next);
    }
    emit(flusher, group);
    tail.headMap(flusher.appliedLsn(), true).clear();
    if (ackReplicas > 0) {
      server.primary().requestAcks();
      acknowledged();
    }
  }

  private void emit(Flusher flusher, List<Shipped> group) {
    if (group.isEmpty()) {
      return;
    }
    Primary primary = server.primary();
    byte[][] args = new byte[4 + 2 * group.size()][];
    args[0] = COMMAND;
    args[1] = RECORDS;
    args[2] = bytes(flusher.lineage().id());
    args[3] = bytes(Long.toString(group.get(0).lsn()));
    for (int i = 0; i < group.size(); i++) {
      args[4 + 2 * i] = new byte[] {group.get(i).type()};
      args[5 + 2 * i] = group.get(i).payload();
    }
    primary.feedJournal(args);
    if (ackReplicas > 0 && primary.active()) {
      offsets.put(group.get(group.size() - 1).lsn(), primary.offset());
    }
  }

  /**
   * Once a second: tells the replicas how far PostgreSQL has applied the lineage ({@code
   * SLUICE.JOURNAL APPLIED <lineage> <lsn>}), so that they free their journals' budget as the
   * primary does; they never read PostgreSQL themselves.
   */
  void shipApplied() {
    Flusher flusher = flusher();
    if (flusher == null || flusher.following() || !server.primary().active()) {
      return;
    }
    long applied = flusher.appliedLsn();
    if (applied > appliedSent) {
      server
          .primary()
          .feedJournal(
              new byte[][] {
                COMMAND, APPLIED, bytes(flusher.lineage().id()), bytes(Long.toString(applied))
              });
      appliedSent = applied;
    }
  }

  /** Before the RDB file of a full resync is taken: what is queued goes before it. */
  public void beforeFullSync() {
    ship();
  }

  /**
   * After the RDB file of a full resync (the new replica is attached): the replica's journal is
   * restarted in this lineage above the applied LSN and gets every record since.
   */
  public void afterFullSync() {
    Flusher flusher = flusher();
    if (flusher == null || flusher.lineage() == null) {
      return;
    }
    long from = flusher.appliedLsn() + 1;
    server
        .primary()
        .feedJournal(
            new byte[][] {
              COMMAND, SYNC, bytes(flusher.lineage().id()), bytes(Long.toString(from))
            });
    Map.Entry<Long, Shipped> last = tail.lastEntry();
    if (last == null || last.getKey() < from) {
      return;
    }
    List<Shipped> group = new ArrayList<>();
    for (long lsn = from; lsn <= last.getKey(); lsn++) {
      Shipped record = tail.get(lsn);
      group.add(record != null ? record : new Shipped(lsn, JournalWriter.FILLER, NOTHING));
      if (group.size() == MAX_PER_COMMAND) {
        emit(flusher, group);
        group.clear();
      }
    }
    emit(flusher, group);
  }

  /**
   * An ACK arrived, records were shipped, or a second passed: completes the writes enough replicas
   * hold, and those PostgreSQL has already (a full resync sends no record applied before it).
   */
  void acknowledged() {
    Primary primary = server.primary();
    Flusher flusher = flusher();
    long applied = flusher == null ? 0 : flusher.appliedLsn();
    List<Waiter> done = new ArrayList<>();
    synchronized (waiters) {
      while (!waiters.isEmpty()) {
        Waiter first = waiters.get(0);
        Map.Entry<Long, Long> shipped = offsets.ceilingEntry(first.lsn());
        boolean held =
            first.lsn() <= applied
                || (shipped != null
                    && primary.acknowledgedBy(shipped.getValue(), false) >= ackReplicas);
        if (!held) {
          break; // later writes are later in the stream: they wait too
        }
        waiters.remove(0);
        done.add(first);
      }
      if (!done.isEmpty()) {
        // a write registers after its record was shipped: only records before the last one
        // answered can no longer be waited for
        offsets.headMap(done.get(done.size() - 1).lsn(), false).clear();
      }
    }
    for (Waiter waiter : done) {
      waiter.done().complete(waiter.lsn());
    }
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
