package dev.sluice.proxy.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.config.Settings;
import dev.sluice.proxy.testing.Await;
import dev.sluice.proxy.testing.RealRedis;
import dev.sluice.proxy.testing.TestServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.MigrateParams;

/**
 * MIGRATE between Sluice and a real redis-server (installed by .ci/run, started here on a free
 * port): keys of every type move both ways and read back whole, DUMPing to the same bytes where
 * Redis's encoding is deterministic; COPY, REPLACE, KEYS, the target's BUSYKEY, AUTH and AUTH2
 * against a Sluice with a password and an ACL user, a port where nothing listens, and the cached
 * connection closed after 10 s of the server's clock.
 */
class MigrateInteropTest {
  private static final String BUSYKEY =
      "ERR Target instance replied with error: BUSYKEY Target key name already exists.";

  @TempDir Path dir;
  private RealRedis redis;
  private TestServer server;

  @BeforeEach
  void start() {
    redis = RealRedis.start(dir);
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
    redis.close();
  }

  private Jedis sluice() {
    if (server == null) {
      server = TestServer.start();
    }
    return server.jedis(RedisProtocol.RESP2);
  }

  /**
   * Every key of {@link DumpRestoreInteropTest#values()} and one with a TTL, built on {@code on}.
   */
  private static List<String> buildAll(Jedis on) {
    Map<String, List<Object>> values = DumpRestoreInteropTest.values();
    values.values().forEach(command -> DumpRestoreInteropTest.build(on, command));
    on.psetex("ttl", 100_000, "expires");
    List<String> keys = new ArrayList<>(values.keySet());
    keys.add("ttl");
    return keys;
  }

  private static Map<String, List<String>> contents(Jedis on, List<String> keys) {
    Map<String, List<String>> contents = new LinkedHashMap<>();
    keys.forEach(key -> contents.put(key, DumpRestoreInteropTest.content(on, key)));
    return contents;
  }

  private static Map<String, String> dumps(Jedis on, List<String> keys) {
    Map<String, String> dumps = new LinkedHashMap<>();
    keys.forEach(key -> dumps.put(key, HexFormat.of().formatHex(on.dump(key))));
    return dumps;
  }

  /** What moved from {@code source} to {@code target}: every key whole, none left behind. */
  private static void assertMoved(
      Jedis source,
      Jedis target,
      List<String> keys,
      Map<String, List<String>> contents,
      Map<String, String> dumps) {
    assertEquals(0, source.exists(keys.toArray(String[]::new)), "keys left on the source");
    assertEquals(contents, contents(target, keys));
    List<String> deterministic = new ArrayList<>(DumpRestoreInteropTest.DETERMINISTIC);
    deterministic.add("ttl");
    Map<String, String> expected = new LinkedHashMap<>(dumps);
    expected.keySet().retainAll(deterministic);
    assertEquals(expected, dumps(target, deterministic));
    long ttl = target.pttl("ttl");
    assertTrue(ttl > 0 && ttl <= 100_000, "ttl " + ttl);
  }

  @Test
  void migrate_everyTypeFromSluice_arrivesWholeOnRedisServer() {
    try (Jedis sluice = sluice();
        Jedis real = redis.jedis()) {
      migrateEveryType(sluice, real, redis.port());
    }
  }

  @Test
  void migrate_everyTypeFromRedisServer_arrivesWholeOnSluice() {
    try (Jedis sluice = sluice();
        Jedis real = redis.jedis()) {
      migrateEveryType(real, sluice, server.port());
    }
  }

  /** A key of every type from {@code from} to {@code to}: one alone, then the rest with KEYS. */
  private void migrateEveryType(Jedis from, Jedis to, int toPort) {
    List<String> keys = buildAll(from);
    Map<String, List<String>> contents = contents(from, keys);
    Map<String, String> dumps = dumps(from, keys);
    assertEquals("OK", from.migrate("127.0.0.1", toPort, "str", 0, 5000));
    List<String> rest = keys.subList(1, keys.size());
    assertEquals(
        "OK",
        from.migrate(
            "127.0.0.1", toPort, 0, 5000, new MigrateParams(), rest.toArray(String[]::new)));
    assertMoved(from, to, keys, contents, dumps);
  }

  @Test
  void migrate_copyToAnotherDatabase_keepsTheSourceKey() {
    try (Jedis sluice = sluice();
        Jedis real = redis.jedis()) {
      sluice.set("k", "v");
      assertEquals(
          "OK",
          sluice.migrate("127.0.0.1", redis.port(), 3, 5000, new MigrateParams().copy(), "k"));
      assertEquals("v", sluice.get("k"));
      real.select(3);
      assertEquals("v", real.get("k"));
    }
  }

