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
import redis.clients.jedis.Protocol.Command;

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
    // the server's own clock: the replica compares absolute expiry times with its real one
    sluice = TestServer.startOnSystemClock(settings -> settings);
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
        DumpRestoreInteropTest.writeAcrossDatabasesTransactionsAndScripts(primary);
        // commands replicas must not run as sent: the ID XADD made, the members SPOP chose
        primary.xadd("auto", redis.clients.jedis.StreamEntryID.NEW_ENTRY, Map.of("f", "v"));
        primary.sadd("pool", "a", "b", "c", "d", "e", "f", "g", "h", "i", "j");
        primary.spop("pool");
        primary.spop("pool", 3);
        primary.rpush("blocking", "x", "y");
        primary.blpop(1, "blocking");
        // relative expiries reach replicas as absolute times, so both expire at the same instant
        primary.set("ttl-set", "v", redis.clients.jedis.params.SetParams.setParams().ex(100));
        primary.setex("ttl-setex", 200, "v");
        primary.set("ttl-expire", "v");
        primary.expire("ttl-expire", 300);
        primary.set("ttl-getex", "v");
        primary.getEx(
            "ttl-getex", redis.clients.jedis.params.GetExParams.getExParams().px(400_000));
        primary.set("ttl-persist", "v", redis.clients.jedis.params.SetParams.setParams().ex(500));
        primary.getEx(
            "ttl-persist", redis.clients.jedis.params.GetExParams.getExParams().persist());
        // what replicas must not compute themselves: float results, pops that block, PEL
        // changes (XREADGROUP, XCLAIM, XAUTOCLAIM reach them as XCLAIM), approximate trims
        primary.set("float", "10.5");
        primary.incrByFloat("float", 0.1);
        primary.hset("hfloat", "f", "1.5");
        primary.hincrByFloat("hfloat", "f", 0.25);
        primary.set("getset", "old");
        primary.getSet("getset", "new");
        primary.set("getdel", "x");
        primary.getDel("getdel");
        primary.rpush("mpop", "a", "b", "c", "d");
        primary.sendCommand(Command.LMPOP, "1", "mpop", "LEFT", "COUNT", "3");
        primary.zadd("zmpop", Map.of("a", 1.0, "b", 2.0, "c", 3.0, "d", 4.0));
        primary.sendCommand(Command.ZMPOP, "1", "zmpop", "MAX", "COUNT", "2");
        primary.sendCommand(Command.BZPOPMIN, "zmpop", "0");
        primary.geoadd("geo", 13.361389, 38.115556, "Palermo");
        for (int i = 1; i <= 250; i++) {
          primary.sendCommand(Command.XADD, "trimmed", i + "-1", "f", "v");
        }
        primary.sendCommand(Command.XTRIM, "trimmed", "MAXLEN", "~", "60");
        primary.sendCommand(Command.XADD, "trimmed", "MINID", "~", "210-0", "251-1", "f", "v");
        primary.sendCommand(Command.XGROUP, "CREATE", "trimmed", "g", "0");
        primary.sendCommand(
            Command.XREADGROUP, "GROUP", "g", "ann", "COUNT", "3", "STREAMS", "trimmed", ">");
        primary.sendCommand(Command.XCLAIM, "trimmed", "g", "ben", "0", "202-1");
        primary.sendCommand(Command.XAUTOCLAIM, "trimmed", "g", "cy", "0", "0", "COUNT", "1");
        primary.del("gone-later");
        primary.set("expiring", "soon", redis.clients.jedis.params.SetParams.setParams().px(1));
        Await.until("the expiry of expiring on Sluice", () -> !primary.exists("expiring"));

        long offset = masterOffset(primary);
        Await.until("the replica at Sluice's offset " + offset, () -> masterOffset(copy) == offset);

        assertEquals(primary.dbSize(), copy.dbSize(), "keys in db 0");
        for (String key : keys) {
          assertEquals(
              asReplicated(key, DumpRestoreInteropTest.content(primary, key)),
              DumpRestoreInteropTest.content(copy, key),
              key);
        }
        for (String key : DumpRestoreInteropTest.DETERMINISTIC) {
          assertArrayEquals(primary.dump(key), copy.dump(key), key + " DUMP");
        }
        for (String key :
            List.of(
                "counter",
                "queue",
                "lua-str",
                "lua-hash",
                "auto",
                "pool",
                "blocking",
                "float",
                "hfloat",
                "getset",
                "mpop",
                "zmpop",
                "geo")) {
          assertEquals(
              DumpRestoreInteropTest.content(primary, key),
              DumpRestoreInteropTest.content(copy, key),
              key);
        }
        // the trimmed stream's entries, and its group's PEL: owners and delivery counts
        assertEquals(
            asReplicated("trimmed", DumpRestoreInteropTest.content(primary, "trimmed")),
            DumpRestoreInteropTest.content(copy, "trimmed"));
        assertEquals(pel(primary, "trimmed", "g"), pel(copy, "trimmed", "g"));
        for (String key :
            List.of("ttl-set", "ttl-setex", "ttl-expire", "ttl-getex", "ttl-persist")) {
          assertEquals(primary.pexpireTime(key), copy.pexpireTime(key), key + " PEXPIRETIME");
        }
        assertEquals(-1L, copy.pexpireTime("ttl-persist"));
        assertEquals(0L, copy.exists("gone-later") ? 1L : 0L);
        assertEquals(0L, copy.exists("getdel") ? 1L : 0L);
        assertEquals(0L, copy.exists("expiring") ? 1L : 0L);
        copy.select(3);
        assertEquals("three", copy.get("in-db3"));
        copy.select(0);

        List<Object> role = primary.role();
        assertEquals("master", role.get(0));
        List<?> replicas = (List<?>) role.get(2);
        assertEquals(1, replicas.size());
        assertEquals(String.valueOf(replica.port()), ((List<?>) replicas.get(0)).get(1));
        String info = primary.info("replication");
        assertTrue(info.contains("connected_slaves:1"), info);
        assertTrue(info.contains("repl_backlog_size:1048576"), info);
        assertEquals(
            Map.of("repl-backlog-size", "1048576"), primary.configGet("repl-backlog-size"));
        assertTrue(info.contains("slave0:ip=127.0.0.1,port=" + replica.port()), info);

        // a link that breaks is continued from the backlog, not synchronised again
        primary.clientKill(
            redis.clients.jedis.params.ClientKillParams.clientKillParams()
                .laddr("127.0.0.1:" + sluice.port())
                .skipMe(redis.clients.jedis.params.ClientKillParams.SkipMe.YES));
        primary.set("after-reconnect", "yes");
        Await.until(
            "the replica's partial resynchronisation",
            () -> primary.info("stats").contains("sync_partial_ok:1"));
        Await.until(
            "after-reconnect on the replica", () -> "yes".equals(copy.get("after-reconnect")));
        assertTrue(primary.info("stats").contains("sync_full:1"), primary.info("stats"));
      }
    }
  }

  /**
   * What a replica holds of the primary's {@code key}, as between two redis-servers: XREADGROUP
   * reaches replicas as XCLAIM … LASTID, which moves the group's last ID but cannot carry its
   * entries-read, so a group that a client read from shows entries-read and lag null there.
   */
  private static List<String> asReplicated(String key, List<String> content) {
    if (!key.equals("groups") && !key.equals("trimmed")) {
      return content;
    }
    return content.stream()
        .map(line -> line.replaceAll("entries-read,\\d+,lag,[^,]*,", "entries-read,null,lag,null,"))
        .toList();
  }

  /** XPENDING key group - + 100 without the idle times, which differ by when each side looks. */
  private static List<String> pel(Jedis jedis, String key, String group) {
    List<String> lines = new ArrayList<>();
    for (Object line : (List<?>) jedis.sendCommand(Command.XPENDING, key, group, "-", "+", "100")) {
      List<?> fields = (List<?>) line;
      lines.add(
          redis.clients.jedis.util.SafeEncoder.encode((byte[]) fields.get(0))
              + " "
              + redis.clients.jedis.util.SafeEncoder.encode((byte[]) fields.get(1))
              + " "
              + fields.get(3));
    }
    return lines;
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
