package dev.sluice.proxy.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.config.Settings;
import dev.sluice.proxy.testing.RealRedis;
import dev.sluice.proxy.testing.TestServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisProtocol;

/**
 * dump.rdb both ways between Sluice and a real redis-server 7.0.15: every type and encoding (the
 * keys of {@link DumpRestoreInteropTest}, big ones in hashtable, skiplist and multi-node quicklist
 * encodings included), expiries, other databases and function libraries.
 */
class RdbFileInteropTest {
  @TempDir Path sluiceDir;
  @TempDir Path redisDir;

  private static final String LIBRARY =
      "#!lua name=mylib\nredis.register_function('myfunc', function(keys, args) return 7 end)";

  /** Everything of {@link DumpRestoreInteropTest#values}, a key with a TTL, keys of database 3. */
  private static void populate(Jedis jedis) {
    DumpRestoreInteropTest.values().values().forEach(c -> DumpRestoreInteropTest.build(jedis, c));
    jedis.psetex("ttl", 3_600_000L, "expiring");
    jedis.functionLoad(LIBRARY);
    jedis.select(3);
    jedis.set("in3", "three");
    jedis.hset("hash3", Map.of("f", "v"));
    jedis.select(0);
  }

  /** What both servers must agree on: every key's content and TTL, the libraries, database 3. */
  private static void assertSameData(Jedis expected, Jedis actual) {
    assertSameData(expected, actual, true);
  }

  /**
   * @param sameDumps whether DUMP's bytes are compared too: not when redis-server runs with
   *     rdbcompression no, which DUMP follows there (Sluice's DUMP always compresses)
   */
  private static void assertSameData(Jedis expected, Jedis actual, boolean sameDumps) {
    assertEquals(expected.dbSize(), actual.dbSize(), "keys in database 0");
    for (String key : DumpRestoreInteropTest.values().keySet()) {
      assertEquals(
          DumpRestoreInteropTest.content(expected, key),
          DumpRestoreInteropTest.content(actual, key),
          key);
    }
    for (String key : sameDumps ? DumpRestoreInteropTest.DETERMINISTIC : List.<String>of()) {
      assertEquals(hex(expected.dump(key)), hex(actual.dump(key)), key + " dumps the same bytes");
    }
    assertEquals("expiring", actual.get("ttl"));
    long ttl = actual.pttl("ttl");
    assertTrue(ttl > 3_000_000 && ttl <= 3_600_000, "ttl kept: " + ttl);
    assertEquals(7L, actual.fcall("myfunc", List.of(), List.of()));
    actual.select(3);
    assertEquals(2L, actual.dbSize());
    assertEquals("three", actual.get("in3"));
    assertEquals(Map.of("f", "v"), actual.hgetAll("hash3"));
    actual.select(0);
  }

  private static String hex(byte[] bytes) {
    assertNotNull(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  @Test
  void save_everyType_redisCheckRdbAcceptsItAndRedisServerLoadsItAlike() throws Exception {
    // no save points: moving the clock by years would start a background save
    try (TestServer server =
            TestServer.start(
                b -> b.set(Settings.DIR, sluiceDir.toString()).set(Settings.SAVE, ""));
        Jedis sluice = server.jedis(RedisProtocol.RESP2)) {
      server.clock().set(System.currentTimeMillis()); // redis-server expires keys by its own time
      populate(sluice);
      assertEquals("OK", sluice.save());
      Path file = sluiceDir.resolve("dump.rdb");
      assertEquals("REDIS0010", new String(Files.readAllBytes(file), 0, 9, StandardCharsets.UTF_8));

      String check = run("redis-check-rdb", file.toString());
      assertTrue(check.contains("\\o/ RDB looks OK! \\o/"), check);
      assertTrue(check.contains("keys read"), check);

      Files.copy(file, redisDir.resolve("dump.rdb"));
      try (RealRedis redis = RealRedis.start(redisDir);
          Jedis real = redis.jedis()) {
        assertSameData(sluice, real);
      }
    }
  }

  @Test
  void start_redisServerFile_everyKeyLoadedAlike() throws Exception {
    try (RealRedis redis = RealRedis.start(redisDir);
        Jedis real = redis.jedis()) {
      populate(real);
      assertEquals("OK", real.save());
      Files.copy(
          redisDir.resolve("dump.rdb"),
          sluiceDir.resolve("dump.rdb"),
          StandardCopyOption.REPLACE_EXISTING);
      // on the system clock: the TTL written is redis-server's time plus an hour
      try (TestServer server =
              TestServer.startOnSystemClock(b -> b.set(Settings.DIR, sluiceDir.toString()));
          Jedis sluice = server.jedis(RedisProtocol.RESP2)) {
        assertSameData(real, sluice);
      }
    }
  }

  @Test
  void start_redisServerFileWithoutCompressionOrChecksum_loadsAlike() throws Exception {
    try (RealRedis redis =
            RealRedis.start(redisDir, "--rdbcompression", "no", "--rdbchecksum", "no");
        Jedis real = redis.jedis()) {
      populate(real);
      assertEquals("OK", real.save());
      Files.copy(redisDir.resolve("dump.rdb"), sluiceDir.resolve("dump.rdb"));
      try (TestServer server =
              TestServer.startOnSystemClock(b -> b.set(Settings.DIR, sluiceDir.toString()));
          Jedis sluice = server.jedis(RedisProtocol.RESP2)) {
        assertSameData(real, sluice, false);
      }
    }
  }

  @Test
  void save_withoutCompressionOrChecksum_redisServerLoadsIt() throws Exception {
    try (TestServer server =
            TestServer.start(
                b ->
                    b.set(Settings.DIR, sluiceDir.toString())
                        .set(Settings.SAVE, "")
                        .set(Settings.RDBCOMPRESSION, false)
                        .set(Settings.RDBCHECKSUM, false));
        Jedis sluice = server.jedis(RedisProtocol.RESP2)) {
      server.clock().set(System.currentTimeMillis());
      populate(sluice);
      assertEquals("OK", sluice.save());
      byte[] file = Files.readAllBytes(sluiceDir.resolve("dump.rdb"));
      byte[] zeros = new byte[8];
      assertEquals(
          hex(zeros), hex(java.util.Arrays.copyOfRange(file, file.length - 8, file.length)));
      Files.write(redisDir.resolve("dump.rdb"), file);
      try (RealRedis redis = RealRedis.start(redisDir);
          Jedis real = redis.jedis()) {
        assertSameData(sluice, real);
      }
    }
  }

  private static String run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "redis-check-rdb ends");
    assertEquals(0, p.exitValue(), out);
    return out;
  }
}
