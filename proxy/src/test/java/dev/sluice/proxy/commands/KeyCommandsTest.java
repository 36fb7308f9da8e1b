package dev.sluice.proxy.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.proxy.testing.BothProtocols;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.args.ExpiryOption;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/** The generic key commands through Jedis 5 over real sockets, in RESP2 and RESP3. */
class KeyCommandsTest extends JedisServerTest {
  private static final String LFU_ERROR =
      "ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note"
          + " that when switching between policies at runtime LRU and LFU data will take some"
          + " time to adjust.";
  private static final String LRU_ERROR =
      "ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when"
          + " switching between policies at runtime LRU and LFU data will take some time to"
          + " adjust.";

  // ---- DEL / UNLINK / EXISTS / TYPE ----

  @BothProtocols
  void del_existingAndMissingKeys_countsOnlyDeleted(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.mset("a", "1", "b", "2");
    assertEquals(2, jedis.del("a", "b", "c"));
    assertFalse(jedis.exists("a"));
    assertEquals(0, jedis.del("a"));
  }

  @BothProtocols
  void del_sameKeyTwice_countsItOnce(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.set("a", "1");
    assertEquals(1, jedis.del("a", "a"));
  }

  @BothProtocols
  void unlink_existingAndMissingKeys_countsOnlyDeleted(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.mset("a", "1", "b", "2", "c", "3");
    assertEquals(2, jedis.unlink("a", "c", "zz"));
    assertEquals(List.of("b"), List.copyOf(jedis.keys("*")));
  }

  @BothProtocols
  void exists_duplicateKeys_areCountedEachTime(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.set("a", "1");
    assertEquals(3, jedis.exists("a", "a", "b", "a"));
    assertEquals(0, jedis.exists("b", "c"));
  }

  @BothProtocols
  void type_stringAndMissingKey_returnsStringAndNone(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.set("a", "1");
    assertEquals("string", jedis.type("a"));
    assertEquals("none", jedis.type("missing"));
  }

  // ---- RENAME / RENAMENX ----

  @BothProtocols
  void rename_existingKey_movesValueAndTtlAndOverwritesTarget(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.psetex("src", 5_000, "v");
    jedis.set("dst", "old");
    assertEquals("OK", jedis.rename("src", "dst"));
    assertFalse(jedis.exists("src"));
    assertEquals("v", jedis.get("dst"));
    assertEquals(5_000, jedis.pttl("dst"));
  }

  @BothProtocols
  void rename_targetWithTtlAndSourceWithout_leavesNoTtl(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.set("src", "v");
    jedis.setex("dst", 100, "old");
    jedis.rename("src", "dst");
    assertEquals(-1, jedis.ttl("dst"));
  }

  @BothProtocols
  void rename_missingSource_returnsNoSuchKey(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    assertError("ERR no such key", () -> jedis.rename("missing", "dst"));
    assertError("ERR no such key", () -> jedis.renamenx("missing", "dst"));
  }

  @BothProtocols
  void rename_sameKey_returnsOkAndKeepsKey(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.set("a", "v");
    assertEquals("OK", jedis.rename("a", "a"));
    assertEquals("v", jedis.get("a"));
  }

  @BothProtocols
  void renamenx_targetExists_returnsZeroAndChangesNothing(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.mset("src", "1", "dst", "2");
    assertEquals(0, jedis.renamenx("src", "dst"));
    assertEquals(List.of("1", "2"), jedis.mget("src", "dst"));
  }

  @BothProtocols
  void renamenx_targetMissing_renamesAndReturnsOne(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.set("src", "1");
    assertEquals(1, jedis.renamenx("src", "dst"));
    assertFalse(jedis.exists("src"));
    assertEquals("1", jedis.get("dst"));
  }

  // ---- COPY / MOVE ----

  @BothProtocols
  void copy_toMissingKey_copiesValueAndTtl(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.psetex("src", 3_000, "v");
    assertTrue(jedis.copy("src", "dst", false));
    assertEquals(List.of("v", "v"), jedis.mget("src", "dst"));
    assertEquals(3_000, jedis.pttl("dst"));
  }

  @BothProtocols
  void copy_toExistingKeyWithoutReplace_returnsFalse(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.mset("src", "new", "dst", "old");
    assertFalse(jedis.copy("src", "dst", false));
    assertEquals("old", jedis.get("dst"));
  }

