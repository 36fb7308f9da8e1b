package dev.sluice.proxy.command;

import dev.sluice.proxy.keyspace.Database;
import dev.sluice.proxy.keyspace.Keyspace;
import dev.sluice.proxy.resp.Reply;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;

/**
 * One command being executed: its arguments, the client's session, where to reply and the server. A
 * connection reuses one context for all its commands, so executing allocates nothing here.
 */
public final class CommandContext {
  private final ServerContext server;
  private final Session session;
  private Reply reply;
  private byte[][] args;
  private CommandSpec spec;
  private boolean blockingAllowed = true;
  private BlockRequest blockRequest;
  private LoadRequest loadRequest;

  /** Keys a command needs loaded into memory before it can run. */
  public record LoadRequest(int db, List<byte[]> keys) {}

  /**
   * A command's wish to wait for keys: the connection stops, and the command runs again when one of
   * the keys changes and holds a value of {@code type} (null: any value), or {@code onTimeout}
   * answers after {@code timeoutMillis} (0: forever).
   */
  public record BlockRequest(
      int db, List<byte[]> keys, Class<?> type, long timeoutMillis, Consumer<Reply> onTimeout) {
    /**
     * Whether a ready key's value is worth running the command again for. As in Redis 7.4, a key
     * that was deleted or now holds another type leaves the client blocked.
     */
    public boolean servedBy(Object value) {
      return value != null && (type == null || type.isInstance(value));
    }
  }

  public CommandContext(ServerContext server, Session session, Reply reply) {
    this.server = server;
    this.session = session;
    this.reply = reply;
  }

  private CommandExecutor executor;

  void bind(byte[][] args, CommandSpec spec, CommandExecutor executor) {
    this.args = args;
    this.spec = spec;
    this.executor = executor;
  }

  /**
   * Runs another command on this connection in the middle of the current one, as EXEC does for its
   * queue; blocking commands answer at once. The arguments and spec of the current command are
   * restored afterwards.
   */
  void runNested(byte[][] nestedArgs) {
    byte[][] outerArgs = args;
    CommandSpec outerSpec = spec;
    boolean outerBlocking = blockingAllowed;
    blockingAllowed = false;
    try {
      executor.execute(this, nestedArgs);
    } finally {
      blockingAllowed = outerBlocking;
      args = outerArgs;
      spec = outerSpec;
    }
  }

  /**
   * Runs a command for a script's redis.call on this connection, its reply captured by {@code
   * capture} instead of going to the client; blocking commands answer at once, as inside EXEC.
   */
  public void runInScript(byte[][] nestedArgs, Reply capture) {
    Reply outer = reply;
    reply = capture;
    try {
      runNested(nestedArgs);
    } finally {
      reply = outer;
    }
  }

  public ServerContext server() {
    return server;
  }

  public Session session() {
    return session;
  }

  public Reply reply() {
    if (burst != null && !burst.isEmpty()) {
      flushAppends(); // held XADD replies go first: replies stay in request order
    }
    return reply;
  }

  // XADDs of the pipeline being collected (see XaddBurst); created on the first one
  private XaddBurst burst;
  private boolean collectingAppends;

  /**
   * Before a command of the client's pipeline: an XADD (outside MULTI) may join the burst of XADDs
   * being collected, whose journaling and replies wait until something else is to be written;
   * anything else first journals the burst and writes its replies. {@code args} null: not a command
   * (a protocol error is about to be written).
   */
  public void beforePipelined(byte[][] args) {
    collectingAppends =
        args != null
            && args.length > 0
            && server.appends() != null
            && !session.transaction().inMulti()
            && joinsAppendBurst(args[0]);
    if (!collectingAppends) {
      flushAppends();
    }
  }

  /**
   * Under the lock, after the last command of a chunk of the pipeline: ends the XADD burst. If the
   * chunk suspended its connection the burst is journaled now, since once the lock is released
   * another thread (serving a blocked pop) may use this context; else returns whether XADDs are
   * held, for the caller to journal after releasing the lock with {@link #flushAppendsAfter}.
   */
  public boolean endChunk(boolean suspended) {
    collectingAppends = false; // no further XADD joins the burst
    boolean held = burst != null && !burst.isEmpty();
    if (held && suspended) {
      flushAppends();
      return false;
    }
    return held;
  }

  /**
   * Journals the XADDs {@link #endChunk} left held and writes their replies; returns what the
   * chunk's replies wait for: their group's future, later than the chunk's {@code durable}.
   */
  public java.util.concurrent.CompletableFuture<?> flushAppendsAfter(
      java.util.concurrent.CompletableFuture<?> durable) {
    flushAppends();
    java.util.concurrent.CompletableFuture<?> group = takeDurable();
    return group != null ? group : durable;
  }

  private boolean joinsAppendBurst(byte[] name) {
    CommandSpec spec = server.commands().lookup(name);
    return spec != null && spec.has(CommandTrait.APPEND_BURST);
  }

  /** The burst the running XADD may join, or null when it must journal and reply at once. */
  XaddBurst appendBurst() {
    if (!collectingAppends) {
      return null;
    }
    if (burst == null) {
      burst = new XaddBurst(server.stats());
    }
    return burst;
  }

  /**
   * Journals the collected XADDs as one group and writes their replies (nothing if none); the
   * group's future is then what {@link #takeDurable} returns.
   */
  public void flushAppends() {
    if (burst == null || burst.isEmpty()) {
      return;
    }
    java.util.concurrent.CompletableFuture<?> group =
        burst.flush(server.appends().flusher(), reply);
    if (group != null) {
      durable = group; // later than any future registered before: it stands for all
    }
  }

