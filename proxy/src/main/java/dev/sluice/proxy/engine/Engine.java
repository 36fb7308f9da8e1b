package dev.sluice.proxy.engine;

import dev.sluice.proxy.keyspace.Keyspace;
import dev.sluice.proxy.pubsub.PubSub;
import dev.sluice.proxy.tracking.TrackingTable;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * What dispatch and every command reach beyond their connection: the keyspace, the command table,
 * the counters, pub/sub, and the hooks features install after start-up (look-aside loading, write-
 * back). Server-wide state beyond that (users, scripts, CONFIG, clients) lives in {@code
 * runtime.ServerContext}, which the command families that need it are given when they are built.
 */
public final class Engine {
  /** The Redis version Sluice answers as; clients gate features on it. */
  public static final String REDIS_VERSION = "7.4.0";

  private final Keyspace keyspace;
  private final CommandTable commands;
  private final ServerStats stats;
  private final PubSub pubSub;
  private final BooleanSupplier authRequired;
  private final ClientPause clientPause;
  private final SlowLog slowLog = new SlowLog();
  private final LatencyMonitor latencyMonitor = new LatencyMonitor();
  private final CommandLatencies commandLatencies = new CommandLatencies();
  private final AclLog aclLog = new AclLog();
  private final Monitors monitors = new Monitors();
  private final TrackingTable tracking = new TrackingTable();
  private volatile Propagation propagation = Propagation.NONE;
  // under the lock: the effects of the running command the client sent, or null (none gathered)
  private List<Propagation.Effect> gathering;
  private volatile KeyLoader keyLoader = KeyLoader.NONE;
  private volatile WriteBack writeBack;
  private volatile long protoMaxBulkLen = 512L * 1024 * 1024;

  /**
   * @param authRequired whether a connection must authenticate before running commands not flagged
   *     no_auth (the default user is off or has a password)
   */
  public Engine(
      Keyspace keyspace,
      CommandTable commands,
      ServerStats stats,
      PubSub pubSub,
      BooleanSupplier authRequired) {
    this.keyspace = keyspace;
    this.commands = commands;
    this.stats = stats;
    this.pubSub = pubSub;
    this.authRequired = authRequired;
    this.clientPause = new ClientPause(keyspace.clock());
    keyspace.invalidations(tracking);
    keyspace.deletions((db, key) -> effect(db, new byte[][] {DEL, key}));
  }

  private static final byte[] DEL = {'D', 'E', 'L'};

  /** Where the effects of commands go for replicas. */
  private volatile ReplicaRole replicaRole = ReplicaRole.PRIMARY;

  public ReplicaRole replicaRole() {
    return replicaRole;
  }

  public void replicaRole(ReplicaRole role) {
    this.replicaRole = role;
  }

  /** min-replicas-to-write: a write is refused with NOREPLICAS while too few replicas are good. */
  public void checkGoodReplicas() {
    if (!propagation.enoughGoodReplicas(keyspace.clock())) {
      throw new RedisError(Errors.NOREPLICAS);
    }
  }

  public Propagation propagation() {
    return propagation;
  }

  public void propagation(Propagation propagation) {
    this.propagation = propagation;
  }

  /**
   * Before a command the client sent: starts gathering its effects when anything listens; returns
   * what was being gathered (a blocked client's command may run inside another's).
   */
  List<Propagation.Effect> beginEffects() {
    List<Propagation.Effect> outer = gathering;
    gathering = propagation.active() ? NOTHING_YET : null;
    return outer;
  }

  // gathering, but nothing gathered: reads, most commands, allocate no list
  private static final List<Propagation.Effect> NOTHING_YET = List.of();

  /** One effect: gathered while a command runs, sent at once otherwise (active expiry). */
  public void effect(int db, byte[][] args) {
    if (gathering != null) {
      if (gathering == NOTHING_YET) {
        gathering = new ArrayList<>(2);
      }
      gathering.add(new Propagation.Effect(db, args));
    } else if (propagation.active()) {
      propagation.propagate(List.of(new Propagation.Effect(db, args)));
    }
  }

  boolean gatheringEffects() {
    return gathering != null;
  }

  /** After the command: hands its effects over and restores {@code outer}. */
  void endEffects(List<Propagation.Effect> outer) {
    List<Propagation.Effect> done = gathering;
    gathering = outer;
    if (done != null && !done.isEmpty()) {
      propagation.propagate(done);
    }
  }

  /** Client-side caching: who may cache which keys, and their invalidations (CLIENT TRACKING). */
  public TrackingTable tracking() {
    return tracking;
  }

  /** The clients in MONITOR mode, fed every command the executor runs. */
  public Monitors monitors() {
    return monitors;
  }

  /** The commands that ran longer than slowlog-log-slower-than (SLOWLOG). */
  public SlowLog slowLog() {
    return slowLog;
  }

  /** The events that took longer than latency-monitor-threshold (LATENCY LATEST, HISTORY…). */
  public LatencyMonitor latencyMonitor() {
    return latencyMonitor;
  }

  /** Each command's latency histogram (LATENCY HISTOGRAM, INFO latencystats). */
  public CommandLatencies commandLatencies() {
    return commandLatencies;
  }

  /** Failed logins and refused commands (ACL LOG). */
  public AclLog aclLog() {
    return aclLog;
  }

  /** CLIENT PAUSE's state, which dispatch checks before every command. */
  public ClientPause clientPause() {
    return clientPause;
  }

  public Keyspace keyspace() {
    return keyspace;
  }

  public CommandTable commands() {
    return commands;
  }

  public ServerStats stats() {
    return stats;
  }

  public PubSub pubSub() {
    return pubSub;
  }

  boolean authRequired() {
    return authRequired.getAsBoolean();
  }

  public KeyLoader keyLoader() {
    return keyLoader;
  }

  /** Installs the look-aside loader for mapped keys (none: every key is a plain Redis key). */
  public void keyLoader(KeyLoader loader) {
    this.keyLoader = loader;
  }

  /** Write-back of row and kv mappings around write commands, or null when there is none. */
  public WriteBack writeBack() {
    return writeBack;
  }

  public void writeBack(WriteBack writeBack) {
    this.writeBack = writeBack;
  }

  /** proto-max-bulk-len: the longest string a command may build (SETRANGE, APPEND, SETBIT). */
  public long protoMaxBulkLen() {
    return protoMaxBulkLen;
  }

  public void protoMaxBulkLen(long bytes) {
    this.protoMaxBulkLen = bytes;
  }
}
