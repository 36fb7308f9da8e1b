package dev.sluice.proxy.commands;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.proxy.keyspace.Keyspace;
import dev.sluice.proxy.keyspace.NotifyFlags;
import dev.sluice.proxy.testing.BothProtocols;
import dev.sluice.proxy.testing.RespSocket;
import dev.sluice.proxy.testing.RespSocket.Nil;
import dev.sluice.proxy.testing.RespSocket.Simple;
import io.lettuce.core.KeyValue;
import io.lettuce.core.LMPopArgs;
import io.lettuce.core.LMoveArgs;
import io.lettuce.core.LPosArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.protocol.ProtocolVersion;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.args.ListDirection;
import redis.clients.jedis.args.ListPosition;
import redis.clients.jedis.params.LPosParams;

/** The list commands through Jedis 5 (RESP2 and RESP3), Lettuce (RESP3) and a raw socket. */
class ListCommandsTest extends JedisServerTest {
  private static final String WRONGTYPE =
      "WRONGTYPE Operation against a key holding the wrong kind of value";

  private static RedisClient lettuceClient;
  private static StatefulRedisConnection<String, String> lettuce;

  @BeforeAll
  static void connectLettuce() {
    lettuceClient = server.lettuceClient(ProtocolVersion.RESP3);
    lettuce = server.lettuce(lettuceClient);
  }

  @AfterAll
  static void closeLettuce() {
    lettuce.close();
    lettuceClient.shutdown(Duration.ZERO, Duration.ofSeconds(2));
  }

  private static Object raw(Jedis jedis, Protocol.Command command, String... args) {
    Object reply = jedis.sendCommand(command, args);
    return reply instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : reply;
  }

  /** Runs {@code action} with every keyspace event recorded as "event:key". */
  private static List<String> events(Runnable action) {
    List<String> events = Collections.synchronizedList(new ArrayList<>());
    Keyspace keyspace = server.context().keyspace();
    keyspace.events(
        (type, event, key, db) ->
            events.add(event + ":" + new String(key, StandardCharsets.UTF_8)));
    keyspace.notifyFlags(NotifyFlags.ALL | NotifyFlags.KEYEVENT);
    try {
      action.run();
    } finally {
      keyspace.notifyFlags(0);
    }
    return List.copyOf(events);
  }

  // ---- LPUSH / RPUSH / LPUSHX / RPUSHX ----

  @BothProtocols
  void lpush_severalElements_prependsEachInTurn(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    assertEquals(3, jedis.lpush("l", "a", "b", "c"));
    assertEquals(List.of("c", "b", "a"), jedis.lrange("l", 0, -1));
    assertEquals(4, jedis.lpush("l", "d"));
    assertEquals("list", jedis.type("l"));
  }

  @BothProtocols
  void rpush_severalElements_appendsInOrder(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    assertEquals(3, jedis.rpush("l", "a", "b", "c"));
    assertEquals(5, jedis.rpush("l", "d", "e"));
    assertEquals(List.of("a", "b", "c", "d", "e"), jedis.lrange("l", 0, -1));
  }

  @BothProtocols
  void push_binaryElements_roundTripEveryByte(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    byte[] element = new byte[256];
    for (int i = 0; i < element.length; i++) {
      element[i] = (byte) i;
    }
    byte[] empty = new byte[0];
    jedis.rpush("l".getBytes(StandardCharsets.UTF_8), element, empty);
    List<byte[]> range = jedis.lrange("l".getBytes(StandardCharsets.UTF_8), 0, -1);
    assertArrayEquals(element, range.get(0));
    assertArrayEquals(empty, range.get(1));
  }

  @BothProtocols
  void pushx_missingKey_returnsZeroAndCreatesNothing(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    assertEquals(0, jedis.lpushx("l", "a", "b"));
    assertEquals(0, jedis.rpushx("l", "a"));
    assertFalse(jedis.exists("l"));
  }

  @BothProtocols
  void pushx_existingList_pushes(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.rpush("l", "m");
    assertEquals(3, jedis.lpushx("l", "b", "a"));
    assertEquals(5, jedis.rpushx("l", "y", "z"));
    assertEquals(List.of("a", "b", "m", "y", "z"), jedis.lrange("l", 0, -1));
  }

