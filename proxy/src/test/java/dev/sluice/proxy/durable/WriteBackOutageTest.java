package dev.sluice.proxy.durable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.config.ConfigLoader;
import dev.sluice.config.SluiceConfig;
import dev.sluice.proxy.SluiceServer;
import dev.sluice.proxy.keyspace.Clock;
import dev.sluice.proxy.postgres.PostgresConnector;
import dev.sluice.proxy.testing.Await;
import dev.sluice.writeback.batch.Flusher;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.commands.ProtocolCommand;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * PostgreSQL stopped under write load and started again: every pipelined XADD is either
 * acknowledged or refused with the journal-full error once the journal budget is reached (nothing
 * is dropped silently), and when the database is back the backlog drains so that the table holds
 * every acknowledged row exactly once and none of the refused ones. The database is an embedded
 * server this test runs itself, so that it can stop it and start it again on the same port.
 */
class WriteBackOutageTest {
  private static final long BUDGET = 256 * 1024;
  private static final ProtocolCommand SLUICE = () -> "SLUICE".getBytes(StandardCharsets.US_ASCII);
  private static final Pattern JOURNAL_FULL =
      Pattern.compile(
          "OOM journal full: (\\d+) bytes pending of budget (\\d+); PostgreSQL flushing is behind"
              + " or paused");

  private static final String CONFIG =
      """
      postgres:
        url: jdbc:postgresql://localhost:%d/postgres
        connect-timeout: 500ms
        query-timeout: 1s
      mappings:
        - name: events
          keys: "ingest:events"
          table: public.events
          write: append
      """;

  @TempDir Path dir;
  private int port;
  private EmbeddedPostgres postgres;
  private SluiceServer server;
  private SluiceServer replica;

  private EmbeddedPostgres startPostgres() throws IOException {
    return EmbeddedPostgres.builder()
        .setDataDirectory(dir.resolve("pg"))
        .setCleanDataDirectory(false)
        .setPort(port)
        .start();
  }

  /** A Sluice on this test's PostgreSQL, journaling in {@code dir/<node>}. */
  private SluiceServer sluice(String node, Map<String, String> extra) throws InterruptedException {
    Map<String, String> flags = new HashMap<>();
    flags.put("bind", "127.0.0.1");
    flags.put("port", "0");
    flags.put("io-threads", "2");
    flags.put("journal.dir", dir.resolve(node).toString());
    flags.put("writeback.node", node);
    flags.put("writeback.max-backoff", "200ms");
    flags.putAll(extra);
    SluiceConfig config =
        new ConfigLoader(Map.of()).loadText(CONFIG.formatted(port), "test configuration", flags);
    return new SluiceServer(config, Clock.SYSTEM, PostgresConnector.start(config, null)).start();
  }

  @AfterEach
  void stop() throws IOException {
    if (server != null) {
      server.close();
    }
    if (replica != null) {
      replica.close();
    }
    if (postgres != null) {
      postgres.close();
    }
  }

  @Test
  void xadd_postgresStoppedUnderLoad_refusedAtBudgetNothingAcknowledgedLostBacklogDrains()
      throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    postgres = startPostgres();
    execute("CREATE TABLE public.events (seq bigint NOT NULL, kind text)");
    server = sluice("outage", Map.of("journal.budget", "256kb"));

