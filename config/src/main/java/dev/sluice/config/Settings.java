package dev.sluice.config;

import static dev.sluice.config.EndpointSettings.HTTP_HEADER_TIMEOUT;
import static dev.sluice.config.EndpointSettings.HTTP_MAX_BODY_SIZE;
import static dev.sluice.config.EndpointSettings.HTTP_MAX_HEADER_SIZE;
import static dev.sluice.config.EndpointSettings.HTTP_PORT;
import static dev.sluice.config.EndpointSettings.HTTP_TLS;
import static dev.sluice.config.EndpointSettings.HTTP_TOKEN;
import static dev.sluice.config.EndpointSettings.TLS_AUTH_CLIENTS;
import static dev.sluice.config.EndpointSettings.TLS_CA_CERT_FILE;
import static dev.sluice.config.EndpointSettings.TLS_CERT_FILE;
import static dev.sluice.config.EndpointSettings.TLS_KEY_FILE;
import static dev.sluice.config.EndpointSettings.TLS_PORT;
import static dev.sluice.config.PostgresSettings.POSTGRES_CONNECT_TIMEOUT;
import static dev.sluice.config.PostgresSettings.POSTGRES_DATA_DIR;
import static dev.sluice.config.PostgresSettings.POSTGRES_MAX_QUEUED_LOADS;
import static dev.sluice.config.PostgresSettings.POSTGRES_PASSWORD;
import static dev.sluice.config.PostgresSettings.POSTGRES_POOL_SIZE;
import static dev.sluice.config.PostgresSettings.POSTGRES_PORT;
import static dev.sluice.config.PostgresSettings.POSTGRES_QUERY_TIMEOUT;
import static dev.sluice.config.PostgresSettings.POSTGRES_URL;
import static dev.sluice.config.PostgresSettings.POSTGRES_USER;
import static dev.sluice.config.ValueParsers.integer;
import static dev.sluice.config.ValueParsers.longInteger;
import static dev.sluice.config.ValueParsers.memory;
import static dev.sluice.config.ValueParsers.oneOf;
import static dev.sluice.config.ValueParsers.string;
import static dev.sluice.config.ValueParsers.words;
import static dev.sluice.config.WriteBackSettings.JOURNAL_BUDGET;
import static dev.sluice.config.WriteBackSettings.JOURNAL_DIR;
import static dev.sluice.config.WriteBackSettings.JOURNAL_FSYNC;
import static dev.sluice.config.WriteBackSettings.JOURNAL_SEGMENT_SIZE;
import static dev.sluice.config.WriteBackSettings.WRITEBACK_ACK;
import static dev.sluice.config.WriteBackSettings.WRITEBACK_ACK_REPLICAS;
import static dev.sluice.config.WriteBackSettings.WRITEBACK_MAX_BACKOFF;
import static dev.sluice.config.WriteBackSettings.WRITEBACK_MAX_BATCH_DELAY;
import static dev.sluice.config.WriteBackSettings.WRITEBACK_MAX_BATCH_ROWS;
import static dev.sluice.config.WriteBackSettings.WRITEBACK_NODE;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every configuration key Sluice knows, with its default. The defaults suit a laptop: loopback
 * only, Redis's port, 16 databases, no memory limit. docs/CONFIGURATION.md lists the same keys.
 */
public final class Settings {
  private Settings() {}

  public static final Setting<List<String>> BIND =
      new Setting<>(
          "bind",
          words(),
          "127.0.0.1",
          false,
          "Addresses the RESP server listens on, separated by spaces.");

  public static final Setting<Integer> PORT =
      new Setting<>(
          "port",
          integer(0, 65535),
          "6379",
          false,
          "TCP port of the RESP server; 0 picks a free port (its number is logged).");

  public static final Setting<Integer> DATABASES =
      new Setting<>(
          "databases",
          integer(1, 10_000),
          "16",
          false,
          "Number of logical databases, selected with SELECT 0..n-1.");

  public static final Setting<Integer> IO_THREADS =
      new Setting<>(
          "io-threads",
          integer(0, 128),
          "0",
          false,
          "Netty I/O threads that decode and execute commands; 0 means half the cores (at least one).");

  public static final Setting<Integer> MAXCLIENTS =
      new Setting<>(
          "maxclients",
          integer(1, 1_000_000),
          "10000",
          true,
          "Connections accepted at once; the next one is told 'ERR max number of clients reached'.");