  @BothProtocols
  void push_onString_isWrongType(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.set("s", "v");
    assertError(WRONGTYPE, () -> jedis.lpush("s", "a"));
    assertError(WRONGTYPE, () -> jedis.rpush("s", "a"));
    assertError(WRONGTYPE, () -> jedis.lpushx("s", "a"));
    assertEquals("v", jedis.get("s"));
  }

  @BothProtocols
  void lpush_withoutElement_isArityError(RedisProtocol protocol) {
    assertError(
        "ERR wrong number of arguments for 'lpush' command",
        () -> jedis(protocol).sendCommand(Protocol.Command.LPUSH, "l"));
  }

  // ---- LPOP / RPOP ----

  @BothProtocols
  void lpop_single_returnsHeadAndDeletesEmptiedList(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.rpush("l", "a", "b");
    assertEquals("a", jedis.lpop("l"));
    assertEquals("b", jedis.rpop("l"));
    assertFalse(jedis.exists("l"));
    assertNull(jedis.lpop("l"));
    assertNull(jedis.rpop("l"));
  }

  @BothProtocols
  void pop_withCount_returnsUpToCountInPopOrder(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.rpush("l", "a", "b", "c", "d", "e");
    assertEquals(List.of("a", "b"), jedis.lpop("l", 2));
    assertEquals(List.of("e", "d"), jedis.rpop("l", 2));
    assertEquals(List.of("c"), jedis.rpop("l", 10));
    assertFalse(jedis.exists("l"));
  }

  @BothProtocols
  void pop_countZero_returnsEmptyArrayAndKeepsList(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.rpush("l", "a");
    assertEquals(List.of(), jedis.lpop("l", 0));
    assertEquals(1, jedis.llen("l"));
  }

  @BothProtocols
  void pop_countOnMissingKey_isNilArray(RedisProtocol protocol) {
    assertNull(jedis(protocol).lpop("missing", 2));
    assertNull(jedis(protocol).rpop("missing", 0));
  }

  @Test
  void pop_missingKey_isNilBulkOrNilArrayOnTheWire() {
    try (RespSocket resp2 = RespSocket.connect(server.port());
        RespSocket resp3 = RespSocket.connect(server.port())) {
      assertEquals(Nil.BULK, resp2.call("LPOP", "missing"));
      assertEquals(Nil.ARRAY, resp2.call("LPOP", "missing", "2"));
      resp3.call("HELLO", "3");
      assertEquals(Nil.NULL, resp3.call("RPOP", "missing"));
      assertEquals(Nil.NULL, resp3.call("RPOP", "missing", "2"));
    }
  }

  @BothProtocols
  void pop_badCount_isPositiveRangeError(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.rpush("l", "a");
    assertError(
        "ERR value is out of range, must be positive",
        () -> jedis.sendCommand(Protocol.Command.LPOP, "l", "-1"));
    assertError(
        "ERR value is out of range, must be positive",
        () -> jedis.sendCommand(Protocol.Command.RPOP, "l", "x"));
    assertError(
        "ERR wrong number of arguments for 'lpop' command",
        () -> jedis.sendCommand(Protocol.Command.LPOP, "l", "1", "2"));
    assertEquals(1, jedis.llen("l"));
  }

  @BothProtocols
  void pop_onString_isWrongType(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.set("s", "v");
    assertError(WRONGTYPE, () -> jedis.lpop("s"));
    assertError(WRONGTYPE, () -> jedis.rpop("s", 2));
  }

  // ---- LRANGE / LLEN / LINDEX ----

  @BothProtocols
  void lrange_indexes_followRedisClamping(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.rpush("l", "a", "b", "c", "d", "e");
    assertEquals(List.of("a", "b", "c"), jedis.lrange("l", 0, 2));
    assertEquals(List.of("c", "d", "e"), jedis.lrange("l", -3, -1));
    assertEquals(List.of("a", "b", "c", "d", "e"), jedis.lrange("l", -100, 100));
    assertEquals(List.of(), jedis.lrange("l", 3, 1));
    assertEquals(List.of(), jedis.lrange("l", 5, 10));
    assertEquals(List.of(), jedis.lrange("l", -1, -100));
    assertEquals(List.of("e"), jedis.lrange("l", -1, -1));
    assertEquals(List.of("a", "b", "c", "d", "e"), jedis.lrange("l", 0, Long.MAX_VALUE));
    assertEquals(List.of(), jedis.lrange("l", Long.MIN_VALUE, Long.MIN_VALUE));
  }

