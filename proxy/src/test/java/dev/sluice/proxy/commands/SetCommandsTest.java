package dev.sluice.proxy.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.proxy.testing.BothProtocols;
import dev.sluice.proxy.testing.RespSocket;
import dev.sluice.proxy.testing.RespSocket.Nil;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ValueScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.protocol.ProtocolVersion;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol.Command;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/** The set commands through Jedis 5 (RESP2 and RESP3), raw sockets and Lettuce in RESP3. */
class SetCommandsTest extends JedisServerTest {
  private static final String WRONGTYPE =
      "WRONGTYPE Operation against a key holding the wrong kind of value";

  private static String[] members(String prefix, int count) {
    String[] members = new String[count];
    for (int i = 0; i < count; i++) {
      members[i] = prefix + i;
    }
    return members;
  }

  private static Set<String> setOf(String... members) {
    return new HashSet<>(Arrays.asList(members));
  }

  private static RespSocket raw(int protocol) {
    RespSocket socket = RespSocket.connect(server.port());
    socket.call("HELLO", Integer.toString(protocol));
    return socket;
  }

  private static RespSocket raw(RedisProtocol protocol) {
    return raw(protocol == RedisProtocol.RESP3 ? 3 : 2);
  }

  private static long usedMemory(Jedis jedis) {
    for (String line : jedis.info("memory").split("\r\n")) {
      if (line.startsWith("used_memory:")) {
        return Long.parseLong(line.substring("used_memory:".length()));
      }
    }
    throw new AssertionError("no used_memory in INFO");
  }

  // ---- SADD / SREM / SMEMBERS / SISMEMBER / SMISMEMBER / SCARD ----

  @BothProtocols
  void sadd_newAndDuplicateMembers_countsOnlyNewOnes(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    assertEquals(3, jedis.sadd("s", "a", "b", "c"));
    assertEquals(1, jedis.sadd("s", "a", "d", "d"));
    assertEquals(setOf("a", "b", "c", "d"), jedis.smembers("s"));
    assertEquals(4, jedis.scard("s"));
    assertEquals("set", jedis.type("s"));
  }

  @BothProtocols
  void srem_countsRemoved_lastMemberDeletesTheKey(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.sadd("s", "a", "b", "1");
    assertEquals(1, jedis.srem("s", "a", "a", "zz"));
    assertEquals(2, jedis.srem("s", "b", "1"));
    assertFalse(jedis.exists("s"));
    assertEquals(0, jedis.srem("s", "a"));
    assertEquals(0, jedis.scard("s"));
  }

  @BothProtocols
  void smembers_missingKey_isEmpty(RedisProtocol protocol) {
    assertEquals(Set.of(), jedis(protocol).smembers("nokey"));
  }

  @Test
  void smembers_resp3IsSet_resp2IsArray_intsetAscending() {
    jedis(RedisProtocol.RESP2).sadd("s", "30", "-2", "7");
    try (RespSocket resp3 = raw(3);
        RespSocket resp2 = raw(2)) {
      Object set = resp3.call("SMEMBERS", "s");
      assertInstanceOf(Set.class, set);
      assertEquals(List.of("-2", "7", "30"), new ArrayList<>((Set<?>) set));
      assertEquals(List.of("-2", "7", "30"), resp2.call("SMEMBERS", "s"));
      assertEquals(Set.of(), resp3.call("SMEMBERS", "nokey"));
      assertEquals(List.of(), resp2.call("SMEMBERS", "nokey"));
    }
  }

  @BothProtocols
  void sismemberAndSmismember_intsetListpackHashtable(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.sadd("ints", "1", "2");
    jedis.sadd("small", "a", "1");
    jedis.sadd("big", members("m", 300));
    assertTrue(jedis.sismember("ints", "1"));
    assertFalse(jedis.sismember("ints", "01"));
    assertFalse(jedis.sismember("ints", "a"));
    assertTrue(jedis.sismember("small", "1"));
    assertTrue(jedis.sismember("big", "m299"));
    assertFalse(jedis.sismember("big", "m300"));
    assertFalse(jedis.sismember("nokey", "a"));
    assertEquals(List.of(true, false, true), jedis.smismember("small", "a", "b", "1"));
    assertEquals(List.of(false, false), jedis.smismember("nokey", "a", "b"));
    assertError(
        "ERR wrong number of arguments for 'smismember' command",
        () -> jedis.sendCommand(Command.SMISMEMBER, "small"));
  }

