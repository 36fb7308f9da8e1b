package dev.sluice.proxy.engine;

import dev.sluice.proxy.keyspace.Clock;
import dev.sluice.proxy.keyspace.EvictionPolicy;
import dev.sluice.proxy.keyspace.Keyspace;
import dev.sluice.proxy.tracking.TrackingClient;
import dev.sluice.proxy.tracking.TrackingTable;
import dev.sluice.proxy.tx.Transaction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one request: finds the command, checks arity, authentication, the user's permission, the
 * subscribed context and memory, queues it inside MULTI, or calls the handler. The caller holds the
 * keyspace lock. Checks run in Redis's order, so a client that sends a wrong command while
 * unauthenticated gets the same error as from Redis.
 */
public final class CommandExecutor {
  private static final Logger log = LoggerFactory.getLogger(CommandExecutor.class);

  private final Engine engine;
  private final CommandTable table;
  private final Clock clock;

  public CommandExecutor(Engine engine) {
    this.engine = engine;
    this.table = engine.commands();
    this.clock = engine.keyspace().clock();
  }

  public void execute(CommandContext c, byte[][] args) {
    Session session = c.session();
    boolean topLevel = c.topLevel();
    TrackingClient outer = topLevel ? engine.tracking().enter(session) : null;
    List<Propagation.Effect> outerEffects = topLevel ? engine.beginEffects() : null;
    CommandSpec spec = null;
    try {
      spec = admit(c, session, args);
      if (!deferred(c, session, spec, args)) {
        run(c, session, spec, args);
      }
    } catch (RedisError e) {
      refused(c, e);
    } catch (RuntimeException e) {
      internalError(c, spec, e);
    } finally {
      engine.stats().commandsProcessed.increment();
      if (topLevel) {
        afterTopLevel(c, spec, outer, outerEffects);
      }
    }
  }

  private void refused(CommandContext c, RedisError e) {
    engine.stats().errorReplies.increment();
    c.reply().error(e.getMessage());
  }

  /**
   * The command {@code args} invoke, once every check passed; a refusal inside MULTI flags the
   * transaction, so that EXEC answers EXECABORT, as Redis does.
   */
  private CommandSpec admit(CommandContext c, Session session, byte[][] args) {
    try {
      CommandSpec spec = resolve(c, args);
      // As in Redis, CLIENT LIST and CLIENT INFO show the running command as the client's cmd.
      session.running(spec.fullName());
      checkAllowed(c, session, spec);
      return spec;
    } catch (RedisError refused) {
      if (session.transaction().inMulti()) {
        session.transaction().abort();
      }
      throw refused;
    }
  }

  /**
   * Whether the command does not run now: held by CLIENT PAUSE, queued in MULTI, or waiting for its
   * mapped keys to load (the connection then runs it again).
   */
  private boolean deferred(CommandContext c, Session session, CommandSpec spec, byte[][] args) {
    Transaction transaction = session.transaction();
    if (c.canBlock()) {
      // as Redis: after the checks, before queueing; nested commands ran their EXEC's check
      java.util.concurrent.CompletableFuture<?> pause =
          engine.clientPause().holds(spec, transaction, table);
      if (pause != null) {
        c.postponeUntil(pause);
        return true;
      }
    }
    if (transaction.inMulti() && !spec.has(CommandTrait.NOT_QUEUED)) {
      transaction.queue(args);
      c.reply().simple("QUEUED");
      return true;
    }
    // A command nested in EXEC or a script answers from memory: the keys it may touch were
    // loaded before the transaction or script ran (EXEC's queued commands, EVAL's declared
    // keys), and a load now would run the whole transaction or script a second time.
    if (c.loadingAllowed() && c.canBlock() && !session.primaryLink()) {
      List<byte[]> missing = MissingKeys.of(engine, session, spec, args);
      if (!missing.isEmpty()) {
        c.requestLoad(missing);
        return true;
      }
    }
    return false;
  }

  /** Runs the handler, timed for SLOWLOG, LATENCY and the metrics. */
  private void run(CommandContext c, Session session, CommandSpec spec, byte[][] args) {
    c.bind(args, spec, this);
    io.micrometer.core.instrument.Timer timer = spec.timer();
    // the server clock times SLOWLOG and LATENCY (tests make commands slow with theirs); the
    // metrics always take real time
    long started = session.commandClock().start(clock);
    long timerStarted = timer == null ? 0 : clock == Clock.SYSTEM ? started : System.nanoTime();
    try {
      invoke(c, session, spec, args);
    } finally {
      long ended = clock.nanoTime();
      session.commandClock().ended(ended);
      if (timer != null) {
        long timerEnded = clock == Clock.SYSTEM ? ended : System.nanoTime();
        timer.record(timerEnded - timerStarted, java.util.concurrent.TimeUnit.NANOSECONDS);
      }
      ran(c, spec, args, ended - started);
    }
  }

