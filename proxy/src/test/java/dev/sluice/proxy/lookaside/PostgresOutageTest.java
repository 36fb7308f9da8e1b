package dev.sluice.proxy.lookaside;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.proxy.testing.MappedTestServer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * PostgreSQL stopped under a running Sluice: hits keep answering, misses fail with an error that
 * says the database is unavailable (once the breaker is open, without trying the database: counted,
 * not timed), and everything recovers once it is back. The database is an embedded server this test
 * runs itself (so it can stop it), reached by its JDBC URL.
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
        connect-timeout: 500ms
        query-timeout: 1s
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

      postgres.close();

      assertEquals("user 1", jedis.hget("user:1", "name"), "a hit never reaches the database");
      // The first misses find the database gone (each within the timeouts); then the breaker opens.
      int id = 10;
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (!"open".equals(mappingField(jedis, "breaker")) && System.nanoTime() < deadline) {
        assertUnavailable(jedis, id++);
      }
      assertEquals("open", mappingField(jedis, "breaker"));
      // While it is open a miss fails without trying PostgreSQL: no load (a query on a pooled
      // connection) starts. A miss after the breaker's wait is its probe, which may try.
      int rejected = 0;
      while (rejected < 5 && System.nanoTime() < deadline) {
        long loads = Long.parseLong(mappingField(jedis, "loads"));
        String error = assertUnavailable(jedis, id++);
        if (error.contains("too many recent loads failed")) {
          assertEquals(
              loads,
              Long.parseLong(mappingField(jedis, "loads")),
              "no connection attempted while the breaker is open: " + error);
          rejected++;
        }
      }
      assertEquals(5, rejected, "misses the open breaker refused");
      assertEquals("user 1", jedis.hget("user:1", "name"), "hits still answer");

      postgres = startPostgres();

      long recovered = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      String name = null;
      while (name == null && System.nanoTime() < recovered) {
        try {
          name = jedis.hget("user:42", "name");
        } catch (JedisDataException e) {
          assertTrue(e.getMessage().contains("PostgreSQL is unavailable"), e.getMessage());
        }
      }
      assertEquals("user 42", name, "misses load again once PostgreSQL is back");
      assertEquals("closed", mappingField(jedis, "breaker"));
    }
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
