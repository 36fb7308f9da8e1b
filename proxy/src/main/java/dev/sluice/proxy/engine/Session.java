package dev.sluice.proxy.engine;

import dev.sluice.proxy.pubsub.Subscriber;
import dev.sluice.proxy.pubsub.Subscriptions;
import dev.sluice.proxy.tracking.TrackingClient;
import dev.sluice.proxy.tracking.TrackingState;
import dev.sluice.proxy.tx.Transaction;

/**
 * The state of one client connection that commands read and change: selected database, protocol,
 * authentication, name. Touched only by the connection's own I/O thread, except for the fields
 * CLIENT LIST reads, which are volatile.
 */
public final class Session implements Subscriber, TrackingClient {
  private final long id;
  private final Connection connection;
  private final long createdAtMillis;
  private volatile String name;
  private volatile int db;
  private volatile int protocol = 2;
  private volatile boolean authenticated;
  private volatile Principal aclUser;
  private volatile String libName;
  private volatile String libVersion;
  private volatile long lastInteractionMillis;
  private final CommandClock commandClock = new CommandClock();
  private volatile String lastCommand = "NULL";
  private volatile boolean noEvict;
  private volatile Unblockable blocked;
  private volatile boolean noTouch;
  private long writeOffset;
  // CLIENT REPLY: REPLY_OFF or REPLY_SKIP while replies are dropped, plus REPLY_SKIP_NEXT
  private byte replyFlags;
  private boolean closeAfterReply;
  private final Transaction transaction = new Transaction();
  private final Subscriptions subscriptions = new Subscriptions();
  private final TrackingState tracking = new TrackingState();

  /**
   * @param user the user the connection acts as until it authenticates: the default user
   * @param authenticated whether it needs no AUTH (the default user is on and has no password)
   */
  public Session(
      long id, Connection connection, long nowMillis, Principal user, boolean authenticated) {
    this.id = id;
    this.aclUser = user;
    this.connection = connection;
    this.createdAtMillis = nowMillis;
    this.lastInteractionMillis = nowMillis;
    this.authenticated = authenticated;
  }

  public long id() {
    return id;
  }

  public Connection connection() {
    return connection;
  }

  public long createdAtMillis() {
    return createdAtMillis;
  }

  public String name() {
    return name;
  }

  public void name(String name) {
    this.name = name;
  }

  public int db() {
    return db;
  }

  public void db(int db) {
    this.db = db;
  }

  public int protocol() {
    return protocol;
  }

  public void protocol(int protocol) {
    this.protocol = protocol;
  }

  public boolean authenticated() {
    return authenticated;
  }

  public void authenticated(boolean authenticated) {
    this.authenticated = authenticated;
  }

  /** The name of the user the connection acts as (CLIENT LIST's user=, ACL WHOAMI). */
  public String user() {
    return aclUser.name();
  }

  /** The user whose rights apply to this connection's commands. */
  public Principal aclUser() {
    return aclUser;
  }

  public void aclUser(Principal user) {
    this.aclUser = user;
  }

  public String libName() {
    return libName;
  }

  public void libName(String libName) {
    this.libName = libName;
  }

  public String libVersion() {
    return libVersion;
  }

  public void libVersion(String libVersion) {
    this.libVersion = libVersion;
  }

  public long lastInteractionMillis() {
    return lastInteractionMillis;
  }

  public String lastCommand() {
    return lastCommand;
  }

  /** The connection's command timings, chained within a chunk of its pipeline (under the lock). */
  public CommandClock commandClock() {
    return commandClock;
  }

  /**
   * The client's idle time starts again. Redis sets this on each read and write, not each command;
   * the connection sets it once per chunk of its pipeline, when commands it sent run (a blocked
   * command served later does not reset it until the client's next chunk).
   */
  public void interacted(long nowMillis) {
    // volatile writes fence; a read is a plain load
    if (lastInteractionMillis != nowMillis) {
      this.lastInteractionMillis = nowMillis;
    }
  }

  /** The command CLIENT LIST shows as the client's cmd. */
  public void running(String command) {
    if (lastCommand != command) {
      this.lastCommand = command;
    }
  }

  /** Whether the connection waits in a blocking command (BLPOP …); idle timeouts spare it. */
  public boolean blocked() {
    return blocked != null;
  }