  /** The handler, with write-back, NO-TOUCH and the primary's stream around it. */
  private void invoke(CommandContext c, Session session, CommandSpec spec, byte[][] args) {
    // a replica's mapped keys are the primary's to write back; it applies them in memory
    WriteBack writes = spec.isWrite() && !session.primaryLink() ? engine.writeBack() : null;
    boolean noTouch = session.noTouch() && !spec.has(CommandTrait.TOUCHES_EVEN_NO_TOUCH);
    if (noTouch) {
      engine.keyspace().noTouch(true);
    }
    if (session.primaryLink()) {
      engine.keyspace().obeyingPrimary(true);
    }
    long dirtyBefore = propagates(spec) ? engine.stats().dirty.sum() : -1;
    try {
      if (writes == null) {
        spec.handler().handle(c);
      } else {
        runWriteBack(c, spec, args, writes);
      }
    } finally {
      if (dirtyBefore >= 0) {
        gatherEffects(c, args, dirtyBefore);
      }
      if (noTouch) {
        engine.keyspace().noTouch(false);
      }
      if (session.primaryLink()) {
        engine.keyspace().obeyingPrimary(false);
      }
      if (spec.remembersReadKeys() && session.tracking().remembersReads()) {
        rememberKeys(c, spec, args);
      }
    }
  }

  /** A bug, not a refusal: the client gets an error and the connection stays usable. */
  private void internalError(CommandContext c, CommandSpec spec, RuntimeException e) {
    String name = spec == null ? "?" : spec.fullName();
    log.error("command {} failed", name, e);
    engine.stats().errorReplies.increment();
    c.reply().error("ERR internal error while running '" + name + "': " + e);
  }

  /**
   * Whether replicas may have to run this command: a write or a MAY_REPLICATE command, while
   * effects are gathered, but not EXEC or a script runner, whose commands count instead.
   */
  private boolean propagates(CommandSpec spec) {
    // a replica passes its primary's stream on as it came (Replication.applied), not as effects,
    // and writes made on a writable replica stay local, as in Redis
    return engine.gatheringEffects()
        && !engine.keyspace().replica()
        && (spec.isWrite() || spec.has(CommandTrait.MAY_REPLICATE))
        && !spec.has(CommandTrait.RUNS_SCRIPT)
        && !spec.has(CommandTrait.RUNS_QUEUED);
  }

  /**
   * After a command that may replicate: what it asked replicas to run instead, or itself if it
   * changed data (Redis's server.dirty) or asked to be propagated anyway.
   */
  private void gatherEffects(CommandContext c, byte[][] args, long dirtyBefore) {
    List<byte[][]> instead = c.effects().takeInstead();
    boolean forced = c.effects().takeForced();
    int db = c.session().db();
    if (instead != null) {
      instead.forEach(command -> engine.effect(db, command));
    } else if (forced || engine.stats().dirty.sum() != dirtyBefore) {
      engine.effect(db, args);
    }
  }

  /**
   * A tracking client may now cache the keys a read-only command fetched; a command run by a script
   * stands for the script's declared keys, as in Redis.
   */
  private void rememberKeys(CommandContext c, CommandSpec spec, byte[][] args) {
    if (c.inScript()) {
      spec = c.scriptSpec();
      args = c.scriptArgs();
    } else if (spec.fixedKeyPositions()) {
      // the legacy range is exact for these: no key search on the GET path
      int last = spec.lastKey() < 0 ? args.length + spec.lastKey() : spec.lastKey();
      for (int i = spec.firstKey(); i <= last && i < args.length; i += spec.keyStep()) {
        engine.tracking().remember(c.session(), args[i]);
      }
      return;
    }
    FoundKeys keys = spec.keys(args);
    for (int i = 0; i < keys.count(); i++) {
      engine.tracking().remember(c.session(), args[keys.position(i)]);
    }
  }

