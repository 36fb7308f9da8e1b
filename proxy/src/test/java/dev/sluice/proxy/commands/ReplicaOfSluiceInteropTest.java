package dev.sluice.proxy.commands;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
import redis.clients.jedis.Transaction;

/**
 * A real redis-server 7.0 (installed by .ci/run) as the replica of Sluice: it synchronises from
 * Sluice's RDB file (the keys written before it connected) and follows Sluice's stream (the keys
 * written after, in several databases, in MULTI/EXEC and in scripts, deleted and expired), until
 * every key reads the same on both sides and, where Redis's encoding is deterministic, DUMPs to the
 * same bytes.
 */
class ReplicaOfSluiceInteropTest {
  @TempDir Path dir;
  private TestServer sluice;
  private RealRedis replica;

  @BeforeEach
  void start() {
    sluice = TestServer.start();
  }

  @AfterEach
  void stop() {
    if (replica != null) {
      replica.close();
    }
    sluice.close();
  }

  @Test
  void redisServerReplica_fullSyncThenStream_convergesOnEveryKey() {
    Map<String, List<Object>> values = DumpRestoreInteropTest.values();
    List<String> keys = new ArrayList<>(values.keySet());
    List<String> before = keys.subList(0, keys.size() / 2);
    List<String> after = keys.subList(keys.size() / 2, keys.size());
    try (Jedis primary = new Jedis("127.0.0.1", sluice.port())) {
      before.forEach(key -> DumpRestoreInteropTest.build(primary, values.get(key)));
      primary.set("gone-later", "x");

      replica = RealRedis.start(dir, "--replicaof", "127.0.0.1", String.valueOf(sluice.port()));
      try (Jedis copy = replica.jedis()) {
        Await.until(
            "the replica's link to Sluice",
            () -> copy.info("replication").contains("master_link_status:up"));

        after.forEach(key -> DumpRestoreInteropTest.build(primary, values.get(key)));
        primary.select(3);
        primary.set("in-db3", "three");
        primary.select(0);
        Transaction multi = primary.multi();
        multi.incr("counter");
        multi.lpush("queue", "a", "b");
        multi.exec();
        primary.eval(
            "redis.call('set', KEYS[1], 'from-lua'); redis.call('hset', KEYS[2], 'f', 'v')",
            2,
            "lua-str",
            "lua-hash");
        // commands replicas must not run as sent: the ID XADD made, the members SPOP chose
        primary.xadd("auto", redis.clients.jedis.StreamEntryID.NEW_ENTRY, Map.of("f", "v"));
        primary.sadd("pool", "a", "b", "c", "d", "e", "f", "g", "h", "i", "j");
        primary.spop("pool");
        primary.spop("pool", 3);
        primary.rpush("blocking", "x", "y");
        primary.blpop(1, "blocking");
        primary.del("gone-later");
        primary.set("expiring", "soon", redis.clients.jedis.params.SetParams.setParams().px(1));
        sluice.clock().advance(java.time.Duration.ofSeconds(1));
        Await.until("the expiry of expiring on Sluice", () -> !primary.exists("expiring"));

        long offset = masterOffset(primary);
        Await.until("the replica at Sluice's offset " + offset, () -> masterOffset(copy) == offset);

        assertEquals(primary.dbSize(), copy.dbSize(), "keys in db 0");
        for (String key : keys) {
          assertEquals(
              DumpRestoreInteropTest.content(primary, key),
              DumpRestoreInteropTest.content(copy, key),
              key);
        }
        for (String key : DumpRestoreInteropTest.DETERMINISTIC) {
          assertArrayEquals(primary.dump(key), copy.dump(key), key + " DUMP");
        }
        for (String key :
            List.of("counter", "queue", "lua-str", "lua-hash", "auto", "pool", "blocking")) {
          assertEquals(
              DumpRestoreInteropTest.content(primary, key),
              DumpRestoreInteropTest.content(copy, key),
              key);
        }
        assertEquals(0L, copy.exists("gone-later") ? 1L : 0L);
        assertEquals(0L, copy.exists("expiring") ? 1L : 0L);
        copy.select(3);
        assertEquals("three", copy.get("in-db3"));

        List<Object> role = primary.role();
        assertEquals("master", role.get(0));
        List<?> replicas = (List<?>) role.get(2);
        assertEquals(1, replicas.size());
        assertEquals(String.valueOf(replica.port()), ((List<?>) replicas.get(0)).get(1));
        String info = primary.info("replication");
        assertTrue(info.contains("connected_slaves:1"), info);
        assertTrue(info.contains("slave0:ip=127.0.0.1,port=" + replica.port()), info);
      }
    }
  }

  private static long masterOffset(Jedis jedis) {
    for (String line : jedis.info("replication").split("\r\n")) {
      if (line.startsWith("master_repl_offset:")) {
        return Long.parseLong(line.substring("master_repl_offset:".length()));
      }
    }
    throw new AssertionError("INFO replication has no master_repl_offset");
  }
}