  @BothProtocols
  void copy_toExistingKeyWithReplace_overwrites(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.mset("src", "new", "dst", "old");
    assertTrue(jedis.copy("src", "dst", true));
    assertEquals("new", jedis.get("dst"));
  }

  @BothProtocols
  void copy_missingSource_returnsFalse(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    assertFalse(jedis.copy("missing", "dst", false));
    assertFalse(jedis.exists("dst"));
  }

  @BothProtocols
  void copy_withDb_copiesIntoOtherDatabase(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.set("src", "v");
    assertTrue(jedis.copy("src", "src", 3, false));
    assertEquals("v", jedis.get("src"));
    try (Jedis other = server.jedis(protocol)) {
      assertEquals("OK", other.select(3));
      assertEquals("v", other.get("src"));
    }
  }

  @BothProtocols
  void copy_sameKeySameDb_returnsSameObjectError(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.set("a", "v");
    assertError(
        "ERR source and destination objects are the same", () -> jedis.copy("a", "a", false));
    assertError(
        "ERR source and destination objects are the same", () -> jedis.copy("a", "a", 0, true));
  }

  @BothProtocols
  void copy_dbOutOfRange_returnsError(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.set("a", "v");
    assertError("ERR DB index is out of range", () -> jedis.copy("a", "b", 16, false));
  }

  @BothProtocols
  void move_toOtherDb_movesKeyWithTtl(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.setex("a", 100, "v");
    assertEquals(1, jedis.move("a", 2));
    assertFalse(jedis.exists("a"));
    try (Jedis other = server.jedis(protocol)) {
      other.select(2);
      assertEquals("v", other.get("a"));
      assertEquals(100, other.ttl("a"));
    }
  }

  @BothProtocols
  void move_targetHasKey_returnsZeroAndKeepsBoth(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    try (Jedis other = server.jedis(protocol)) {
      other.select(2);
      other.set("a", "there");
    }
    jedis.set("a", "here");
    assertEquals(0, jedis.move("a", 2));
    assertEquals("here", jedis.get("a"));
    assertEquals(0, jedis.move("missing", 2));
  }

  @BothProtocols
  void move_sameDb_returnsSameObjectError(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.set("a", "v");
    assertError("ERR source and destination objects are the same", () -> jedis.move("a", 0));
  }

  // ---- KEYS ----

  @BothProtocols
  void keys_globPatterns_matchLikeRedis(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    for (String key :
        List.of("hello", "hallo", "hxllo", "hllo", "heeeello", "h?llo", "a*b", "a[b", "abc")) {
      jedis.set(key, "1");
    }
    assertEquals(
        Set.of("hello", "hallo", "hxllo", "hllo", "heeeello", "h?llo", "a*b", "a[b", "abc"),
        jedis.keys("*"));
    assertEquals(Set.of("hello", "hallo", "hxllo", "h?llo"), jedis.keys("h?llo"));
    assertEquals(
        Set.of("hello", "hallo", "hxllo", "hllo", "heeeello", "h?llo"), jedis.keys("h*llo"));
    assertEquals(Set.of("hello", "hallo"), jedis.keys("h[ae]llo"));
    assertEquals(Set.of("hallo", "hxllo", "h?llo"), jedis.keys("h[^e]llo"));
    assertEquals(Set.of("hallo"), jedis.keys("h[a-c]llo"));
    assertEquals(Set.of("h?llo"), jedis.keys("h\\?llo"));
    assertEquals(Set.of("a*b"), jedis.keys("a\\*b"));
    assertEquals(Set.of("a[b"), jedis.keys("a\\[b"));
    assertEquals(Set.of("a*b", "a[b", "abc"), jedis.keys("a*"));
    assertEquals(Set.of(), jedis.keys("nomatch*"));
  }

  @BothProtocols
  void keys_emptyDatabase_returnsEmpty(RedisProtocol protocol) {
    assertEquals(Set.of(), jedis(protocol).keys("*"));
  }

  // ---- SCAN ----

