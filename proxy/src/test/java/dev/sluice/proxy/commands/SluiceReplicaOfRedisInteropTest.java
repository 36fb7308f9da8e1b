package dev.sluice.proxy.commands;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.proxy.testing.Await;
import dev.sluice.proxy.testing.RealRedis;
import dev.sluice.proxy.testing.TestServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.ClientKillParams;
import redis.clients.jedis.params.SetParams;

/**
 * Sluice as the replica of a real redis-server 7.0 (the migration path of issue 17): REPLICAOF
 * loads redis-server's RDB file (streamed without a disk, with its EOF mark, as 7.0 does by
 * default), then follows its stream, until every key reads the same on both sides and DUMPs to the
 * same bytes where Redis's encoding is deterministic; a broken link continues with PSYNC; REPLICAOF
 * NO ONE makes Sluice a primary that keeps the data.
 */
class SluiceReplicaOfRedisInteropTest {
  @TempDir Path dir;
  @TempDir Path referenceDir;
  private RealRedis redis;
  private TestServer sluice;

  @BeforeEach
  void start() {
    redis = RealRedis.start(dir, "--repl-diskless-sync-delay", "0");
    // the system clock: keys expire at the same instants on both sides
    sluice = TestServer.startOnSystemClock(settings -> settings);
  }

  @AfterEach
  void stop() {
    sluice.close();
    redis.close();
  }

  @Test
  void replicaOf_redisServer_loadsItsFileFollowsItsStreamAndIsPromoted() {
    Map<String, List<Object>> values = DumpRestoreInteropTest.values();
    List<String> keys = new ArrayList<>(values.keySet());
    List<String> before = keys.subList(0, keys.size() / 2);
    List<String> after = keys.subList(keys.size() / 2, keys.size());
    try (Jedis primary = redis.jedis();
        Jedis replica = new Jedis("127.0.0.1", sluice.port());
        RealRedis referenceServer =
            RealRedis.start(
                referenceDir, "--replicaof", "127.0.0.1", String.valueOf(redis.port()));
        Jedis reference = referenceServer.jedis()) {
      before.forEach(key -> DumpRestoreInteropTest.build(primary, values.get(key)));
      primary.set("gone-later", "x");
      primary.set("expires-later", "x", SetParams.setParams().px(300));

      assertEquals("OK", replica.replicaof("127.0.0.1", redis.port()));
      assertEquals(
          "OK Already connected to specified master", replica.replicaof("127.0.0.1", redis.port()));
      Await.until(
          "Sluice's link to redis-server",
          () -> replica.info("replication").contains("master_link_status:up"));

      after.forEach(key -> DumpRestoreInteropTest.build(primary, values.get(key)));
      DumpRestoreInteropTest.writeAcrossDatabasesTransactionsAndScripts(primary);
      primary.del("gone-later");
      Await.until("the expiry on redis-server", () -> !primary.exists("expires-later"));

      long offset = info(primary, "master_repl_offset");
      Await.until(
          "Sluice at redis-server's offset " + offset,
          () -> info(replica, "slave_repl_offset") == offset);
      Await.until(
          "the reference replica at " + offset,
          () -> info(reference, "slave_repl_offset") == offset);
      assertEquals(primary.dbSize(), replica.dbSize(), "keys in db 0");
      for (String key : keys) {
        assertEquals(
            DumpRestoreInteropTest.content(reference, key),
            DumpRestoreInteropTest.content(replica, key),
            key);
      }
      for (String key : DumpRestoreInteropTest.DETERMINISTIC) {
        assertArrayEquals(primary.dump(key), replica.dump(key), key + " DUMP");
      }
      for (String key : List.of("counter", "queue", "lua-str", "lua-hash")) {
        assertEquals(
            DumpRestoreInteropTest.content(primary, key),
            DumpRestoreInteropTest.content(replica, key),
            key);
      }
      assertEquals(false, replica.exists("gone-later"));
      assertEquals(false, replica.exists("expires-later"));
      replica.select(3);
      assertEquals("three", replica.get("in-db3"));
      replica.select(0);

      // a replica refuses clients' writes, names its primary and shows its link as Redis does
      JedisDataException refused =
          assertThrows(JedisDataException.class, () -> replica.set("mine", "x"));
      assertEquals("READONLY You can't write against a read only replica.", refused.getMessage());
      List<Object> role = replica.role();
      assertEquals(
          List.of("slave", "127.0.0.1", (long) redis.port(), "connected"), role.subList(0, 4));
      assertTrue(replica.clientList().contains("flags=M"), replica.clientList());
      List<Object> redisRole = primary.role();
      assertEquals(2, ((List<?>) redisRole.get(2)).size(), "redis-server's replicas");

      // a broken link continues from redis-server's backlog
      primary.clientKill(ClientKillParams.clientKillParams().addr(linkAddress(replica)));
      primary.set("after-reconnect", "yes");
      Await.until(
          "the partial resynchronisation",
          () -> primary.info("stats").contains("sync_partial_ok:1"));
      Await.until("after-reconnect on Sluice", () -> "yes".equals(replica.get("after-reconnect")));
      // one full synchronisation each, Sluice and the reference
      assertTrue(primary.info("stats").contains("sync_full:2"), primary.info("stats"));

      // promoted, it keeps the data, takes writes, and remembers redis-server's history
      String redisReplid = infoText(primary, "master_replid");
      assertEquals("OK", replica.replicaofNoOne());
      assertEquals("OK", replica.set("mine", "x"));
      assertEquals("yes", replica.get("after-reconnect"));
      String replication = replica.info("replication");
      assertTrue(replication.contains("role:master"), replication);
      assertEquals(redisReplid, infoText(replica, "master_replid2"));
    }
  }

  @Test
  void replicaOf_sluice_followsAnotherSluice() {
    try (TestServer other = TestServer.startOnSystemClock(settings -> settings);
        Jedis primary = new Jedis("127.0.0.1", other.port());
        Jedis replica = new Jedis("127.0.0.1", sluice.port())) {
      primary.set("before", "1");
      primary.rpush("list", "a", "b");
      assertEquals("OK", replica.replicaof("127.0.0.1", other.port()));
      Await.until(
          "the link between the two",
          () -> replica.info("replication").contains("master_link_status:up"));
      primary.set("after", "2");
      primary.hset("hash", "f", "v");
      long offset = info(primary, "master_repl_offset");
      Await.until("the replica at " + offset, () -> info(replica, "slave_repl_offset") == offset);
      assertEquals("1", replica.get("before"));
      assertEquals(List.of("a", "b"), replica.lrange("list", 0, -1));
      assertEquals("2", replica.get("after"));
      assertEquals(Map.of("f", "v"), replica.hgetAll("hash"));
      assertEquals(1, ((List<?>) primary.role().get(2)).size());
    }
  }

  /** Where Sluice's link comes from: laddr of its primary's client (flags M) in CLIENT LIST. */
  private static String linkAddress(Jedis replica) {
    for (String line : replica.clientList().split("\n")) {
      if (line.contains(" flags=M ")) {
        return line.replaceAll(".* laddr=([^ ]+) .*", "$1");
      }
    }
    throw new AssertionError("no primary's client in " + replica.clientList());
  }

  private static long info(Jedis jedis, String field) {
    return Long.parseLong(infoText(jedis, field));
  }

  private static String infoText(Jedis jedis, String field) {
    for (String line : jedis.info("replication").split("\r\n")) {
      if (line.startsWith(field + ":")) {
        return line.substring(field.length() + 1);
      }
    }
    throw new AssertionError("INFO replication has no " + field);
  }
}