  public static final Setting<String> REQUIREPASS =
      new Setting<>(
          "requirepass",
          string(),
          "",
          true,
          "Password of the default user; empty means no authentication.");

  public static final Setting<Long> MAXMEMORY =
      new Setting<>(
          "maxmemory",
          memory(0, Long.MAX_VALUE),
          "0",
          true,
          "Memory limit for the dataset (e.g. 512mb); 0 means no limit.");

  public static final Setting<String> MAXMEMORY_POLICY =
      new Setting<>(
          "maxmemory-policy",
          oneOf(
              "noeviction",
              "allkeys-lru",
              "allkeys-lfu",
              "allkeys-random",
              "volatile-lru",
              "volatile-lfu",
              "volatile-random",
              "volatile-ttl"),
          "noeviction",
          true,
          "What happens at maxmemory: refuse writes (noeviction) or evict keys.");

  public static final Setting<Integer> MAXMEMORY_SAMPLES =
      new Setting<>(
          "maxmemory-samples",
          integer(1, 64),
          "5",
          true,
          "Keys sampled per eviction; more is more precise and slower.");

  public static final Setting<Integer> LFU_LOG_FACTOR =
      new Setting<>(
          "lfu-log-factor",
          integer(0, 1_000_000),
          "10",
          true,
          "How slowly the LFU counter grows with hits.");

  public static final Setting<Integer> LFU_DECAY_TIME =
      new Setting<>(
          "lfu-decay-time",
          integer(0, 1_000_000),
          "1",
          true,
          "Minutes of idleness that decrement a key's LFU counter by one.");

  public static final Setting<Long> PROTO_MAX_BULK_LEN =
      new Setting<>(
          "proto-max-bulk-len",
          memory(1024 * 1024, 4L * 1024 * 1024 * 1024),
          "512mb",
          true,
          "Largest bulk string a client may send, and largest string value.");

  public static final Setting<Long> CLIENT_QUERY_BUFFER_LIMIT =
      new Setting<>(
          "client-query-buffer-limit",
          memory(1024 * 1024, Long.MAX_VALUE),
          "1gb",
          true,
          "Most bytes held for one client's unprocessed input (an incomplete command, commands"
              + " queued behind a blocked one); past it the client is disconnected.");

  public static final Setting<Integer> HZ =
      new Setting<>("hz", integer(1, 500), "10", true, "Active expiry cycles per second.");

  public static final Setting<Integer> TIMEOUT =
      new Setting<>(
          "timeout",
          integer(0, Integer.MAX_VALUE),
          "0",
          true,
          "Seconds after which an idle client is disconnected; 0 means never.");

  public static final Setting<String> SAVE =
      new Setting<>(
          "save",
          ValueParsers.savePoints(),
          "3600 1 300 100 60 10000",
          true,
          "When to write dump.rdb in the background: pairs of seconds and changes, a save after"
              + " that many seconds if at least that many changes were made; empty: never.");

  public static final Setting<String> DIR =
      new Setting<>(
          "dir",
          ValueParsers.directory(),
          ".",
          false,
          "Directory of the RDB file (dbfilename); it must exist.");

  public static final Setting<String> DBFILENAME =
      new Setting<>(
          "dbfilename",
          ValueParsers.fileName(),
          "dump.rdb",
          false,
          "Name of the RDB file in dir: loaded at start-up, written by SAVE, BGSAVE, the save"
              + " points and SHUTDOWN.");

  public static final Setting<Boolean> RDBCOMPRESSION =
      new Setting<>(
          "rdbcompression",
          ValueParsers.yesNo(),
          "yes",
          true,
          "LZF-compress the strings of the RDB file longer than 20 bytes, as Redis.");

  public static final Setting<Boolean> RDBCHECKSUM =
      new Setting<>(
          "rdbchecksum",
          ValueParsers.yesNo(),
          "yes",
          false,
          "End the RDB file with a CRC-64 and check it when loading.");

  public static final Setting<Integer> BUSY_REPLY_THRESHOLD =
      new Setting<>(
          "busy-reply-threshold",
          integer(0, Integer.MAX_VALUE),
          "5000",
          true,
          "Milliseconds a script may run before other clients get BUSY and SCRIPT KILL may stop"
              + " it (alias lua-time-limit).");