  private static Set<String> fillThousandKeys(Jedis jedis) {
    Set<String> expected = new HashSet<>();
    String[] pairs = new String[2_000];
    for (int i = 0; i < 1_000; i++) {
      String key = "key:" + i;
      expected.add(key);
      pairs[2 * i] = key;
      pairs[2 * i + 1] = Integer.toString(i);
    }
    jedis.mset(pairs);
    assertEquals(1_000, jedis.dbSize());
    return expected;
  }

  /** Iterates a full SCAN; returns how often each key was reported. */
  private static Map<String, Integer> scanAll(Jedis jedis, ScanParams params, String type) {
    Map<String, Integer> seen = new HashMap<>();
    String cursor = ScanParams.SCAN_POINTER_START;
    int calls = 0;
    do {
      ScanResult<String> page =
          type == null ? jedis.scan(cursor, params) : jedis.scan(cursor, params, type);
      for (String key : page.getResult()) {
        seen.merge(key, 1, Integer::sum);
      }
      cursor = page.getCursor();
      assertTrue(++calls < 10_000, "SCAN did not terminate");
    } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
    return seen;
  }

  @BothProtocols
  void scan_thousandKeys_returnsEveryKeyAtLeastOnce(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    Set<String> expected = fillThousandKeys(jedis);
    Map<String, Integer> seen = scanAll(jedis, new ScanParams().count(100), null);
    assertEquals(expected, seen.keySet());
  }

  @BothProtocols
  void scan_defaultCount_returnsEveryKeyInSmallPages(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    Set<String> expected = fillThousandKeys(jedis);
    ScanResult<String> first = jedis.scan(ScanParams.SCAN_POINTER_START);
    assertFalse(first.isCompleteIteration());
    assertTrue(first.getResult().size() < 100, "default COUNT is 10");
    assertEquals(expected, scanAll(jedis, new ScanParams(), null).keySet());
  }

  @BothProtocols
  void scan_withMatch_returnsOnlyMatchingKeys(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    fillThousandKeys(jedis);
    Set<String> expected = new HashSet<>();
    for (int i = 0; i < 1_000; i++) {
      if (Integer.toString(i).startsWith("12")) {
        expected.add("key:" + i);
      }
    }
    Map<String, Integer> seen = scanAll(jedis, new ScanParams().match("key:12*").count(50), null);
    assertEquals(expected, seen.keySet());
    assertEquals(11, expected.size()); // 12 and 120..129
  }

  @BothProtocols
  void scan_withType_filtersByType(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    Set<String> expected = fillThousandKeys(jedis);
    assertEquals(expected, scanAll(jedis, new ScanParams().count(200), "string").keySet());
    assertEquals(Set.of(), scanAll(jedis, new ScanParams().count(200), "list").keySet());
  }

  @BothProtocols
  void scan_emptyDatabase_returnsCursorZero(RedisProtocol protocol) {
    ScanResult<String> result = jedis(protocol).scan(ScanParams.SCAN_POINTER_START);
    assertEquals("0", result.getCursor());
    assertEquals(List.of(), result.getResult());
  }

  @BothProtocols
  void scan_invalidCursorOrCount_returnsErrors(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    assertError("ERR invalid cursor", () -> jedis.sendCommand(Protocol.Command.SCAN, "abc"));
    assertError(
        "ERR syntax error", () -> jedis.sendCommand(Protocol.Command.SCAN, "0", "COUNT", "0"));
    assertError(
        "ERR syntax error", () -> jedis.sendCommand(Protocol.Command.SCAN, "0", "BOGUS", "1"));
  }

  // ---- RANDOMKEY / TOUCH ----

  @BothProtocols
  void randomkey_emptyDatabase_returnsNil(RedisProtocol protocol) {
    assertNull(jedis(protocol).randomKey());
  }

