package dev.sluice.proxy.durable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.proxy.SluiceServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.commands.ProtocolCommand;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * The DBA's flow control of write-back, end to end: real Jedis clients over sockets, a real Sluice,
 * one embedded PostgreSQL for the class, SQL functions called over JDBC. Every test starts with an
 * empty sluice.control (the state is per mapping, shared by the servers of this class).
 */
class FlowControlTest extends WriteBackDatabaseTest {
  private static final ProtocolCommand SLUICE = () -> "SLUICE".getBytes(StandardCharsets.US_ASCII);
  private static final Map<String, String> QUICK = Map.of("writeback.max-batch-delay", "20ms");

  /** How long a change made with a SQL function may take to apply. */
  private static final long NOTIFIED_MILLIS = 10_000;

  @BeforeEach
  void clearControl() throws SQLException {
    db.execute("DELETE FROM sluice.control");
  }

  private static Jedis jedis(SluiceServer server) {
    return new Jedis("127.0.0.1", server.port(), 30_000);
  }

  private static Object sluice(Jedis jedis, String... args) {
    Object reply = jedis.sendCommand(SLUICE, args);
    return reply instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : reply;
  }

  private static void xadd(Jedis jedis, String kind, int n) {
    Pipeline p = jedis.pipelined();
    for (int i = 0; i < n; i++) {
      Map<String, String> row = new LinkedHashMap<>();
      row.put("seq", String.valueOf(i));
      row.put("kind", kind);
      p.xadd("ingest:events", StreamEntryID.NEW_ENTRY, row);
    }
    p.sync();
  }

  private static long count(String kind) throws SQLException {
    return db.queryLong("SELECT count(*) FROM public.events WHERE kind = '" + kind + "'");
  }