  public CommandSpec spec() {
    return spec;
  }

  public Keyspace keyspace() {
    return server.keyspace();
  }

  /** The database the client selected. */
  public Database db() {
    return server.keyspace().db(session.db());
  }

  public long now() {
    return server.keyspace().now();
  }

  /**
   * Counts {@code changes} changes to the data where Redis does {@code server.dirty += changes}:
   * INFO's rdb_changes_since_last_save.
   */
  public void dirty(long changes) {
    server.stats().dirty.add(changes);
  }

  public int argc() {
    return args.length;
  }

  public byte[] arg(int i) {
    return args[i];
  }

  public byte[][] args() {
    return args;
  }

  public String text(int i) {
    return new String(args[i], StandardCharsets.UTF_8);
  }

  /** Whether argument {@code i} is the ASCII word {@code lowerWord}, in any case. */
  public boolean is(int i, String lowerWord) {
    byte[] a = args[i];
    if (a.length != lowerWord.length()) {
      return false;
    }
    for (int j = 0; j < a.length; j++) {
      byte b = a[j];
      if (b >= 'A' && b <= 'Z') {
        b += 32;
      }
      if (b != lowerWord.charAt(j)) {
        return false;
      }
    }
    return true;
  }

  public long longArg(int i) {
    return Numbers.parseLong(args[i], Errors.NOT_INTEGER);
  }

  public long longArg(int i, String error) {
    return Numbers.parseLong(args[i], error);
  }

  public double doubleArg(int i) {
    return Numbers.parseDouble(args[i], Errors.NOT_FLOAT);
  }

  /** Sends a keyspace notification for a key of the selected database (Redis's event names). */
  public void notify(int type, String event, byte[] key) {
    server.keyspace().notify(type, event, key, session.db());
  }

  /**
   * Blocks the connection until one of {@code keys} changes, then runs this command again; the
   * handler writes no reply now. Where blocking is not possible (inside MULTI/EXEC or a script)
   * {@code onTimeout} answers at once, as Redis does.
   */
  public void block(List<byte[]> keys, long timeoutMillis, Consumer<Reply> onTimeout) {
    block(keys, null, timeoutMillis, onTimeout);
  }

  /**
   * As {@link #block(List, long, Consumer)}, running again only once a key holds a {@code type}.
   */
  public void block(
      List<byte[]> keys, Class<?> type, long timeoutMillis, Consumer<Reply> onTimeout) {
    if (!blockingAllowed) {
      onTimeout.accept(reply);
      return;
    }
    blockRequest = new BlockRequest(session.db(), keys, type, timeoutMillis, onTimeout);
  }

  /** Whether a blocking command may block here (not inside MULTI/EXEC or a script). */
  public boolean canBlock() {
    return blockingAllowed;
  }

  private boolean loadingAllowed = true;

  boolean loadingAllowed() {
    return loadingAllowed;
  }

  void loadingAllowed(boolean allowed) {
    this.loadingAllowed = allowed;
  }

  void requestLoad(List<byte[]> keys) {
    loadRequest = new LoadRequest(session.db(), keys);
  }

  /** The load the last command needs before it can run, if any, clearing it. */
  public LoadRequest takeLoadRequest() {
    LoadRequest request = loadRequest;
    loadRequest = null;
    return request;
  }

  private java.util.concurrent.CompletableFuture<?> durable;

  /**
   * The reply just written must not reach the client before {@code future} completes (a journaled
   * write becoming durable). The connection keeps running the commands it has already received, but
   * holds their replies until then, so pipelined writes share one fsync and replies stay in order.
   * Futures registered by one connection complete in order, so the last one stands for all.
   */
  public void awaitDurable(java.util.concurrent.CompletableFuture<?> future) {
    durable = future;
  }

  /** What the replies written since the last call must wait for, if anything, clearing it. */
  public java.util.concurrent.CompletableFuture<?> takeDurable() {
    java.util.concurrent.CompletableFuture<?> f = durable;
    durable = null;
    return f;
  }

  /**
   * What a command does once the work it suspended on completes: on the connection's event loop,
   * under the keyspace lock, with {@code value} or {@code error} (the cause, unwrapped) of the
   * work. The command's arguments are no longer bound: the continuation keeps what it needs.
   */
  @FunctionalInterface
  public interface Continuation {
    void resume(Reply reply, Object value, Throwable error);
  }

  /** Work a command suspended its connection on, and what answers once it completes. */
  public record AwaitRequest(java.util.concurrent.CompletableFuture<?> work, Continuation then) {}

  private AwaitRequest awaitRequest;

  /**
   * Suspends the connection until {@code work} completes, without the keyspace lock (SLUICE WARM
   * talks to PostgreSQL); then {@code then} writes the reply. The connection's later commands wait,
   * and their replies follow this one. Not possible where blocking is not ({@link #canBlock}).
   */
  public void suspendUntil(java.util.concurrent.CompletableFuture<?> work, Continuation then) {
    awaitRequest = new AwaitRequest(work, then);
  }

  /** The work the last command suspended on, if any, clearing it. */
  public AwaitRequest takeAwaitRequest() {
    AwaitRequest request = awaitRequest;
    awaitRequest = null;
    return request;
  }

  /** The block the last command asked for, if any, clearing it. */
  public BlockRequest takeBlockRequest() {
    BlockRequest request = blockRequest;
    blockRequest = null;
    return request;
  }
}