  @BothProtocols
  void randomkey_withKeys_returnsOneOfThem(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.mset("a", "1", "b", "2", "c", "3");
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      String key = jedis.randomKey();
      assertTrue(Set.of("a", "b", "c").contains(key), key);
      seen.add(key);
    }
    assertEquals(Set.of("a", "b", "c"), seen); // 200 draws: missing one is ~1e-35 likely
  }

  @BothProtocols
  void touch_existingAndMissingKeys_countsExisting(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.mset("a", "1", "b", "2");
    assertEquals(2, jedis.touch("a", "b", "c"));
    assertEquals(0, jedis.touch("c"));
  }

  @BothProtocols
  void touch_resetsIdleTime(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.set("a", "1");
    server.clock().advance(Duration.ofSeconds(30));
    assertEquals(30, jedis.objectIdletime("a"));
    assertEquals(1, jedis.touch("a"));
    assertEquals(0, jedis.objectIdletime("a"));
  }

  // ---- OBJECT ----

  @BothProtocols
  void objectEncoding_strings_areIntEmbstrOrRaw(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.set("int", "12345");
    jedis.set("neg", "-42");
    jedis.set("max", Long.toString(Long.MAX_VALUE));
    jedis.set("toobig", "9223372036854775808");
    jedis.set("leadingzero", "012");
    jedis.set("short", "hello");
    jedis.set("44", "x".repeat(44));
    jedis.set("45", "x".repeat(45));
    assertEquals("int", jedis.objectEncoding("int"));
    assertEquals("int", jedis.objectEncoding("neg"));
    assertEquals("int", jedis.objectEncoding("max"));
    assertEquals("embstr", jedis.objectEncoding("toobig"));
    assertEquals("embstr", jedis.objectEncoding("leadingzero"));
    assertEquals("embstr", jedis.objectEncoding("short"));
    assertEquals("embstr", jedis.objectEncoding("44"));
    assertEquals("raw", jedis.objectEncoding("45"));
    assertNull(jedis.objectEncoding("missing"));
  }

  @BothProtocols
  void objectIdletime_afterClockAdvance_reportsIdleSeconds(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.set("a", "1");
    assertEquals(0, jedis.objectIdletime("a"));
    server.clock().advance(Duration.ofSeconds(12));
    assertEquals(12, jedis.objectIdletime("a"));
    // OBJECT IDLETIME itself does not count as an access
    assertEquals(12, jedis.objectIdletime("a"));
    jedis.get("a");
    assertEquals(0, jedis.objectIdletime("a"));
    assertNull(jedis.objectIdletime("missing"));
  }

  @BothProtocols
  void objectIdletime_afterInspectingCommands_isNotReset(RedisProtocol protocol) {
    // EXISTS, TYPE, TTL and friends look keys up without touching them (LOOKUP_NOTOUCH)
    Jedis jedis = jedis(protocol);
    jedis.set("a", "value");
    server.clock().advance(Duration.ofSeconds(7));
    assertTrue(jedis.exists("a"));
    assertEquals(1, jedis.exists("a", "b"));
    assertEquals("string", jedis.type("a"));
    assertEquals(-1, jedis.ttl("a"));
    assertEquals(-1, jedis.pttl("a"));
    assertEquals(-1, jedis.expireTime("a"));
    assertEquals(-1, jedis.pexpireTime("a"));
    assertEquals("embstr", jedis.objectEncoding("a"));
    assertEquals(7, jedis.objectIdletime("a"));
    assertEquals(5, jedis.strlen("a")); // a read: touches
    assertEquals(0, jedis.objectIdletime("a"));
  }

  @BothProtocols
  void objectFreq_withoutLfuPolicy_returnsError(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.set("a", "1");
    assertError(LFU_ERROR, () -> jedis.objectFreq("a"));
  }

  @BothProtocols
  void objectFreq_withLfuPolicy_countsAccesses(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    String before = jedis.configGet("maxmemory-policy").get("maxmemory-policy");
    assertEquals("OK", jedis.configSet("maxmemory-policy", "allkeys-lfu"));
    try {
      assertEquals("allkeys-lfu", jedis.configGet("maxmemory-policy").get("maxmemory-policy"));
      jedis.set("a", "1");
      assertEquals(5, jedis.objectFreq("a")); // LFU_INIT_VAL
      jedis.get("a"); // from the initial value the first increment is certain
      assertEquals(6, jedis.objectFreq("a"));
      assertError(LRU_ERROR, () -> jedis.objectIdletime("a"));
    } finally {
      jedis.configSet("maxmemory-policy", before);
    }
    assertEquals("noeviction", before);
  }

  // ---- EXPIRE family ----

  @BothProtocols
  void expire_existingKey_setsTtl(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.set("a", "1");
    assertEquals(1, jedis.expire("a", 100));
    assertEquals(100, jedis.ttl("a"));
    assertEquals(0, jedis.expire("missing", 100));
  }

  @BothProtocols
  void expire_negativeTime_deletesKey(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.set("a", "1");
    assertEquals(1, jedis.expire("a", -1));
    assertFalse(jedis.exists("a"));
  }

  @BothProtocols
  void expire_withNx_setsOnlyWithoutTtl(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.set("a", "1");
    assertEquals(1, jedis.expire("a", 100, ExpiryOption.NX));
    assertEquals(0, jedis.expire("a", 200, ExpiryOption.NX));
    assertEquals(100, jedis.ttl("a"));
  }

  @BothProtocols
  void expire_withXx_setsOnlyWithTtl(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.set("a", "1");
    assertEquals(0, jedis.expire("a", 100, ExpiryOption.XX));
    assertEquals(-1, jedis.ttl("a"));
    jedis.expire("a", 100);
    assertEquals(1, jedis.expire("a", 200, ExpiryOption.XX));
    assertEquals(200, jedis.ttl("a"));
  }

  @BothProtocols
  void expire_withGt_setsOnlyGreaterTtl(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.set("a", "1");
    assertEquals(0, jedis.expire("a", 100, ExpiryOption.GT)); // no TTL counts as infinite
    assertEquals(-1, jedis.ttl("a"));
    jedis.expire("a", 100);
    assertEquals(0, jedis.expire("a", 50, ExpiryOption.GT));
    assertEquals(0, jedis.expire("a", 100, ExpiryOption.GT));
    assertEquals(1, jedis.expire("a", 200, ExpiryOption.GT));
    assertEquals(200, jedis.ttl("a"));
  }

  @BothProtocols
  void expire_withLt_setsOnlyLesserTtl(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.set("a", "1");
    assertEquals(1, jedis.expire("a", 100, ExpiryOption.LT)); // no TTL counts as infinite
    assertEquals(0, jedis.expire("a", 200, ExpiryOption.LT));
    assertEquals(0, jedis.expire("a", 100, ExpiryOption.LT));
    assertEquals(1, jedis.expire("a", 50, ExpiryOption.LT));
    assertEquals(50, jedis.ttl("a"));
  }

  @BothProtocols
  void expire_incompatibleOptions_returnErrors(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.set("a", "1");
    assertError(
        "ERR NX and XX, GT or LT options at the same time are not compatible",
        () -> jedis.sendCommand(Protocol.Command.EXPIRE, "a", "10", "NX", "XX"));
    assertError(
        "ERR NX and XX, GT or LT options at the same time are not compatible",
        () -> jedis.sendCommand(Protocol.Command.EXPIRE, "a", "10", "NX", "GT"));
    assertError(
        "ERR GT and LT options at the same time are not compatible",
        () -> jedis.sendCommand(Protocol.Command.EXPIRE, "a", "10", "GT", "LT"));
    assertError(
        "ERR Unsupported option foo",
        () -> jedis.sendCommand(Protocol.Command.EXPIRE, "a", "10", "foo"));
    assertError(
        "ERR value is not an integer or out of range",
        () -> jedis.sendCommand(Protocol.Command.EXPIRE, "a", "ten"));
    assertEquals(-1, jedis.ttl("a"));
  }

  @BothProtocols
  void expire_overflowingTime_returnsInvalidExpireTime(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.set("a", "1");
    assertError(
        "ERR invalid expire time in 'expire' command",
        () -> jedis.expire("a", Long.MAX_VALUE / 100));
    assertError(
        "ERR invalid expire time in 'pexpire' command",
        () -> jedis.pexpire("a", Long.MAX_VALUE - 10));
  }

  @BothProtocols
  void pexpire_existingKey_setsTtlInMillis(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.set("a", "1");
    assertEquals(1, jedis.pexpire("a", 2_500));
    assertEquals(2_500, jedis.pttl("a"));
    assertEquals(3, jedis.ttl("a"));
    assertEquals(0, jedis.pexpire("a", 1_000, ExpiryOption.GT));
    assertEquals(1, jedis.pexpire("a", 1_000, ExpiryOption.LT));
    assertEquals(1_000, jedis.pttl("a"));
  }

  @BothProtocols
  void expireat_futureSeconds_setsAbsoluteExpiry(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.set("a", "1");
    long at = now() / 1000 + 3_600;
    assertEquals(1, jedis.expireAt("a", at));
    assertEquals(at, jedis.expireTime("a"));
    assertEquals(3_600, jedis.ttl("a"));
    assertEquals(0, jedis.expireAt("a", at + 10, ExpiryOption.NX));
    assertEquals(1, jedis.expireAt("a", at + 10, ExpiryOption.XX));
    assertEquals(at + 10, jedis.expireTime("a"));
  }

  @BothProtocols
  void expireat_pastTime_deletesKey(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.set("a", "1");
    assertEquals(1, jedis.expireAt("a", now() / 1000 - 1));
    assertFalse(jedis.exists("a"));
  }

  @BothProtocols
  void pexpireat_futureMillis_setsAbsoluteExpiry(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.set("a", "1");
    long at = now() + 12_345;
    assertEquals(1, jedis.pexpireAt("a", at));
    assertEquals(at, jedis.pexpireTime("a"));
    assertEquals((at + 500) / 1000, jedis.expireTime("a"));
    assertEquals(12_345, jedis.pttl("a"));
    assertEquals(1, jedis.pexpireAt("a", at + 1, ExpiryOption.GT));
    assertEquals(at + 1, jedis.pexpireTime("a"));
  }

  @BothProtocols
  void pexpireat_pastTime_deletesKey(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.set("a", "1");
    assertEquals(1, jedis.pexpireAt("a", now()));
    assertFalse(jedis.exists("a"));
  }

  @BothProtocols
  void ttl_missingKeyAndKeyWithoutTtl_returnsMinusTwoAndMinusOne(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.set("a", "1");
    assertEquals(-2, jedis.ttl("missing"));
    assertEquals(-1, jedis.ttl("a"));
    assertEquals(-2, jedis.pttl("missing"));
    assertEquals(-1, jedis.pttl("a"));
  }

  @BothProtocols
  void ttl_roundsToNearestSecond(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.psetex("a", 1_499, "1");
    jedis.psetex("b", 1_500, "1");
    assertEquals(1, jedis.ttl("a"));
    assertEquals(2, jedis.ttl("b"));
  }

  @BothProtocols
  void expiretime_missingKeyAndKeyWithoutTtl_returnsMinusTwoAndMinusOne(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.set("a", "1");
    assertEquals(-2, jedis.expireTime("missing"));
    assertEquals(-1, jedis.expireTime("a"));
    assertEquals(-2, jedis.pexpireTime("missing"));
    assertEquals(-1, jedis.pexpireTime("a"));
  }

  @BothProtocols
  void expiretime_keyWithTtl_returnsAbsoluteTime(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.set("a", "1");
    jedis.pexpire("a", 10_500);
    assertEquals(now() + 10_500, jedis.pexpireTime("a"));
    assertEquals((now() + 11_000) / 1000, jedis.expireTime("a"));
  }

  @BothProtocols
  void expiretime_millisecondDeadline_roundsToNearestSecond(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.mset("a", "1", "b", "2", "c", "3");
    jedis.pexpireAt("a", 1_900_000_000_999L);
    jedis.pexpireAt("b", 1_900_000_000_499L);
    jedis.pexpireAt("c", 1_900_000_000_500L);
    assertEquals(1_900_000_001L, jedis.expireTime("a"));
    assertEquals(1_900_000_000L, jedis.expireTime("b"));
    assertEquals(1_900_000_001L, jedis.expireTime("c"));
    assertEquals(1_900_000_000_999L, jedis.pexpireTime("a"));
  }

  @BothProtocols
  void persist_keyWithTtl_removesTtl(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.setex("a", 100, "1");
    assertEquals(1, jedis.persist("a"));
    assertEquals(-1, jedis.ttl("a"));
    assertEquals("1", jedis.get("a"));
  }

  @BothProtocols
  void persist_keyWithoutTtlOrMissing_returnsZero(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.set("a", "1");
    assertEquals(0, jedis.persist("a"));
    assertEquals(0, jedis.persist("missing"));
  }

  @BothProtocols
  void dbsize_afterSetsAndDeletes_countsKeys(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    assertEquals(0, jedis.dbSize());
    jedis.mset("a", "1", "b", "2");
    assertEquals(2, jedis.dbSize());
    jedis.del("a");
    assertEquals(1, jedis.dbSize());
    assertNotNull(jedis.get("b"));
  }
}
