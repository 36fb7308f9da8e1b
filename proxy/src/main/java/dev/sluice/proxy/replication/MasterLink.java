package dev.sluice.proxy.replication;

import dev.sluice.proxy.engine.Session;
import java.util.Locale;

/**
 * Sluice as a replica (Redis's replication.c, replica side): the primary it follows and the state
 * of the link to it, read by INFO and ROLE and changed by the connection that carries the link.
 *
 * <p>The link's life, as Redis's repl_state:
 *
 * <pre>
 *   CONNECT ──cron, every second──▶ CONNECTING ──connected──▶ HANDSHAKE (PING, AUTH, REPLCONF, PSYNC)
 *      ▲                                                          │ +FULLRESYNC        │ +CONTINUE
 *      │                                                          ▼                    │
 *      └──────────── link lost, at any point ────────────── TRANSFER (the RDB file)    │
 *                                                                 │ loaded             │
 *                                                                 ▼                    ▼
 *                                                             CONNECTED: the primary's stream runs
 * </pre>
 *
 * The offset is the primary's: the bytes of its stream applied so far, so that a link that drops
 * continues with PSYNC where it stopped. A {@link Connector} opens links; the composition root
 * installs the one that speaks over Netty.
 */
public final class MasterLink {
  /** Redis's repl_state, as ROLE names it. */
  public enum State {
    CONNECT,
    CONNECTING,
    HANDSHAKE,
    TRANSFER,
    CONNECTED;

    /** ROLE's word for the state: connect, connecting, handshake, sync or connected. */
    public String roleName() {
      return this == TRANSFER ? "sync" : name().toLowerCase(Locale.ROOT);
    }
  }

  /** Opens and closes the connection that carries a link. */
  public interface Connector {
    /** Starts connecting; the connection reports back through the link's methods. */
    void connect(MasterLink link);

    /** Closes the link's connection, if it has one. */
    void disconnect(MasterLink link);
  }

  private final String host;
  private final int port;
  private volatile State state = State.CONNECT;
  private volatile String primaryReplid;
  private volatile long offset = -1; // no stream applied yet
  private volatile long lastIoMillis;
  private volatile long downSinceMillis;
  private volatile long transferBytes;
  private volatile long transferRead;
  private volatile boolean closed;
  private volatile Session session;

  private final boolean failover;

  /** {@code failover}: FAILOVER's link, whose PSYNC asks the primary to take over. */
  public MasterLink(String host, int port, boolean failover) {
    this.host = host;
    this.port = port;
    this.failover = failover;
  }

  /** Whether this link's PSYNC carries FAILOVER (asked once: a reconnection does not). */
  public boolean failover() {
    return failover && !failoverAsked;
  }

  /** The PSYNC … FAILOVER was sent. */
  public void failoverAsked() {
    failoverAsked = true;
  }

  private volatile boolean failoverAsked;

  public String host() {
    return host;
  }

  public int port() {
    return port;
  }

  public State state() {
    return state;
  }

  /** Whether this link was given up (REPLICAOF elsewhere or NO ONE): its connection closes. */
  public boolean closed() {
    return closed;
  }

  /** The link is no longer wanted. */
  public void close() {
    closed = true;
  }

  /** The replication ID of the primary's history this replica follows, or null before a sync. */
  public String primaryReplid() {
    return primaryReplid;
  }

  /** The primary's offset applied so far (slave_repl_offset), -1 before the first sync. */
  public long offset() {
    return offset;
  }

  /** The primary's client, which runs its stream: set once the stream runs. */
  public Session session() {
    return session;
  }

  public void session(Session primaryClient) {
    this.session = primaryClient;
  }

  public long lastIoMillis() {
    return lastIoMillis;
  }

  /** When the link went down, for master_link_down_since_seconds; 0 if it never was up. */
  public long downSinceMillis() {
    return downSinceMillis;
  }

  /** While the RDB file is read: {bytes expected (-1: sent without a length), bytes read}. */
  public long[] transfer() {
    return new long[] {transferBytes, transferRead};
  }

  // ---- reported by the connection ----

  public void connecting() {
    state = State.CONNECTING;
  }

  public void handshaking(long nowMillis) {
    state = State.HANDSHAKE;
    lastIoMillis = nowMillis;
  }

  /** +FULLRESYNC replid offset: the RDB file follows; {@code bytes} -1 when sent without length. */
  public void transferring(String replid, long primaryOffset, long bytes, long nowMillis) {
    state = State.TRANSFER;
    primaryReplid = replid;
    offset = primaryOffset;
    transferBytes = bytes;
    transferRead = 0;
    lastIoMillis = nowMillis;
  }

  public void transferred(long read, long nowMillis) {
    transferRead = read;
    lastIoMillis = nowMillis;
  }

  /** The stream runs (after the file was loaded, or after +CONTINUE, with its new ID if any). */
  public void connected(String replid, long nowMillis) {
    if (replid != null) {
      primaryReplid = replid;
    }
    state = State.CONNECTED;
    lastIoMillis = nowMillis;
    downSinceMillis = 0;
  }

  /** {@code bytes} of the primary's stream were applied (under the keyspace lock). */
  public void applied(long bytes, long nowMillis) {
    offset += bytes;
    lastIoMillis = nowMillis;
  }

  /** Input arrived (the stream, or newlines the primary sends while it prepares the file). */
  public void heard(long nowMillis) {
    lastIoMillis = nowMillis;
  }

  /** The connection ended: the cron connects again while the link is wanted. */
  public void lost(long nowMillis) {
    if (state == State.CONNECTED) {
      downSinceMillis = nowMillis;
    }
    state = State.CONNECT;
    session = null;
  }

  /**
   * What PSYNC asks for: the primary's ID and the next offset wanted, or "?" and -1 when nothing is
   * known yet.
   */
  public String[] psyncArguments() {
    String replid = primaryReplid;
    return replid == null || offset < 0
        ? new String[] {"?", "-1"}
        : new String[] {replid, Long.toString(offset + 1)};
  }

  /** Adopts the history a replica had as a primary, so it may continue it with its new primary. */
  public void continueFrom(String replid, long ownOffset) {
    primaryReplid = replid;
    offset = ownOffset;
  }
}