  @Test
  void smismember_repliesIntegersInBothProtocols() {
    jedis(RedisProtocol.RESP2).sadd("s", "a");
    try (RespSocket resp3 = raw(3)) {
      assertEquals(List.of(1L, 0L), resp3.call("SMISMEMBER", "s", "a", "b"));
      assertEquals(1L, resp3.call("SISMEMBER", "s", "a"));
    }
  }

  @BothProtocols
  void sadd_binaryMembers_roundTrip(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    byte[] member = {0, -1, '\r', '\n', 5};
    byte[] key = "s".getBytes();
    assertEquals(1, jedis.sadd(key, member));
    assertTrue(jedis.sismember(key, member.clone()));
    assertFalse(jedis.sismember(key, new byte[] {0, -1, '\r', '\n'}));
    assertEquals(1, jedis.sadd(key, new byte[0]));
    assertEquals(2, jedis.scard(key));
  }

  // ---- WRONGTYPE ----

  @BothProtocols
  void everySetCommand_onStringKey_isWrongType(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.set("str", "value");
    jedis.sadd("s", "a");
    String[][] calls = {
      {"SADD", "str", "a"},
      {"SREM", "str", "a"},
      {"SMEMBERS", "str"},
      {"SISMEMBER", "str", "a"},
      {"SMISMEMBER", "str", "a"},
      {"SCARD", "str"},
      {"SPOP", "str"},
      {"SPOP", "str", "1"},
      {"SRANDMEMBER", "str"},
      {"SRANDMEMBER", "str", "1"},
      {"SMOVE", "str", "s", "a"},
      {"SMOVE", "s", "str", "a"},
      {"SINTER", "s", "str"},
      {"SINTER", "nokey", "str"},
      {"SINTERCARD", "2", "nokey", "str"},
      {"SINTERSTORE", "d", "nokey", "str"},
      {"SUNION", "nokey", "str"},
      {"SUNIONSTORE", "d", "s", "str"},
      {"SDIFF", "nokey", "str"},
      {"SDIFFSTORE", "d", "s", "str"},
      {"SSCAN", "str", "0"},
      {"SSCAN", "str", "0", "NOVALUES"},
    };
    for (String[] call : calls) {
      assertError(
          WRONGTYPE,
          () ->
              jedis.sendCommand(
                  Command.valueOf(call[0]), Arrays.copyOfRange(call, 1, call.length)));
    }
    assertEquals("value", jedis.get("str"));
    assertEquals(Set.of("a"), jedis.smembers("s"));
    assertFalse(jedis.exists("d"));
  }

  // ---- SPOP ----

  @BothProtocols
  void spop_noCount_removesAndReturnsAMember_lastDeletesKey(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    assertNull(jedis.spop("nokey"));
    jedis.sadd("s", "a", "b");
    String first = jedis.spop("s");
    assertTrue(Set.of("a", "b").contains(first));
    assertFalse(jedis.sismember("s", first));
    String second = jedis.spop("s");
    assertEquals(setOf("a", "b"), setOf(first, second));
    assertFalse(jedis.exists("s"));
  }

  @BothProtocols
  void spop_withCount_popsDistinctMembers(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    for (String[] initial : new String[][] {members("", 20), members("m", 20), members("m", 600)}) {
      jedis.del("s");
      jedis.sadd("s", initial);
      Set<String> popped = jedis.spop("s", 7);
      assertEquals(7, popped.size());
      assertTrue(setOf(initial).containsAll(popped));
      assertEquals(initial.length - 7, jedis.scard("s"));
      for (String member : popped) {
        assertFalse(jedis.sismember("s", member));
      }
    }
  }

  @BothProtocols
  void spop_countAtLeastSize_returnsAllAndDeletesKey(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.sadd("s", "a", "b", "c");
    assertEquals(setOf("a", "b", "c"), jedis.spop("s", 3));
    assertFalse(jedis.exists("s"));
    jedis.sadd("s", members("m", 300));
    assertEquals(setOf(members("m", 300)), jedis.spop("s", 1000));
    assertFalse(jedis.exists("s"));
  }

  @BothProtocols
  void spop_zeroCountOrMissingKey_returnsEmpty(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.sadd("s", "a");
    assertEquals(Set.of(), jedis.spop("s", 0));
    assertEquals(Set.of(), jedis.spop("nokey", 3));
    assertTrue(jedis.exists("s"));
  }