  public static final Setting<Long> SCRIPT_ALLOCATION_LIMIT =
      new Setting<>(
          "script-allocation-limit",
          memory(0, Long.MAX_VALUE),
          "1gb",
          true,
          "Bytes one Lua script may allocate, counted cumulatively, before it is stopped with an"
              + " error; 0 means no limit.");

  public static final Setting<String> NOTIFY_KEYSPACE_EVENTS =
      new Setting<>(
          "notify-keyspace-events",
          ValueParsers.eventClasses(),
          "",
          true,
          "Keyspace notifications to publish, as Redis's letters (e.g. KEA, Ex); empty: none.");

  public static final Setting<String> CLIENT_OUTPUT_BUFFER_LIMIT =
      new Setting<>(
          "client-output-buffer-limit",
          ValueParsers.outputBufferLimits(),
          "normal 0 0 0 replica 268435456 67108864 60 pubsub 33554432 8388608 60",
          true,
          "Per client class: hard limit, soft limit and seconds over the soft limit before a"
              + " client is disconnected; 0 means none.");

  // Security: protected mode (see the README's Security section); TLS is in EndpointSettings. Named
  // users are the
  // users: list, parsed by UsersParser.

  public static final Setting<Boolean> PROTECTED_MODE =
      new Setting<>(
          "protected-mode",
          ValueParsers.yesNo(),
          "yes",
          false,
          "Refuse to start when listening on an address other than loopback while no password is"
              + " configured (neither requirepass nor users); 'no' turns the check off.");

  public static final Setting<Long> SLOWLOG_LOG_SLOWER_THAN =
      new Setting<>(
          "slowlog-log-slower-than",
          longInteger(-1, Long.MAX_VALUE),
          "10000",
          true,
          "Microseconds a command must run to enter SLOWLOG; 0 logs every command, -1 none.");

  public static final Setting<Long> SLOWLOG_MAX_LEN =
      new Setting<>(
          "slowlog-max-len",
          longInteger(0, Long.MAX_VALUE),
          "128",
          true,
          "Entries SLOWLOG keeps; the oldest go first.");

  public static final Setting<Long> LATENCY_MONITOR_THRESHOLD =
      new Setting<>(
          "latency-monitor-threshold",
          longInteger(0, Long.MAX_VALUE),
          "0",
          true,
          "Milliseconds a command or an active expire cycle must take to be recorded as a LATENCY"
              + " event; 0 turns the latency monitor off.");

  public static final Setting<Boolean> LATENCY_TRACKING =
      new Setting<>(
          "latency-tracking",
          ValueParsers.yesNo(),
          "yes",
          true,
          "Keep a latency histogram per command, for LATENCY HISTOGRAM and INFO latencystats.");

  public static final Setting<List<Double>> LATENCY_TRACKING_INFO_PERCENTILES =
      new Setting<>(
          "latency-tracking-info-percentiles",
          ValueParsers.percentiles(),
          "50 99 99.9",
          true,
          "Percentiles INFO latencystats shows for each command, separated by spaces; empty:"
              + " none.");
  public static final Setting<Long> ACLLOG_MAX_LEN =
      new Setting<>(
          "acllog-max-len",
          longInteger(0, Long.MAX_VALUE),
          "128",
          true,
          "Entries ACL LOG keeps; the oldest go first.");

  public static final Setting<Long> REPL_BACKLOG_SIZE =
      new Setting<>(
          "repl-backlog-size",
          memory(16 * 1024, Integer.MAX_VALUE),
          "1mb",
          true,
          "Bytes of the replication stream kept for replicas that reconnect (PSYNC continues from"
              + " it instead of sending a whole RDB file); applies to the backlog created next.");

  public static final Setting<Integer> REPL_TIMEOUT =
      new Setting<>(
          "repl-timeout",
          integer(1, Integer.MAX_VALUE),
          "60",
          true,
          "Seconds a replica waits for data from its primary (which PINGs every 10 s), during the"
              + " handshake, the file's transfer or the stream, before it drops the link and"
              + " connects again.");

  public static final Setting<Boolean> REPLICA_READ_ONLY =
      new Setting<>(
          "replica-read-only",
          ValueParsers.yesNo(),
          "yes",
          true,
          "As a replica (REPLICAOF), refuse writes from clients with READONLY; the primary's"
              + " stream still applies.");

