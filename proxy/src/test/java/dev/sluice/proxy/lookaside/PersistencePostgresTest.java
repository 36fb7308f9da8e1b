package dev.sluice.proxy.lookaside;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.config.Settings;
import dev.sluice.proxy.rdb.RdbFileLoader;
import dev.sluice.proxy.testing.MappedTestServer;
import dev.sluice.proxy.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisProtocol;

/**
 * Keys of PostgreSQL mappings live in PostgreSQL: dump.rdb neither holds them (SAVE leaves out a
 * mapped key loaded into memory) nor restores them (a stale copy in the file is not loaded), while
 * plain keys, and keys of other databases that look like mapped ones, are saved and loaded.
 */
class PersistencePostgresTest {
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
  void rdbFile_mappedKeys_neitherLoadedNorSaved() throws Exception {
    Path rdb = Files.createDirectory(dir.resolve("rdb"));
    // a file with a stale copy of a mapped key, written by a server without mappings
    try (TestServer plain = TestServer.start(b -> b.set(Settings.DIR, rdb.toString()));
        Jedis jedis = plain.jedis(RedisProtocol.RESP2)) {
      jedis.hset("user:1", "name", "Stale");
      jedis.set("plain", "v");
      jedis.select(1);
      jedis.set("user:2", "not mapped in database 1");
      assertEquals("OK", jedis.save());
    }
    try (MappedTestServer server =
            MappedTestServer.start(
                MAPPINGS,
                SCHEMA,
                Map.of(
                    "postgres.data-dir", dir.resolve("pg").toString(),
                    "journal.dir", dir.resolve("journal").toString(),
                    "dir", rdb.toString()));
        Jedis jedis = server.jedis()) {
      assertEquals("v", jedis.get("plain"));
      assertEquals("Ada", jedis.hget("user:1", "name"), "read from PostgreSQL, not the file");
      jedis.select(1);
      assertEquals("not mapped in database 1", jedis.get("user:2"));
      assertEquals("OK", jedis.save());
    }
    assertEquals(List.of("0 plain", "1 user:2"), keysIn(rdb.resolve("dump.rdb")));
  }

  private static List<String> keysIn(Path file) throws Exception {
    List<String> keys = new ArrayList<>();
    RdbFileLoader.load(
        Files.readAllBytes(file),
        file.toString(),
        16,
        true,
        new RdbFileLoader.Sink() {
          @Override
          public void function(byte[] code) {}

          @Override
          public void key(int db, byte[] key, Object value, long expireAt) {
            keys.add(db + " " + new String(key, StandardCharsets.UTF_8));
          }
        });
    keys.sort(null);
    return keys;
  }
}