  @BothProtocols
  void lrange_missingKeyAndBadIndex(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    assertEquals(List.of(), jedis.lrange("missing", 0, -1));
    assertError(
        "ERR value is not an integer or out of range",
        () -> jedis.sendCommand(Protocol.Command.LRANGE, "missing", "a", "1"));
    jedis.set("s", "v");
    assertError(WRONGTYPE, () -> jedis.lrange("s", 0, -1));
  }

  @BothProtocols
  void llen_countsElements(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    assertEquals(0, jedis.llen("missing"));
    jedis.rpush("l", "a", "b", "c");
    assertEquals(3, jedis.llen("l"));
    jedis.set("s", "v");
    assertError(WRONGTYPE, () -> jedis.llen("s"));
  }

  @BothProtocols
  void lindex_positiveAndNegativeIndexes(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.rpush("l", "a", "b", "c");
    assertEquals("a", jedis.lindex("l", 0));
    assertEquals("c", jedis.lindex("l", 2));
    assertEquals("c", jedis.lindex("l", -1));
    assertEquals("a", jedis.lindex("l", -3));
    assertNull(jedis.lindex("l", 3));
    assertNull(jedis.lindex("l", -4));
    assertNull(jedis.lindex("missing", 0));
  }

  @BothProtocols
  void lindex_keyCheckedBeforeIndex(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    // Redis looks the key up first: a missing key answers nil even for a bad index
    assertNull(raw(jedis, Protocol.Command.LINDEX, "missing", "x"));
    jedis.rpush("l", "a");
    assertError(
        "ERR value is not an integer or out of range",
        () -> jedis.sendCommand(Protocol.Command.LINDEX, "l", "x"));
    jedis.set("s", "v");
    assertError(WRONGTYPE, () -> jedis.sendCommand(Protocol.Command.LINDEX, "s", "x"));
  }

  // ---- LSET ----

  @BothProtocols
  void lset_replacesElement(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.rpush("l", "a", "b", "c");
    assertEquals("OK", jedis.lset("l", 0, "A"));
    assertEquals("OK", jedis.lset("l", -1, "C"));
    assertEquals(List.of("A", "b", "C"), jedis.lrange("l", 0, -1));
  }

  @BothProtocols
  void lset_errors(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    assertError("ERR no such key", () -> jedis.lset("missing", 0, "x"));
    jedis.rpush("l", "a");
    assertError("ERR index out of range", () -> jedis.lset("l", 1, "x"));
    assertError("ERR index out of range", () -> jedis.lset("l", -2, "x"));
    assertError(
        "ERR value is not an integer or out of range",
        () -> jedis.sendCommand(Protocol.Command.LSET, "l", "x", "v"));
    jedis.set("s", "v");
    assertError(WRONGTYPE, () -> jedis.lset("s", 0, "x"));
    assertEquals(List.of("a"), jedis.lrange("l", 0, -1));
  }

  // ---- LINSERT ----

  @BothProtocols
  void linsert_beforeAndAfterFirstPivot(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.rpush("l", "a", "b", "a");
    assertEquals(4, jedis.linsert("l", ListPosition.BEFORE, "a", "X"));
    assertEquals(5, jedis.linsert("l", ListPosition.AFTER, "a", "Y"));
    assertEquals(6, jedis.linsert("l", ListPosition.AFTER, "b", "Z"));
    assertEquals(List.of("X", "a", "Y", "b", "Z", "a"), jedis.lrange("l", 0, -1));
  }

