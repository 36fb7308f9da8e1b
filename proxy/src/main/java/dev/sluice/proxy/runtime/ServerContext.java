package dev.sluice.proxy.runtime;

import dev.sluice.config.EndpointSettings;
import dev.sluice.config.Setting;
import dev.sluice.config.Settings;
import dev.sluice.config.SluiceConfig;
import dev.sluice.proxy.acl.Acl;
import dev.sluice.proxy.engine.CommandTable;
import dev.sluice.proxy.engine.Engine;
import dev.sluice.proxy.engine.KeyLoader;
import dev.sluice.proxy.engine.MappingAdmin;
import dev.sluice.proxy.engine.RedisError;
import dev.sluice.proxy.engine.ServerStats;
import dev.sluice.proxy.keyspace.Clock;
import dev.sluice.proxy.keyspace.EvictionPolicy;
import dev.sluice.proxy.keyspace.Keyspace;
import dev.sluice.proxy.keyspace.NotifyFlags;
import dev.sluice.proxy.pubsub.PubSub;
import dev.sluice.proxy.replication.Primary;
import dev.sluice.proxy.scripting.ScriptEngine;
import dev.sluice.proxy.tracking.TrackingTable;
import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import java.util.function.BiConsumer;

/**
 * The server's state beyond the engine: users, scripts, CONFIG parameters, clients, output limits
 * and the write-back and look-aside parts installed at start-up. It owns the {@link Engine} that
 * dispatch uses. Built by the composition root, which registers the command families into its table
 * before the users are read (ACL rules name commands).
 */
public final class ServerContext {

  public static final String SLUICE_VERSION = readVersion();

  private final SluiceConfig config;
  private final Keyspace keyspace;
  private final Clients clients = new Clients();
  private final CommandTable commands = new CommandTable();
  private final Engine engine;
  private final Acl acl;
  private final ConfigParameters parameters;
  private final PubSub pubSub = new PubSub();
  private final ServerStats stats = new ServerStats();
  private final Persistence persistence;
  // Built on first use: the Lua interpreter costs 0.1-0.3 s of start-up (bench/RESULTS.md) and
  // many servers never run a script. Its settings are kept here until then.
  private volatile ScriptEngine scripts;
  private volatile int busyReplyThresholdMillis;
  private volatile long scriptAllocationLimit;
  private final OutputBufferLimits outputLimits = new OutputBufferLimits();
  private final long startedAtNanos = System.nanoTime();
  private final String runId;

  private volatile MappingAdmin mappingAdmin;
  private volatile dev.sluice.proxy.durable.AppendWriteBack appends;
  private volatile String requirepass;
  private volatile int maxclients;
  private volatile long queryBufferLimit;
  private volatile int hz;
  private volatile int timeoutSeconds;
  private volatile int tcpPort;
  private volatile String tlsCertFile;
  private volatile String tlsKeyFile;
  private volatile String tlsCaCertFile;
  private volatile String tlsAuthClients;
  private volatile java.util.function.Consumer<String> tlsReloader;
  private volatile Runnable shutdown = () -> {};

  /**
   * @param families registers the command families into the table; it may keep this context for
   *     later, but must not use it before the constructor returns
   */
  public ServerContext(
      SluiceConfig config, Clock clock, BiConsumer<CommandTable, ServerContext> families) {
    this.config = config;
    this.keyspace = new Keyspace(config.databases(), clock);
    this.persistence = new Persistence(this);
    families.accept(commands, this);
    this.acl = new Acl(commands, config);
    this.engine = new Engine(keyspace, commands, stats, pubSub, acl::authRequired);
    engine.tracking().clients(clients::get);
    this.runId = Replication.newReplid(); // 40 random hex digits, as Redis's run_id and replid
    this.primary = new Primary(runId);
    engine.propagation(primary);
    this.replication = new Replication(this, primary);
    this.failover = new PlannedFailover(this);
    engine.replicaRole(replication);
    this.parameters = new ConfigParameters(config, this::apply);
    parameters.redisIntegers(
        (name, value) -> {
          if (name.equals("min-replicas-to-write")) {
            primary.goodReplicas().minReplicas(value);
          } else {
            primary.goodReplicas().maxLagSeconds(value);
          }
        });
    for (Setting<?> setting : Settings.ALL) {
      apply(setting, config.get(setting));
    }
    this.keyspace.events(pubSub);
  }

  private final Primary primary;
  private final Replication replication;
  private final PlannedFailover failover;

  /** FAILOVER's state. */
  public PlannedFailover failover() {
    return failover;
  }

  /** Sluice as a primary: its replicas and the replication stream. */
  public Primary primary() {
    return primary;
  }

  /** This node's role, and its link to its primary when it is a replica. */
  public Replication replication() {
    return replication;
  }

