package dev.sluice.proxy.durable;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.config.ConfigLoader;
import dev.sluice.config.SluiceConfig;
import dev.sluice.proxy.SluiceServer;
import dev.sluice.proxy.keyspace.Clock;
import dev.sluice.proxy.postgres.PostgresConnector;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.util.SafeEncoder;

/** One embedded PostgreSQL with the test tables, and Sluice servers in front of it. */
final class WriteBackFixture implements AutoCloseable {
  static final String MAPPINGS =
      """
      mappings:
        - name: events
          keys: "ingest:events"
          table: public.events
          write: append
        - name: crash_rows
          keys: "ingest:crash"
          table: public.crash_rows
          write: append
        - name: wb_users
          keys: "wbuser:{id}"
          table: public.wb_users
          key-columns: [id]
          shape: hash
          write: back
          on-delete: delete
          invalidate: notify
        - name: wb_docs
          keys: "wbdoc:{id}"
          table: public.wb_docs
          key-columns: [id]
          shape: json
          write: back
        - name: wb_sessions
          keys: "wbsession:*"
          store: kv
        - name: wb_queues
          keys: "queue:*"
          store: kv
      """;

  static final String SCHEMA =
      """
      CREATE TABLE public.events (
        seq bigint NOT NULL,
        kind text,
        amount numeric(10, 2),
        ok boolean,
        at timestamptz,
        id uuid,
        doc jsonb,
        n integer CHECK (n IS NULL OR n >= 0)
      );
      CREATE TABLE public.crash_rows (seq bigint NOT NULL, round int NOT NULL);
      CREATE TABLE public.wb_users (
        id bigint PRIMARY KEY,
        name text,
        email text,
        visits integer NOT NULL DEFAULT 0,
        score numeric(10, 2),
        active boolean
      );
      CREATE TABLE public.wb_docs (
        id bigint PRIMARY KEY,
        title text NOT NULL,
        tags jsonb,
        price numeric(10, 2)
      );
      """;

  final PostgresConnector owner;
  final String url;
  final String password;

  private WriteBackFixture(PostgresConnector owner) {
    this.owner = owner;
    this.url = owner.url();
    this.password = owner.embeddedPassword().orElseThrow();
  }

  static WriteBackFixture start(Path dir) throws SQLException {
    SluiceConfig config =
        load(Map.of("postgres.url", "embedded", "postgres.data-dir", dir.resolve("pg").toString()));
    WriteBackFixture f = new WriteBackFixture(PostgresConnector.start(config, SCHEMA));
    f.execute(
        """
        CREATE TABLE public.flush_commits (node text NOT NULL);
        CREATE FUNCTION public.count_flush() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN INSERT INTO public.flush_commits VALUES (NEW.lineage); RETURN NEW; END $$;
        CREATE TRIGGER count_flush AFTER INSERT OR UPDATE ON sluice.applied
          FOR EACH ROW EXECUTE FUNCTION public.count_flush();
        """);
    return f;
  }

  static SluiceConfig load(Map<String, String> flags) {
    return new ConfigLoader(Map.of()).loadText(MAPPINGS, "test configuration", flags);
  }

  /** The settings of a Sluice in front of this database, plus {@code extra}. */
  Map<String, String> flags(Path journal, String node, Map<String, String> extra) {
    Map<String, String> flags = new HashMap<>();
    flags.put("postgres.url", url);
    flags.put("postgres.password", password);
    flags.put("bind", "127.0.0.1");
    flags.put("port", "0");
    flags.put("io-threads", "2");
    flags.put("journal.dir", journal.toString());
    flags.put("writeback.node", node);
    flags.put("writeback.max-backoff", "1s");
    flags.putAll(extra);
    return flags;
  }

  SluiceServer server(Path journal, String node, Map<String, String> extra)
      throws InterruptedException {
    return server(journal, node, extra, Clock.SYSTEM);
  }

  SluiceServer server(Path journal, String node, Map<String, String> extra, Clock clock)
      throws InterruptedException {
    SluiceConfig config = load(flags(journal, node, extra));
    return new SluiceServer(config, clock, PostgresConnector.start(config, null)).start();
  }

  String queryString(String sql) throws SQLException {
    try (Connection c = connect();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      return rs.next() ? rs.getString(1) : null;
    }
  }

  /** A Sluice in a child JVM ({@link CrashChild}) and the port it listens on. */
  record Child(Process process, int port) {
    /**
     * SIGKILLs the child while {@code client} may still have writes in flight, then drops the
     * client: what it had not sent is lost, never acknowledged.
     */
    void kill(Jedis client) throws InterruptedException {
      process.destroyForcibly();
      assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the child is gone");
      try {
        client.close();
      } catch (RuntimeException expected) {
        // the server is gone
      }
    }
  }

  /**
   * Starts a {@link CrashChild} in front of this database on {@code journal} as {@code node}
   * (batches close after 50 ms), its stderr in {@code logDir}; returns once it listens.
   */
  Child startChild(Path journal, String node, Path logDir)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("-Xmx256m");
    command.add(CrashChild.class.getName());
    for (Map.Entry<String, String> e :
        flags(journal, node, Map.of("writeback.max-batch-delay", "50ms")).entrySet()) {
      command.add(e.getKey() + "=" + e.getValue());
    }
    Process process =
        new ProcessBuilder(command)
            .redirectError(logDir.resolve("child-" + System.nanoTime() + ".err").toFile())
            .start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    String line;
    while ((line = out.readLine()) != null) {
      if (line.startsWith("PORT ")) {
        return new Child(process, Integer.parseInt(line.substring(5).trim()));
      }
    }
    throw new AssertionError("the child Sluice exited before listening: " + process.waitFor());
  }

  static Jedis jedis(SluiceServer server) {
    return new Jedis("127.0.0.1", server.port(), 30_000);
  }

  /** Sends {@code SLUICE args…}; a bulk reply comes back as a string. */
  static Object sluice(Jedis jedis, String... args) {
    Object reply = jedis.sendCommand(() -> SafeEncoder.encode("SLUICE"), args);
    return reply instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : reply;
  }

  Connection connect() throws SQLException {
    return DriverManager.getConnection(url, "postgres", password);
  }

  void execute(String sql) throws SQLException {
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  long queryLong(String sql) throws SQLException {
    try (Connection c = connect();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Override
  public void close() {
    owner.close();
  }
}
