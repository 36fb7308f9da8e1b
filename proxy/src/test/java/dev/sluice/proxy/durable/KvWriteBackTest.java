package dev.sluice.proxy.durable;

import static dev.sluice.proxy.durable.WriteBackFixture.jedis;
import static dev.sluice.proxy.durable.WriteBackFixture.sluice;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.proxy.SluiceServer;
import dev.sluice.proxy.testing.ManualClock;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.resps.Tuple;
import redis.clients.jedis.util.SafeEncoder;

/**
 * {@code store: kv} mappings ({@code wbsession:*} in {@link WriteBackFixture}), end to end: keys of
 * any type written through a real Sluice survive that Sluice's restart (a new server over the same
 * journal and database gets them back on a miss, with their remaining TTL), DEL and expiry are
 * reflected in {@code sluice.kv}. Time is a {@link ManualClock} shared by the servers of a test.
 */
class KvWriteBackTest extends WriteBackDatabaseTest {
  @BeforeEach
  void clearControl() throws SQLException {
    db.execute("DELETE FROM sluice.control");
  }

  private static SluiceServer server(String node, ManualClock clock) throws InterruptedException {
    return db.server(dir.resolve("j-" + node), node, Map.of(), clock);
  }

  private static long kvRows(String key) throws SQLException {
    return db.queryLong(
        "SELECT count(*) FROM sluice.kv WHERE key = convert_to('" + key + "', 'UTF8')");
  }

  private static void writeEveryType(Jedis jedis, String prefix) {
    jedis.set(prefix + ":str", "alice", SetParams.setParams().ex(3600));
    jedis.hset(prefix + ":hash", Map.of("user", "alice", "cart", "3"));
    jedis.expire(prefix + ":hash", 3600);
    jedis.zadd(prefix + ":zset", Map.of("a", 1.5, "b", 2.0));
    jedis.expire(prefix + ":zset", 3600);
    jedis.lpush(prefix + ":list", "x", "y", "z");
    jedis.expire(prefix + ":list", 3600);
    jedis.sadd(prefix + ":set", "p", "q");
    jedis.set(prefix + ":plain", "no ttl");
  }

  private static void assertEveryTypeBack(Jedis jedis, String prefix, long maxTtl) {
    assertEquals("alice", jedis.get(prefix + ":str"));
    assertEquals(Map.of("user", "alice", "cart", "3"), jedis.hgetAll(prefix + ":hash"));
    assertEquals(
        List.of(new Tuple("a", 1.5), new Tuple("b", 2.0)),
        jedis.zrangeWithScores(prefix + ":zset", 0, -1));
    assertEquals(List.of("z", "y", "x"), jedis.lrange(prefix + ":list", 0, -1));
    assertEquals(Set.of("p", "q"), jedis.smembers(prefix + ":set"));
    assertEquals("no ttl", jedis.get(prefix + ":plain"));
    for (String type : List.of("str", "hash", "zset", "list")) {
      long ttl = jedis.ttl(prefix + ":" + type);
      assertTrue(ttl > 0 && ttl <= maxTtl, type + " ttl " + ttl + ", expected up to " + maxTtl);
    }
    assertEquals(-1, jedis.ttl(prefix + ":set"));
    assertEquals(-1, jedis.ttl(prefix + ":plain"));
  }

  @Test
  void everyType_flushedThenSluiceRestarts_valuesAndRemainingTtlComeBackOnAMiss() throws Exception {
    ManualClock clock = new ManualClock();
    try (SluiceServer server = server("kv-flushed", clock);
        Jedis jedis = jedis(server)) {
      writeEveryType(jedis, "wbsession:f");
      sluice(jedis, "FLUSH", "wb_sessions");
      assertEquals(1, kvRows("wbsession:f:zset"));
      assertEquals(
          "zset",
          db.queryString("SELECT type FROM sluice.kv WHERE key = 'wbsession:f:zset'::bytea"));
    }
    clock.advance(Duration.ofMinutes(10));
    try (SluiceServer server = server("kv-flushed", clock);
        Jedis jedis = jedis(server)) {
      assertEveryTypeBack(jedis, "wbsession:f", 3000);
    }
  }

