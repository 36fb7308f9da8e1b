package dev.sluice.proxy.engine;

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
  private final Engine engine;
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
      int db,
      List<byte[]> keys,
      Class<?> type,
      long timeoutMillis,
      Consumer<Reply> onTimeout,
      byte[][] rerunArgs,
      Consumer<Reply> onKeyGone) {
    /**
     * Whether a ready key's value is worth running the command again for. As in Redis 7.4, a key
     * that was deleted or now holds another type leaves the client blocked, unless {@link
     * #onKeyGone} answers for that case.
     */
    public boolean servedBy(Object value) {
      return value != null && (type == null || type.isInstance(value));
    }

    /**
     * Whether a ready key's value ends the wait with {@link #onKeyGone}'s answer: the key was
     * deleted or now holds another type, and the command asked to be told (XREADGROUP, whose group
     * went with the key: Redis 7.4's unblock_on_nokey).
     */
    public boolean endedBy(Object value) {
      return onKeyGone != null && !servedBy(value);
    }
  }

  public CommandContext(Engine engine, Session session, Reply reply) {
    this.engine = engine;
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
  public void runNested(byte[][] nestedArgs) {
    byte[][] outerArgs = args;
    CommandSpec outerSpec = spec;
    boolean outerBlocking = blockingAllowed;
    blockingAllowed = false;
    nesting++;
    try {
      executor.execute(this, nestedArgs);
    } finally {
      nesting--;
      blockingAllowed = outerBlocking;
      args = outerArgs;
      spec = outerSpec;
    }
  }

  private int nesting;

  private final ReplicaEffects effects = new ReplicaEffects();

  /** What this command asks replicas to run: see {@link ReplicaEffects}. */
  public ReplicaEffects effects() {
    return effects;
  }

  /** Whether the effects of this command go to replicas: only then is a rewrite worth making. */
  public boolean propagating() {
    return engine.gatheringEffects();
  }

  /** Whether the running command came from the client itself, not from EXEC or a script. */
  boolean topLevel() {
    return nesting == 0;
  }

  /**
   * Runs a command for a script's redis.call on this connection, its reply captured by {@code
   * capture} instead of going to the client; blocking commands answer at once, as inside EXEC.
   */
  public void runInScript(byte[][] nestedArgs, Reply capture) {
    Reply outer = reply;
    reply = capture;
    boolean outerInScript = inScript;
    if (!inScript) {
      scriptArgs = args;
      scriptSpec = spec;
    }
    inScript = true;
    try {
      runNested(nestedArgs);
    } finally {
      reply = outer;
      inScript = outerInScript;
    }
  }

  private boolean inScript;
  // the EVAL or FCALL whose script is running: its keys are what a tracking client may cache
  private byte[][] scriptArgs;
  private CommandSpec scriptSpec;

  /** The arguments of the script command that runs the current command, while in a script. */
  byte[][] scriptArgs() {
    return scriptArgs;
  }

  CommandSpec scriptSpec() {
    return scriptSpec;
  }

  /** Whether the command runs for a script's redis.call (MONITOR shows it as the script's). */
  boolean inScript() {
    return inScript;
  }

  public Engine engine() {
    return engine;
  }

  public Session session() {
    return session;
  }

  public Reply reply() {
    if (batch != null && !batch.isEmpty()) {
      flushBatch(); // held replies go first: replies stay in request order
    }
    return reply;
  }

  // the pipeline batch being collected (XADDs to append mappings); created by its first command
  private PipelineBatch batch;
  private boolean collectingBatch;

  /**
   * Before a command of the client's pipeline: a command whose spec has {@link
   * CommandTrait#APPEND_BURST} (outside MULTI) may join the batch being collected, whose journaling
   * and replies wait until something else is to be written; anything else first flushes the batch.
   * {@code args} null: not a command (a protocol error is about to be written).
   */
  public void beforePipelined(byte[][] args) {
    collectingBatch =
        args != null && args.length > 0 && !session.transaction().inMulti() && joinsBatch(args[0]);
    if (!collectingBatch) {
      flushBatch();
    }
  }

  /**
   * Under the lock, after the last command of a chunk of the pipeline: ends the batch. If the chunk
   * suspended its connection the batch is flushed now, since once the lock is released another
   * thread (serving a blocked pop) may use this context; else returns whether replies are held, for
   * the caller to flush after releasing the lock with {@link #flushBatchAfter}.
   */
  public boolean endChunk(boolean suspended) {
    collectingBatch = false; // no further command joins the batch
    boolean held = batch != null && !batch.isEmpty();
    if (held && suspended) {
      flushBatch();
      return false;
    }
    return held;
  }

  /**
   * Flushes the batch {@link #endChunk} left held and writes its replies; returns what the chunk's
   * replies wait for: the batch's future, later than the chunk's {@code durable}.
   */
  public java.util.concurrent.CompletableFuture<?> flushBatchAfter(
      java.util.concurrent.CompletableFuture<?> durable) {
    flushBatch();
    java.util.concurrent.CompletableFuture<?> group = takeDurable();
    return group != null ? group : durable;
  }

  private boolean joinsBatch(byte[] name) {
    CommandSpec spec = lookup(name);
    return spec != null && spec.has(CommandTrait.APPEND_BURST);
  }

  // The last name looked up and its command. The decoder hands a pipeline of one command the same
  // name array each time, and the connection, the batch and the executor each ask about the same
  // request: one table probe per distinct name instead of three per request. Under the keyspace
  // lock, as every use of the context.
  private byte[] lastName;
  private CommandSpec lastSpec;

  /**
   * The command named by {@code name} (any case), or null: the table's lookup, remembered for the
   * same array. Arguments are never modified after decoding, so the same array is the same name.
   */
  public CommandSpec lookup(byte[] name) {
    if (name != lastName) {
      lastSpec = engine.commands().lookup(name);
      lastName = name;
    }
    return lastSpec;
  }

  /**
   * The batch the running command may join, made by {@code create} if there is none yet; null when
   * it must journal and reply at once (not pipelined behind another such command, or in MULTI).
   */
  @SuppressWarnings("unchecked")
  public <B extends PipelineBatch> B batch(java.util.function.Supplier<B> create) {
    if (!collectingBatch) {
      return null;
    }
    if (batch == null) {
      batch = create.get();
    }
    return (B) batch;
  }

  /**
   * Flushes the collected batch and writes its replies (nothing if none); the batch's future is
   * then what {@link #takeDurable} returns.
   */
  public void flushBatch() {
    if (batch == null || batch.isEmpty()) {
      return;
    }
    java.util.concurrent.CompletableFuture<?> group = batch.flush(reply);
    if (group != null) {
      durable = group; // later than any future registered before: it stands for all
    }
  }

  public CommandSpec spec() {
    return spec;
  }

  public Keyspace keyspace() {
    return engine.keyspace();
  }

  /** The database the client selected. */
  public Database db() {
    return engine.keyspace().db(session.db());
  }

  public long now() {
    return engine.keyspace().now();
  }

  /**
   * Counts {@code changes} changes to the data where Redis does {@code server.dirty += changes}:
   * INFO's rdb_changes_since_last_save.
   */
  public void dirty(long changes) {
    engine.stats().dirty.add(changes);
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

  /**
   * Argument {@code i} as an integer of at least {@code min}, as Redis's
   * getRangeLongFromObjectOrReply: one message, {@code error}, for "not a number" and "too small".
   */
  public long longArg(int i, long min, String error) {
    long value = Numbers.parseLong(args[i], error);
    if (value < min) {
      throw new RedisError(error);
    }
    return value;
  }

  public double doubleArg(int i) {
    return Numbers.parseDouble(args[i], Errors.NOT_FLOAT);
  }

  /** Sends a keyspace notification for a key of the selected database (Redis's event names). */
  public void notify(int type, String event, byte[] key) {
    engine.keyspace().notify(type, event, key, session.db());
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
    block(keys, type, timeoutMillis, onTimeout, null, null);
  }

  /**
   * As {@link #block(List, Class, long, Consumer)}, with two more wishes: the command runs again
   * with {@code rerunArgs} instead of its own arguments (null: its own), as Redis rewrites XREAD's
   * "$" into the ID it stood for when the client blocked; and {@code onKeyGone} (null: none)
   * answers, ending the wait, when a key is deleted or changes type.
   */
  public void block(
      List<byte[]> keys,
      Class<?> type,
      long timeoutMillis,
      Consumer<Reply> onTimeout,
      byte[][] rerunArgs,
      Consumer<Reply> onKeyGone) {
    if (!blockingAllowed) {
      onTimeout.accept(reply);
      return;
    }
    blockRequest =
        new BlockRequest(session.db(), keys, type, timeoutMillis, onTimeout, rerunArgs, onKeyGone);
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

  private java.util.concurrent.CompletableFuture<?> postponedUntil;

  /** Postpones the command: the connection waits for {@code until}, then runs it again. */
  void postponeUntil(java.util.concurrent.CompletableFuture<?> until) {
    postponedUntil = until;
  }

  /** What the last command was postponed until (CLIENT PAUSE), if anything, clearing it. */
  public java.util.concurrent.CompletableFuture<?> takePostponement() {
    java.util.concurrent.CompletableFuture<?> until = postponedUntil;
    postponedUntil = null;
    return until;
  }

  /** Whether the last command asked to suspend its connection (a block, a load, awaited work). */
  public boolean suspends() {
    return blockRequest != null
        || loadRequest != null
        || awaitRequest != null
        || postponedUntil != null;
  }

  /** The block the last command asked for, if any, clearing it. */
  public BlockRequest takeBlockRequest() {
    BlockRequest request = blockRequest;
    blockRequest = null;
    return request;
  }
}
