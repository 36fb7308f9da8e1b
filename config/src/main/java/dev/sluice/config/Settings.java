package dev.sluice.config;

import static dev.sluice.config.ValueParsers.duration;
import static dev.sluice.config.ValueParsers.integer;
import static dev.sluice.config.ValueParsers.longInteger;
import static dev.sluice.config.ValueParsers.memory;
import static dev.sluice.config.ValueParsers.oneOf;
import static dev.sluice.config.ValueParsers.string;
import static dev.sluice.config.ValueParsers.words;

import java.time.Duration;
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

  // PostgreSQL. Used only when the configuration has mappings: a plain-Redis configuration never
  // connects to a database.

  public static final Setting<String> POSTGRES_URL =
      new Setting<>(
          "postgres.url",
          ValueParsers.postgresUrl(),
          "embedded",
          false,
          "The database: 'embedded' runs a PostgreSQL inside Sluice (data in postgres.data-dir);"
              + " otherwise a JDBC URL such as jdbc:postgresql://db:5432/app.");

  public static final Setting<String> POSTGRES_USER =
      new Setting<>(
          "postgres.user",
          ValueParsers.nonEmpty("a user name"),
          "postgres",
          false,
          "User Sluice connects as.");

  public static final Setting<String> POSTGRES_PASSWORD =
      new Setting<>(
          "postgres.password",
          string(),
          "postgres",
          false,
          "Password of postgres.user (the embedded server has its own, kept in"
              + " <postgres.data-dir>/sluice.pgpass).");

  public static final Setting<Integer> POSTGRES_POOL_SIZE =
      new Setting<>(
          "postgres.pool-size",
          integer(1, 200),
          "8",
          false,
          "Most connections Sluice holds open to PostgreSQL at once.");

  public static final Setting<Duration> POSTGRES_CONNECT_TIMEOUT =
      new Setting<>(
          "postgres.connect-timeout",
          duration(Duration.ofMillis(250), Duration.ofMinutes(10)),
          "5s",
          false,
          "How long to wait for a new connection, or for a free one from the pool.");

  public static final Setting<Duration> POSTGRES_QUERY_TIMEOUT =
      new Setting<>(
          "postgres.query-timeout",
          duration(Duration.ofMillis(1), Duration.ofHours(1)),
          "2s",
          false,
          "Longest a query may run (statement_timeout of Sluice's connections).");

  public static final Setting<Integer> POSTGRES_MAX_QUEUED_LOADS =
      new Setting<>(
          "postgres.max-queued-loads",
          integer(1, 1_000_000),
          "1000",
          false,
          "Look-aside loads that may wait for one of the postgres.pool-size running ones; a miss"
              + " beyond that is answered at once with 'ERR PostgreSQL is busy for mapping ...'.");

  public static final Setting<String> POSTGRES_DATA_DIR =
      new Setting<>(
          "postgres.data-dir",
          ValueParsers.nonEmpty("a directory"),
          "./data/postgres",
          false,
          "Where the embedded PostgreSQL keeps its data between runs.");

  public static final Setting<Integer> POSTGRES_PORT =
      new Setting<>(
          "postgres.port",
          integer(0, 65535),
          "0",
          false,
          "TCP port of the embedded PostgreSQL (localhost only); 0 picks a free port.");

  // Write-back journal.

  public static final Setting<String> JOURNAL_DIR =
      new Setting<>(
          "journal.dir",
          ValueParsers.nonEmpty("a directory"),
          "./data/journal",
          false,
          "Where the write-back journal keeps its segment files.");

  public static final Setting<Long> JOURNAL_SEGMENT_SIZE =
      new Setting<>(
          "journal.segment-size",
          memory(64 * 1024, 1024L * 1024 * 1024),
          "64mb",
          false,
          "Size at which the journal starts a new segment file (64kb..1gb).");

  public static final Setting<Long> JOURNAL_BUDGET =
      new Setting<>(
          "journal.budget",
          memory(64 * 1024, Long.MAX_VALUE),
          "1gb",
          false,
          "Most bytes of journaled writes not yet applied to PostgreSQL; beyond it writes are"
              + " refused with 'journal full'.");

  public static final Setting<Duration> JOURNAL_FSYNC =
      new Setting<>(
          "journal.fsync",
          ValueParsers.fsyncPolicy(),
          "always",
          false,
          "When the journal forces writes to disk: 'always' (a write is acknowledged after"
              + " fsync) or an interval such as 100ms (acknowledged at once, forced every"
              + " interval: a crash may lose up to that much acknowledged data).");

  // Write-back flushing.

  public static final Setting<String> WRITEBACK_NODE =
      new Setting<>(
          "writeback.node",
          ValueParsers.nonEmpty("a node name"),
          "sluice",
          false,
          "Name of this Sluice in sluice.applied: the highest journal LSN committed to PostgreSQL"
              + " is kept per node. Each Sluice with its own journal needs its own name.");

  public static final Setting<Integer> WRITEBACK_MAX_BATCH_ROWS =
      new Setting<>(
          "writeback.max-batch-rows",
          integer(1, 10_000_000),
          "50000",
          false,
          "Most journaled rows one flush transaction takes; a batch closes when it has this many.");

  public static final Setting<Duration> WRITEBACK_MAX_BATCH_DELAY =
      new Setting<>(
          "writeback.max-batch-delay",
          ValueParsers.duration(Duration.ofMillis(1), Duration.ofDays(1)),
          "200ms",
          false,
          "Longest a journaled row waits for its batch to fill before the batch is flushed anyway.");

  public static final Setting<Duration> WRITEBACK_MAX_BACKOFF =
      new Setting<>(
          "writeback.max-backoff",
          ValueParsers.duration(Duration.ofMillis(10), Duration.ofHours(1)),
          "30s",
          false,
          "Longest pause between retries of a flush that failed for a connection-level reason"
              + " (the pause doubles from 100ms, with jitter); also how long the flusher's circuit"
              + " breaker stays open.");

  // HTTP endpoint: ingest, metrics, health.

  public static final Setting<Integer> HTTP_PORT =
      new Setting<>(
          "http.port",
          integer(-1, 65535),
          "-1",
          false,
          "TCP port of the HTTP endpoint (ingest, /metrics, /healthz, /readyz, /v1/status) on the"
              + " same addresses as RESP (bind); -1 disables it, 0 picks a free port (logged).");

  public static final Setting<Long> HTTP_MAX_BODY_SIZE =
      new Setting<>(
          "http.max-body-size",
          memory(1024, Long.MAX_VALUE),
          "1gb",
          false,
          "Largest request body (an ingest request's NDJSON or CSV), checked while it streams in;"
              + " larger bodies get 413.");

  public static final Setting<Long> HTTP_MAX_HEADER_SIZE =
      new Setting<>(
          "http.max-header-size",
          memory(1024, 1024 * 1024),
          "16kb",
          false,
          "Largest HTTP request line plus headers; larger requests get 431.");

  public static final Setting<Duration> HTTP_HEADER_TIMEOUT =
      new Setting<>(
          "http.header-timeout",
          duration(Duration.ofMillis(100), Duration.ofHours(1)),
          "10s",
          false,
          "Longest a connection may take to send a request's line and headers, and longest an"
              + " idle keep-alive connection stays open; then it is closed (slow clients hold no"
              + " thread and little memory meanwhile).");

  public static final Setting<String> HTTP_TOKEN =
      new Setting<>(
          "http.token",
          string(),
          "",
          false,
          "Bearer token of the default user (role dba) for /v1 endpoints and /metrics"
              + " (Authorization: Bearer <token>). With no token at all (this, users' http-token)"
              + " and no password, the endpoint is open; /healthz and /readyz always are.");

  // Security: protected mode and TLS (see the README's Security section). Named users are the
  // users: list, parsed by UsersParser.

  public static final Setting<Boolean> PROTECTED_MODE =
      new Setting<>(
          "protected-mode",
          ValueParsers.yesNo(),
          "yes",
          false,
          "Refuse to start when listening on an address other than loopback while no password is"
              + " configured (neither requirepass nor users); 'no' turns the check off.");

  public static final Setting<Integer> TLS_PORT =
      new Setting<>(
          "tls-port",
          integer(-1, 65535),
          "-1",
          false,
          "TCP port of the RESP server over TLS, on the bind addresses beside the plain port; -1"
              + " disables it, 0 picks a free port. Needs tls-cert-file and tls-key-file.");

  public static final Setting<String> TLS_CERT_FILE =
      new Setting<>(
          "tls-cert-file",
          string(),
          "",
          true,
          "PEM file of the server certificate (chain) for tls-port and http.tls; CONFIG SET or"
              + " SIGHUP reloads it.");

  public static final Setting<String> TLS_KEY_FILE =
      new Setting<>(
          "tls-key-file",
          string(),
          "",
          true,
          "PEM file of the private key (PKCS#8, unencrypted) of tls-cert-file.");

  public static final Setting<String> TLS_CA_CERT_FILE =
      new Setting<>(
          "tls-ca-cert-file",
          string(),
          "",
          true,
          "PEM file of the CA certificates that sign client certificates; empty means clients"
              + " are not asked for one.");

  public static final Setting<String> TLS_AUTH_CLIENTS =
      new Setting<>(
          "tls-auth-clients",
          oneOf("yes", "no", "optional"),
          "yes",
          true,
          "With tls-ca-cert-file: 'yes' requires a client certificate signed by that CA,"
              + " 'optional' verifies one when offered, 'no' does not ask.");

  public static final Setting<Boolean> HTTP_TLS =
      new Setting<>(
          "http.tls",
          ValueParsers.yesNo(),
          "no",
          false,
          "Serve the HTTP endpoint over TLS (HTTPS) with the tls-* certificate, key and client"
              + " CA.");

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
          BUSY_REPLY_THRESHOLD,
          SLOWLOG_LOG_SLOWER_THAN,
          SLOWLOG_MAX_LEN,
          LATENCY_MONITOR_THRESHOLD,
          LATENCY_TRACKING,
          LATENCY_TRACKING_INFO_PERCENTILES,
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