  @Test
  void everyType_notFlushedWhenSluiceStops_journalReplaysThemOnTheNextStart() throws Exception {
    ManualClock clock = new ManualClock();
    try (SluiceServer server = server("kv-journal", clock);
        Jedis jedis = jedis(server)) {
      sluice(jedis, "PAUSE", "wb_sessions");
      writeEveryType(jedis, "wbsession:j");
      assertEquals(0, kvRows("wbsession:j:str"), "paused: only in the journal");
    }
    db.execute("DELETE FROM sluice.control"); // the next start flushes as usual
    clock.advance(Duration.ofSeconds(30));
    try (SluiceServer server = server("kv-journal", clock);
        Jedis jedis = jedis(server)) {
      assertEveryTypeBack(jedis, "wbsession:j", 3570);
    }
  }

  @Test
  void hotKey_thousandWritesInOneBatch_oneRowOneStatement() throws Exception {
    ManualClock clock = new ManualClock();
    try (SluiceServer server = server("kv-hot", clock);
        Jedis jedis = jedis(server)) {
      sluice(jedis, "PAUSE", "wb_sessions");
      Pipeline p = jedis.pipelined();
      for (int i = 0; i < 1_000; i++) {
        p.incr("wbsession:hot");
      }
      p.sync();
      long statements = server.context().appends().flusher().writer().statements();
      assertEquals(1_000L, sluice(jedis, "FLUSH", "wb_sessions"));
      assertEquals(1, server.context().appends().flusher().writer().statements() - statements);
      assertEquals(
          "1000",
          db.queryString(
              "SELECT convert_from(value, 'UTF8') FROM sluice.kv WHERE key = 'wbsession:hot'::bytea"));
    }
  }

  @Test
  void delExpireAndPersist_reflectedInSluiceKv_expiredRowDoesNotComeBack() throws Exception {
    ManualClock clock = new ManualClock();
    try (SluiceServer server = server("kv-del", clock);
        Jedis jedis = jedis(server)) {
      jedis.set("wbsession:gone", "x");
      jedis.set("wbsession:short", "y", SetParams.setParams().px(5_000));
      jedis.set("wbsession:kept", "z", SetParams.setParams().px(5_000));
      jedis.persist("wbsession:kept");
      jedis.set("wbsession:later", "w");
      jedis.expire("wbsession:later", 100);
      sluice(jedis, "FLUSH", "wb_sessions");
      assertEquals(1, kvRows("wbsession:gone"));
      assertNull(
          db.queryString("SELECT expire_at FROM sluice.kv WHERE key = 'wbsession:kept'::bytea"));
      assertEquals(
          clock.millis() + 100_000,
          db.queryLong(
              "SELECT (extract(epoch FROM expire_at) * 1000)::bigint FROM sluice.kv"
                  + " WHERE key = 'wbsession:later'::bytea"));
      assertEquals(1, jedis.del("wbsession:gone"));
      sluice(jedis, "FLUSH", "wb_sessions");
      assertEquals(0, kvRows("wbsession:gone"));
    }
    clock.advance(Duration.ofSeconds(10));
    try (SluiceServer server = server("kv-del", clock);
        Jedis jedis = jedis(server)) {
      assertNull(jedis.get("wbsession:short"), "expired in sluice.kv: absent");
      assertNull(jedis.get("wbsession:gone"));
      assertEquals("z", jedis.get("wbsession:kept"));
      assertEquals(-1, jedis.ttl("wbsession:kept"));
      assertEquals("w", jedis.get("wbsession:later"));
      assertEquals(90, jedis.ttl("wbsession:later"));
    }
  }

  @Test
  void scriptsAndTransactions_theirWritesToKvKeysAreKeptToo_statusListsTheMapping()
      throws Exception {
    ManualClock clock = new ManualClock();
    try (SluiceServer server = server("kv-nested", clock);
        Jedis jedis = jedis(server)) {
      jedis.eval(
          "redis.call('SET', KEYS[1], ARGV[1]) redis.call('RPUSH', KEYS[2], 'a', 'b')",
          List.of("wbsession:lua", "wbsession:lua-list"),
          List.of("from lua"));
      redis.clients.jedis.Transaction multi = jedis.multi();
      multi.hset("wbsession:multi", "f", "v");
      multi.expire("wbsession:multi", 60);
      multi.exec();
      sluice(jedis, "FLUSH", "wb_sessions");
      assertEquals(1, kvRows("wbsession:lua"));
      assertEquals(1, kvRows("wbsession:lua-list"));
      assertEquals(
          clock.millis() + 60_000,
          db.queryLong(
              "SELECT (extract(epoch FROM expire_at) * 1000)::bigint FROM sluice.kv"
                  + " WHERE key = 'wbsession:multi'::bytea"));
      Map<String, String> figures = statusOf(sluice(jedis, "STATUS"), "wb_sessions");
      assertEquals("kv", figures.get("kind"), figures.toString()); // not "append"
      assertEquals("running", figures.get("writeback"), figures.toString());
      assertTrue(jedis.info("sluice").contains("wb_sessions"), jedis.info("sluice"));
    }
  }