  @Test
  void spop_withCount_resp3IsSet_resp2IsArray() {
    jedis(RedisProtocol.RESP2).sadd("s", "a", "b", "c", "d");
    try (RespSocket resp3 = raw(3);
        RespSocket resp2 = raw(2)) {
      assertInstanceOf(Set.class, resp3.call("SPOP", "s", "2"));
      assertInstanceOf(List.class, resp2.call("SPOP", "s", "1"));
      assertEquals(Set.of(), resp3.call("SPOP", "nokey", "2"));
      assertEquals(Set.of(), resp3.call("SPOP", "s", "0"));
      assertEquals(Nil.NULL, resp3.call("SPOP", "nokey"));
      assertEquals(Nil.BULK, resp2.call("SPOP", "nokey"));
      assertInstanceOf(Set.class, resp3.call("SPOP", "s", "10"));
    }
  }

  @BothProtocols
  void spop_badArguments_failWithRedisMessages(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.sadd("s", "a");
    assertError(
        "ERR value is out of range, must be positive",
        () -> jedis.sendCommand(Command.SPOP, "s", "-1"));
    assertError(
        "ERR value is out of range, must be positive",
        () -> jedis.sendCommand(Command.SPOP, "s", "x"));
    assertError(
        "ERR value is out of range, must be positive",
        () -> jedis.sendCommand(Command.SPOP, "nokey", "-1"));
    assertError("ERR syntax error", () -> jedis.sendCommand(Command.SPOP, "s", "1", "2"));
    assertEquals(1, jedis.scard("s"));
  }

  // ---- SRANDMEMBER ----

  @BothProtocols
  void srandmember_noCount_returnsAMemberWithoutRemovingIt(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    assertNull(jedis.srandmember("nokey"));
    jedis.sadd("s", "a", "b", "c");
    for (int i = 0; i < 20; i++) {
      assertTrue(setOf("a", "b", "c").contains(jedis.srandmember("s")));
    }
    assertEquals(3, jedis.scard("s"));
  }

  @BothProtocols
  void srandmember_positiveCount_returnsDistinctMembers(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    for (String[] initial :
        new String[][] {members("", 10), members("m", 50), members("", 400), members("m", 2000)}) {
      jedis.del("s");
      jedis.sadd("s", initial);
      for (int count : new int[] {1, 3, initial.length / 2, initial.length - 1}) {
        List<String> picked = jedis.srandmember("s", count);
        assertEquals(count, picked.size());
        assertEquals(count, new HashSet<>(picked).size(), "distinct");
        assertTrue(setOf(initial).containsAll(picked));
      }
      assertEquals(setOf(initial), new HashSet<>(jedis.srandmember("s", initial.length + 1)));
      assertEquals(initial.length, jedis.scard("s"));
    }
  }

  @BothProtocols
  void srandmember_negativeCount_returnsThatManyWithRepeats(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.sadd("s", "a", "b");
    List<String> picked = jedis.srandmember("s", -40);
    assertEquals(40, picked.size());
    assertEquals(setOf("a", "b"), new HashSet<>(picked));
    assertEquals(List.of(), jedis.srandmember("s", 0));
    assertEquals(List.of(), jedis.srandmember("nokey", -3));
  }

  @Test
  void srandmember_withCount_isArrayEvenInResp3() {
    jedis(RedisProtocol.RESP2).sadd("s", "a", "b");
    try (RespSocket resp3 = raw(3)) {
      assertInstanceOf(List.class, resp3.call("SRANDMEMBER", "s", "5"));
      assertEquals(List.of(), resp3.call("SRANDMEMBER", "nokey", "5"));
      assertEquals(3, ((List<?>) resp3.call("SRANDMEMBER", "s", "-3")).size());
      assertEquals(Nil.NULL, resp3.call("SRANDMEMBER", "nokey"));
    }
  }

  @BothProtocols
  void srandmember_badArguments_failWithRedisMessages(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.sadd("s", "a");
    assertError(
        "ERR value is not an integer or out of range",
        () -> jedis.sendCommand(Command.SRANDMEMBER, "s", "x"));
    assertError(
        "ERR value is out of range, value must between -9223372036854775807 and"
            + " 9223372036854775807",
        () -> jedis.sendCommand(Command.SRANDMEMBER, "s", "-9223372036854775808"));
    assertError("ERR syntax error", () -> jedis.sendCommand(Command.SRANDMEMBER, "s", "1", "2"));
  }

