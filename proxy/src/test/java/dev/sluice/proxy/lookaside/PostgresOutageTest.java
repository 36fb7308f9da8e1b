package dev.sluice.proxy.lookaside;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
 * PostgreSQL stopped under a running Sluice: hits keep answering, misses fail fast with an error
 * that says the database is unavailable, and everything recovers once it is back. The database is
 * an embedded server this test runs itself (so it can stop it), reached by its JDBC URL.
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
      long fastestMillis = Long.MAX_VALUE;
      String lastError = null;
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (fastestMillis > 100 && System.nanoTime() < deadline) {
        long start = System.nanoTime();
        try {
          jedis.hgetAll("user:" + id++);
          throw new AssertionError("a miss answered while PostgreSQL is down");
        } catch (JedisDataException e) {
          lastError = e.getMessage();
          assertTrue(
              lastError.startsWith("ERR PostgreSQL is unavailable for mapping 'users': "),
              lastError);
        }
        fastestMillis = Math.min(fastestMillis, (System.nanoTime() - start) / 1_000_000);
      }
      assertTrue(
          fastestMillis < 1_000, "misses fail fast once the breaker is open: " + fastestMillis);
      long start = System.nanoTime();
      JedisDataException fast =
          org.junit.jupiter.api.Assertions.assertThrows(
              JedisDataException.class, () -> jedis.hgetAll("user:99"));
      long millis = (System.nanoTime() - start) / 1_000_000;
      assertTrue(millis < 1_000, "took " + millis + " ms: " + fast.getMessage());
      assertTrue(fast.getMessage().contains("PostgreSQL is unavailable"), fast.getMessage());
      assertEquals("open", statusBreaker(jedis));
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
      assertEquals("closed", statusBreaker(jedis));
    }
  }

  private static String statusBreaker(Jedis jedis) {
    String info = jedis.info("sluice");
    int at = info.indexOf("breaker=");
    return info.substring(at + "breaker=".length()).split("[,\\r\\n]")[0];
  }
}
