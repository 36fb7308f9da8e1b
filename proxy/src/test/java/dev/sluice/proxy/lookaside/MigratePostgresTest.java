package dev.sluice.proxy.lookaside;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sluice.proxy.testing.MappedTestServer;
import dev.sluice.proxy.testing.RealRedis;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.MigrateParams;

/**
 * MIGRATE of a key of a PostgreSQL mapping: refused without COPY, since deleting the copy in memory
 * would leave the row behind (the next read would load the key again); with COPY the key, loaded
 * first when it is not in memory, goes to the target and stays. Plain keys move as usual.
 */
class MigratePostgresTest {
  @TempDir Path dir;

  private static final String SCHEMA =
      """
      CREATE TABLE public.users (id bigint PRIMARY KEY, name text NOT NULL);
      INSERT INTO public.users VALUES (1, 'Ada');
      """;

  private static final String MAPPINGS =
      """
      mappings:
        - name: users
          keys: "user:{id}"
          table: public.users
          key-columns: [id]
          shape: hash
      """;

  @Test
  void migrate_mappedKey_refusedWithoutCopyAndCopiedWithIt() throws Exception {
    try (RealRedis redis = RealRedis.start(Files.createDirectory(dir.resolve("redis")));
        MappedTestServer server =
            MappedTestServer.start(
                MAPPINGS,
                SCHEMA,
                Map.of(
                    "postgres.data-dir", dir.resolve("pg").toString(),
                    "journal.dir", dir.resolve("journal").toString()));
        Jedis sluice = server.jedis();
        Jedis real = redis.jedis()) {
      JedisDataException refused =
          assertThrows(
              JedisDataException.class,
              () -> sluice.migrate("127.0.0.1", redis.port(), "user:1", 0, 5000));
      assertEquals(
          "ERR MIGRATE of key 'user:1' refused: it belongs to mapping 'users', whose copy in"
              + " PostgreSQL would stay behind; use COPY",
          refused.getMessage());
      assertFalse(real.exists("user:1"));

      assertEquals(
          "OK",
          sluice.migrate("127.0.0.1", redis.port(), 0, 5000, new MigrateParams().copy(), "user:1"));
      assertEquals("Ada", real.hget("user:1", "name"));
      assertEquals("Ada", sluice.hget("user:1", "name"));

      sluice.set("plain", "v");
      assertEquals("OK", sluice.migrate("127.0.0.1", redis.port(), "plain", 0, 5000));
      assertFalse(sluice.exists("plain"));
      assertEquals("v", real.get("plain"));
    }
  }
}