  // ---- SMOVE ----

  @BothProtocols
  void smove_movesMember_createsDestination_deletesEmptiedSource(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.sadd("src", "a", "b");
    assertEquals(1, jedis.smove("src", "dst", "a"));
    assertEquals(Set.of("b"), jedis.smembers("src"));
    assertEquals(Set.of("a"), jedis.smembers("dst"));
    jedis.sadd("dst", "b");
    assertEquals(1, jedis.smove("src", "dst", "b")); // already in dst: still moved out of src
    assertFalse(jedis.exists("src"));
    assertEquals(setOf("a", "b"), jedis.smembers("dst"));
  }

  @BothProtocols
  void smove_absentMemberOrMissingSource_returnsZero(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.sadd("src", "a");
    assertEquals(0, jedis.smove("src", "dst", "zz"));
    assertFalse(jedis.exists("dst"));
    assertEquals(0, jedis.smove("nokey", "dst", "a"));
    jedis.set("str", "x");
    assertEquals(0, jedis.smove("nokey", "str", "a")); // no source: the destination is not checked
  }

  @BothProtocols
  void smove_sameKey_repliesWhetherMemberExists(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.sadd("s", "a");
    assertEquals(1, jedis.smove("s", "s", "a"));
    assertEquals(0, jedis.smove("s", "s", "b"));
    assertEquals(Set.of("a"), jedis.smembers("s"));
  }

  // ---- SINTER / SINTERCARD / SINTERSTORE ----

  @BothProtocols
  void sinter_returnsCommonMembers_missingKeyMakesItEmpty(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.sadd("a", "1", "2", "3", "x");
    jedis.sadd("b", "2", "3", "4", "x");
    jedis.sadd("c", members("", 500));
    assertEquals(setOf("2", "3", "x"), jedis.sinter("a", "b"));
    assertEquals(setOf("2", "3"), jedis.sinter("a", "b", "c"));
    assertEquals(setOf("1", "2", "3", "x"), jedis.sinter("a"));
    assertEquals(Set.of(), jedis.sinter("a", "nokey"));
    assertEquals(Set.of(), jedis.sinter("nokey", "a"));
  }

  @BothProtocols
  void sintercard_countsAndStopsAtLimit(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.sadd("a", members("m", 100));
    jedis.sadd("b", members("m", 50));
    assertEquals(50, jedis.sintercard("a", "b"));
    assertEquals(10, jedis.sintercard(10, "a", "b"));
    assertEquals(50, jedis.sintercard(0, "a", "b"));
    assertEquals(50, jedis.sintercard(500, "a", "b"));
    assertEquals(0, jedis.sintercard("a", "nokey"));
    assertEquals(2L, jedis.sendCommand(Command.SINTERCARD, "1", "a", "LIMIT", "1", "LIMIT", "2"));
  }

  @BothProtocols
  void sintercard_badArguments_failWithRedisMessages(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.sadd("s", "a");
    assertError(
        "ERR numkeys should be greater than 0",
        () -> jedis.sendCommand(Command.SINTERCARD, "0", "s"));
    assertError(
        "ERR numkeys should be greater than 0",
        () -> jedis.sendCommand(Command.SINTERCARD, "-1", "s"));
    assertError(
        "ERR numkeys should be greater than 0",
        () -> jedis.sendCommand(Command.SINTERCARD, "x", "s"));
    assertError(
        "ERR Number of keys can't be greater than number of args",
        () -> jedis.sendCommand(Command.SINTERCARD, "2", "s"));
    assertError(
        "ERR LIMIT can't be negative",
        () -> jedis.sendCommand(Command.SINTERCARD, "1", "s", "LIMIT", "-1"));
    assertError(
        "ERR LIMIT can't be negative",
        () -> jedis.sendCommand(Command.SINTERCARD, "1", "s", "LIMIT", "x"));
    assertError("ERR syntax error", () -> jedis.sendCommand(Command.SINTERCARD, "1", "s", "LIMIT"));
    assertError(
        "ERR syntax error", () -> jedis.sendCommand(Command.SINTERCARD, "1", "s", "foo", "1"));
  }