  /**
   * After a command the client sent: its invalidations of keys it changed itself follow its reply,
   * and CLIENT CACHING's answer is used up unless the command was a CLIENT subcommand or queued in
   * MULTI (Redis's resetClient); the effects gathered go to the replicas, and the session remembers
   * where the stream then ended (for WAIT).
   */
  private void afterTopLevel(
      CommandContext c, CommandSpec spec, TrackingClient outer, List<Propagation.Effect> effects) {
    TrackingTable tracking = engine.tracking();
    Session session = c.session();
    if (tracking.hasAfterReply(session)) {
      tracking.writeAfterReply(session, c.reply());
    }
    tracking.exit(outer);
    if (session.tracking().caching()
        && !session.transaction().inMulti()
        && (spec == null || !spec.has(CommandTrait.KEEPS_CACHING_ANSWER))) {
      session.tracking().commandDone();
    }
    engine.endEffects(effects);
    session.writeOffset(engine.propagation().writeOffset());
  }

  /**
   * After a command's handler: MONITOR's line, and its time to the latency monitor, its latency
   * histogram and, if it was slow, SLOWLOG, as Redis's call() does.
   */
  private void ran(CommandContext c, CommandSpec spec, byte[][] args, long nanos) {
    engine
        .latencyMonitor()
        .addSampleIfNeeded(
            spec.has(CommandFlag.FAST) ? "fast-command" : "command", nanos / 1_000_000, clock);
    CommandLatencies latencies = engine.commandLatencies();
    // a command that blocked is counted when it runs again and completes, as in Redis
    if (latencies.enabled() && !c.suspends()) {
      latencies.record(spec, nanos);
    }
    if (engine.monitors().any()
        && !spec.has(CommandFlag.ADMIN)
        && !spec.has(CommandFlag.SKIP_MONITOR)
        && !c.suspends()) {
      engine
          .monitors()
          .feed(
              engine.keyspace().clock().micros(),
              c.session().db(),
              c.inScript() ? "lua" : c.session().connection().remoteAddress(),
              args);
    }
    SlowLog slowLog = engine.slowLog();
    // a command that blocked is logged when it runs again and completes, as in Redis
    if (slowLog.slow(nanos) && !spec.has(CommandFlag.SKIP_SLOWLOG) && !c.suspends()) {
      slowLog.record(args, nanos, engine.keyspace().clock().millis(), c.session());
    }
  }

  /**
   * Runs a command right after its keys were loaded: whatever is in memory now is the answer (a row
   * that does not exist stays absent), so it does not ask for another load.
   */
  public void executeAfterLoad(CommandContext c, byte[][] args) {
    c.loadingAllowed(false);
    try {
      execute(c, args);
    } finally {
      c.loadingAllowed(true);
    }
  }

  /**
   * Runs a write command with row/kv write-back around it: its writes to row mappings are checked
   * first (a refusal journals and changes nothing), then what it changed is journaled and the reply
   * waits for the fsync.
   */
  private void runWriteBack(CommandContext c, CommandSpec spec, byte[][] args, WriteBack writes) {
    writes.begin(
        c.session().db(), spec.mappedWrite(), spec.fullName(), args, writtenKeys(spec, args));
    boolean ran = false;
    try {
      spec.handler().handle(c);
      ran = true;
    } finally {
      java.util.concurrent.CompletableFuture<?> durable =
          writes.finish(engine.keyspace().db(0), ran);
      if (durable != null) {
        c.awaitDurable(durable);
      }
    }
  }

  /**
   * Where the keys the command may write are in {@code args}: every key its key specs find but the
   * read-only ones (ZUNIONSTORE's sources), so a row mapping's key that is only read is not refused
   * as a write. A key found without flags counts as written.
   */
  private static int[] writtenKeys(CommandSpec spec, byte[][] args) {
    FoundKeys keys = spec.keys(args);
    int[] positions = new int[keys.count()];
    int n = 0;
    for (int i = 0; i < keys.count(); i++) {
      if (!KeyFlag.RO.in(keys.flags(i))) {
        positions[n++] = keys.position(i);
      }
    }
    return n == positions.length ? positions : java.util.Arrays.copyOf(positions, n);
  }

  private CommandSpec resolve(CommandContext c, byte[][] args) {
    CommandSpec spec = c.lookup(args[0]);
    if (spec == null) {
      throw new RedisError(Errors.unknownCommand(args));
    }
    if (!spec.arityAccepts(args.length)) {
      throw Errors.wrongArity(spec.fullName());
    }
    if (spec.isContainer() && args.length > 1) {
      String name = new String(args[1], StandardCharsets.UTF_8).toLowerCase(Locale.ROOT);
      CommandSpec sub = spec.subcommands().get(name);
      if (sub == null) {
        throw new RedisError(
            Errors.unknownSubcommand(new String(args[1], StandardCharsets.UTF_8), spec.name()));
      }
      if (!sub.arityAccepts(args.length)) {
        throw Errors.wrongArity(sub.fullName());
      }
      return sub;
    }
    return spec;
  }