  @BothProtocols
  void linsert_missingPivotOrKey(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    assertEquals(0, jedis.linsert("missing", ListPosition.BEFORE, "a", "x"));
    assertFalse(jedis.exists("missing"));
    jedis.rpush("l", "a");
    assertEquals(-1, jedis.linsert("l", ListPosition.BEFORE, "zz", "x"));
    assertError(
        "ERR syntax error",
        () -> jedis.sendCommand(Protocol.Command.LINSERT, "l", "middle", "a", "x"));
    jedis.set("s", "v");
    assertError(WRONGTYPE, () -> jedis.linsert("s", ListPosition.AFTER, "a", "x"));
  }

  // ---- LREM ----

  @BothProtocols
  void lrem_positiveNegativeAndZeroCount(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.rpush("l", "a", "b", "a", "c", "a", "b");
    assertEquals(1, jedis.lrem("l", 1, "a"));
    assertEquals(List.of("b", "a", "c", "a", "b"), jedis.lrange("l", 0, -1));
    assertEquals(1, jedis.lrem("l", -1, "a"));
    assertEquals(List.of("b", "a", "c", "b"), jedis.lrange("l", 0, -1));
    assertEquals(2, jedis.lrem("l", 0, "b"));
    assertEquals(List.of("a", "c"), jedis.lrange("l", 0, -1));
    assertEquals(0, jedis.lrem("l", 0, "zz"));
  }

  @BothProtocols
  void lrem_lastElements_deleteTheKey(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.rpush("l", "a", "a");
    assertEquals(2, jedis.lrem("l", Long.MIN_VALUE, "a"));
    assertFalse(jedis.exists("l"));
    assertEquals(0, jedis.lrem("l", 0, "a"));
    assertError(
        "ERR value is not an integer or out of range",
        () -> jedis.sendCommand(Protocol.Command.LREM, "l", "x", "a"));
  }

  // ---- LTRIM ----

  @BothProtocols
  void ltrim_keepsRange(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.rpush("l", "a", "b", "c", "d", "e");
    assertEquals("OK", jedis.ltrim("l", 1, -2));
    assertEquals(List.of("b", "c", "d"), jedis.lrange("l", 0, -1));
    assertEquals("OK", jedis.ltrim("l", -2, 100));
    assertEquals(List.of("c", "d"), jedis.lrange("l", 0, -1));
  }

  @BothProtocols
  void ltrim_emptyRange_deletesKey(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.rpush("l", "a", "b");
    assertEquals("OK", jedis.ltrim("l", 5, 10));
    assertFalse(jedis.exists("l"));
    jedis.rpush("l", "a", "b");
    assertEquals("OK", jedis.ltrim("l", 0, -3));
    assertFalse(jedis.exists("l"));
    assertEquals("OK", jedis.ltrim("missing", 0, 1));
  }

  @BothProtocols
  void ltrim_badIndexBeforeTypeCheck(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.set("s", "v");
    assertError(
        "ERR value is not an integer or out of range",
        () -> jedis.sendCommand(Protocol.Command.LTRIM, "s", "x", "1"));
    assertError(WRONGTYPE, () -> jedis.ltrim("s", 0, 1));
  }

  // ---- LPOS ----

  @BothProtocols
  void lpos_rankCountAndMaxlen(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.rpush("l", "a", "b", "c", "a", "b", "a");
    assertEquals(0, jedis.lpos("l", "a"));
    assertEquals(3, jedis.lpos("l", "a", LPosParams.lPosParams().rank(2)));
    assertEquals(5, jedis.lpos("l", "a", LPosParams.lPosParams().rank(-1)));
    assertEquals(3, jedis.lpos("l", "a", LPosParams.lPosParams().rank(-2)));
    assertNull(jedis.lpos("l", "a", LPosParams.lPosParams().rank(4)));
    assertEquals(List.of(0L, 3L, 5L), jedis.lpos("l", "a", LPosParams.lPosParams(), 0));
    assertEquals(List.of(0L, 3L), jedis.lpos("l", "a", LPosParams.lPosParams(), 2));
    assertEquals(List.of(3L, 5L), jedis.lpos("l", "a", LPosParams.lPosParams().rank(2), 0));
    assertEquals(List.of(5L, 3L, 0L), jedis.lpos("l", "a", LPosParams.lPosParams().rank(-1), 0));
    assertEquals(List.of(0L, 3L), jedis.lpos("l", "a", LPosParams.lPosParams().maxlen(5), 0));
    assertNull(jedis.lpos("l", "b", LPosParams.lPosParams().maxlen(1)));
    assertEquals(List.of(), jedis.lpos("l", "zz", LPosParams.lPosParams(), 0));
    assertNull(jedis.lpos("l", "zz"));
  }