  /** Makes a setting's value take effect; returns the value CONFIG GET reports from then on. */
  private Object apply(Setting<?> setting, Object value) {
    if (setting == Settings.NOTIFY_KEYSPACE_EVENTS) {
      int flags = NotifyFlags.parse((String) value);
      keyspace.notifyFlags(flags);
      pubSub.notifyFlags(flags);
      return NotifyFlags.format(flags);
    } else if (setting == Settings.CLIENT_OUTPUT_BUFFER_LIMIT) {
      return outputLimits.merge((String) value);
    } else if (setting == Settings.MAXMEMORY) {
      keyspace.maxmemory((Long) value);
    } else if (setting == Settings.MAXMEMORY_POLICY) {
      keyspace.policy(EvictionPolicy.fromConfig((String) value));
    } else if (setting == Settings.MAXMEMORY_SAMPLES) {
      keyspace.maxmemorySamples((Integer) value);
    } else if (setting == Settings.LFU_LOG_FACTOR) {
      keyspace.lfuLogFactor((Integer) value);
    } else if (setting == Settings.LFU_DECAY_TIME) {
      keyspace.lfuDecayTime((Integer) value);
    } else if (setting == Settings.REQUIREPASS) {
      requirepass = (String) value;
      acl.requirepass(requirepass);
    } else if (setting == Settings.MAXCLIENTS) {
      maxclients = (Integer) value;
    } else if (setting == Settings.PROTO_MAX_BULK_LEN) {
      engine.protoMaxBulkLen((Long) value);
    } else if (setting == Settings.CLIENT_QUERY_BUFFER_LIMIT) {
      queryBufferLimit = (Long) value;
    } else if (setting == Settings.HZ) {
      hz = (Integer) value;
    } else if (setting == Settings.BUSY_REPLY_THRESHOLD) {
      synchronized (this) {
        busyReplyThresholdMillis = (Integer) value;
        if (scripts != null) {
          scripts.busyThresholdMillis(busyReplyThresholdMillis);
        }
      }
    } else if (setting == Settings.SCRIPT_ALLOCATION_LIMIT) {
      synchronized (this) {
        scriptAllocationLimit = (Long) value;
        if (scripts != null) {
          scripts.allocationLimit(scriptAllocationLimit);
        }
      }
    } else if (setting == Settings.SLOWLOG_LOG_SLOWER_THAN) {
      engine.slowLog().thresholdMicros((Long) value);
    } else if (setting == Settings.SLOWLOG_MAX_LEN) {
      engine.slowLog().maxLength((Long) value);
    } else if (setting == Settings.LATENCY_MONITOR_THRESHOLD) {
      engine.latencyMonitor().thresholdMillis((Long) value);
    } else if (setting == Settings.LATENCY_TRACKING) {
      engine.commandLatencies().enabled((Boolean) value);
    } else if (setting == Settings.REPL_BACKLOG_SIZE) {
      primary.backlogSize((int) (long) (Long) value);
    } else if (setting == Settings.REPL_TIMEOUT) {
      replication.timeoutSeconds((Integer) value);
    } else if (setting == Settings.REPLICA_READ_ONLY) {
      replication.readOnly((Boolean) value);
    } else if (setting == Settings.REPLICA_SERVE_STALE_DATA) {
      replication.serveStaleData((Boolean) value);
    } else if (setting == Settings.MASTERAUTH) {
      replication.masterauth((String) value);
    } else if (setting == Settings.MASTERUSER) {
      replication.masteruser((String) value);
    } else if (setting == Settings.TRACKING_TABLE_MAX_KEYS) {
      engine.tracking().maxKeys((Long) value);
    } else if (setting == Settings.ACLLOG_MAX_LEN) {
      engine.aclLog().maxLength((Long) value);
    } else if (setting == Settings.SAVE) {
      persistence.savePoints((String) value);
    } else if (setting == Settings.DIR) {
      persistence.dir((String) value);
    } else if (setting == Settings.DBFILENAME) {
      persistence.fileName((String) value);
    } else if (setting == Settings.RDBCOMPRESSION) {
      persistence.compress((Boolean) value);
    } else if (setting == Settings.RDBCHECKSUM) {
      persistence.checksum((Boolean) value);
    } else if (setting == Settings.TIMEOUT) {
      timeoutSeconds = (Integer) value;
    } else if (setting == EndpointSettings.TLS_CERT_FILE) {
      tlsCertFile = (String) value;
    } else if (setting == EndpointSettings.TLS_KEY_FILE) {
      tlsKeyFile = (String) value;
    } else if (setting == EndpointSettings.TLS_CA_CERT_FILE) {
      tlsCaCertFile = (String) value;
    } else if (setting == EndpointSettings.TLS_AUTH_CLIENTS) {
      tlsAuthClients = (String) value;
    }
    return value;
  }

  private static String readVersion() {
    try (InputStream in =
        ServerContext.class.getResourceAsStream("/dev/sluice/version.properties")) {
      Properties properties = new Properties();
      if (in != null) {
        properties.load(in);
      }
      return properties.getProperty("version", "dev");
    } catch (IOException e) {
      return "dev";
    }
  }