  @BothProtocols
  void sinterstore_storesResult_replacingTypeAndTtl(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.sadd("a", "1", "2", "3");
    jedis.sadd("b", "2", "3", "4");
    jedis.setex("dst", 100, "string");
    assertEquals(2, jedis.sinterstore("dst", "a", "b"));
    assertEquals(setOf("2", "3"), jedis.smembers("dst"));
    assertEquals(-1, jedis.ttl("dst"));
    assertEquals(2, jedis.sinterstore("a", "a", "b")); // the destination may be a source
    assertEquals(setOf("2", "3"), jedis.smembers("a"));
  }

  @BothProtocols
  void sinterstore_emptyResult_deletesDestination(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.sadd("a", "1");
    jedis.sadd("b", "2");
    jedis.sadd("dst", "old");
    assertEquals(0, jedis.sinterstore("dst", "a", "b"));
    assertFalse(jedis.exists("dst"));
    jedis.set("dst", "x");
    assertEquals(0, jedis.sinterstore("dst", "a", "nokey"));
    assertFalse(jedis.exists("dst"));
  }

  // ---- SUNION / SDIFF and their STORE variants ----

  @BothProtocols
  void sunion_mergesAndDeduplicates_missingKeysAreEmpty(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.sadd("a", "1", "2", "x");
    jedis.sadd("b", "2", "3", "y");
    assertEquals(setOf("1", "2", "3", "x", "y"), jedis.sunion("a", "nokey", "b"));
    assertEquals(Set.of(), jedis.sunion("nokey"));
    assertEquals(5, jedis.sunionstore("dst", "a", "b"));
    assertEquals(setOf("1", "2", "3", "x", "y"), jedis.smembers("dst"));
    assertEquals(0, jedis.sunionstore("dst", "nokey"));
    assertFalse(jedis.exists("dst"));
  }

  @BothProtocols
  void sdiff_subtractsLaterSetsFromFirst(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.sadd("a", "1", "2", "3", "x");
    jedis.sadd("b", "2", "y");
    jedis.sadd("c", "3");
    assertEquals(setOf("1", "x"), jedis.sdiff("a", "b", "c"));
    assertEquals(setOf("1", "2", "3", "x"), jedis.sdiff("a", "nokey"));
    assertEquals(Set.of(), jedis.sdiff("nokey", "a"));
    assertEquals(Set.of(), jedis.sdiff("a", "a"));
    assertEquals(2, jedis.sdiffstore("dst", "a", "b", "c"));
    assertEquals(setOf("1", "x"), jedis.smembers("dst"));
    assertEquals(0, jedis.sdiffstore("dst", "a", "a"));
    assertFalse(jedis.exists("dst"));
  }

  @Test
  void setOperations_resp3AreSets() {
    jedis(RedisProtocol.RESP2).sadd("a", "1", "2");
    jedis(RedisProtocol.RESP2).sadd("b", "2", "3");
    try (RespSocket resp3 = raw(3)) {
      assertEquals(Set.of("2"), resp3.call("SINTER", "a", "b"));
      assertEquals(Set.of("1", "2", "3"), resp3.call("SUNION", "a", "b"));
      assertEquals(Set.of("1"), resp3.call("SDIFF", "a", "b"));
      assertEquals(Set.of(), resp3.call("SINTER", "a", "nokey"));
      assertEquals(Set.of(), resp3.call("SDIFF", "nokey"));
    }
  }

  // ---- SSCAN ----

  @BothProtocols
  void sscan_smallSet_returnsEverythingWithCursorZero(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.sadd("ints", members("", 100));
    jedis.sadd("small", members("m", 100));
    for (String key : new String[] {"ints", "small"}) {
      ScanResult<String> result = jedis.sscan(key, "0", new ScanParams().count(1));
      assertEquals("0", result.getCursor());
      assertEquals(100, result.getResult().size());
    }
    ScanResult<String> matched = jedis.sscan("ints", "0", new ScanParams().match("9*"));
    assertEquals(
        setOf("9", "90", "91", "92", "93", "94", "95", "96", "97", "98", "99"),
        new HashSet<>(matched.getResult()));
  }

  @BothProtocols
  void sscan_hashtableOf1000Members_returnsEveryMemberAcrossCalls(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.sadd("s", members("m", 1000));
    assertEquals("hashtable", jedis.objectEncoding("s"));
    Set<String> seen = new HashSet<>();
    String cursor = "0";
    int calls = 0;
    do {
      ScanResult<String> page = jedis.sscan("s", cursor);
      seen.addAll(page.getResult());
      cursor = page.getCursor();
      calls++;
    } while (!cursor.equals("0"));
    assertEquals(setOf(members("m", 1000)), seen);
    assertTrue(calls > 10, "a big set takes several calls: " + calls);
  }