  @BothProtocols
  void lpos_missingKey_nilOrEmptyArray(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    assertNull(jedis.lpos("missing", "a"));
    assertEquals(List.of(), jedis.lpos("missing", "a", LPosParams.lPosParams(), 1));
  }

  @BothProtocols
  void lpos_optionErrors(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.rpush("l", "a");
    assertError(
        "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or"
            + " use negative to start from the end of the list",
        () -> jedis.sendCommand(Protocol.Command.LPOS, "l", "a", "RANK", "0"));
    assertError(
        "ERR value is not an integer or out of range",
        () -> jedis.sendCommand(Protocol.Command.LPOS, "l", "a", "RANK", "x"));
    assertError(
        "ERR value is out of range, value must between -9223372036854775807 and"
            + " 9223372036854775807",
        () -> jedis.sendCommand(Protocol.Command.LPOS, "l", "a", "RANK", "-9223372036854775808"));
    assertError(
        "ERR COUNT can't be negative",
        () -> jedis.sendCommand(Protocol.Command.LPOS, "l", "a", "COUNT", "-1"));
    assertError(
        "ERR COUNT can't be negative",
        () -> jedis.sendCommand(Protocol.Command.LPOS, "l", "a", "COUNT", "x"));
    assertError(
        "ERR MAXLEN can't be negative",
        () -> jedis.sendCommand(Protocol.Command.LPOS, "l", "a", "MAXLEN", "-1"));
    assertError(
        "ERR syntax error", () -> jedis.sendCommand(Protocol.Command.LPOS, "l", "a", "RANK"));
    assertError(
        "ERR syntax error", () -> jedis.sendCommand(Protocol.Command.LPOS, "l", "a", "FOO", "1"));
    jedis.set("s", "v");
    assertError(WRONGTYPE, () -> jedis.lpos("s", "a"));
  }

  // ---- LMOVE / RPOPLPUSH ----

  @BothProtocols
  void lmove_everyDirection(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.rpush("src", "1", "2", "3", "4");
    assertEquals("1", jedis.lmove("src", "dst", ListDirection.LEFT, ListDirection.LEFT));
    assertEquals("4", jedis.lmove("src", "dst", ListDirection.RIGHT, ListDirection.LEFT));
    assertEquals("2", jedis.lmove("src", "dst", ListDirection.LEFT, ListDirection.RIGHT));
    assertEquals("3", jedis.lmove("src", "dst", ListDirection.RIGHT, ListDirection.RIGHT));
    assertEquals(List.of("4", "1", "2", "3"), jedis.lrange("dst", 0, -1));
    assertFalse(jedis.exists("src"));
    assertNull(jedis.lmove("src", "dst", ListDirection.LEFT, ListDirection.LEFT));
  }

  @BothProtocols
  void lmove_sameKey_rotates(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.rpush("l", "a", "b", "c");
    assertEquals("a", jedis.lmove("l", "l", ListDirection.LEFT, ListDirection.RIGHT));
    assertEquals(List.of("b", "c", "a"), jedis.lrange("l", 0, -1));
    jedis.rpush("one", "x");
    assertEquals("x", jedis.rpoplpush("one", "one"));
    assertEquals(List.of("x"), jedis.lrange("one", 0, -1));
  }

  @BothProtocols
  void rpoplpush_movesTailToHead(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.rpush("src", "a", "b");
    jedis.rpush("dst", "z");
    assertEquals("b", jedis.rpoplpush("src", "dst"));
    assertEquals(List.of("b", "z"), jedis.lrange("dst", 0, -1));
    assertNull(jedis.rpoplpush("missing", "dst"));
  }

