package dev.sluice.proxy.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.proxy.testing.BothProtocols;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.GetExParams;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * Key expiry driven by the test's {@link dev.sluice.proxy.testing.ManualClock}: lazy expiry on
 * access, and active expiry by the server's cron (which runs on real time, so those tests poll with
 * a bound instead of sleeping).
 */
class ExpiryTest extends JedisServerTest {
  private static final long ACTIVE_EXPIRE_WAIT_MILLIS = 5_000;

  private static void advance(long millis) {
    server.clock().advance(Duration.ofMillis(millis));
  }

  private static long expiredKeys(Jedis jedis) {
    for (String line : jedis.info("stats").split("\r\n")) {
      if (line.startsWith("expired_keys:")) {
        return Long.parseLong(line.substring("expired_keys:".length()));
      }
    }
    throw new AssertionError("INFO stats has no expired_keys");
  }

  /** Polls DBSIZE (which counts keys not yet reclaimed) until it is {@code expected}. */
  private static void awaitDbSize(Jedis jedis, long expected) {
    long deadline = System.nanoTime() + ACTIVE_EXPIRE_WAIT_MILLIS * 1_000_000;
    long size = jedis.dbSize();
    while (size != expected && System.nanoTime() < deadline) {
      Thread.onSpinWait();
      size = jedis.dbSize();
    }
    assertEquals(expected, size, "DBSIZE after waiting for the active expire cycle");
  }

  // ---- lazy expiry ----

  @BothProtocols
  void get_afterPxElapsed_returnsNilAndKeyIsGone(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    assertEquals("OK", jedis.set("k", "v", SetParams.setParams().px(100)));
    advance(101);
    assertNull(jedis.get("k"));
    assertFalse(jedis.exists("k"));
    assertEquals(-2, jedis.ttl("k"));
    assertEquals(-2, jedis.pttl("k"));
  }

  @BothProtocols
  void get_beforePxElapsed_returnsValue(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.set("k", "v", SetParams.setParams().px(100));
    advance(99);
    assertEquals("v", jedis.get("k"));
    assertEquals(1, jedis.pttl("k"));
    assertEquals(0, jedis.ttl("k"));
  }

  @BothProtocols
  void get_atExactExpiryTime_stillReturnsValue(RedisProtocol protocol) {
    // Redis expires a key once the time is past its deadline (now > when), not at it
    Jedis jedis = jedis(protocol);
    jedis.set("k", "v", SetParams.setParams().px(100));
    advance(100);
    assertEquals("v", jedis.get("k"));
    assertEquals(0, jedis.pttl("k"));
    advance(1);
    assertNull(jedis.get("k"));
  }

  @BothProtocols
  void ttl_afterClockAdvance_countsDown(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.setex("k", 10, "v");
    advance(3_200);
    assertEquals(6_800, jedis.pttl("k"));
    assertEquals(7, jedis.ttl("k"));
  }

  @BothProtocols
  void get_expiredKey_countsInExpiredKeysStat(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    long before = expiredKeys(jedis);
    jedis.psetex("k", 10, "v");
    advance(11);
    assertNull(jedis.get("k"));
    // whether GET or the cron reclaimed it, it is counted exactly once
    assertEquals(before + 1, expiredKeys(jedis));
    assertEquals(0, jedis.dbSize());
  }

  @BothProtocols
  void pexpireat_deadlinePassed_keyExpires(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.set("k", "v");
    long at = server.clock().millis() + 5_000;
    assertEquals(1, jedis.pexpireAt("k", at));
    advance(4_999);
    assertTrue(jedis.exists("k"));
    advance(2);
    assertFalse(jedis.exists("k"));
  }

  @BothProtocols
  void setKeepTtl_afterClockAdvance_keepsRemainingTtl(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.psetex("k", 1_000, "v");
    advance(400);
    jedis.set("k", "w", SetParams.setParams().keepTtl());
    assertEquals(600, jedis.pttl("k"));
    advance(601);
    assertNull(jedis.get("k"));
  }

  @BothProtocols
  void getexPersist_beforeDeadline_keyOutlivesOldTtl(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.psetex("k", 100, "v");
    assertEquals("v", jedis.getEx("k", GetExParams.getExParams().persist()));
    advance(10_000);
    assertEquals("v", jedis.get("k"));
  }

  @BothProtocols
  void persist_beforeDeadline_keyOutlivesOldTtl(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.psetex("k", 100, "v");
    assertEquals(1, jedis.persist("k"));
    advance(10_000);
    assertEquals("v", jedis.get("k"));
  }

