package dev.sluice.proxy.runtime;

import dev.sluice.proxy.durable.AppendWriteBack;
import dev.sluice.proxy.engine.ReplicaRole;
import dev.sluice.proxy.engine.Session;
import dev.sluice.proxy.keyspace.Keyspace;
import dev.sluice.proxy.replication.MasterLink;
import dev.sluice.proxy.replication.Primary;
import dev.sluice.writeback.batch.Flusher;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's role: a primary, or a replica of another node (REPLICAOF), and the switch between the
 * two (Redis's replicationSetMaster and replicationUnsetMaster). A replica is a primary too, to its
 * own replicas: its {@link Primary} passes its primary's stream on and keeps the backlog, so that
 * after a promotion the others continue with PSYNC instead of loading a whole file.
 *
 * <p>Role changes and the primary link's commands run under the keyspace lock; the link's state is
 * written by its connection's thread and read anywhere.
 */
public final class Replication implements ReplicaRole {
  private static final Logger log = LoggerFactory.getLogger(Replication.class);

  private final ServerContext server;
  private final Primary primary;
  private volatile MasterLink link;
  private volatile MasterLink.Connector connector =
      new MasterLink.Connector() { // until the server listens: links wait for the cron
        @Override
        public void connect(MasterLink link) {}

        @Override
        public void disconnect(MasterLink link) {}
      };
  private volatile boolean readOnly = true;
  private volatile long timeoutMillis = 60_000;
  private volatile boolean serveStaleData = true;
  private volatile String masterauth = "";
  private volatile String masteruser = "";
  private static final String UNBLOCKED_BY_ROLE_CHANGE =
      "UNBLOCKED force unblock from blocking operation, instance state changed (master -> replica?)";

  private final ReplicationJournal journal;
  // a replica's journal records not yet on disk: the link offset before each, and its future
  private final java.util.ArrayDeque<PendingRecords> unforced = new java.util.ArrayDeque<>();
  // set by a full resync's file: the SLUICE.JOURNAL SYNC that follows it restarts the journal
  private volatile boolean journalSyncExpected;
  private final WriteBackPromotion promotion = new WriteBackPromotion();

  private record PendingRecords(
      long offsetBefore, java.util.concurrent.CompletableFuture<?> done) {}

  Replication(ServerContext server, Primary primary) {
    this.server = server;
    this.primary = primary;
    this.journal = new ReplicationJournal(server);
    primary.onAcknowledged(journal::acknowledged);
  }

  /** Write-back's journal records in the replication stream. */
  public ReplicationJournal journal() {
    return journal;
  }

  private Flusher flusher() {
    AppendWriteBack appends = server.appends();
    return appends == null ? null : appends.flusher();
  }

  /** How links to a primary are opened; installed by the composition root before serving. */
  public void connector(MasterLink.Connector connector) {
    this.connector = connector;
  }

  public Primary primary() {
    return primary;
  }

  /** The link to this node's primary, or null when it is one. */
  public MasterLink link() {
    return link;
  }

  /** replica-read-only. */
  public boolean readOnly() {
    return readOnly;
  }

  /** repl-timeout. */
  void timeoutSeconds(int seconds) {
    this.timeoutMillis = seconds * 1000L;
  }

  void readOnly(boolean readOnly) {
    this.readOnly = readOnly;
  }

  void serveStaleData(boolean serve) {
    this.serveStaleData = serve;
  }

  void masterauth(String password) {
    this.masterauth = password;
  }

  void masteruser(String user) {
    this.masteruser = user;
  }

  /** AUTH's arguments for the primary, or null when masterauth is empty. */
  public String[] primaryCredentials() {
    String password = masterauth;
    if (password.isEmpty()) {
      return null;
    }
    String user = masteruser;
    return user.isEmpty() ? new String[] {password} : new String[] {user, password};
  }

  // ---- the engine's ReplicaRole ----

  @Override
  public boolean refusesWrites() {
    return link != null && readOnly;
  }

  @Override
  public boolean primaryDown() {
    MasterLink current = link;
    return current != null && !serveStaleData && current.state() != MasterLink.State.CONNECTED;
  }

  // ---- REPLICAOF ----

  /**
   * REPLICAOF host port, under the keyspace lock: false when already following that primary. A
   * primary that becomes a replica offers its own history to the new primary, which may continue
   * it.
   */
  public boolean replicaOf(String host, int port) {
    return replicaOf(host, port, false);
  }

  /**
   * As {@link #replicaOf(String, int)}; {@code failover}: FAILOVER's last step, whose PSYNC asks
   * the new primary to take over this node's history.
   */
  boolean replicaOf(String host, int port, boolean failover) {
    MasterLink current = link;
    if (current != null && current.host().equalsIgnoreCase(host) && current.port() == port) {
      return false;
    }
    MasterLink next = new MasterLink(host, port, failover);
    Flusher flusher = flusher();
    promotion.cancel(); // before the demotion: a promotion retried now promotes nothing
    if (current == null && flusher != null) {
      journal.ship();
      flusher.demote(); // a replica never flushes: its primary does
    }
    if (current != null) {
      drop(current);
      next.continueFrom(current.primaryReplid(), current.offset());
    } else {
      next.continueFrom(primary.replid(), primary.offset());
    }
    Keyspace keyspace = server.keyspace();
    keyspace.replica(true);
    primary.following(true);
    link = next;
    // as Redis's disconnectAllBlockedClients: what they wait for may now never come
    for (Session session : server.clients().all()) {
      if (session.blockedIn() != null) {
        session.blockedIn().unblock(UNBLOCKED_BY_ROLE_CHANGE);
      }
    }
    log.info("Connecting to the primary {}:{}", host, port);
    connector.connect(next);
    return true;
  }

  /** REPLICAOF NO ONE, under the keyspace lock: this node's history goes on under a new ID. */
  public void becomePrimary() {
    MasterLink current = link;
    if (current == null) {
      return;
    }
    drop(current);
    link = null;
    server.keyspace().replica(false);
    primary.following(false);
    primary.shiftReplicationId(newReplid());
    // as Redis's disconnectSlaves: they reconnect, and continue under the new ID with PSYNC
    primary.replicas().forEach(r -> r.session().connection().close());
    unforced.clear();
    Flusher flusher = flusher();
    if (flusher != null) {
      promotion.promote(flusher);
    }
    log.info("Primary mode enabled: no longer a replica of {}:{}", current.host(), current.port());
  }

  private void drop(MasterLink old) {
    old.close();
    connector.disconnect(old);
  }

  static String newReplid() {
    byte[] id = new byte[20];
    ThreadLocalRandom.current().nextBytes(id);
    return HexFormat.of().formatHex(id);
  }

  /** Ships journal records a burst or an ingest left queued (they could not take the lock). */
  private void shipJournal() {
    Keyspace keyspace = server.keyspace();
    keyspace.lock().lock();
    try {
      journal.ship();
      journal.acknowledged();
      journal.shipApplied();
    } finally {
      keyspace.lock().unlock();
    }
  }

  // ---- the link's work ----

  /**
   * +FULLRESYNC's file arrived: it replaces the data, under the keyspace lock, and this node's
   * history becomes the primary's.
   */
  public void loadFromPrimary(MasterLink from, byte[] rdb, String replid, long offset) {
    Keyspace keyspace = server.keyspace();
    keyspace.lock().lock();
    try {
      if (from != link) {
        return; // REPLICAOF changed meanwhile
      }
      server.persistence().loadFromPrimary(rdb, from.host() + ":" + from.port());
      primary.adopt(replid, offset);
      unforced.clear();
      journalSyncExpected = true;
      from.connected(replid, System.currentTimeMillis());
    } finally {
      keyspace.lock().unlock();
    }
  }

  /** The answer to a PSYNC … FAILOVER: the target took over, or refused. */
  public void failoverAnswered(MasterLink from, boolean tookOver) {
    Keyspace keyspace = server.keyspace();
    keyspace.lock().lock();
    try {
      if (from == link) {
        server.failover().targetAnswered(tookOver);
      }
    } finally {
      keyspace.lock().unlock();
    }
  }

  /** +CONTINUE: the stream goes on; with a new ID, the primary was promoted meanwhile. */
  public void continued(MasterLink from, String newReplid) {
    Keyspace keyspace = server.keyspace();
    keyspace.lock().lock();
    try {
      if (newReplid != null && !newReplid.equals(from.primaryReplid())) {
        primary.shiftReplicationId(newReplid);
        primary.replicas().forEach(r -> r.session().connection().close());
      }
      from.connected(newReplid, System.currentTimeMillis());
    } finally {
      keyspace.lock().unlock();
    }
  }

  /**
   * A command of the primary's stream ran (under the keyspace lock): the offset moves by its bytes,
   * and this node's replicas get it as it came.
   */
  public void applied(byte[][] args) {
    MasterLink current = link;
    if (current == null) {
      return;
    }
    current.applied(primary.feedFromPrimary(args), System.currentTimeMillis());
  }

  /** REPLCONF GETACK from the primary: the offset applied, before the GETACK itself. */
  public void acknowledge(Session primarySession) {
    MasterLink current = link;
    if (current != null) {
      primarySession.connection().pushBytes(ack(durableOffset(current)));
    }
  }

  // ---- write-back's records from the primary (under the keyspace lock) ----

  /**
   * SLUICE.JOURNAL SYNC: after a full resync's file, this node's journal restarts at {@code
   * fromLsn} in the primary's lineage. Ignored by a replica that did not just load a file (it
   * proxies its primary's stream, and holds the records already).
   */
  public void journalSync(String lineage, long fromLsn) {
    Flusher flusher = flusher();
    if (flusher == null || !journalSyncExpected) {
      return;
    }
    journalSyncExpected = false;
    flusher.adopt(lineage, fromLsn);
    log.info(
        "write-back: journal restarted at LSN {} in the primary's lineage '{}'", fromLsn, lineage);
  }

  /** SLUICE.JOURNAL APPLIED: what PostgreSQL holds of the lineage; the journal frees it. */
  public void journalApplied(String lineage, long lsn) {
    Flusher flusher = flusher();
    if (flusher != null && link != null) {
      flusher.followerApplied(lineage, lsn);
    }
  }

  /**
   * SLUICE.JOURNAL RECORDS: the primary's records, appended with its LSNs; until they are on disk
   * the ACKs this node sends stay before them, and once they are, an ACK goes at once (a write
   * under writeback.ack: replica waits for it).
   */
  public void journalRecords(long firstLsn, byte[] types, byte[][] payloads) {
    Flusher flusher = flusher();
    MasterLink current = link;
    if (flusher == null || current == null) {
      return;
    }
    java.util.concurrent.CompletableFuture<Long> done;
    try {
      done = flusher.appendShipped(firstLsn, types, payloads);
    } catch (RuntimeException e) {
      // no ACK may count these records, and only a full resync brings the journal back in line
      log.error(
          "write-back: cannot journal the primary's records from LSN {} ({}); asking the primary"
              + " for a full resynchronisation",
          firstLsn,
          e.getMessage());
      unforced.addLast(
          new PendingRecords(current.offset(), new java.util.concurrent.CompletableFuture<>()));
      current.continueFrom("?", -1);
      connector.disconnect(current);
      return;
    }
    if (done == null) {
      return;
    }
    unforced.addLast(new PendingRecords(current.offset(), done));
    done.whenComplete((lsn, error) -> acknowledgeDurable(current));
  }

  private void acknowledgeDurable(MasterLink from) {
    Keyspace keyspace = server.keyspace();
    keyspace.lock().lock();
    try {
      if (from == link && from.state() == MasterLink.State.CONNECTED && from.session() != null) {
        from.session().connection().pushBytes(ack(durableOffset(from)));
      }
    } finally {
      keyspace.lock().unlock();
    }
  }

  /** The offset applied, but not past journal records still on their way to disk. */
  long durableOffset(MasterLink current) {
    while (!unforced.isEmpty()) {
      PendingRecords head = unforced.peekFirst();
      if (!head.done().isDone() || head.done().isCompletedExceptionally()) {
        return head.offsetBefore();
      }
      unforced.pollFirst();
    }
    return current.offset();
  }

  private static byte[] ack(long offset) {
    String offsetText = Long.toString(offset);
    return Primary.encode(
        new byte[][] {
          "REPLCONF".getBytes(StandardCharsets.US_ASCII),
          "ACK".getBytes(StandardCharsets.US_ASCII),
          offsetText.getBytes(StandardCharsets.US_ASCII)
        });
  }

  /**
   * Once a second, as Redis's replicationCron: connects a link that is down, and acknowledges the
   * offset applied so that the primary knows this replica is alive and where it is.
   */
  void cron() {
    shipJournal();
    MasterLink current = link;
    if (current == null || current.closed()) {
      return;
    }
    if (current.state() == MasterLink.State.CONNECT
        && server.failover().state() == PlannedFailover.State.IN_PROGRESS) {
      // FAILOVER's target could not be reached: this node stays the primary, writes resume
      Keyspace keyspace = server.keyspace();
      keyspace.lock().lock();
      try {
        server.failover().abort("Failover target unreachable");
      } finally {
        keyspace.lock().unlock();
      }
      return;
    }
    long now = System.currentTimeMillis();
    if (current.state() == MasterLink.State.CONNECT) {
      connector.connect(current);
    } else if (current.state() != MasterLink.State.CONNECTING
        && now - current.lastIoMillis() > timeoutMillis) {
      // a primary that went silent (it PINGs every 10 s): drop the link, the next run reconnects
      log.warn(
          "No data from the primary {}:{} for {} s: reconnecting",
          current.host(),
          current.port(),
          timeoutMillis / 1000);
      connector.disconnect(current);
    } else if (current.state() == MasterLink.State.CONNECTED && current.session() != null) {
      Keyspace keyspace = server.keyspace();
      keyspace.lock().lock();
      try {
        current.session().connection().pushBytes(ack(durableOffset(current)));
      } finally {
        keyspace.lock().unlock();
      }
    }
  }
}