  private void checkAllowed(CommandContext c, Session session, CommandSpec spec) {
    if (session.primaryLink()) {
      return; // Redis's mustObeyClient: the primary's stream is applied whatever the state
    }
    if (!session.authenticated() && !spec.noAuth() && engine.authRequired()) {
      throw new RedisError(Errors.NOAUTH);
    }
    if (!session.aclUser().mayRun(spec)) {
      throw refusedByAcl(c, session, spec);
    }
    boolean inMulti = session.transaction().inMulti();
    if (inMulti && spec.has(CommandFlag.NO_MULTI)) {
      throw new RedisError("ERR Command not allowed inside a transaction");
    }
    boolean refusedOnOom =
        spec.denyOom() || (inMulti && !spec.has(CommandTrait.KEPT_ON_OOM_IN_MULTI));
    if (!freeMemoryIfNeeded() && refusedOnOom) {
      throw new RedisError(Errors.OOM);
    }
    if ((spec.isWrite() || spec.has(CommandTrait.RUNS_QUEUED))
        && !engine.propagation().enoughGoodReplicas(clock)
        && writes(session, spec)) {
      throw notEnoughReplicas(session, spec);
    }
    ReplicaRole role = engine.replicaRole();
    if (spec.isWrite() && role.refusesWrites()) {
      throw new RedisError(Errors.READONLY);
    }
    if (session.protocol() == 2
        && session.subscriptions().total() > 0
        && !spec.has(CommandTrait.ALLOWED_WHILE_SUBSCRIBED)) {
      throw notWhileSubscribed(spec);
    }
    if (role.primaryDown() && !spec.has(CommandFlag.STALE)) {
      throw new RedisError(Errors.MASTERDOWN);
    }
  }

  private RedisError refusedByAcl(CommandContext c, Session session, CommandSpec spec) {
    engine.stats().aclDeniedCommands.increment();
    engine.aclLog().add(AclLog.Reason.COMMAND, c, spec.fullName(), session.user());
    return new RedisError(Errors.noPermission(session.user(), spec.fullName()));
  }

  private RedisError notEnoughReplicas(Session session, CommandSpec spec) {
    if (spec.has(CommandTrait.RUNS_QUEUED)) { // as Redis's execCommandAbort
      session.transaction().end();
      session.transaction().unwatchAll(engine.keyspace());
      return new RedisError("EXECABORT Transaction discarded because of: " + Errors.NOREPLICAS);
    }
    return new RedisError(Errors.NOREPLICAS);
  }

  private static RedisError notWhileSubscribed(CommandSpec spec) {
    return new RedisError(
        "ERR Can't execute '"
            + spec.fullName()
            + "': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in"
            + " this context");
  }

  /** A write, or EXEC of a transaction that queued one (Redis's is_write_command). */
  private boolean writes(Session session, CommandSpec spec) {
    if (spec.isWrite()) {
      return true;
    }
    if (!spec.has(CommandTrait.RUNS_QUEUED) || !session.transaction().inMulti()) {
      return false;
    }
    for (byte[][] queued : session.transaction().queued()) {
      CommandSpec queuedSpec = table.resolve(queued);
      if (queuedSpec != null && queuedSpec.isWrite()) {
        return true;
      }
    }
    return false;
  }

  /**
   * Evicts down to maxmemory; an eviction that runs (over the limit, with a policy that evicts) is
   * timed as LATENCY's "eviction-cycle", as Redis's performEvictions.
   */
  private boolean freeMemoryIfNeeded() {
    Keyspace keyspace = engine.keyspace();
    long limit = keyspace.maxmemory();
    if (limit == 0
        || keyspace.policy() == EvictionPolicy.NOEVICTION
        || keyspace.usedMemory() <= limit) {
      return keyspace.freeMemoryIfNeeded();
    }
    long started = clock.nanoTime();
    boolean freed = keyspace.freeMemoryIfNeeded();
    engine
        .latencyMonitor()
        .addSampleIfNeeded("eviction-cycle", (clock.nanoTime() - started) / 1_000_000, clock);
    return freed;
  }

  /** Under the lock: a client went away; drop its transaction, WATCHes and subscriptions. */
  public void disconnected(Session session) {
    if (session.transaction().inMulti()) {
      session.transaction().end();
    }
    session.transaction().unwatchAll(engine.keyspace());
    engine.pubSub().removeAll(session);
    engine.monitors().remove(session);
    engine.tracking().disconnected(session);
    engine.propagation().disconnected(session);
  }
}
