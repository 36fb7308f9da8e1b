package dev.sluice.proxy.lookaside;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.proxy.testing.Await;
import dev.sluice.proxy.testing.MappedTestServer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * PostgreSQL stopped under a running Sluice: hits keep answering, misses fail with an error that
 * says the database is unavailable (once it is known to be unreachable, without trying the
 * database, within 100 ms), and everything recovers once it is back. The database is an embedded
 * server this test runs itself (so it can stop it), reached by its JDBC URL.
 */
class PostgresOutageTest {
  @TempDir static Path dir;
  private static EmbeddedPostgres postgres;
  private static int port;
  private static MappedTestServer server;

  private static final String MAPPINGS =
      """
      postgres:
        url: jdbc:postgresql://localhost:%d/postgres
      mappings:
        - name: users
          keys: "user:{id}"
          table: public.users
          key-columns: [id]
          invalidate: notify
      """;

  private static EmbeddedPostgres startPostgres() throws IOException {
    return EmbeddedPostgres.builder()
        .setDataDirectory(dir.resolve("pg"))
        .setCleanDataDirectory(false)
        .setPort(port)
        .start();
  }

  @BeforeAll
  static void start() throws IOException, SQLException {
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    postgres = startPostgres();
    try (Connection c = postgres.getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      s.execute(
          "CREATE TABLE public.users (id int PRIMARY KEY, name text);"
              + " INSERT INTO public.users SELECT i, 'user ' || i FROM generate_series(1, 100) i");
    }
    server = MappedTestServer.start(MAPPINGS.formatted(port), null, Map.of());
  }

  @AfterAll
  static void stop() throws IOException {
    if (server != null) {
      server.close();
      server.connector().close();
    }
    if (postgres != null) {
      postgres.close();
    }
  }

  @Test
  void postgresStopped_hitsAnswerMissesFailFastAndAllRecovers() throws IOException {
    try (Jedis jedis = server.jedis()) {
      assertEquals("user 1", jedis.hget("user:1", "name"));
      long loads = Long.parseLong(mappingField(jedis, "loads"));

      postgres.close();

      assertEquals("user 1", jedis.hget("user:1", "name"), "a hit never reaches the database");
      // The first miss's load, if PostgreSQL is not known to be unreachable yet (the pool may have
      // found out already), meets the first refused connection attempt; it may end after its miss
      // was answered.
      int id = 200; // rows 1-100 exist, and another test reads ids from 1,000 up
      assertUnavailable(jedis, id++);
      Await.until(
          "PostgreSQL known unreachable",
          () -> jedis.info("sluice").contains("postgres_reachable:0"));
      // Known unreachable: a miss fails without trying PostgreSQL (no load, i.e. no query on a
      // pooled connection, starts) and without counting in the mapping's breaker.
      for (int i = 0; i < 5; i++) {
        assertTrue(assertUnavailable(jedis, id++).contains("refused"), "the attempt's reason");
      }
      long started = Long.parseLong(mappingField(jedis, "loads")) - loads;
      assertTrue(started <= 1, "loads started by 6 misses: at most the first's, not " + started);
      assertEquals("closed", mappingField(jedis, "breaker"));
      assertEquals("user 1", jedis.hget("user:1", "name"), "hits still answer");

      restartPostgres();

      assertRecovers(jedis, 42);
    }
  }

  /**
   * Issue 19: PostgreSQL stopped under read load from several clients, with the default timeouts (a
   * connection waited for up to 5 s, a load answered within 2.25 s). Each miss is timed by its
   * client: from the first failed miss on, every miss that starts is answered within 100 ms, and
   * every hit is answered with its value throughout.
   */
  @Test
  void postgresStoppedUnderReadLoad_everyMissAfterTheFirstFailureAnsweredWithin100ms()
      throws Exception {
    try (ReadLoad load = new ReadLoad(server, 3, 1)) {
      load.awaitMisses(100, "misses before the stop");

      postgres.close();

      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (load.missesStartedAfterFirstFailure() < 500 && System.nanoTime() < deadline) {
        load.awaitProgress();
      }
      load.stop();

      assertEquals(List.of(), load.hitFailures(), "hits answered with their values");
      assertTrue(load.hitsAfterFirstFailure() > 0, "hits measured during the outage");
      List<ReadLoad.Miss> after = load.missesAfterFirstFailure();
      assertTrue(after.size() >= 500, "misses measured after the first failure: " + after.size());
      long slowest = 0;
      for (ReadLoad.Miss miss : after) {
        assertNotNull(miss.error(), "a miss answered while PostgreSQL is down");
        assertTrue(
            miss.error().startsWith("ERR PostgreSQL is unavailable for mapping 'users': "),
            miss.error());
        slowest = Math.max(slowest, miss.nanos());
      }
      assertTrue(
          slowest < Duration.ofMillis(100).toNanos(),
          "slowest miss after the first failure: " + slowest / 1_000_000 + " ms");
    }
    restartPostgres();
    try (Jedis jedis = server.jedis()) {
      assertRecovers(jedis, 43);
    }
  }

  private static void restartPostgres() throws IOException {
    postgres = startPostgres();
  }

  /** Misses (of row {@code id}, not read before) load again once PostgreSQL is back. */
  private static void assertRecovers(Jedis jedis, int id) {
    long recovered = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    String name = null;
    while (name == null && System.nanoTime() < recovered) {
      try {
        name = jedis.hget("user:" + id, "name");
      } catch (JedisDataException e) {
        assertTrue(e.getMessage().contains("PostgreSQL is unavailable"), e.getMessage());
      }
    }
    assertEquals("user " + id, name, "misses load again once PostgreSQL is back");
    assertEquals("closed", mappingField(jedis, "breaker"));
    assertTrue(jedis.info("sluice").contains("postgres_reachable:1"));
  }

  /** A miss while PostgreSQL is down: an error saying so; returns it. */
  private static String assertUnavailable(Jedis jedis, int id) {
    JedisDataException e =
        assertThrows(
            JedisDataException.class,
            () -> jedis.hgetAll("user:" + id),
            "a miss answered while PostgreSQL is down");
    assertTrue(
        e.getMessage().startsWith("ERR PostgreSQL is unavailable for mapping 'users': "),
        e.getMessage());
    return e.getMessage();
  }

  /** A field of the mapping's line in INFO sluice ({@code mapping_users:kind=…,loads=…,…}). */
  private static String mappingField(Jedis jedis, String field) {
    for (String line : jedis.info("sluice").split("\r\n")) {
      if (line.startsWith("mapping_users:")) {
        for (String pair : line.substring("mapping_users:".length()).split(",")) {
          if (pair.startsWith(field + "=")) {
            return pair.substring(field.length() + 1);
          }
        }
      }
    }
    throw new AssertionError("INFO sluice has no " + field + " for mapping users");
  }
}