  @Test
  void eval_declaredKeyOnlyInPostgres_loadedBeforeTheScriptRuns_scriptRunsOnce() throws Exception {
    ManualClock clock = new ManualClock();
    try (SluiceServer server = server("kv-eval-load", clock);
        Jedis jedis = jedis(server)) {
      jedis.rpush("wbsession:evl:list", "x");
      sluice(jedis, "FLUSH", "wb_sessions");
    }
    try (SluiceServer server = server("kv-eval-load", clock);
        Jedis jedis = jedis(server)) {
      // a fresh server: the list is only in sluice.kv; the INCR before the RPUSH shows whether
      // the script ran more than once (it did when the RPUSH inside it asked for the load)
      Object pushed =
          jedis.eval(
              "redis.call('INCR', KEYS[2]) return redis.call('RPUSH', KEYS[1], 'y')",
              List.of("wbsession:evl:list", "evl:runs"),
              List.of());
      assertEquals(2L, pushed);
      assertEquals("1", jedis.get("evl:runs"), "the script ran once");
      assertEquals(List.of("x", "y"), jedis.lrange("wbsession:evl:list", 0, -1));
      assertEquals("PONG", jedis.ping(), "one reply per command");
    }
  }

  /** One mapping's figures from a RESP2 SLUICE STATUS reply (name, [field, value, …], …). */
  private static Map<String, String> statusOf(Object reply, String mapping) {
    List<?> all = (List<?>) reply;
    for (int i = 0; i + 1 < all.size(); i += 2) {
      if (mapping.equals(SafeEncoder.encode((byte[]) all.get(i)))) {
        List<?> fields = (List<?>) all.get(i + 1);
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (int f = 0; f + 1 < fields.size(); f += 2) {
          Object value = fields.get(f + 1);
          out.put(
              SafeEncoder.encode((byte[]) fields.get(f)),
              value instanceof byte[] b ? SafeEncoder.encode(b) : String.valueOf(value));
        }
        return out;
      }
    }
    throw new AssertionError("SLUICE STATUS has no mapping " + mapping + ": " + all);
  }

  private static long loads(Jedis jedis) {
    for (String line : jedis.info("sluice").split("\r\n")) {
      if (line.startsWith("mapping_wb_sessions:")) {
        for (String field : line.substring(line.indexOf(':') + 1).split(",")) {
          if (field.startsWith("loads=")) {
            return Long.parseLong(field.substring("loads=".length()));
          }
        }
      }
    }
    throw new AssertionError("INFO sluice has no loads of wb_sessions: " + jedis.info("sluice"));
  }

  @Test
  void set_newSessionKey_needsNoQuery_butHsetAndSetNxReadTheOldValueFirst() throws Exception {
    try (SluiceServer server = server("kv-noload", new ManualClock());
        Jedis jedis = jedis(server)) {
      long before = loads(jedis);
      jedis.set("wbsession:fresh", "v", SetParams.setParams().ex(3600));
      jedis.set("wbsession:fresh2", "v");
      assertEquals(before, loads(jedis), "SET replaces the value whatever it was");
      jedis.set("wbsession:nx", "v", SetParams.setParams().nx());
      jedis.hset("wbsession:merged", "f", "v");
      assertEquals(before + 2, loads(jedis), "NX and HSET depend on the old value");
    }
  }

  @Test
  void plainKey_notMapped_neverReachesSluiceKv() throws Exception {
    ManualClock clock = new ManualClock();
    try (SluiceServer server = server("kv-plain", clock);
        Jedis jedis = jedis(server)) {
      long lsn = server.context().appends().journal().lastLsn();
      jedis.set("cache:plain", "v");
      jedis.hset("cache:hash", "f", "v");
      assertEquals(lsn, server.context().appends().journal().lastLsn());
      jedis.get("wbsession:read-only-miss");
      assertEquals(lsn, server.context().appends().journal().lastLsn(), "reads journal nothing");
    }
  }
}