  @Test
  void migrate_targetHasTheKey_busyKeyUnlessReplace() {
    try (Jedis sluice = sluice();
        Jedis real = redis.jedis()) {
      sluice.set("k", "new");
      real.set("k", "old");
      JedisDataException busy =
          assertThrows(
              JedisDataException.class,
              () -> sluice.migrate("127.0.0.1", redis.port(), "k", 0, 5000));
      assertEquals(BUSYKEY, busy.getMessage());
      assertEquals("new", sluice.get("k"));
      assertEquals("old", real.get("k"));

      assertEquals(
          "OK",
          sluice.migrate("127.0.0.1", redis.port(), 0, 5000, new MigrateParams().replace(), "k"));
      assertFalse(sluice.exists("k"));
      assertEquals("new", real.get("k"));
    }
  }

  @Test
  void migrate_sluiceTargetHasTheKey_busyKeyFromSluice() {
    try (Jedis sluice = sluice();
        Jedis real = redis.jedis()) {
      real.set("k", "new");
      sluice.set("k", "old");
      JedisDataException busy =
          assertThrows(
              JedisDataException.class,
              () -> real.migrate("127.0.0.1", server.port(), "k", 0, 5000));
      assertEquals(BUSYKEY, busy.getMessage());
      assertEquals("new", real.get("k"));
    }
  }

  @Test
  void migrate_keysWithSomeMissing_movesThoseThatExist() {
    try (Jedis sluice = sluice();
        Jedis real = redis.jedis()) {
      sluice.set("a", "1");
      sluice.rpush("b", "x", "y");
      assertEquals(
          "OK",
          sluice.migrate(
              "127.0.0.1", redis.port(), 0, 5000, new MigrateParams(), "a", "gone", "b"));
      assertEquals(0, sluice.exists("a", "b"));
      assertEquals("1", real.get("a"));
      assertEquals(List.of("x", "y"), real.lrange("b", 0, -1));
      assertEquals(
          "NOKEY",
          sluice.migrate("127.0.0.1", redis.port(), 0, 5000, new MigrateParams(), "a", "gone"));
    }
  }

  @Test
  void migrate_authToSluiceWithPassword_fromRedisServer() {
    server = TestServer.start(settings -> settings.set(Settings.REQUIREPASS, "s3cret"));
    try (Jedis real = redis.jedis();
        Jedis sluice = new Jedis("127.0.0.1", server.port())) {
      sluice.auth("s3cret");
      real.set("k", "v");
      JedisDataException refused =
          assertThrows(
              JedisDataException.class,
              () -> real.migrate("127.0.0.1", server.port(), "k", 0, 5000));
      assertEquals(
          "ERR Target instance replied with error: NOAUTH Authentication required.",
          refused.getMessage());
      JedisDataException wrong =
          assertThrows(
              JedisDataException.class,
              () ->
                  real.migrate(
                      "127.0.0.1", server.port(), 0, 5000, new MigrateParams().auth("nope"), "k"));
      assertEquals(
          "ERR Target instance replied with error: WRONGPASS invalid username-password pair or"
              + " user is disabled.",
          wrong.getMessage());
      assertEquals(
          "OK",
          real.migrate(
              "127.0.0.1", server.port(), 0, 5000, new MigrateParams().auth("s3cret"), "k"));
      assertEquals("v", sluice.get("k"));
      assertFalse(real.exists("k"));
    }
  }

  @Test
  void migrate_auth2ToAnAclUserOfSluice_fromRedisServer() {
    try (Jedis sluice = sluice();
        Jedis real = redis.jedis()) {
      assertEquals("OK", sluice.aclSetUser("mover", "on", ">mover-pw", "+@all"));
      real.set("k", "v");
      assertEquals(
          "OK",
          real.migrate(
              "127.0.0.1",
              server.port(),
              0,
              5000,
              new MigrateParams().auth2("mover", "mover-pw"),
              "k"));
      assertEquals("v", sluice.get("k"));
    }
  }

  @Test
  void migrate_authFromSluice_toRedisServerWithPassword() throws IOException {
    Path other = Files.createDirectory(dir.resolve("other"));
    try (RealRedis guarded = RealRedis.start(other);
        Jedis sluice = sluice();
        Jedis real = guarded.jedis()) {
      real.configSet("requirepass", "pw");
      real.auth("pw");
      real.aclSetUser("mover", "on", ">mover-pw", "~*", "+@all");
      sluice.set("a", "1");
      sluice.set("b", "2");
      assertEquals(
          "OK",
          sluice.migrate(
              "127.0.0.1", guarded.port(), 0, 5000, new MigrateParams().auth("pw"), "a"));
      assertEquals(
          "OK",
          sluice.migrate(
              "127.0.0.1",
              guarded.port(),
              0,
              5000,
              new MigrateParams().auth2("mover", "mover-pw"),
              "b"));
      assertEquals("1", real.get("a"));
      assertEquals("2", real.get("b"));
    }
  }

  @Test
  void migrate_nothingListens_ioerrWriting() throws IOException {
    int closed;
    try (ServerSocket free = new ServerSocket(0)) {
      closed = free.getLocalPort();
    }
    try (Jedis sluice = sluice()) {
      sluice.set("k", "v");
      JedisDataException error =
          assertThrows(
              JedisDataException.class, () -> sluice.migrate("127.0.0.1", closed, "k", 0, 1000));
      assertEquals("IOERR error or timeout writing to target instance", error.getMessage());
      assertEquals("v", sluice.get("k"));
    }
  }