  public SluiceConfig config() {
    return config;
  }

  public Keyspace keyspace() {
    return keyspace;
  }

  public Clients clients() {
    return clients;
  }

  /** The RDB file: loading, SAVE, BGSAVE, save points. */
  public Persistence persistence() {
    return persistence;
  }

  public ServerStats stats() {
    return stats;
  }

  /** The users: who may authenticate and what each may run. */
  public Acl acl() {
    return acl;
  }

  public CommandTable commands() {
    return commands;
  }

  public ConfigParameters parameters() {
    return parameters;
  }

  /** Dispatch's view: keyspace, command table, counters, pub/sub and the installed hooks. */
  public Engine engine() {
    return engine;
  }

  public KeyLoader keyLoader() {
    return engine.keyLoader();
  }

  /** Write-back of append mappings (XADD), or null when there are none. */
  public dev.sluice.proxy.durable.AppendWriteBack appends() {
    return appends;
  }

  /** Installs write-back: XADD's append mappings, and row and kv mappings around writes. */
  public void appends(dev.sluice.proxy.durable.AppendWriteBack appends) {
    this.appends = appends;
    engine.writeBack(appends == null ? null : appends.mappedWrites());
  }

  /** The Lua engine and script cache of EVAL, EVALSHA and SCRIPT. */
  /** The Lua engine if a script or function ever ran or loaded, else null (INFO builds none). */
  public ScriptEngine scriptsIfBuilt() {
    return scripts;
  }

  public ScriptEngine scripts() {
    ScriptEngine engine = scripts;
    if (engine != null) {
      return engine;
    }
    synchronized (this) {
      if (scripts == null) {
        ScriptEngine created = new ScriptEngine();
        created.busyThresholdMillis(busyReplyThresholdMillis);
        created.allocationLimit(scriptAllocationLimit);
        scripts = created;
      }
      return scripts;
    }
  }

  /** The SLUICE commands' access to the look-aside read path; null without mappings. */
  public MappingAdmin mappingAdmin() {
    return mappingAdmin;
  }

  public void mappingAdmin(MappingAdmin admin) {
    this.mappingAdmin = admin;
  }

  public PubSub pubSub() {
    return pubSub;
  }

  public TrackingTable tracking() {
    return engine.tracking();
  }

  public OutputBufferLimits outputLimits() {
    return outputLimits;
  }

  public String runId() {
    return runId;
  }

  public long uptimeSeconds() {
    return (System.nanoTime() - startedAtNanos) / 1_000_000_000L;
  }

  /** The password of the default user, or empty when none is required. */
  public String requirepass() {
    return requirepass;
  }

  public int maxclients() {
    return maxclients;
  }

  public long protoMaxBulkLen() {
    return engine.protoMaxBulkLen();
  }

  /** client-query-buffer-limit: most bytes of unprocessed input held for one client. */
  public long queryBufferLimit() {
    return queryBufferLimit;
  }

  public int hz() {
    return hz;
  }

  public int timeoutSeconds() {
    return timeoutSeconds;
  }

  public String tlsCertFile() {
    return tlsCertFile;
  }

  public String tlsKeyFile() {
    return tlsKeyFile;
  }

  public String tlsCaCertFile() {
    return tlsCaCertFile;
  }

  public String tlsAuthClients() {
    return tlsAuthClients;
  }

  /**
   * Installs what rebuilds the TLS context when CONFIG SET changed a tls-* parameter; it throws
   * {@link IllegalStateException} with the reason when the new files do not load.
   */
  /** What SHUTDOWN runs: the server's own close, on a thread of its own (set by the server). */
  public void shutdownAction(Runnable action) {
    this.shutdown = action;
  }

  /** Starts the server's shutdown (SHUTDOWN): listeners close, then connections and the rest. */
  public void shutdown() {
    shutdown.run();
  }

  public void tlsReloader(java.util.function.Consumer<String> reloader) {
    this.tlsReloader = reloader;
  }

  /**
   * After CONFIG SET applied all its parameters: reloads TLS once if any of them was a tls-* one,
   * so a certificate and its key can change together.
   *
   * @throws RedisError Redis's CONFIG SET failure when the new files do not load
   */
  public void parametersChanged(java.util.Set<String> names) {
    java.util.function.Consumer<String> reloader = tlsReloader;
    if (reloader == null) {
      return;
    }
    for (String name : names) {
      if (name.startsWith("tls-")) {
        try {
          reloader.accept(name);
        } catch (IllegalStateException e) {
          throw ConfigParameters.setFailed(
              name, "Unable to update TLS configuration: " + e.getMessage());
        }
        return;
      }
    }
  }

  public int tcpPort() {
    return tcpPort;
  }

  public void tcpPort(int port) {
    this.tcpPort = port;
  }
}