  @BothProtocols
  void lmove_wrongTypes_leaveSourceUntouched(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.rpush("l", "a");
    jedis.set("s", "v");
    assertError(WRONGTYPE, () -> jedis.lmove("l", "s", ListDirection.LEFT, ListDirection.LEFT));
    assertEquals(List.of("a"), jedis.lrange("l", 0, -1));
    assertError(WRONGTYPE, () -> jedis.rpoplpush("s", "l"));
    // a missing source answers nil before the destination's type is looked at
    assertNull(jedis.rpoplpush("missing", "s"));
    assertError(
        "ERR syntax error",
        () -> jedis.sendCommand(Protocol.Command.LMOVE, "l", "d", "UP", "LEFT"));
  }

  // ---- LMPOP ----

  @BothProtocols
  void lmpop_firstNonEmptyKey(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.rpush("a", "1", "2", "3");
    jedis.rpush("b", "4");
    var popped = jedis.lmpop(ListDirection.LEFT, "missing", "a", "b");
    assertEquals("a", popped.getKey());
    assertEquals(List.of("1"), popped.getValue());
    popped = jedis.lmpop(ListDirection.RIGHT, 5, "missing", "a", "b");
    assertEquals("a", popped.getKey());
    assertEquals(List.of("3", "2"), popped.getValue());
    assertFalse(jedis.exists("a"));
    popped = jedis.lmpop(ListDirection.RIGHT, 5, "a", "b");
    assertEquals("b", popped.getKey());
    assertEquals(List.of("4"), popped.getValue());
    assertNull(jedis.lmpop(ListDirection.LEFT, "a", "b"));
  }

  @BothProtocols
  void lmpop_argumentErrors(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.rpush("l", "a");
    assertError(
        "ERR numkeys should be greater than 0",
        () -> jedis.sendCommand(Protocol.Command.LMPOP, "0", "l", "LEFT"));
    assertError(
        "ERR numkeys should be greater than 0",
        () -> jedis.sendCommand(Protocol.Command.LMPOP, "x", "l", "LEFT"));
    assertError(
        "ERR syntax error", () -> jedis.sendCommand(Protocol.Command.LMPOP, "2", "l", "LEFT"));
    assertError(
        "ERR syntax error",
        () -> jedis.sendCommand(Protocol.Command.LMPOP, "9223372036854775807", "l", "LEFT"));
    assertError(
        "ERR syntax error", () -> jedis.sendCommand(Protocol.Command.LMPOP, "1", "l", "MIDDLE"));
    assertError(
        "ERR count should be greater than 0",
        () -> jedis.sendCommand(Protocol.Command.LMPOP, "1", "l", "LEFT", "COUNT", "0"));
    assertError(
        "ERR syntax error",
        () ->
            jedis.sendCommand(
                Protocol.Command.LMPOP, "1", "l", "LEFT", "COUNT", "1", "COUNT", "1"));
    jedis.set("s", "v");
    assertError(WRONGTYPE, () -> jedis.lmpop(ListDirection.LEFT, "missing", "s", "l"));
    assertEquals(1, jedis.llen("l"));
  }

  // ---- blocking commands, served at once ----

  @BothProtocols
  void blpop_servesFirstNonEmptyKeyInArgumentOrder(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.rpush("b", "b1", "b2");
    jedis.rpush("c", "c1");
    assertEquals(List.of("b", "b1"), jedis.blpop(0, "a", "b", "c"));
    assertEquals(List.of("b", "b2"), jedis.brpop(0, "a", "b", "c"));
    assertFalse(jedis.exists("b"));
    var popped = jedis.brpop(0.5, "a", "b", "c");
    assertEquals("c", popped.getKey());
    assertEquals("c1", popped.getValue());
  }

  @BothProtocols
  void blmove_andBrpoplpush_withData_moveAtOnce(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.rpush("src", "1", "2", "3");
    assertEquals("1", jedis.blmove("src", "dst", ListDirection.LEFT, ListDirection.RIGHT, 0.1));
    assertEquals("3", jedis.brpoplpush("src", "dst", 0));
    assertEquals(List.of("3", "1"), jedis.lrange("dst", 0, -1));
    assertEquals(List.of("2"), jedis.lrange("src", 0, -1));
  }