  public static final Setting<Boolean> REPLICA_SERVE_STALE_DATA =
      new Setting<>(
          "replica-serve-stale-data",
          ValueParsers.yesNo(),
          "yes",
          true,
          "As a replica whose link to its primary is down, keep answering from the data it has;"
              + " no: answer MASTERDOWN to all but a few commands (INFO, REPLICAOF, …).");

  public static final Setting<String> MASTERAUTH =
      new Setting<>(
          "masterauth",
          string(),
          "",
          true,
          "As a replica, the password it authenticates with to its primary; empty: none.");

  public static final Setting<String> MASTERUSER =
      new Setting<>(
          "masteruser",
          string(),
          "",
          true,
          "As a replica, the ACL user it authenticates as to its primary (with masterauth);"
              + " empty: the default user.");

  public static final Setting<Long> TRACKING_TABLE_MAX_KEYS =
      new Setting<>(
          "tracking-table-max-keys",
          longInteger(0, Long.MAX_VALUE),
          "1000000",
          true,
          "Keys CLIENT TRACKING remembers for the clients that may cache them; past it, keys are"
              + " invalidated to make room. 0: no limit.");

  public static final List<Setting<?>> ALL =
      List.of(
          BIND,
          PORT,
          DATABASES,
          IO_THREADS,
          MAXCLIENTS,
          REQUIREPASS,
          MAXMEMORY,
          MAXMEMORY_POLICY,
          MAXMEMORY_SAMPLES,
          LFU_LOG_FACTOR,
          LFU_DECAY_TIME,
          PROTO_MAX_BULK_LEN,
          CLIENT_QUERY_BUFFER_LIMIT,
          HZ,
          TIMEOUT,
          SAVE,
          DIR,
          DBFILENAME,
          RDBCOMPRESSION,
          RDBCHECKSUM,
          BUSY_REPLY_THRESHOLD,
          SLOWLOG_LOG_SLOWER_THAN,
          SLOWLOG_MAX_LEN,
          LATENCY_MONITOR_THRESHOLD,
          LATENCY_TRACKING,
          LATENCY_TRACKING_INFO_PERCENTILES,
          ACLLOG_MAX_LEN,
          TRACKING_TABLE_MAX_KEYS,
          REPL_BACKLOG_SIZE,
          REPL_TIMEOUT,
          REPLICA_READ_ONLY,
          REPLICA_SERVE_STALE_DATA,
          MASTERAUTH,
          MASTERUSER,
          SCRIPT_ALLOCATION_LIMIT,
          NOTIFY_KEYSPACE_EVENTS,
          CLIENT_OUTPUT_BUFFER_LIMIT,
          POSTGRES_URL,
          POSTGRES_USER,
          POSTGRES_PASSWORD,
          POSTGRES_POOL_SIZE,
          POSTGRES_CONNECT_TIMEOUT,
          POSTGRES_QUERY_TIMEOUT,
          POSTGRES_MAX_QUEUED_LOADS,
          POSTGRES_DATA_DIR,
          POSTGRES_PORT,
          JOURNAL_DIR,
          JOURNAL_SEGMENT_SIZE,
          JOURNAL_BUDGET,
          JOURNAL_FSYNC,
          WRITEBACK_NODE,
          WRITEBACK_MAX_BATCH_ROWS,
          WRITEBACK_MAX_BATCH_DELAY,
          WRITEBACK_MAX_BACKOFF,
          WRITEBACK_ACK,
          WRITEBACK_ACK_REPLICAS,
          HTTP_PORT,
          HTTP_MAX_BODY_SIZE,
          HTTP_MAX_HEADER_SIZE,
          HTTP_HEADER_TIMEOUT,
          HTTP_TOKEN,
          PROTECTED_MODE,
          TLS_PORT,
          TLS_CERT_FILE,
          TLS_KEY_FILE,
          TLS_CA_CERT_FILE,
          TLS_AUTH_CLIENTS,
          HTTP_TLS);

  private static final Map<String, Setting<?>> BY_KEY = index();

  private static Map<String, Setting<?>> index() {
    Map<String, Setting<?>> byKey = new LinkedHashMap<>();
    for (Setting<?> setting : ALL) {
      byKey.put(setting.key(), setting);
    }
    return byKey;
  }

  public static Optional<Setting<?>> byKey(String key) {
    return Optional.ofNullable(BY_KEY.get(key));
  }
}