  /**
   * What the connection waits in, or null: a blocking command that CLIENT UNBLOCK may end, or a
   * command CLIENT PAUSE holds, which it may not.
   */
  public Unblockable blockedIn() {
    return blocked;
  }

  public void blocked(Unblockable waiter) {
    this.blocked = waiter;
  }

  /** Under the lock: where the replication stream was after this client's last command. */
  public long writeOffset() {
    return writeOffset;
  }

  public void writeOffset(long offset) {
    this.writeOffset = offset;
  }

  /** CLIENT NO-TOUCH: this client's commands leave keys' LRU/LFU data alone (but TOUCH). */
  /**
   * Whether this is the client that carries this replica's primary's stream (Redis's master client,
   * CLIENT LIST flag M): its commands are obeyed whatever the state, and not answered.
   */
  public boolean primaryLink() {
    return primaryLink;
  }

  public void primaryLink(boolean primaryLink) {
    this.primaryLink = primaryLink;
  }

  private boolean primaryLink;
  private volatile boolean replica;

  /** Whether this client is a replica of this node, fed its stream (CLIENT LIST flag S). */
  public boolean replica() {
    return replica;
  }

  public void replica(boolean replica) {
    this.replica = replica;
  }

  /**
   * Redis's getClientType, for CLIENT LIST and CLIENT KILL's TYPE: master, slave, pubsub, normal.
   */
  public String clientType() {
    if (primaryLink) {
      return "master";
    }
    if (replica) {
      return "slave";
    }
    return subscriptions().total() > 0 ? "pubsub" : "normal";
  }

  public boolean noTouch() {
    return noTouch;
  }

  public void noTouch(boolean noTouch) {
    this.noTouch = noTouch;
  }

  private static final byte REPLY_OFF = 1;
  private static final byte REPLY_SKIP = 2;
  private static final byte REPLY_SKIP_NEXT = 4;

  /** CLIENT REPLY ON: replies are sent again. */
  public void repliesOn() {
    replyFlags &= ~(REPLY_OFF | REPLY_SKIP);
  }

  /** RESET: replies on, as Redis's clearClientConnectionState (a SKIP in force still applies). */
  public void resetReplies() {
    replyFlags &= ~(REPLY_OFF | REPLY_SKIP_NEXT);
  }

  /** CLIENT REPLY OFF. */
  public void repliesOff() {
    replyFlags |= REPLY_OFF;
  }

  /** CLIENT REPLY SKIP: the next command's reply is dropped, unless replies are off already. */
  public void skipNextReply() {
    if ((replyFlags & REPLY_OFF) == 0) {
      replyFlags |= REPLY_SKIP_NEXT;
    }
  }

  /**
   * After a command completed (not when it suspends): whether its reply is to be dropped; then, as
   * Redis's resetClient, a SKIP asked for by this command applies to the next one.
   */
  public boolean commandDone() {
    if (replyFlags == 0) {
      return false;
    }
    boolean drop = (replyFlags & (REPLY_OFF | REPLY_SKIP)) != 0;
    replyFlags &= ~REPLY_SKIP;
    if ((replyFlags & REPLY_SKIP_NEXT) != 0) {
      replyFlags = (byte) ((replyFlags & ~REPLY_SKIP_NEXT) | REPLY_SKIP);
    }
    return drop;
  }

  public boolean noEvict() {
    return noEvict;
  }

  public void noEvict(boolean noEvict) {
    this.noEvict = noEvict;
  }

  public Transaction transaction() {
    return transaction;
  }

  @Override
  public Subscriptions subscriptions() {
    return subscriptions;
  }

  @Override
  public TrackingState tracking() {
    return tracking;
  }

  @Override
  public boolean inPubSubMode() {
    return subscriptions.total() > 0;
  }

  @Override
  public void deliver(java.util.function.Consumer<dev.sluice.proxy.resp.Reply> message) {
    connection.push(protocol, message);
  }

  /** QUIT and CLIENT KILL of oneself: close once the reply is flushed. */
  public boolean closeAfterReply() {
    return closeAfterReply;
  }

  public void closeAfterReply(boolean close) {
    this.closeAfterReply = close;
  }
}