  @BothProtocols
  void rename_keepsDeadline(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.psetex("src", 100, "v");
    jedis.rename("src", "dst");
    advance(50);
    assertEquals(50, jedis.pttl("dst"));
    advance(51);
    assertFalse(jedis.exists("dst"));
  }

  @BothProtocols
  void writeCommands_onExpiredKey_treatItAsMissing(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.psetex("n", 10, "41");
    jedis.psetex("s", 10, "old");
    jedis.psetex("x", 10, "old");
    jedis.psetex("r", 10, "old");
    advance(11);
    assertEquals(1, jedis.incr("n"));
    assertEquals(3, jedis.append("s", "new"));
    assertEquals(1, jedis.setnx("x", "new"));
    assertEquals(-1, jedis.ttl("x"));
    assertEquals(0, jedis.expire("r", 100));
    assertEquals(0, jedis.persist("r"));
    JedisDataException e = assertThrows(JedisDataException.class, () -> jedis.rename("r", "other"));
    assertEquals("ERR no such key", e.getMessage());
  }

  @BothProtocols
  void keysAndScan_skipExpiredKeys(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.set("live", "1");
    for (int i = 0; i < 20; i++) {
      jedis.psetex("dying:" + i, 10, "v");
    }
    advance(11);
    assertEquals(Set.of("live"), jedis.keys("*"));
    Set<String> scanned = new HashSet<>();
    String cursor = ScanParams.SCAN_POINTER_START;
    do {
      ScanResult<String> page = jedis.scan(cursor, new ScanParams().count(5));
      scanned.addAll(page.getResult());
      cursor = page.getCursor();
    } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
    assertEquals(Set.of("live"), scanned);
    assertEquals(List.of("1"), jedis.mget("live"));
  }

  @BothProtocols
  void randomkey_onlyExpiredKeys_returnsNil(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    for (int i = 0; i < 5; i++) {
      jedis.psetex("dying:" + i, 10, "v");
    }
    advance(11);
    assertNull(jedis.randomKey());
  }

  @BothProtocols
  void randomkey_manyExpiredKeysAndOneLive_returnsTheLiveKey(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    // a slow cron, so the expired keys are still there when RANDOMKEY runs
    assertEquals("OK", jedis.configSet("hz", "1"));
    try {
      jedis.set("live", "v");
      for (int i = 0; i < 1_000; i++) {
        jedis.psetex("dying:" + i, 10, "v");
      }
      advance(11);
      for (int i = 0; i < 20; i++) {
        assertEquals("live", jedis.randomKey());
      }
    } finally {
      jedis.configSet("hz", "10");
    }
  }

  // ---- active expiry ----

  @BothProtocols
  void activeExpiry_expiredKeysNeverAccessed_areRemovedByCron(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    long before = expiredKeys(jedis);
    for (int i = 0; i < 100; i++) {
      jedis.set("volatile:" + i, "v", SetParams.setParams().px(10));
    }
    for (int i = 0; i < 50; i++) {
      jedis.set("persistent:" + i, "v");
    }
    assertEquals(150, jedis.dbSize());
    advance(11);
    awaitDbSize(jedis, 50);
    assertEquals(before + 100, expiredKeys(jedis));
    assertTrue(jedis.info("keyspace").contains("db0:keys=50,expires=0,"));
  }

  @BothProtocols
  void activeExpiry_keysNotYetDue_areKept(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    // few live volatile keys: the cycle stops sampling once under a tenth of a sample expired,
    // as Redis's does, so many live ones would leave the last expired keys for many cycles
    for (int i = 0; i < 100; i++) {
      jedis.psetex("soon:" + i, 10, "v");
    }
    for (int i = 0; i < 5; i++) {
      jedis.psetex("later:" + i, 60_000, "v");
    }
    advance(11);
    awaitDbSize(jedis, 5);
    assertEquals(5, jedis.keys("later:*").size());
    assertEquals(59_989, jedis.pttl("later:0"));
    assertTrue(jedis.info("keyspace").contains("db0:keys=5,expires=5,"));
  }

  @BothProtocols
  void activeExpiry_inOtherDatabase_removesKeysThere(RedisProtocol protocol) {
    try (Jedis db5 = server.jedis(protocol)) {
      db5.select(5);
      long before = expiredKeys(db5);
      for (int i = 0; i < 30; i++) {
        db5.psetex("k" + i, 10, "v");
      }
      assertEquals(30, db5.dbSize(), "the keys exist before the clock moves");
      assertTrue(db5.info("keyspace").contains("db5:keys=30,expires=30,"), db5.info("keyspace"));
      advance(11);
      awaitDbSize(db5, 0);
      assertEquals(before + 30, expiredKeys(db5), "removed by expiry");
    }
  }
}