  @BothProtocols
  void blmpop_withData_popsLikeLmpop(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.rpush("l", "a", "b", "c");
    var popped = jedis.blmpop(0, ListDirection.RIGHT, 2, "missing", "l");
    assertEquals("l", popped.getKey());
    assertEquals(List.of("c", "b"), popped.getValue());
  }

  @BothProtocols
  void blockingCommands_timeoutErrors(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    String notFloat = "ERR timeout is not a float or out of range";
    String negative = "ERR timeout is negative";
    assertError(notFloat, () -> jedis.sendCommand(Protocol.Command.BLPOP, "l", "x"));
    assertError(negative, () -> jedis.sendCommand(Protocol.Command.BRPOP, "l", "-1"));
    assertError(
        notFloat,
        () -> jedis.sendCommand(Protocol.Command.BLMOVE, "a", "b", "LEFT", "LEFT", "soon"));
    assertError(negative, () -> jedis.sendCommand(Protocol.Command.BRPOPLPUSH, "a", "b", "-0.5"));
    assertError(notFloat, () -> jedis.sendCommand(Protocol.Command.BLMPOP, "x", "1", "l", "LEFT"));
    assertError(negative, () -> jedis.sendCommand(Protocol.Command.BLMPOP, "-1", "1", "l", "LEFT"));
    // BLMPOP checks numkeys before the timeout, as Redis
    assertError(
        "ERR numkeys should be greater than 0",
        () -> jedis.sendCommand(Protocol.Command.BLMPOP, "-1", "0", "l", "LEFT"));
    assertError(
        "ERR syntax error",
        () -> jedis.sendCommand(Protocol.Command.BLMOVE, "a", "b", "UP", "LEFT", "x"));
  }

  @BothProtocols
  void blpop_wrongTypeBeforeNonEmptyList_isWrongType(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.set("s", "v");
    jedis.rpush("l", "a");
    assertError(WRONGTYPE, () -> jedis.blpop(0, "missing", "s", "l"));
    assertError(WRONGTYPE, () -> jedis.blmove("s", "l", ListDirection.LEFT, ListDirection.LEFT, 0));
    assertEquals(1, jedis.llen("l"));
  }

  // ---- encodings and deletion ----

  @BothProtocols
  void objectEncoding_thresholds(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    String[] many = new String[128];
    java.util.Arrays.fill(many, "x");
    jedis.rpush("l", many);
    assertEquals("listpack", jedis.objectEncoding("l"));
    jedis.rpush("l", "x");
    assertEquals("quicklist", jedis.objectEncoding("l"));
    jedis.ltrim("l", 0, 0);
    assertEquals("quicklist", jedis.objectEncoding("l"));

    jedis.rpush("big", "y".repeat(64));
    assertEquals("listpack", jedis.objectEncoding("big"));
    jedis.lset("big", 0, "y".repeat(65));
    assertEquals("quicklist", jedis.objectEncoding("big"));

    jedis.rpush("ins", "a");
    assertEquals(-1, jedis.linsert("ins", ListPosition.AFTER, "zz", "z".repeat(65)));
    assertEquals("quicklist", jedis.objectEncoding("ins")); // Redis converts before searching
  }

  @BothProtocols
  void copy_ofList_isIndependent(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.rpush("l", "a", "b");
    assertTrue(jedis.copy("l", "c", false));
    jedis.rpush("c", "z");
    assertEquals(List.of("a", "b"), jedis.lrange("l", 0, -1));
    assertEquals(List.of("a", "b", "z"), jedis.lrange("c", 0, -1));
  }

  @Test
  void usedMemory_growsWithPushesAndReturnsAfterPops() {
    Jedis jedis = jedis(RedisProtocol.RESP2);
    long before = server.context().keyspace().usedMemory();
    jedis.rpush("l", "first");
    long small = server.context().keyspace().usedMemory();
    for (int i = 0; i < 1000; i++) {
      jedis.rpush("l", "element-" + i);
    }
    long large = server.context().keyspace().usedMemory();
    assertTrue(large > small + 1000 * 32, large + " vs " + small);
    jedis.rpop("l", 1000);
    assertEquals(small, server.context().keyspace().usedMemory());
    jedis.lpop("l");
    assertEquals(before, server.context().keyspace().usedMemory());
  }