  @BothProtocols
  void sscan_hashtableShrinkingBetweenCalls_returnsEveryMemberPresentThroughout(
      RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.sadd("s", members("keep", 1000));
    jedis.sadd("s", members("drop", 3000));
    Set<String> seen = new HashSet<>();
    String cursor = "0";
    int calls = 0;
    do {
      ScanResult<String> page = jedis.sscan("s", cursor, new ScanParams().count(50));
      seen.addAll(page.getResult());
      cursor = page.getCursor();
      if (++calls == 4) {
        jedis.srem("s", members("drop", 3000)); // the table shrinks in the middle of the scan
      }
    } while (!cursor.equals("0"));
    assertTrue(seen.containsAll(setOf(members("keep", 1000))));
  }

  @BothProtocols
  void sscan_badArgumentsAndMissingKey_asRedis(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.sadd("s", "a");
    assertError(
        "ERR NOVALUES option can only be used in HSCAN",
        () -> jedis.sendCommand(Command.SSCAN, "s", "0", "NOVALUES"));
    assertError("ERR invalid cursor", () -> jedis.sendCommand(Command.SSCAN, "s", "x"));
    assertError("ERR syntax error", () -> jedis.sendCommand(Command.SSCAN, "s", "0", "COUNT", "0"));
    assertError("ERR syntax error", () -> jedis.sendCommand(Command.SSCAN, "s", "0", "MATCH"));
    try (RespSocket raw = raw(protocol)) {
      assertEquals(List.of("0", List.of()), raw.call("SSCAN", "nokey", "0", "NOVALUES"));
    }
  }

  // ---- encodings, COPY, RENAME ----

  @BothProtocols
  void objectEncoding_intsetUpTo512_thenHashtable(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.sadd("s", members("", 512));
    assertEquals("intset", jedis.objectEncoding("s"));
    jedis.sadd("s", "512");
    assertEquals("hashtable", jedis.objectEncoding("s"));
    jedis.srem("s", members("", 510));
    assertEquals("hashtable", jedis.objectEncoding("s"));
  }

  @BothProtocols
  void objectEncoding_listpackUpTo128Members_thenHashtable(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.sadd("s", members("m", 128));
    assertEquals("listpack", jedis.objectEncoding("s"));
    jedis.sadd("s", "m128");
    assertEquals("hashtable", jedis.objectEncoding("s"));
  }

  @BothProtocols
  void objectEncoding_intsetWithStringMember_becomesListpackNotBack(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.sadd("s", "1", "2");
    assertEquals("intset", jedis.objectEncoding("s"));
    jedis.sadd("s", "01");
    assertEquals("listpack", jedis.objectEncoding("s"));
    jedis.srem("s", "01");
    assertEquals("listpack", jedis.objectEncoding("s"));
    jedis.sadd("long", "1");
    jedis.sadd("long", "x".repeat(65));
    assertEquals("hashtable", jedis.objectEncoding("long"));
    jedis.sadd("first", "a", "1");
    assertEquals("listpack", jedis.objectEncoding("first"));
  }

  @BothProtocols
  void objectEncoding_saddWithManyArgumentsCreatesHashtableAtOnce(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.sadd("ints", members("", 513));
    assertEquals("hashtable", jedis.objectEncoding("ints"));
    jedis.sadd("strs", members("m", 129));
    assertEquals("hashtable", jedis.objectEncoding("strs"));
    jedis.sadd("dups", "a");
    String[] same = new String[129];
    Arrays.fill(same, "a");
    assertEquals(0, jedis.sadd("dups", same));
    assertEquals("hashtable", jedis.objectEncoding("dups"));
  }

  @BothProtocols
  void copyAndRename_set_areIndependentAndKeepTtl(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    for (String[] initial : new String[][] {members("", 5), members("m", 5), members("m", 300)}) {
      jedis.del("src", "dst", "moved");
      jedis.sadd("src", initial);
      assertTrue(jedis.copy("src", "dst", false));
      assertEquals(jedis.objectEncoding("src"), jedis.objectEncoding("dst"));
      jedis.srem("dst", initial[0]);
      jedis.sadd("dst", "new");
      assertEquals(setOf(initial), jedis.smembers("src"));
      jedis.pexpire("src", 5_000);
      assertEquals("OK", jedis.rename("src", "moved"));
      assertEquals(setOf(initial), jedis.smembers("moved"));
      assertEquals(5_000, jedis.pttl("moved"));
      assertEquals("set", jedis.type("moved"));
    }
  }

