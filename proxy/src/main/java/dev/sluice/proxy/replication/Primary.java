package dev.sluice.proxy.replication;

import dev.sluice.proxy.engine.Propagation;
import dev.sluice.proxy.engine.Session;
import dev.sluice.proxy.keyspace.Clock;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Sluice as a primary (Redis's replication.c, master side), under the keyspace lock: the
 * replication ID and offset, the backlog, the connected replicas, and the stream of effects they
 * are sent — each command as a RESP array of bulk strings, preceded by SELECT when its database is
 * not the previous one's, several effects of one command wrapped in MULTI ... EXEC.
 *
 * <p>A replica's PSYNC is answered with +CONTINUE and the backlog's bytes after its offset when it
 * knows this replication ID and the backlog still holds them; otherwise with +FULLRESYNC, an RDB
 * file of the data at this offset (taken under the lock, so no command falls between the file and
 * the stream), then the stream. The backlog is created with the first replica and kept, as Redis
 * keeps it, so that a replica that reconnects can continue.
 */
public final class Primary implements Propagation {
  private static final byte[] MULTI = command("MULTI");
  private static final byte[] EXEC = command("EXEC");
  private static final byte[] PING = command("PING");
  private static final byte[] GETACK = command("REPLCONF", "GETACK", "*");

  private volatile String replid;
  // the history this one continues (Redis's replid2), valid up to secondOffset (-1: none)
  private volatile String replid2 = "0000000000000000000000000000000000000000";
  private volatile long secondOffset = -1;
  private volatile int backlogSize = 1 << 20;
  private ReplicationBacklog backlog;
  private final List<Replica> replicas = new ArrayList<>();
  private int lastDb = -1;
  // INFO stats: sync_full, sync_partial_ok, sync_partial_err
  private long fullSyncs;
  private long partialSyncs;
  private long refusedPartialSyncs;
  // the offset before the GETACK that ends the stream, or -1: its bytes are no client's write
  private long offsetBeforeGetAck = -1;
  private final AckWaits waits = new AckWaits(this);
  private final GoodReplicas goodReplicas = new GoodReplicas();

  /** A connected replica: its session, the port it listens on, what it acknowledged. */
  public static final class Replica {
    final Session session;
    int listeningPort;
    long ackOffset;
    long aofAckOffset;
    long ackMillis;
    boolean journal; // REPLCONF capa sluice-journal: it gets SLUICE.JOURNAL, not PINGs

    Replica(Session session, long nowMillis) {
      this.session = session;
      this.ackMillis = nowMillis;
    }

    public Session session() {
      return session;
    }

    /** The replica's IP address, as INFO and ROLE show it. */
    public String host() {
      String address = session.connection().remoteAddress();
      int colon = address.lastIndexOf(':');
      return colon < 0 ? address : address.substring(0, colon);
    }

    public int listeningPort() {
      return listeningPort;
    }

    public long ackOffset() {
      return ackOffset;
    }

    public long ackMillis() {
      return ackMillis;
    }

    /** The offset the replica's append-only file holds (REPLCONF ACK … FACK), for WAITAOF. */
    public long aofAckOffset() {
      return aofAckOffset;
    }
  }

  public Primary(String replid) {
    this.replid = replid;
  }

  public String replid() {
    return replid;
  }

  /** master_replid2 and second_repl_offset of INFO replication. */
  public String replid2() {
    return replid2;
  }

  public long secondOffset() {
    return secondOffset;
  }

  /**
   * Redis's shiftReplicationId, when a replica becomes a primary: its history goes on under a new
   * ID, and replicas of the old primary that knew the old ID up to this offset may continue.
   */
  public void shiftReplicationId(String newReplid) {
    replid2 = replid;
    secondOffset = offset() + 1;
    replid = newReplid;
    lastDb = -1; // the stream proxied from the old primary left its own database selected
  }

  /**
   * A replica took its primary's history ({@code replid} at {@code offset}, after loading its
   * file): the backlog restarts there, and this node's own replicas must synchronise again.
   */
  public void adopt(String newReplid, long newOffset) {
    replid = newReplid;
    replid2 = "0000000000000000000000000000000000000000";
    secondOffset = -1;
    backlog = new ReplicationBacklog(backlogSize, newOffset);
    lastDb = -1;
    List.copyOf(replicas).forEach(r -> r.session.connection().close());
  }

  /**
   * A command of this replica's primary's stream was applied: this node's backlog and replicas get
   * it as it came (Redis's proxying). Returns its length in the stream.
   */
  public int feedFromPrimary(byte[][] args) {
    out.reset();
    out.command(args);
    byte[] bytes = out.toBytes();
    if (backlog != null) {
      feed(bytes, JournalFreeStream.isJournal(args));
    }
    return bytes.length;
  }

  /** repl-backlog-size: applies to the backlog created next, as a resize would in Redis. */
  public void backlogSize(int bytes) {
    this.backlogSize = bytes;
  }

  @Override
  public boolean active() {
    return backlog != null;
  }

  /** master_repl_offset: the bytes of stream so far. */
  public long offset() {
    return backlog == null ? 0 : backlog.offset();
  }

  public List<Replica> replicas() {
    return List.copyOf(replicas);
  }

  public Replica replica(Session session) {
    for (Replica replica : replicas) {
      if (replica.session == session) {
        return replica;
      }
    }
    return null;
  }

  /** INFO replication's backlog fields: active, size, first byte offset, histlen. */
  public long[] backlogInfo() {
    if (backlog == null) {
      return new long[] {0, backlogSize, 0, 0};
    }
    return new long[] {1, backlog.size(), backlog.firstByteOffset(), backlog.histlen()};
  }

  /**
   * PSYNC {@code id} {@code offset}: the bytes a replica that has the stream up to {@code offset}
   * of {@code id} still needs, or null when it needs a full synchronisation.
   */
  public byte[] continuation(Session session, String id, long replicaOffset) {
    boolean ours = replid.equalsIgnoreCase(id);
    boolean previous = replid2.equalsIgnoreCase(id) && replicaOffset <= secondOffset;
    if (backlog == null || !(ours || previous)) {
      if (!"?".equals(id)) {
        refusedPartialSyncs++;
      }
      return null;
    }
    // PSYNC sends the offset of the next byte it wants
    byte[] missing = backlog.since(replicaOffset - 1);
    if (missing == null) {
      refusedPartialSyncs++;
      return null;
    }
    partialSyncs++;
    Replica attached = replica(session);
    boolean journal = attached != null ? attached.journal : announced(session).journal;
    return journal ? missing : JournalFreeStream.of(missing);
  }

  /** A full synchronisation was sent (SYNC, or PSYNC that could not continue). */
  public void fullSyncSent() {
    fullSyncs++;
  }

  /** INFO stats: sync_full, sync_partial_ok, sync_partial_err. */
  public long[] syncCounts() {
    return new long[] {fullSyncs, partialSyncs, refusedPartialSyncs};
  }

  /** What REPLCONF announced before the connection became a replica. */
  private static final class Announced {
    int port;
    boolean journal;
  }

  private final Map<Session, Announced> announced = new WeakHashMap<>();

  private Announced announced(Session session) {
    return announced.computeIfAbsent(session, s -> new Announced());
  }

  /** REPLCONF listening-port: where the replica listens (INFO and ROLE show it). */
  public void announcedPort(Session session, int port) {
    Replica replica = replica(session);
    if (replica != null) {
      replica.listeningPort = port;
    } else {
      announced(session).port = port;
    }
  }

  /**
   * REPLCONF capa {@code capability}: {@code sluice-journal} (a Sluice replica) is the only one
   * that changes what is sent; eof and psync2 are what Sluice does anyway.
   */
  public void announcedCapability(Session session, String capability) {
    if ("sluice-journal".equalsIgnoreCase(capability)) {
      Replica replica = replica(session);
      if (replica != null) {
        replica.journal = true;
      } else {
        announced(session).journal = true;
      }
    }
  }

  /** Starts sending the stream to {@code session}, from the current offset on. */
  public Replica attach(Session session, long nowMillis) {
    if (backlog == null) {
      backlog = new ReplicationBacklog(backlogSize, 0);
      lastDb = -1; // the next effect selects its database
    }
    Replica replica = replica(session);
    if (replica == null) {
      replica = new Replica(session, nowMillis);
      session.replica(true);
      Announced said = announced.remove(session);
      replica.listeningPort = said == null ? 0 : said.port;
      replica.journal = said != null && said.journal;
      replicas.add(replica);
    }
    replica.ackOffset = 0;
    replica.aofAckOffset = 0;
    return replica;
  }

  /** A replica went away. */
  @Override
  public void disconnected(Session session) {
    replicas.removeIf(r -> r.session == session);
    announced.remove(session);
    waits.disconnected(session);
  }

  /** A full synchronisation starts from here: replicas must be told the database again. */
  public void forgetSelectedDb() {
    lastDb = -1;
  }

  private final StreamEncoder out = new StreamEncoder(); // under the keyspace lock

  @Override
  public void propagate(List<Effect> effects) {
    out.reset();
    boolean transaction = effects.size() > 1;
    if (transaction) {
      select(effects.get(0).db());
      out.raw(MULTI);
    }
    for (Effect effect : effects) {
      select(effect.db());
      out.command(effect.args());
    }
    if (transaction) {
      out.raw(EXEC);
    }
    feed(out.toBytes());
  }

  /**
   * A command of write-back's journal ({@code SLUICE.JOURNAL}), not a client's effect: into the
   * backlog and to every replica, with no SELECT; a replica that is not a Sluice gets PINGs of the
   * same length ({@link JournalFreeStream}). Nothing when no replica ever attached: there is no
   * stream yet.
   */
  public void feedJournal(byte[][] args) {
    if (backlog == null) {
      return;
    }
    out.reset();
    out.command(args);
    feed(out.toBytes(), true);
  }

  private Runnable ackListener = () -> {};

  /** Who hears of every REPLCONF ACK, after WAIT's clients were answered (under the lock). */
  public void onAcknowledged(Runnable listener) {
    this.ackListener = listener;
  }

  /** Every repl-ping-replica-period: a PING in the stream, so that replicas see the link alive. */
  public void ping() {
    if (backlog != null && !replicas.isEmpty()) {
      feed(PING);
    }
  }

  private void select(int db) {
    if (db != lastDb) {
      out.command(
          new byte[][] {
            "SELECT".getBytes(StandardCharsets.US_ASCII),
            Integer.toString(db).getBytes(StandardCharsets.US_ASCII)
          });
      lastDb = db;
    }
  }

  private void feed(byte[] bytes) {
    feed(bytes, false);
  }

  private void feed(byte[] bytes, boolean journal) {
    offsetBeforeGetAck = -1;
    backlog.append(bytes);
    byte[] padding = null;
    for (Replica replica : replicas) {
      if (journal && !replica.journal) {
        if (padding == null) {
          padding = JournalFreeStream.noop(bytes.length);
        }
        replica.session.connection().pushBytes(padding);
      } else {
        replica.session.connection().pushBytes(bytes);
      }
    }
  }

  /**
   * A REPLCONF ACK {@code offset} [FACK {@code aofOffset}] (-1: none); clients waiting for it are
   * answered.
   */
  public void acknowledged(Session session, long offset, long aofOffset, long nowMillis) {
    Replica replica = replica(session);
    if (replica != null) {
      replica.ackOffset = Math.max(replica.ackOffset, offset);
      replica.aofAckOffset = Math.max(replica.aofAckOffset, aofOffset);
      replica.ackMillis = nowMillis;
      waits.acknowledged();
      ackListener.run();
    }
  }

  /**
   * The offset a client's write is at once its command ran (Redis's {@code c->woff}): the stream so
   * far, but not a GETACK that ends it, which a replica's answer to it does not count yet.
   */
  @Override
  public long writeOffset() {
    return offsetBeforeGetAck >= 0 ? offsetBeforeGetAck : offset();
  }

  /**
   * Asks every replica for an ACK now (REPLCONF GETACK *, without SELECT), unless the stream
   * already ends with that request: the clients that wait at one position share one, as Redis's
   * beforeSleep sends one for all the clients of an event-loop turn.
   */
  public void requestAcks() {
    if (backlog == null || replicas.isEmpty() || offsetBeforeGetAck >= 0) {
      return;
    }
    long before = backlog.offset();
    feed(GETACK);
    offsetBeforeGetAck = before;
  }

  /** The online replicas whose ACK (or, with {@code aof}, FACK) reached {@code offset}. */
  public int acknowledgedBy(long offset, boolean aof) {
    int count = 0;
    for (Replica replica : replicas) {
      if ((aof ? replica.aofAckOffset : replica.ackOffset) >= offset) {
        count++;
      }
    }
    return count;
  }

  /** The clients waiting in WAIT and WAITAOF. */
  public AckWaits waits() {
    return waits;
  }

  /** INFO's min_slaves_good_slaves: the replicas within min-replicas-max-lag. */
  public int goodReplicaCount(long nowMillis) {
    return goodReplicas.count(replicas, nowMillis);
  }

  /** min-replicas-to-write and min-replicas-max-lag. */
  public GoodReplicas goodReplicas() {
    return goodReplicas;
  }

  /** Whether writes may run: see {@link GoodReplicas#enough}. */
  @Override
  public boolean enoughGoodReplicas(Clock clock) {
    // as Redis's checkGoodReplicasStatus: a replica's writes are its primary's to count
    return following || goodReplicas.enough(replicas, clock);
  }

  private volatile boolean following;

  /**
   * Whether this node is a replica itself (REPLICAOF): min-replicas-to-write then refuses nothing.
   */
  public void following(boolean following) {
    this.following = following;
  }

  private static byte[] command(String... args) {
    byte[][] bytes = new byte[args.length][];
    for (int i = 0; i < args.length; i++) {
      bytes[i] = args[i].getBytes(StandardCharsets.US_ASCII);
    }
    return encode(bytes);
  }

  /** A command as the stream carries it: a RESP array of bulk strings. */
  public static byte[] encode(byte[][] args) {
    return StreamEncoder.encode(args);
  }
}