  /** Polls {@code condition} until true or {@code millis} pass; returns the millis it took. */
  private static long within(long millis, String what, BooleanSupplier condition) {
    long start = System.nanoTime();
    long deadline = start + millis * 1_000_000;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + millis + " ms: " + what);
      }
      Thread.onSpinWait();
    }
    return (System.nanoTime() - start) / 1_000_000;
  }

  /** Checks {@code condition} holds throughout {@code millis} (many batch delays). */
  private static void throughout(long millis, String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + millis * 1_000_000;
    while (System.nanoTime() < deadline) {
      assertTrue(condition.getAsBoolean(), what);
    }
  }

  private static BooleanSupplier sql(SqlCheck check) {
    return () -> {
      try {
        return check.test();
      } catch (SQLException e) {
        throw new AssertionError(e);
      }
    };
  }

  private interface SqlCheck {
    boolean test() throws SQLException;
  }

  /** SLUICE STATUS as mapping -> field -> value (RESP2 flat arrays). */
  @SuppressWarnings("unchecked")
  private static Map<String, Map<String, String>> status(Jedis jedis) {
    List<Object> flat = (List<Object>) jedis.sendCommand(SLUICE, "STATUS");
    Map<String, Map<String, String>> out = new HashMap<>();
    for (int i = 0; i + 1 < flat.size(); i += 2) {
      List<Object> fields = (List<Object>) flat.get(i + 1);
      Map<String, String> m = new HashMap<>();
      for (int j = 0; j + 1 < fields.size(); j += 2) {
        m.put(text(fields.get(j)), text(fields.get(j + 1)));
      }
      out.put(text(flat.get(i)), m);
    }
    return out;
  }

  private static String text(Object o) {
    return o instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(o);
  }

  private static long pending(SluiceServer server) {
    return server.context().appends().flusher().pendingRows();
  }

  @Test
  void pause_holdsRowsInTheJournal_resumeDrainsThem() throws Exception {
    try (SluiceServer server = db.server(dir.resolve("j-pause"), "pause", QUICK);
        Jedis jedis = jedis(server)) {
      assertEquals("OK", sluice(jedis, "PAUSE", "events"));
      xadd(jedis, "pause", 1_000);
      throughout(500, "paused: nothing reaches the table", sql(() -> count("pause") == 0));
      assertEquals(1_000, pending(server));
      Map<String, String> events = status(jedis).get("events");
      assertEquals("paused", events.get("writeback"));
      assertEquals("1000", events.get("pending_rows"));
      assertTrue(Long.parseLong(events.get("pending_bytes")) > 10_000, events.toString());
      assertTrue(Long.parseLong(events.get("oldest_pending_ms")) >= 500, events.toString());
      assertEquals("running", status(jedis).get("crash_rows").get("writeback"));
      assertTrue(db.queryLong("SELECT count(*) FROM sluice.control WHERE paused") == 1);

      assertEquals("OK", sluice(jedis, "RESUME", "events"));
      within(10_000, "resumed rows drain", sql(() -> count("pause") == 1_000));
      within(5_000, "nothing pending", () -> pending(server) == 0);
      assertEquals("running", status(jedis).get("events").get("writeback"));
      assertEquals(0, db.queryLong("SELECT count(*) FROM sluice.control WHERE paused"));
    }
  }

  @Test
  void flush_whilePaused_writesEverythingAndStaysPaused() throws Exception {
    try (SluiceServer server = db.server(dir.resolve("j-flush"), "flush", QUICK);
        Jedis jedis = jedis(server)) {
      assertEquals("OK", sluice(jedis, "PAUSE"));
      xadd(jedis, "flush", 500);
      assertEquals(500L, sluice(jedis, "FLUSH", "events", "TIMEOUT", "20000"));
      assertEquals(500, count("flush"));
      assertEquals("paused", status(jedis).get("events").get("writeback"));
      xadd(jedis, "flush", 10);
      throughout(300, "still paused after FLUSH", sql(() -> count("flush") == 500));
      assertEquals(10, pending(server));
      assertEquals(10L, sluice(jedis, "FLUSH"));
      assertEquals(510, count("flush"));
      assertEquals(0L, sluice(jedis, "FLUSH", "events"));
    }
  }

  @Test
  void unknownMappingOrBadArguments_errorNamesItAndListsTheKnownOnes() throws Exception {
    try (SluiceServer server = db.server(dir.resolve("j-unknown"), "unknown", QUICK);
        Jedis jedis = jedis(server)) {
      for (String[] args :
          new String[][] {
            {"PAUSE", "nope"}, {"RESUME", "nope"}, {"THROTTLE", "nope", "10"}, {"FLUSH", "nope"}
          }) {
        JedisDataException e = assertThrows(JedisDataException.class, () -> sluice(jedis, args));
        assertTrue(e.getMessage().contains("'nope'"), e.getMessage());
        assertTrue(e.getMessage().contains("crash_rows, events"), e.getMessage());
      }
      JedisDataException rate =
          assertThrows(JedisDataException.class, () -> sluice(jedis, "THROTTLE", "events", "-5"));
      assertTrue(rate.getMessage().contains("-5"), rate.getMessage());
      assertThrows(JedisDataException.class, () -> sluice(jedis, "FLUSH", "events", "TIMEOUT"));
    }
  }

  /**
   * SLUICE THROTTLE reaches the flusher and sluice.control: 3000 rows at 1000 rows/s cannot drain
   * in under 2.5 s (the bucket starts empty and holds at most a tenth of a second's worth), which a
   * loaded machine cannot make fail, and they drain within a generous 10 s. That the rate holds
   * within 10 % is LanesTest's, on an injected clock.
   */
  @Test
  void throttle_thousandRowsPerSecond_drainsNoFasterThanTheRate() throws Exception {
    try (SluiceServer server = db.server(dir.resolve("j-throttle"), "throttle", QUICK);
        Jedis jedis = jedis(server)) {
      assertEquals("OK", sluice(jedis, "PAUSE", "events"));
      xadd(jedis, "throttle", 3_000);
      assertEquals("OK", sluice(jedis, "THROTTLE", "events", "1000"));
      assertEquals("paused", status(jedis).get("events").get("writeback"));
      assertEquals(
          1000,
          db.queryLong(
              "SELECT throttle_rows_per_second FROM sluice.control WHERE mapping = 'events'"));
      long resumed = System.nanoTime();
      assertEquals("OK", sluice(jedis, "RESUME", "events"));
      assertEquals("throttled", status(jedis).get("events").get("writeback"));
      within(30_000, "3000 rows", sql(() -> count("throttle") == 3_000));
      double seconds = (System.nanoTime() - resumed) / 1e9;
      assertTrue(seconds >= 2.5, "3000 rows throttled to 1000 rows/s drained in " + seconds + " s");
      assertTrue(seconds <= 10, "3000 rows throttled to 1000 rows/s took " + seconds + " s");
      assertEquals("OK", sluice(jedis, "THROTTLE", "events", "OFF"));
      assertEquals("running", status(jedis).get("events").get("writeback"));
    }
  }

  /**
   * The SQL functions reach a running Sluice through NOTIFY (nothing else re-reads sluice.control
   * but a reconnect). The listener polls every 250 ms, so they apply well within a second; the
   * bound here is a generous {@link #NOTIFIED_MILLIS}, so a loaded machine does not fail it.
   */
  @Test
  void sqlFunctions_pauseThrottleFlushResume_applyToTheRunningSluice() throws Exception {
    try (SluiceServer server = db.server(dir.resolve("j-sql"), "sql", QUICK);
        Jedis jedis = jedis(server)) {
      within(
          5_000, "LISTEN sluice_control", () -> server.context().appends().control().listening());
      db.execute("SELECT sluice.pause('events')");
      within(
          NOTIFIED_MILLIS,
          "sluice.pause applied",
          () -> "paused".equals(status(jedis).get("events").get("writeback")));
      xadd(jedis, "sql", 300);
      throughout(300, "paused from SQL", sql(() -> count("sql") == 0));

      db.execute("SELECT sluice.flush('events')");
      within(NOTIFIED_MILLIS, "sluice.flush applied", sql(() -> count("sql") == 300));
      assertEquals("paused", status(jedis).get("events").get("writeback"));

      db.execute("SELECT sluice.throttle('events', 777)");
      within(
          NOTIFIED_MILLIS,
          "sluice.throttle applied",
          () -> "777".equals(status(jedis).get("events").get("throttle_rows_per_second")));
      xadd(jedis, "sql", 50);
      db.execute("SELECT sluice.resume('events')");
      within(NOTIFIED_MILLIS, "sluice.resume applied", sql(() -> count("sql") == 350));
      assertEquals("throttled", status(jedis).get("events").get("writeback"));
    }
  }

  @Test
  void pause_survivesARestartOfSluice_otherMappingsFlowExactlyOnce() throws Exception {
    Path journal = dir.resolve("j-restart");
    try (SluiceServer server = db.server(journal, "restart", QUICK);
        Jedis jedis = jedis(server)) {
      assertEquals("OK", sluice(jedis, "PAUSE", "events"));
      xadd(jedis, "restart", 200);
      Pipeline p = jedis.pipelined();
      for (int i = 0; i < 100; i++) {
        p.xadd("ingest:crash", StreamEntryID.NEW_ENTRY, Map.of("seq", "" + i, "round", "-7"));
      }
      p.sync();
      within(
          10_000,
          "the unpaused mapping flows",
          sql(
              () ->
                  db.queryLong("SELECT count(*) FROM public.crash_rows WHERE round = -7") == 100));
      // the flusher counts rows as applied just after their commit is visible
      within(5_000, "only the paused rows pending", () -> pending(server) == 200);
      throughout(300, "the paused rows stay pending", () -> pending(server) == 200);
    }
    try (SluiceServer server = db.server(journal, "restart", QUICK);
        Jedis jedis = jedis(server)) {
      assertEquals(200, pending(server), "replayed, held by the pause read from sluice.control");
      assertEquals("paused", status(jedis).get("events").get("writeback"));
      throughout(300, "still paused after restart", sql(() -> count("restart") == 0));
      assertEquals("OK", sluice(jedis, "RESUME"));
      within(10_000, "drained after resume", sql(() -> count("restart") == 200));
      assertEquals(
          200,
          db.queryLong("SELECT count(DISTINCT seq) FROM public.events WHERE kind = 'restart'"));
      assertEquals(
          100,
          db.queryLong("SELECT count(*) FROM public.crash_rows WHERE round = -7"),
          "the other mapping's rows were not replayed twice");
    }
  }

  @Test
  void statusView_showsTheFiguresOfEveryMapping() throws Exception {
    try (SluiceServer server = db.server(dir.resolve("j-view"), "view", QUICK);
        Jedis jedis = jedis(server)) {
      assertEquals("OK", sluice(jedis, "PAUSE", "events"));
      xadd(jedis, "view", 100);
      within(
          5_000,
          "sluice.status shows the paused backlog",
          sql(
              () ->
                  db.queryLong(
                          "SELECT count(*) FROM sluice.status WHERE node = 'view'"
                              + " AND mapping = 'events' AND state = 'paused'"
                              + " AND pending_rows = 100 AND pending_bytes > 0 AND NOT stale"
                              + " AND breaker = 'closed'")
                      == 1));
      assertEquals(
          1,
          db.queryLong(
              "SELECT count(*) FROM sluice.status WHERE node = 'view' AND mapping = 'crash_rows'"
                  + " AND state = 'running' AND pending_rows = 0"));
      assertEquals("OK", sluice(jedis, "RESUME", "events"));
      within(
          5_000,
          "sluice.status shows the drain",
          sql(
              () ->
                  db.queryLong(
                          "SELECT count(*) FROM sluice.status WHERE node = 'view'"
                              + " AND mapping = 'events' AND state = 'running'"
                              + " AND pending_rows = 0 AND rows_written = 100"
                              + " AND last_flush_at IS NOT NULL")
                      == 1));
    }
  }
}