  // ---- memory, expiry, notifications ----

  @Test
  void usedMemory_growsWithABigSet_andShrinksAfterDel() {
    Jedis jedis = jedis(RedisProtocol.RESP2);
    long before = usedMemory(jedis);
    jedis.sadd("big", members("member-with-a-long-name-", 10_000));
    long with = usedMemory(jedis);
    // each member: a 24-byte node and a 48-byte array (16 + 28..29 bytes, aligned)
    assertTrue(with - before > 10_000L * (24 + 48), "grew by " + (with - before));
    assertTrue(with - before < 10_000L * 150, "grew by " + (with - before));
    jedis.spop("big", 5000);
    assertTrue(usedMemory(jedis) < with, "SPOP frees memory");
    assertEquals(1, jedis.del("big"));
    assertEquals(before, usedMemory(jedis));
  }

  @BothProtocols
  void set_withPexpire_isGoneOnceTheClockPassesIt(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.sadd("online", "alice", "bob");
    jedis.pexpire("online", 1_000);
    server.clock().advance(Duration.ofMillis(1_001));
    assertEquals(Set.of(), jedis.smembers("online"));
    assertFalse(jedis.exists("online"));
  }

  @Test
  void notifications_followRedisEventNames() {
    Jedis jedis = jedis(RedisProtocol.RESP2);
    List<String> events =
        HashCommandsTest.events(
            () -> {
              jedis.sadd("a", "1", "2", "3");
              jedis.sadd("a", "1"); // nothing added: no event
              jedis.srem("a", "zz"); // nothing removed: no event
              jedis.srem("a", "3");
              jedis.smove("a", "b", "2");
              jedis.smove("a", "b", "1"); // empties a
              jedis.spop("b");
              jedis.sadd("c", "x", "y", "z");
              jedis.spop("c", 1);
              jedis.spop("c", 5); // the rest
              jedis.sadd("d", "1", "2");
              jedis.sadd("e", "2", "3");
              jedis.sinterstore("i", "d", "e");
              jedis.sunionstore("u", "d", "e");
              jedis.sdiffstore("f", "d", "e");
              jedis.sdiffstore("f", "d", "d"); // empty result deletes f
              jedis.sinterstore("none", "d", "nokey"); // nothing to delete: no event
            });
    assertEquals(
        List.of(
            "sadd:a",
            "srem:a",
            "srem:a",
            "sadd:b",
            "srem:a",
            "del:a",
            "sadd:b",
            "spop:b",
            "sadd:c",
            "spop:c",
            "spop:c",
            "del:c",
            "sadd:d",
            "sadd:e",
            "sinterstore:i",
            "sunionstore:u",
            "sdiffstore:f",
            "del:f"),
        events);
  }

  // ---- Lettuce, RESP3 ----

  @Test
  void lettuceResp3_setCommands_decodeAsExpected() {
    RedisClient client = server.lettuceClient(ProtocolVersion.RESP3);
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      RedisCommands<String, String> redis = connection.sync();
      assertEquals(3L, redis.sadd("s", "a", "b", "c"));
      assertEquals(Set.of("a", "b", "c"), redis.smembers("s"));
      assertEquals(List.of(true, false), redis.smismember("s", "a", "zz"));
      assertEquals(2L, redis.sintercard(2, "s", "s"));
      Set<String> popped = redis.spop("s", 2);
      assertEquals(2, popped.size());
      assertEquals(1L, redis.scard("s"));
      redis.sadd("big", members("m", 700));
      Set<String> seen = new LinkedHashSet<>();
      ValueScanCursor<String> cursor = redis.sscan("big", ScanArgs.Builder.limit(100));
      seen.addAll(cursor.getValues());
      while (!cursor.isFinished()) {
        cursor = redis.sscan("big", ScanCursor.of(cursor.getCursor()), ScanArgs.Builder.limit(100));
        seen.addAll(cursor.getValues());
      }
      assertEquals(setOf(members("m", 700)), seen);
      assertEquals(Set.of(), redis.smembers("nokey"));
    } finally {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
  }
}
