package dev.sluice.proxy.commands;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.proxy.keyspace.Keyspace;
import dev.sluice.proxy.keyspace.KeyspaceEvents;
import dev.sluice.proxy.keyspace.NotifyFlags;
import dev.sluice.proxy.testing.BothProtocols;
import dev.sluice.proxy.testing.RespSocket;
import dev.sluice.proxy.testing.RespSocket.Nil;
import io.lettuce.core.KeyValue;
import io.lettuce.core.MapScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.protocol.ProtocolVersion;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol.Command;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/** The hash commands through Jedis 5 (RESP2 and RESP3), raw sockets and Lettuce in RESP3. */
class HashCommandsTest extends JedisServerTest {
  private static final String WRONGTYPE =
      "WRONGTYPE Operation against a key holding the wrong kind of value";

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** A command's bulk reply as text, null for nil. */
  private static String bulk(Jedis jedis, Command command, String... args) {
    Object reply = jedis.sendCommand(command, args);
    return reply == null ? null : new String((byte[]) reply, StandardCharsets.UTF_8);
  }

  private static Map<String, String> hashOf(int fields) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < fields; i++) {
      map.put("f" + i, "v" + i);
    }
    return map;
  }

  /** A raw connection that said HELLO with {@code protocol}. */
  private static RespSocket raw(int protocol) {
    RespSocket socket = RespSocket.connect(server.port());
    socket.call("HELLO", Integer.toString(protocol));
    return socket;
  }

  /** The keyspace events {@code action} causes, as "event:key". */
  static List<String> events(Runnable action) {
    Keyspace keyspace = server.context().keyspace();
    List<String> events = Collections.synchronizedList(new ArrayList<>());
    keyspace.events(
        (type, event, key, db) ->
            events.add(event + ":" + new String(key, StandardCharsets.UTF_8)));
    keyspace.notifyFlags(NotifyFlags.parse("KEA"));
    try {
      action.run();
    } finally {
      keyspace.notifyFlags(0);
      keyspace.events(KeyspaceEvents.NONE);
    }
    return List.copyOf(events);
  }

  private static long usedMemory(Jedis jedis) {
    for (String line : jedis.info("memory").split("\r\n")) {
      if (line.startsWith("used_memory:")) {
        return Long.parseLong(line.substring("used_memory:".length()));
      }
    }
    throw new AssertionError("no used_memory in INFO");
  }

  // ---- HSET / HMSET / HSETNX / HGET ----

  @BothProtocols
  void hset_newAndExistingFields_countsOnlyNewOnes(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    assertEquals(2, jedis.hset("h", Map.of("a", "1", "b", "2")));
    assertEquals(1L, jedis.sendCommand(Command.HSET, "h", "a", "10", "c", "3"));
    assertEquals("10", jedis.hget("h", "a"));
    assertEquals("3", jedis.hget("h", "c"));
    assertEquals(3, jedis.hlen("h"));
    assertEquals("hash", jedis.type("h"));
  }

  @BothProtocols
  void hset_sameFieldTwiceInOneCall_lastValueWins(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    assertEquals(1L, jedis.sendCommand(Command.HSET, "h", "a", "1", "a", "2"));
    assertEquals("2", jedis.hget("h", "a"));
  }

  @BothProtocols
  void hset_unpairedArguments_isWrongArity(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    assertError(
        "ERR wrong number of arguments for 'hset' command",
        () -> jedis.sendCommand(Command.HSET, "h", "a", "1", "b"));
    assertError(
        "ERR wrong number of arguments for 'hset' command",
        () -> jedis.sendCommand(Command.HSET, "h", "a"));
    assertFalse(jedis.exists("h"));
  }

  @BothProtocols
  void hmset_setsEveryPairAndRepliesOk(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    assertEquals("OK", jedis.hmset("h", Map.of("a", "1", "b", "2")));
    assertEquals(Arrays.asList("1", "2", null), jedis.hmget("h", "a", "b", "c"));
    assertError(
        "ERR wrong number of arguments for 'hmset' command",
        () -> jedis.sendCommand(Command.HMSET, "h", "a", "1", "b"));
  }

  @BothProtocols
  void hsetnx_existingField_keepsValue_newFieldIsSet(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    assertEquals(1, jedis.hsetnx("h", "a", "1"));
    assertEquals(0, jedis.hsetnx("h", "a", "2"));
    assertEquals("1", jedis.hget("h", "a"));
    assertEquals(1, jedis.hsetnx("h", "b", "2"));
    assertEquals(Map.of("a", "1", "b", "2"), jedis.hgetAll("h"));
  }

  @BothProtocols
  void hget_missingKeyOrField_returnsNil(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    assertNull(jedis.hget("nokey", "a"));
    jedis.hset("h", "a", "1");
    assertNull(jedis.hget("h", "b"));
  }

  @BothProtocols
  void hset_binaryFieldsAndValues_roundTrip(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    byte[] field = {0, 1, -1, '\r', '\n'};
    byte[] value = new byte[256];
    for (int i = 0; i < value.length; i++) {
      value[i] = (byte) i;
    }
    assertEquals(1, jedis.hset(bytes("h"), field, value));
    assertArrayEquals(value, jedis.hget(bytes("h"), field));
    assertEquals(256, jedis.hstrlen(bytes("h"), field));
  }

  @BothProtocols
  void hset_emptyFieldAndValue_areStored(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    assertEquals(1, jedis.hset("h", "", ""));
    assertEquals("", jedis.hget("h", ""));
    assertTrue(jedis.hexists("h", ""));
    assertEquals(Map.of("", ""), jedis.hgetAll("h"));
  }

  // ---- HMGET / HGETALL / HKEYS / HVALS / HLEN / HEXISTS / HSTRLEN ----

  @BothProtocols
  void hmget_missingKey_returnsNilForEveryField(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    assertEquals(Arrays.asList(null, null), jedis.hmget("nokey", "a", "b"));
  }

  @BothProtocols
  void hgetall_returnsEveryPair_missingKeyIsEmpty(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    assertEquals(Map.of(), jedis.hgetAll("nokey"));
    jedis.hset("h", hashOf(5));
    assertEquals(hashOf(5), jedis.hgetAll("h"));
    jedis.hset("big", hashOf(300));
    assertEquals(hashOf(300), jedis.hgetAll("big"));
  }

  @Test
  void hgetall_resp3_isMap_resp2_isFlatArrayInInsertionOrder() {
    jedis(RedisProtocol.RESP2).hset("h", "a", "1");
    jedis(RedisProtocol.RESP2).hset("h", "b", "2");
    try (RespSocket resp3 = raw(3);
        RespSocket resp2 = raw(2)) {
      assertEquals(new LinkedHashMap<>(Map.of("a", "1", "b", "2")), resp3.call("HGETALL", "h"));
      assertInstanceOf(Map.class, resp3.call("HGETALL", "nokey"));
      assertEquals(Map.of(), resp3.call("HGETALL", "nokey"));
      assertEquals(List.of("a", "1", "b", "2"), resp2.call("HGETALL", "h"));
      assertEquals(List.of(), resp2.call("HGETALL", "nokey"));
    }
  }

  @BothProtocols
  void hkeysAndHvals_listpackKeepInsertionOrder(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.hset("h", "z", "1");
    jedis.hset("h", "a", "2");
    jedis.hset("h", "m", "3");
    try (RespSocket raw = raw(protocol == RedisProtocol.RESP3 ? 3 : 2)) {
      assertEquals(List.of("z", "a", "m"), raw.call("HKEYS", "h"));
      assertEquals(List.of("1", "2", "3"), raw.call("HVALS", "h"));
    }
    assertEquals(Set.of("z", "a", "m"), jedis.hkeys("h"));
    assertEquals(List.of("1", "2", "3"), jedis.hvals("h"));
    assertEquals(Set.of(), jedis.hkeys("nokey"));
    assertEquals(List.of(), jedis.hvals("nokey"));
  }

  @BothProtocols
  void hlenHexistsHstrlen_existingAndMissing(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.hset("h", Map.of("a", "hello", "b", ""));
    assertEquals(2, jedis.hlen("h"));
    assertEquals(0, jedis.hlen("nokey"));
    assertTrue(jedis.hexists("h", "a"));
    assertFalse(jedis.hexists("h", "c"));
    assertFalse(jedis.hexists("nokey", "a"));
    assertEquals(5, jedis.hstrlen("h", "a"));
    assertEquals(0, jedis.hstrlen("h", "b"));
    assertEquals(0, jedis.hstrlen("h", "c"));
    assertEquals(0, jedis.hstrlen("nokey", "a"));
  }

  // ---- HDEL ----

  @BothProtocols
  void hdel_countsRemovedFields_duplicatesOnce(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.hset("h", hashOf(3));
    assertEquals(1, jedis.hdel("h", "f0", "f0", "nope"));
    assertEquals(Map.of("f1", "v1", "f2", "v2"), jedis.hgetAll("h"));
    assertEquals(0, jedis.hdel("nokey", "a"));
  }

  @BothProtocols
  void hdel_lastField_deletesTheKey(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.hset("h", Map.of("a", "1", "b", "2"));
    assertEquals(2, jedis.hdel("h", "a", "b", "c"));
    assertFalse(jedis.exists("h"));
    assertEquals("none", jedis.type("h"));
    assertEquals(0, jedis.hlen("h"));
  }

  @BothProtocols
  void hdel_lastFieldOfHashtable_deletesTheKey(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.hset("h", hashOf(200));
    assertEquals(200, jedis.hdel("h", hashOf(200).keySet().toArray(new String[0])));
    assertFalse(jedis.exists("h"));
  }

  // ---- HINCRBY / HINCRBYFLOAT ----

  @BothProtocols
  void hincrby_missingFieldStartsAtZero_existingIsIncremented(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    assertEquals(5, jedis.hincrBy("h", "n", 5));
    assertEquals(-5, jedis.hincrBy("h", "n", -10));
    assertEquals("-5", jedis.hget("h", "n"));
    jedis.hset("h", "big", "9223372036854775806");
    assertEquals(Long.MAX_VALUE, jedis.hincrBy("h", "big", 1));
  }

  @BothProtocols
  void hincrby_errors_matchRedis(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.hset("h", Map.of("s", "abc", "max", "9223372036854775807", "sp", " 1", "z", "01"));
    assertError("ERR hash value is not an integer", () -> jedis.hincrBy("h", "s", 1));
    assertError("ERR hash value is not an integer", () -> jedis.hincrBy("h", "sp", 1));
    assertError("ERR hash value is not an integer", () -> jedis.hincrBy("h", "z", 1));
    assertError("ERR increment or decrement would overflow", () -> jedis.hincrBy("h", "max", 1));
    assertError(
        "ERR value is not an integer or out of range",
        () -> jedis.sendCommand(Command.HINCRBY, "h", "n", "1.5"));
    assertEquals("9223372036854775807", jedis.hget("h", "max"));
    assertFalse(jedis.hexists("h", "n"));
  }

  @BothProtocols
  void hincrbyfloat_formatsAsRedis(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.hset("h", Map.of("f", "10.50", "e", "5.0e3"));
    assertEquals("10.6", bulk(jedis, Command.HINCRBYFLOAT, "h", "f", "0.1"));
    assertEquals("5.6", bulk(jedis, Command.HINCRBYFLOAT, "h", "f", "-5"));
    assertEquals("5200", bulk(jedis, Command.HINCRBYFLOAT, "h", "e", "2.0e2"));
    assertEquals("3", bulk(jedis, Command.HINCRBYFLOAT, "h", "new", "3"));
    assertEquals("0.00001", bulk(jedis, Command.HINCRBYFLOAT, "h", "tiny", "1e-5"));
    assertEquals("0.3", bulk(jedis, Command.HINCRBYFLOAT, "h", "new", "-2.7"));
    assertEquals("0.3", jedis.hget("h", "new"));
    assertEquals(1.3, jedis.hincrByFloat("h", "new", 1.0));
  }

  @BothProtocols
  void hincrbyfloat_errors_matchRedis(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.hset("h", Map.of("s", "abc", "huge", "1e4932", "sp", " 1"));
    assertError(
        "ERR hash value is not a float",
        () -> jedis.sendCommand(Command.HINCRBYFLOAT, "h", "s", "1"));
    assertError(
        "ERR hash value is not a float",
        () -> jedis.sendCommand(Command.HINCRBYFLOAT, "h", "sp", "1"));
    assertError(
        "ERR value is not a valid float",
        () -> jedis.sendCommand(Command.HINCRBYFLOAT, "h", "n", "abc"));
    assertError(
        "ERR value is not a valid float",
        () -> jedis.sendCommand(Command.HINCRBYFLOAT, "h", "n", "nan"));
    assertError(
        "ERR value is NaN or Infinity",
        () -> jedis.sendCommand(Command.HINCRBYFLOAT, "h", "n", "inf"));
    assertError(
        "ERR increment would produce NaN or Infinity",
        () -> jedis.sendCommand(Command.HINCRBYFLOAT, "h", "huge", "1e4932"));
    assertEquals("1e4932", jedis.hget("h", "huge"));
    assertFalse(jedis.hexists("h", "n"));
  }

  @BothProtocols
  void hincrbyfloat_onMissingKeyWithInfinity_createsNothing(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.set("str", "x");
    // the increment is checked before the key: Redis says NaN/Infinity even for a string key
    assertError(
        "ERR value is NaN or Infinity",
        () -> jedis.sendCommand(Command.HINCRBYFLOAT, "str", "n", "-inf"));
    assertError(
        "ERR value is NaN or Infinity",
        () -> jedis.sendCommand(Command.HINCRBYFLOAT, "h", "n", "+inf"));
    assertFalse(jedis.exists("h"));
  }

  // ---- WRONGTYPE ----

  @BothProtocols
  void everyHashCommand_onStringKey_isWrongType(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.set("s", "value");
    String[][] calls = {
      {"HSET", "s", "f", "v"},
      {"HMSET", "s", "f", "v"},
      {"HSETNX", "s", "f", "v"},
      {"HGET", "s", "f"},
      {"HMGET", "s", "f"},
      {"HGETALL", "s"},
      {"HKEYS", "s"},
      {"HVALS", "s"},
      {"HDEL", "s", "f"},
      {"HEXISTS", "s", "f"},
      {"HLEN", "s"},
      {"HSTRLEN", "s", "f"},
      {"HINCRBY", "s", "f", "1"},
      {"HINCRBYFLOAT", "s", "f", "1"},
      {"HRANDFIELD", "s"},
      {"HRANDFIELD", "s", "2"},
      {"HSCAN", "s", "0"},
      {"HSCAN", "s", "0", "BOGUS"},
    };
    for (String[] call : calls) {
      assertError(
          WRONGTYPE,
          () ->
              jedis.sendCommand(
                  Command.valueOf(call[0]), Arrays.copyOfRange(call, 1, call.length)));
    }
    assertEquals("value", jedis.get("s"));
  }

  @BothProtocols
  void stringCommands_onHashKey_areWrongType(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.hset("h", "a", "1");
    assertError(WRONGTYPE, () -> jedis.get("h"));
    assertError(WRONGTYPE, () -> jedis.incr("h"));
    assertError(WRONGTYPE, () -> jedis.sadd("h", "x"));
  }

  // ---- HRANDFIELD ----

  @BothProtocols
  void hrandfield_noCount_returnsAFieldOrNil(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    assertNull(jedis.hrandfield("nokey"));
    jedis.hset("h", hashOf(3));
    for (int i = 0; i < 20; i++) {
      assertTrue(hashOf(3).containsKey(jedis.hrandfield("h")));
    }
  }

  @BothProtocols
  void hrandfield_positiveCount_returnsDistinctFields(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    for (int size : new int[] {10, 1000}) {
      jedis.del("h");
      jedis.hset("h", hashOf(size));
      for (int count : new int[] {1, 3, size / 2, size - 1}) {
        List<String> fields = jedis.hrandfield("h", count);
        assertEquals(count, fields.size());
        assertEquals(count, new HashSet<>(fields).size(), "distinct");
        assertTrue(hashOf(size).keySet().containsAll(fields));
      }
      assertEquals(hashOf(size).keySet(), new HashSet<>(jedis.hrandfield("h", size + 5)));
    }
  }

  @BothProtocols
  void hrandfield_negativeCount_returnsExactlyThatManyWithRepeats(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.hset("h", hashOf(2));
    List<String> fields = jedis.hrandfield("h", -50);
    assertEquals(50, fields.size());
    assertEquals(Set.of("f0", "f1"), new HashSet<>(fields));
  }

  @BothProtocols
  void hrandfield_withValues_pairsMatchTheHash(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.hset("h", hashOf(200));
    for (long count : new long[] {5, -30, 500}) {
      List<Map.Entry<String, String>> pairs = jedis.hrandfieldWithValues("h", count);
      assertEquals(count == 500 ? 200 : Math.abs(count), pairs.size());
      for (Map.Entry<String, String> pair : pairs) {
        assertEquals(hashOf(200).get(pair.getKey()), pair.getValue());
      }
    }
  }

  @BothProtocols
  void hrandfield_zeroCountOrMissingKey_returnsEmptyArray(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.hset("h", "a", "1");
    assertEquals(List.of(), jedis.hrandfield("h", 0));
    assertEquals(List.of(), jedis.hrandfield("nokey", 5));
    assertEquals(List.of(), jedis.hrandfieldWithValues("nokey", -5));
  }

  @Test
  void hrandfield_withValues_resp3NestsPairs_resp2IsFlat() {
    jedis(RedisProtocol.RESP2).hset("h", "a", "1");
    try (RespSocket resp3 = raw(3);
        RespSocket resp2 = raw(2)) {
      assertEquals(List.of(List.of("a", "1")), resp3.call("HRANDFIELD", "h", "1", "WITHVALUES"));
      assertEquals(
          List.of(List.of("a", "1"), List.of("a", "1")),
          resp3.call("HRANDFIELD", "h", "-2", "WITHVALUES"));
      assertEquals(List.of("a", "1", "a", "1"), resp2.call("HRANDFIELD", "h", "-2", "WITHVALUES"));
      assertEquals(List.of("a", "a"), resp3.call("HRANDFIELD", "h", "-2"));
      assertEquals(Nil.NULL, resp3.call("HRANDFIELD", "nokey"));
      assertEquals(Nil.BULK, resp2.call("HRANDFIELD", "nokey"));
      assertEquals(List.of(), resp3.call("HRANDFIELD", "nokey", "3", "WITHVALUES"));
    }
  }

  @BothProtocols
  void hrandfield_badArguments_failWithRedisMessages(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.hset("h", "a", "1");
    assertError(
        "ERR value is not an integer or out of range",
        () -> jedis.sendCommand(Command.HRANDFIELD, "h", "x"));
    assertError(
        "ERR value is out of range, value must between -9223372036854775807 and"
            + " 9223372036854775807",
        () -> jedis.sendCommand(Command.HRANDFIELD, "h", "-9223372036854775808"));
    assertError("ERR syntax error", () -> jedis.sendCommand(Command.HRANDFIELD, "h", "1", "x"));
    assertError(
        "ERR syntax error",
        () -> jedis.sendCommand(Command.HRANDFIELD, "h", "1", "WITHVALUES", "x"));
    assertError(
        "ERR value is out of range",
        () -> jedis.sendCommand(Command.HRANDFIELD, "h", "-4611686018427387904", "WITHVALUES"));
    assertError(
        "ERR value is out of range",
        () -> jedis.sendCommand(Command.HRANDFIELD, "h", "4611686018427387904", "WITHVALUES"));
    // a range error is reported even for a missing key: arguments come first
    assertError("ERR syntax error", () -> jedis.sendCommand(Command.HRANDFIELD, "nokey", "1", "x"));
  }

  // ---- HSCAN ----

  @BothProtocols
  void hscan_listpack_returnsEverythingInOneCallWithCursorZero(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.hset("h", hashOf(50));
    ScanResult<Map.Entry<String, String>> result = jedis.hscan("h", "0", new ScanParams().count(1));
    assertEquals("0", result.getCursor());
    Map<String, String> seen = new HashMap<>();
    result.getResult().forEach(e -> seen.put(e.getKey(), e.getValue()));
    assertEquals(hashOf(50), seen);
  }

  @BothProtocols
  void hscan_matchAndNoValues_filterFieldsAndDropValues(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.hset("h", Map.of("user:1", "a", "user:2", "b", "other", "c"));
    ScanResult<Map.Entry<String, String>> matched =
        jedis.hscan("h", "0", new ScanParams().match("user:*"));
    Map<String, String> seen = new HashMap<>();
    matched.getResult().forEach(e -> seen.put(e.getKey(), e.getValue()));
    assertEquals(Map.of("user:1", "a", "user:2", "b"), seen);
    ScanResult<String> fields = jedis.hscanNoValues("h", "0", new ScanParams());
    assertEquals(Set.of("user:1", "user:2", "other"), new HashSet<>(fields.getResult()));
    assertEquals(3, fields.getResult().size());
  }

  @BothProtocols
  void hscan_hashtableOf1000Fields_returnsEveryFieldAcrossCalls(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.hset("h", hashOf(1000));
    assertEquals("hashtable", jedis.objectEncoding("h"));
    Map<String, String> seen = new HashMap<>();
    String cursor = "0";
    int calls = 0;
    do {
      ScanResult<Map.Entry<String, String>> page = jedis.hscan("h", cursor);
      page.getResult().forEach(e -> seen.put(e.getKey(), e.getValue()));
      assertTrue(page.getResult().size() < 200, "COUNT 10 pages stay small");
      cursor = page.getCursor();
      calls++;
    } while (!cursor.equals("0"));
    assertEquals(hashOf(1000), seen);
    assertTrue(calls > 10, "a big hash takes several calls: " + calls);
  }

  @BothProtocols
  void hscan_hashtableWithWritesBetweenCalls_returnsEveryFieldPresentThroughout(
      RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.hset("h", hashOf(1000));
    Set<String> seen = new HashSet<>();
    String cursor = "0";
    int calls = 0;
    do {
      ScanResult<String> page = jedis.hscanNoValues("h", cursor, new ScanParams().count(20));
      seen.addAll(page.getResult());
      cursor = page.getCursor();
      if (++calls == 3) {
        Map<String, String> more = new HashMap<>();
        for (int i = 0; i < 3000; i++) {
          more.put("extra" + i, "x");
        }
        jedis.hset("h", more); // the table grows twice over in the middle of the scan
      }
    } while (!cursor.equals("0"));
    assertTrue(seen.containsAll(hashOf(1000).keySet()));
  }

  @BothProtocols
  void hscan_hashtableWithMatch_returnsOnlyMatchingFields(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.hset("h", hashOf(1000));
    Set<String> seen = new HashSet<>();
    String cursor = "0";
    do {
      ScanResult<Map.Entry<String, String>> page =
          jedis.hscan("h", cursor, new ScanParams().match("f9*").count(100));
      page.getResult().forEach(e -> seen.add(e.getKey()));
      cursor = page.getCursor();
    } while (!cursor.equals("0"));
    Set<String> expected = new HashSet<>();
    for (String field : hashOf(1000).keySet()) {
      if (field.startsWith("f9")) {
        expected.add(field);
      }
    }
    assertEquals(expected, seen);
  }

  @BothProtocols
  void hscan_missingKey_returnsEmptyPageWhateverTheOptions(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    ScanResult<Map.Entry<String, String>> result = jedis.hscan("nokey", "0");
    assertEquals("0", result.getCursor());
    assertEquals(List.of(), result.getResult());
    try (RespSocket raw = raw(protocol == RedisProtocol.RESP3 ? 3 : 2)) {
      assertEquals(List.of("0", List.of()), raw.call("HSCAN", "nokey", "0", "COUNT", "0"));
      assertEquals(List.of("0", List.of()), raw.call("HSCAN", "nokey", "0", "BOGUS"));
    }
  }

  @BothProtocols
  void hscan_badArguments_failWithRedisMessages(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.hset("h", "a", "1");
    assertError("ERR invalid cursor", () -> jedis.sendCommand(Command.HSCAN, "h", "x"));
    assertError("ERR invalid cursor", () -> jedis.sendCommand(Command.HSCAN, "nokey", "-1"));
    assertError(
        "ERR invalid cursor", () -> jedis.sendCommand(Command.HSCAN, "h", "18446744073709551616"));
    assertError("ERR syntax error", () -> jedis.sendCommand(Command.HSCAN, "h", "0", "COUNT", "0"));
    assertError(
        "ERR value is not an integer or out of range",
        () -> jedis.sendCommand(Command.HSCAN, "h", "0", "COUNT", "x"));
    assertError("ERR syntax error", () -> jedis.sendCommand(Command.HSCAN, "h", "0", "MATCH"));
    assertError("ERR syntax error", () -> jedis.sendCommand(Command.HSCAN, "h", "0", "foo", "1"));
  }

  @BothProtocols
  void hscan_largestCursor_isAccepted(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.hset("h", "a", "1");
    ScanResult<Map.Entry<String, String>> result = jedis.hscan("h", "18446744073709551615");
    assertEquals("0", result.getCursor());
    assertEquals(1, result.getResult().size());
  }

  // ---- encodings, TYPE, COPY, RENAME ----

  @BothProtocols
  void objectEncoding_switchesAt128FieldsAnd64Bytes_andNeverGoesBack(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.hset("h", hashOf(128));
    assertEquals("listpack", jedis.objectEncoding("h"));
    jedis.hset("h", "f0", "changed");
    assertEquals("listpack", jedis.objectEncoding("h"));
    jedis.hset("h", "f128", "v");
    assertEquals("hashtable", jedis.objectEncoding("h"));
    List<String> all = new ArrayList<>(hashOf(129).keySet());
    jedis.hdel("h", all.subList(1, 129).toArray(new String[0]));
    assertEquals(1, jedis.hlen("h"));
    assertEquals("hashtable", jedis.objectEncoding("h"));

    jedis.hset("v", "f", "x".repeat(64));
    assertEquals("listpack", jedis.objectEncoding("v"));
    jedis.hset("v", "f", "x".repeat(65));
    assertEquals("hashtable", jedis.objectEncoding("v"));

    jedis.hset("k", "x".repeat(65), "1");
    assertEquals("hashtable", jedis.objectEncoding("k"));
  }

  @BothProtocols
  void objectEncoding_hsetWithMoreThan128Pairs_convertsEvenWithDuplicates(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    String[] args = new String[1 + 2 * 129];
    args[0] = "h";
    for (int i = 0; i < 129; i++) {
      args[1 + 2 * i] = "same";
      args[2 + 2 * i] = "v" + i;
    }
    assertEquals(1L, jedis.sendCommand(Command.HSET, args));
    assertEquals("hashtable", jedis.objectEncoding("h"));
    assertEquals("v128", jedis.hget("h", "same"));
  }

  @BothProtocols
  void objectEncoding_hincrbyfloatOnLongField_converts(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.hset("h", "a", "1");
    jedis.hincrBy("h", "x".repeat(65), 1);
    assertEquals("hashtable", jedis.objectEncoding("h"));
  }

  @BothProtocols
  void copy_hash_isIndependentOfTheOriginal(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    for (int size : new int[] {3, 300}) {
      jedis.del("src", "dst");
      jedis.hset("src", hashOf(size));
      assertTrue(jedis.copy("src", "dst", false));
      assertEquals(jedis.objectEncoding("src"), jedis.objectEncoding("dst"));
      jedis.hset("dst", "f0", "changed");
      jedis.hdel("dst", "f1");
      assertEquals(hashOf(size), jedis.hgetAll("src"));
      assertEquals("changed", jedis.hget("dst", "f0"));
      assertEquals("hash", jedis.type("dst"));
    }
  }

  @BothProtocols
  void rename_hash_movesValueAndTtl(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.hset("a", hashOf(3));
    jedis.pexpire("a", 10_000);
    assertEquals("OK", jedis.rename("a", "b"));
    assertFalse(jedis.exists("a"));
    assertEquals(hashOf(3), jedis.hgetAll("b"));
    assertEquals(10_000, jedis.pttl("b"));
    jedis.hset("b", "new", "1"); // the moved value still changes in place
    assertEquals(4, jedis.hlen("b"));
  }

  // ---- memory, expiry, notifications ----

  @Test
  void usedMemory_growsWithABigHash_andShrinksAfterDel() {
    Jedis jedis = jedis(RedisProtocol.RESP2);
    long before = usedMemory(jedis);
    Map<String, String> fields = new HashMap<>();
    for (int i = 0; i < 10_000; i++) {
      fields.put("field:" + i, "x".repeat(100));
    }
    jedis.hset("big", fields);
    long with = usedMemory(jedis);
    // at least the 10,000 value arrays of 116 bytes and the field arrays
    assertTrue(with - before > 10_000L * (116 + 24), "grew by " + (with - before));
    assertTrue(with - before < 10_000L * 300, "grew by " + (with - before));
    jedis.hdel("big", "field:0", "field:1");
    long fewer = usedMemory(jedis);
    assertTrue(fewer < with, "HDEL frees memory: " + with + " -> " + fewer);
    assertEquals(1, jedis.del("big"));
    assertEquals(before, usedMemory(jedis));
  }

  @Test
  void usedMemory_updatesWhenAFieldGrowsInPlace() {
    Jedis jedis = jedis(RedisProtocol.RESP2);
    jedis.hset("h", "f", "small");
    long before = usedMemory(jedis);
    jedis.hset("h", "f", "y".repeat(10_000));
    assertTrue(usedMemory(jedis) - before >= 9_900, "value growth is counted");
  }

  @BothProtocols
  void sessionStore_hashWithPexpire_isGoneOnceTheClockPassesIt(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.hset("session:42", Map.of("user", "alice", "cart", "3 items", "csrf", "t0k3n"));
    assertEquals(1, jedis.pexpire("session:42", 30_000));
    server.clock().advance(Duration.ofMillis(29_000));
    assertEquals("alice", jedis.hget("session:42", "user"));
    assertEquals(1, jedis.hincrBy("session:42", "views", 1)); // a write keeps the TTL
    assertEquals(1_000, jedis.pttl("session:42"));
    server.clock().advance(Duration.ofMillis(1_001));
    assertEquals(Map.of(), jedis.hgetAll("session:42"));
    assertFalse(jedis.exists("session:42"));
    assertNull(jedis.hget("session:42", "user"));
  }

  @Test
  void notifications_followRedisEventNames() {
    Jedis jedis = jedis(RedisProtocol.RESP2);
    List<String> events =
        events(
            () -> {
              jedis.hset("h", Map.of("a", "1"));
              jedis.hsetnx("h", "a", "2"); // nothing set: no event
              jedis.hsetnx("h", "b", "2");
              jedis.hmset("h", Map.of("c", "3"));
              jedis.hincrBy("h", "n", 1);
              jedis.hincrByFloat("h", "x", 1.5);
              jedis.hdel("h", "nope"); // nothing deleted: no event
              jedis.hdel("h", "a", "b", "c", "n");
              jedis.hdel("h", "x");
            });
    assertEquals(
        List.of(
            "hset:h",
            "hset:h",
            "hset:h",
            "hincrby:h",
            "hincrbyfloat:h",
            "hdel:h",
            "hdel:h",
            "del:h"),
        events);
  }

  // ---- Lettuce, RESP3 ----

  @Test
  void lettuceResp3_hashCommands_decodeAsExpected() {
    RedisClient client = server.lettuceClient(ProtocolVersion.RESP3);
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      RedisCommands<String, String> redis = connection.sync();
      assertEquals(2L, redis.hset("h", Map.of("a", "1", "b", "2")));
      assertEquals(Map.of("a", "1", "b", "2"), redis.hgetall("h"));
      assertEquals(
          List.of(KeyValue.just("a", "1"), KeyValue.empty("zz")), redis.hmget("h", "a", "zz"));
      assertEquals(3.5, redis.hincrbyfloat("h", "f", 3.5));
      List<KeyValue<String, String>> pairs = redis.hrandfieldWithvalues("h", -4);
      assertEquals(4, pairs.size());
      for (KeyValue<String, String> pair : pairs) {
        assertEquals(redis.hget("h", pair.getKey()), pair.getValue());
      }
      Map<String, String> big = hashOf(500);
      redis.hset("big", big);
      Map<String, String> seen = new HashMap<>();
      MapScanCursor<String, String> cursor = redis.hscan("big", ScanArgs.Builder.limit(50));
      seen.putAll(cursor.getMap());
      while (!cursor.isFinished()) {
        cursor = redis.hscan("big", ScanCursor.of(cursor.getCursor()), ScanArgs.Builder.limit(50));
        seen.putAll(cursor.getMap());
      }
      assertEquals(big, seen);
      assertEquals(Map.of(), redis.hgetall("nokey"));
    } finally {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
  }
}