  @Test
  void migrate_insideMulti_refusedOnceAKeyIsFound() {
    try (Jedis sluice = sluice()) {
      sluice.set("k", "v");
      redis.clients.jedis.Transaction multi = sluice.multi();
      multi.migrate("127.0.0.1", redis.port(), 5000, new MigrateParams(), "k");
      List<Object> replies = multi.exec();
      assertEquals(
          "ERR MIGRATE waits for another server and cannot run inside MULTI/EXEC or a script",
          ((JedisDataException) replies.get(0)).getMessage());
      assertEquals("v", sluice.get("k"));
    }
  }

  /** The connections to the target, as CLIENT LIST on it shows them (this client's aside). */
  private static List<String> migrateClients(Jedis target) {
    List<String> others = new ArrayList<>();
    for (String line : target.clientList().split("\n")) {
      if (!line.contains("cmd=client")) {
        others.add(line.replaceAll(".*id=(\\d+) .*", "$1"));
      }
    }
    return others;
  }

  @Test
  void migrate_connectionIdle_reusedThenClosedAfterTenSecondsOfServerClock() {
    try (Jedis sluice = sluice();
        Jedis real = redis.jedis()) {
      sluice.set("a", "1");
      sluice.set("b", "2");
      assertEquals("OK", sluice.migrate("127.0.0.1", redis.port(), "a", 0, 5000));
      List<String> first = migrateClients(real);
      assertEquals(1, first.size(), first.toString());

      server.clock().advance(Duration.ofSeconds(10));
      assertEquals("OK", sluice.migrate("127.0.0.1", redis.port(), "b", 0, 5000));
      assertEquals(first, migrateClients(real), "the cached connection, used again");

      server.clock().advance(Duration.ofSeconds(11));
      Await.until("the idle connection closed", () -> migrateClients(real).isEmpty());
    }
  }

  @Test
  void migrate_redisServerTargetsSluiceDatabaseOutOfRange_errorFromSluice() {
    try (Jedis sluice = sluice();
        Jedis real = redis.jedis()) {
      real.set("k", "v");
      JedisDataException error =
          assertThrows(
              JedisDataException.class,
              () -> real.migrate("127.0.0.1", server.port(), "k", 99, 5000));
      assertEquals(
          "ERR Target instance replied with error: ERR DB index is out of range",
          error.getMessage());
      assertEquals("v", real.get("k"));
      // as on a redis-server target: the RESTORE after the failed SELECT ran in database 0
      assertEquals("v", sluice.get("k"));
    }
  }

  @Test
  void migrate_sluiceWithAReplica_replicaRunsDelOfTheMovedKeysOnly() throws IOException {
    // the server's own clock: the replica compares absolute expiry times with its real one
    server = TestServer.startOnSystemClock(settings -> settings);
    Path replicaDir = Files.createDirectory(dir.resolve("replica"));
    try (Jedis sluice = server.jedis(RedisProtocol.RESP2);
        RealRedis replica =
            RealRedis.start(replicaDir, "--replicaof", "127.0.0.1", String.valueOf(server.port()));
        Jedis copy = replica.jedis()) {
      Await.until(
          "the replica's link to Sluice",
          () -> copy.info("replication").contains("master_link_status:up"));
      sluice.set("moved", "1");
      sluice.set("copied", "2");
      sluice.set("last", "3");
      Await.until("the keys on the replica", () -> copy.exists("moved", "copied", "last") == 3);

      assertEquals(
          "OK",
          sluice.migrate("127.0.0.1", redis.port(), 0, 5000, new MigrateParams().copy(), "copied"));
      assertEquals("OK", sluice.migrate("127.0.0.1", redis.port(), "moved", 0, 5000));
      sluice.del("last"); // after the DEL of "moved" in the stream
      Await.until("the DELs on the replica", () -> !copy.exists("last"));
      assertFalse(copy.exists("moved"));
      assertEquals("2", copy.get("copied"));
    }
  }

  @Test
  void migrate_withCredentials_slowlogShowsThemRedacted() {
    try (Jedis sluice = sluice()) {
      sluice.configSet("slowlog-log-slower-than", "0");
      assertEquals(
          "NOKEY",
          sluice.migrate(
              "127.0.0.1",
              redis.port(),
              0,
              5000,
              new MigrateParams().auth2("user", "secret"),
              "missing"));
      List<String> logged = sluice.slowlogGet(1).get(0).getArgs();
      assertEquals(
          List.of(
              "MIGRATE",
              "127.0.0.1",
              String.valueOf(redis.port()),
              "",
              "0",
              "5000",
              "AUTH2",
              "(redacted)",
              "(redacted)",
              "KEYS",
              "missing"),
          logged);
    }
  }
}