    Set<Long> acknowledged = new HashSet<>();
    Set<Long> refused = new HashSet<>();
    long seq = 0;
    try (Jedis jedis = new Jedis("127.0.0.1", server.port(), 30_000)) {
      // Load while PostgreSQL is up.
      for (int batch = 0; batch < 4; batch++) {
        seq = pipeline(jedis, seq, 250, acknowledged, refused);
      }
      assertTrue(refused.isEmpty(), "refused while PostgreSQL is up: " + refused.size());

      postgres.close();
      postgres = null;

      // Keep writing until the journal is full; every reply is an ID or the journal-full error.
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (refused.isEmpty() && System.nanoTime() < deadline) {
        seq = pipeline(jedis, seq, 250, acknowledged, refused);
      }
      assertFalse(refused.isEmpty(), "no journal-full error after " + seq + " rows");
      int acknowledgedAtFull = acknowledged.size();
      assertTrue(acknowledgedAtFull > 1_000, "the journal accepts writes while PostgreSQL is down");
      // The failed flushes opened the flusher's circuit breaker; SLUICE STATUS shows it.
      awaitBreaker(jedis, "open");
      // While PostgreSQL stays down the journal stays full: a further batch is refused entirely.
      seq = pipeline(jedis, seq, 100, acknowledged, refused);
      assertEquals(
          acknowledgedAtFull, acknowledged.size(), "acknowledged while the journal is full");
      assertEquals(seq, acknowledged.size() + refused.size(), "every XADD answered");

      postgres = startPostgres();

      // The backlog drains once PostgreSQL is back: wait, bounded, for the last journaled row.
      long lastLsn = server.context().appends().journal().lastLsn();
      long drained = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (!server.context().appends().flusher().awaitApplied(lastLsn, Duration.ofMillis(200))
          && System.nanoTime() < drained) {
        // Each round waits on the flusher's applied LSN, at most 200 ms.
      }
      awaitBreaker(jedis, "closed");
      Map<Long, Long> counts = seqCounts();
      assertEquals(acknowledged, counts.keySet(), "the table holds exactly the acknowledged rows");
      counts.forEach((s, n) -> assertEquals(1L, n, "seq " + s + " written " + n + " times"));
      for (Long r : refused) {
        assertFalse(counts.containsKey(r), "refused seq " + r + " reached the table");
      }

      // XADD works again.
      StreamEntryID id =
          jedis.xadd(
              "ingest:events",
              StreamEntryID.NEW_ENTRY,
              Map.of("seq", String.valueOf(seq), "kind", "after"));
      assertNotNull(id);
      assertTrue(server.context().appends().flusher().flush(Duration.ofSeconds(10)));
      assertEquals(1, seqCounts().getOrDefault(seq, 0L));
    }
  }

  @Test
  void promotion_postgresDownWhenPromoted_lineageTakenOverOnceItIsBack() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    postgres = startPostgres();
    execute("CREATE TABLE public.events (seq bigint NOT NULL, kind text)");
    server = sluice("promote-p", Map.of("writeback.max-batch-delay", "1d"));
    replica = sluice("promote-r", Map.of());
    try (Jedis toPrimary = new Jedis("127.0.0.1", server.port(), 30_000);
        Jedis toReplica = new Jedis("127.0.0.1", replica.port(), 30_000)) {
      toReplica.replicaof("127.0.0.1", server.port());
      Await.until(
          "the replica's link up",
          Duration.ofSeconds(30),
          () -> toReplica.info("replication").contains("master_link_status:up"));
      Set<Long> acknowledged = new HashSet<>();
      pipeline(toPrimary, 0, 50, acknowledged, new HashSet<>());
      long last = server.context().appends().journal().lastLsn();
      Await.until(
          "the replica's journal at LSN " + last,
          Duration.ofSeconds(30),
          () -> replica.context().appends().journal().lastLsn() == last);
      server.close(); // the primary goes, its 50 rows unflushed
      server = null;
      postgres.close();
      postgres = null;

      toReplica.replicaofNoOne();
      Flusher flusher = replica.context().appends().flusher();
      assertTrue(flusher.following(), "promoted without PostgreSQL: the lineage is not its own");
      JedisDataException refused =
          assertThrows(
              JedisDataException.class,
              () -> toReplica.xadd("ingest:events", StreamEntryID.NEW_ENTRY, Map.of("seq", "-1")));
      assertTrue(
          refused.getMessage().contains("write-back writes go to the primary"),
          refused.getMessage());

      postgres = startPostgres();
      Await.until(
          "the lineage taken over once PostgreSQL is back",
          Duration.ofSeconds(60),
          () -> !flusher.following());
      assertTrue(flusher.flush(Duration.ofSeconds(30)));
      Map<Long, Long> counts = seqCounts();
      assertEquals(acknowledged, counts.keySet(), "the primary's acknowledged rows");
      counts.forEach((s, n) -> assertEquals(1L, n, "seq " + s + " written " + n + " times"));
      assertNotNull(
          toReplica.xadd("ingest:events", StreamEntryID.NEW_ENTRY, Map.of("seq", "50")),
          "the promoted node takes write-back writes");
    }
  }

  /** Waits, bounded, until SLUICE STATUS shows the flusher's breaker in {@code state}. */
  private static void awaitBreaker(Jedis jedis, String state) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    String seen = null;
    while (System.nanoTime() < deadline) {
      seen = breaker(jedis);
      if (state.equals(seen)) {
        return;
      }
      Thread.onSpinWait();
    }
    assertEquals(state, seen, "the breaker of the flusher in SLUICE STATUS");
  }

  @SuppressWarnings("unchecked")
  private static String breaker(Jedis jedis) {
    List<Object> reply = (List<Object>) jedis.sendCommand(SLUICE, "STATUS");
    for (int i = 0; i + 1 < reply.size(); i += 2) {
      if ("events".equals(new String((byte[]) reply.get(i), StandardCharsets.UTF_8))) {
        List<Object> fields = (List<Object>) reply.get(i + 1);
        for (int j = 0; j + 1 < fields.size(); j += 2) {
          if ("breaker".equals(new String((byte[]) fields.get(j), StandardCharsets.UTF_8))) {
            return new String((byte[]) fields.get(j + 1), StandardCharsets.UTF_8);
          }
        }
      }
    }
    throw new AssertionError("SLUICE STATUS has no breaker for mapping 'events'");
  }

  /**
   * Pipelines {@code n} XADDs with sequence values from {@code from}, recording each as
   * acknowledged or refused (any other answer fails the test); returns the next sequence value.
   */
  private static long pipeline(
      Jedis jedis, long from, int n, Set<Long> acknowledged, Set<Long> refused) {
    Pipeline p = jedis.pipelined();
    List<Response<StreamEntryID>> replies = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      replies.add(
          p.xadd(
              "ingest:events",
              StreamEntryID.NEW_ENTRY,
              Map.of("seq", String.valueOf(from + i), "kind", "load")));
    }
    p.sync();
    for (int i = 0; i < n; i++) {
      long s = from + i;
      try {
        assertNotNull(replies.get(i).get());
        acknowledged.add(s);
      } catch (JedisDataException e) {
        String m = e.getMessage();
        assertTrue(m.startsWith("OOM journal full: "), m);
        Matcher matcher = JOURNAL_FULL.matcher(m);
        assertTrue(matcher.matches(), m);
        long pending = Long.parseLong(matcher.group(1));
        assertEquals(BUDGET, Long.parseLong(matcher.group(2)), m);
        assertTrue(
            pending <= BUDGET && pending > BUDGET - 1024, "refused short of the budget: " + m);
        refused.add(s);
      }
    }
    return from + n;
  }

  private Connection connect() throws SQLException {
    return postgres.getPostgresDatabase().getConnection();
  }

  private void execute(String sql) throws SQLException {
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  private Map<Long, Long> seqCounts() throws SQLException {
    Map<Long, Long> counts = new HashMap<>();
    try (Connection c = connect();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT seq, count(*) FROM public.events GROUP BY seq")) {
      while (rs.next()) {
        counts.put(rs.getLong(1), rs.getLong(2));
      }
    }
    return counts;
  }
}