  // ---- notifications ----

  @Test
  void notifications_pushPopAndDeletion() {
    Jedis jedis = jedis(RedisProtocol.RESP2);
    List<String> events =
        events(
            () -> {
              jedis.rpush("l", "a", "b");
              jedis.lpush("l", "z");
              jedis.lpushx("missing", "a");
              jedis.lset("l", 0, "y");
              jedis.linsert("l", ListPosition.AFTER, "a", "c");
              jedis.lrem("l", 1, "c");
              jedis.ltrim("l", 0, -1);
              jedis.lpop("l");
              jedis.rpop("l", 5);
            });
    assertEquals(
        List.of(
            "rpush:l",
            "lpush:l",
            "lset:l",
            "linsert:l",
            "lrem:l",
            "ltrim:l",
            "lpop:l",
            "rpop:l",
            "del:l"),
        events);
  }

  @Test
  void notifications_lmoveAndBlockingPops() {
    Jedis jedis = jedis(RedisProtocol.RESP2);
    jedis.rpush("src", "a", "b", "c");
    List<String> events =
        events(
            () -> {
              jedis.lmove("src", "dst", ListDirection.LEFT, ListDirection.RIGHT);
              jedis.rpoplpush("src", "dst");
              jedis.blpop(0, "src");
              jedis.lmpop(ListDirection.RIGHT, "dst");
            });
    assertEquals(
        List.of(
            "rpush:dst", "lpop:src", "lpush:dst", "rpop:src", "lpop:src", "del:src", "rpop:dst"),
        events);
  }

  // ---- COMMAND INFO ----

  /** COMMAND INFO of one command: name, arity, flags, first/last/step, categories. */
  static List<?> commandInfo(String name) {
    try (RespSocket c = RespSocket.connect(server.port())) {
      List<?> reply = (List<?>) c.call("COMMAND", "INFO", name);
      return ((List<?>) reply.get(0)).subList(0, 7);
    }
  }

  static List<Simple> simples(String... texts) {
    return Arrays.stream(texts).map(Simple::new).toList();
  }

  @Test
  void commandInfo_listCommands_asRedis() {
    assertEquals(
        List.of(
            "lpush",
            -3L,
            simples("write", "denyoom", "fast"),
            1L,
            1L,
            1L,
            simples("@write", "@list", "@fast")),
        commandInfo("lpush"));
    assertEquals(
        List.of(
            "blpop",
            -3L,
            simples("write", "noscript", "blocking"),
            1L,
            -2L,
            1L,
            simples("@write", "@list", "@slow", "@blocking")),
        commandInfo("blpop"));
    assertEquals(
        List.of(
            "lmpop",
            -4L,
            simples("write", "movablekeys"),
            0L,
            0L,
            0L,
            simples("@write", "@list", "@slow")),
        commandInfo("lmpop"));
    assertEquals(
        List.of("lrange", 4L, simples("readonly"), 1L, 1L, 1L, simples("@read", "@list", "@slow")),
        commandInfo("lrange"));
  }

  // ---- Lettuce, RESP3 ----

  @Test
  void lettuce_resp3_listRoundTrip() {
    RedisCommands<String, String> redis = lettuce.sync();
    assertEquals(3, redis.rpush("l", "a", "b", "c"));
    assertEquals(List.of("a", "b", "c"), redis.lrange("l", 0, -1));
    assertEquals(1, redis.lpos("l", "b"));
    assertEquals(List.of(0L), redis.lpos("l", "a", 0, LPosArgs.Builder.rank(1)));
    assertEquals("c", redis.lmove("l", "d", LMoveArgs.Builder.rightLeft()));
    KeyValue<String, List<String>> popped =
        redis.lmpop(LMPopArgs.Builder.left().count(5), "missing", "l");
    assertEquals("l", popped.getKey());
    assertEquals(List.of("a", "b"), popped.getValue());
    assertNull(redis.lpop("l"));
    assertEquals(List.of(), redis.lpop("d", 0));
    assertEquals(KeyValue.just("d", "c"), redis.blpop(1, "l", "d"));
  }
}
