package dev.sluice.proxy.commands;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.proxy.engine.Errors;
import dev.sluice.proxy.keyspace.Keyspace;
import dev.sluice.proxy.keyspace.KeyspaceEvents;
import dev.sluice.proxy.keyspace.NotifyFlags;
import dev.sluice.proxy.testing.Await;
import dev.sluice.proxy.testing.BothProtocols;
import dev.sluice.proxy.testing.RespSocket;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.ArrayOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.ProtocolVersion;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.args.SortedSetOption;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.params.ZAddParams;
import redis.clients.jedis.params.ZParams;
import redis.clients.jedis.params.ZRangeParams;
import redis.clients.jedis.resps.ScanResult;
import redis.clients.jedis.resps.Tuple;
import redis.clients.jedis.util.KeyValue;

/** The sorted set commands through Jedis 5 over real sockets, in RESP2 and RESP3. */
class ZSetCommandsTest extends JedisServerTest {
  private static final String WRONGTYPE = Errors.WRONGTYPE;

  private static Object send(Jedis jedis, Protocol.Command command, String... args) {
    return jedis.sendCommand(command, args);
  }

  private static String text(Object bulk) {
    return bulk == null ? null : new String((byte[]) bulk, StandardCharsets.UTF_8);
  }

  private static Tuple t(String member, double score) {
    return new Tuple(member, score);
  }

  /** z: a=1 b=2 c=3 d=4 e=5. */
  private static void abcde(Jedis jedis) {
    Map<String, Double> members = new LinkedHashMap<>();
    members.put("a", 1.0);
    members.put("b", 2.0);
    members.put("c", 3.0);
    members.put("d", 4.0);
    members.put("e", 5.0);
    assertEquals(5, jedis.zadd("z", members));
  }

  /** lex: a..g all with score 0. */
  private static void lexSet(Jedis jedis) {
    for (String m : List.of("a", "b", "c", "d", "e", "f", "g")) {
      jedis.zadd("lex", 0, m);
    }
  }

  // ---- ZADD ----

  @BothProtocols
  void zadd_newKey_addsMembersAndCreatesZset(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    assertEquals(1, jedis.zadd("z", 1.5, "a"));
    assertEquals(2, jedis.zadd("z", Map.of("b", 2.0, "c", 3.0)));
    assertEquals(3, jedis.zcard("z"));
    assertEquals("zset", jedis.type("z"));
    assertEquals(1.5, jedis.zscore("z", "a"));
  }

  @BothProtocols
  void zadd_existingMemberNewScore_updatesWithoutCountingIt(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.zadd("z", 1, "a");
    assertEquals(0, jedis.zadd("z", 5, "a"));
    assertEquals(5.0, jedis.zscore("z", "a"));
    assertEquals(1, jedis.zcard("z"));
  }

  @BothProtocols
  void zadd_withCh_countsAddedAndChangedButNotUnchanged(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.zadd("z", Map.of("a", 1.0, "b", 2.0));
    Map<String, Double> changes = Map.of("a", 10.0, "b", 2.0, "c", 3.0);
    assertEquals(2, jedis.zadd("z", changes, ZAddParams.zAddParams().ch()));
  }

  @BothProtocols
  void zadd_sameMemberTwiceInOneCall_lastScoreWins(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    assertEquals(1L, send(jedis, Protocol.Command.ZADD, "z", "1", "a", "2", "a"));
    assertEquals(2.0, jedis.zscore("z", "a"));
    assertEquals(2L, send(jedis, Protocol.Command.ZADD, "z", "CH", "3", "b", "4", "b"));
  }

  @BothProtocols
  void zadd_withNx_onlyAddsNewMembers(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.zadd("z", 1, "a");
    assertEquals(1, jedis.zadd("z", Map.of("a", 9.0, "b", 2.0), ZAddParams.zAddParams().nx()));
    assertEquals(1.0, jedis.zscore("z", "a"));
    assertEquals(2.0, jedis.zscore("z", "b"));
  }

  @BothProtocols
  void zadd_withXx_onlyUpdatesExistingMembers(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.zadd("z", 1, "a");
    assertEquals(1, jedis.zadd("z", Map.of("a", 9.0, "b", 2.0), ZAddParams.zAddParams().xx().ch()));
    assertEquals(9.0, jedis.zscore("z", "a"));
    assertNull(jedis.zscore("z", "b"));
  }

  @BothProtocols
  void zadd_withXxOnMissingKey_createsNothing(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    assertEquals(0, jedis.zadd("z", 1, "a", ZAddParams.zAddParams().xx()));
    assertFalse(jedis.exists("z"));
    assertNull(jedis.zaddIncr("z", 1, "a", ZAddParams.zAddParams().xx()));
    assertFalse(jedis.exists("z"));
  }

  @BothProtocols
  void zadd_withGtAndLt_onlyMoveScoresThatWayButStillAddNewMembers(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.zadd("z", Map.of("a", 5.0, "b", 5.0));
    assertEquals(0, jedis.zadd("z", 3, "a", ZAddParams.zAddParams().gt().ch().xx()));
    assertEquals(5.0, jedis.zscore("z", "a"));
    assertEquals(1, jedis.zadd("z", 7, "a", ZAddParams.zAddParams().gt().ch()));
    assertEquals(7.0, jedis.zscore("z", "a"));
    assertEquals(0, jedis.zadd("z", 6, "b", ZAddParams.zAddParams().lt().ch()));
    assertEquals(5.0, jedis.zscore("z", "b"));
    assertEquals(1, jedis.zadd("z", 4, "b", ZAddParams.zAddParams().lt().ch()));
    assertEquals(4.0, jedis.zscore("z", "b"));
    assertEquals(1, jedis.zadd("z", 100, "new", ZAddParams.zAddParams().lt()));
    assertEquals(100.0, jedis.zscore("z", "new"));
  }

  @BothProtocols
  void zadd_withIncr_returnsNewScoreOrNilWhenSkipped(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    assertEquals(2.5, jedis.zaddIncr("z", 2.5, "a", ZAddParams.zAddParams()));
    assertEquals(3.5, jedis.zaddIncr("z", 1, "a", ZAddParams.zAddParams()));
    assertNull(jedis.zaddIncr("z", 1, "a", ZAddParams.zAddParams().nx()));
    assertNull(jedis.zaddIncr("z", -1, "a", ZAddParams.zAddParams().gt()));
    assertEquals(3.5, jedis.zscore("z", "a"));
  }

  @BothProtocols
  void zadd_infiniteScores_areStoredAndReported(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    assertEquals(2L, send(jedis, Protocol.Command.ZADD, "z", "+inf", "top", "-inf", "bottom"));
    assertEquals(Double.POSITIVE_INFINITY, jedis.zscore("z", "top"));
    assertEquals(Double.NEGATIVE_INFINITY, jedis.zscore("z", "bottom"));
    assertEquals(List.of("bottom", "top"), jedis.zrange("z", 0, -1));
  }

  @BothProtocols
  void zadd_scoresAsStrtodReadsThem_hexAndExponentsAccepted(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    assertEquals(3L, send(jedis, Protocol.Command.ZADD, "z", "0x10", "a", "1e3", "b", ".5", "c"));
    assertEquals(16.0, jedis.zscore("z", "a"));
    assertEquals(1000.0, jedis.zscore("z", "b"));
    assertEquals(0.5, jedis.zscore("z", "c"));
    for (String bad : List.of("nan", " 1", "1 ", "1e400", "1e-400", "0x", "1e", "abc", "")) {
      assertError(
          "ERR value is not a valid float",
          () -> send(jedis, Protocol.Command.ZADD, "z", bad, "x"));
    }
  }

  @BothProtocols
  void zadd_oneInvalidScore_changesNothing(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.zadd("z", 1, "a");
    assertError(
        "ERR value is not a valid float",
        () -> send(jedis, Protocol.Command.ZADD, "z", "5", "a", "x", "b"));
    assertEquals(1.0, jedis.zscore("z", "a"));
    assertEquals(1, jedis.zcard("z"));
  }

  @BothProtocols
  void zadd_badOptionCombinations_returnRedisErrors(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    assertError(
        "ERR XX and NX options at the same time are not compatible",
        () -> send(jedis, Protocol.Command.ZADD, "z", "NX", "XX", "1", "a"));
    assertError(
        "ERR GT, LT, and/or NX options at the same time are not compatible",
        () -> send(jedis, Protocol.Command.ZADD, "z", "GT", "LT", "1", "a"));
    assertError(
        "ERR GT, LT, and/or NX options at the same time are not compatible",
        () -> send(jedis, Protocol.Command.ZADD, "z", "NX", "GT", "1", "a"));
    assertError(
        "ERR INCR option supports a single increment-element pair",
        () -> send(jedis, Protocol.Command.ZADD, "z", "INCR", "1", "a", "2", "b"));
    assertError(Errors.SYNTAX, () -> send(jedis, Protocol.Command.ZADD, "z", "1", "a", "2"));
    assertError(Errors.SYNTAX, () -> send(jedis, Protocol.Command.ZADD, "z", "NX", "CH", "1"));
    assertError(
        "ERR wrong number of arguments for 'zadd' command",
        () -> send(jedis, Protocol.Command.ZADD, "z", "1"));
    assertFalse(jedis.exists("z"));
  }

  @BothProtocols
  void zadd_incrToNan_errorsAndKeepsScore(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    send(jedis, Protocol.Command.ZADD, "z", "+inf", "a");
    assertError(
        "ERR resulting score is not a number (NaN)",
        () -> send(jedis, Protocol.Command.ZADD, "z", "INCR", "-inf", "a"));
    assertError(
        "ERR resulting score is not a number (NaN)",
        () -> send(jedis, Protocol.Command.ZINCRBY, "z", "-inf", "a"));
    assertEquals(Double.POSITIVE_INFINITY, jedis.zscore("z", "a"));
  }

  @BothProtocols
  void zadd_onStringKey_isWrongType(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.set("s", "v");
    assertError(WRONGTYPE, () -> jedis.zadd("s", 1, "a"));
    assertEquals("v", jedis.get("s"));
  }

  @BothProtocols
  void zadd_binaryMembers_roundTrip(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    byte[] member = {0, (byte) 0xff, '\r', '\n', 7};
    jedis.zadd("z".getBytes(StandardCharsets.UTF_8), 1, member);
    assertArrayEquals(member, jedis.zrange("z".getBytes(StandardCharsets.UTF_8), 0, -1).get(0));
    assertEquals(1.0, jedis.zscore("z".getBytes(StandardCharsets.UTF_8), member));
  }

  // ---- ZINCRBY ----

  @BothProtocols
  void zincrby_missingMemberOrKey_startsFromZero(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    assertEquals(2.5, jedis.zincrby("z", 2.5, "a"));
    assertEquals(1.0, jedis.zincrby("z", -1.5, "a"));
    assertEquals(0.1, jedis.zincrby("z", 0.1, "f"));
    // doubles add as in C, and the reply keeps every digit needed to read the sum back
    assertEquals(0.30000000000000004, jedis.zincrby("z", 0.2, "f"));
    assertEquals(2, jedis.zcard("z"));
  }

  @BothProtocols
  void zincrby_notAFloat_errors(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    assertError(
        "ERR value is not a valid float",
        () -> send(jedis, Protocol.Command.ZINCRBY, "z", "abc", "a"));
    assertError(Errors.SYNTAX, () -> send(jedis, Protocol.Command.ZINCRBY, "z", "nx", "a"));
    assertFalse(jedis.exists("z"));
  }

  @BothProtocols
  void zincrby_movesMemberInRanking(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    abcde(jedis);
    jedis.zincrby("z", 10, "a");
    assertEquals(List.of("b", "c", "d", "e", "a"), jedis.zrange("z", 0, -1));
    assertEquals(0L, jedis.zrevrank("z", "a"));
  }

  // ---- ZSCORE, ZMSCORE, ZCARD ----

  @BothProtocols
  void zscore_missingMemberOrKey_returnsNil(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.zadd("z", 1, "a");
    assertNull(jedis.zscore("z", "nope"));
    assertNull(jedis.zscore("nokey", "a"));
  }

  @BothProtocols
  void zmscore_mixOfPresentAndMissing_returnsNilsInPlace(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.zadd("z", Map.of("a", 1.0, "b", 2.5));
    assertEquals(java.util.Arrays.asList(1.0, null, 2.5), jedis.zmscore("z", "a", "x", "b"));
    assertEquals(java.util.Arrays.asList(null, null), jedis.zmscore("nokey", "a", "b"));
  }

  @BothProtocols
  void zcard_missingKey_isZero(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    assertEquals(0, jedis.zcard("nokey"));
    jedis.set("s", "v");
    assertError(WRONGTYPE, () -> jedis.zcard("s"));
    assertError(WRONGTYPE, () -> jedis.zscore("s", "a"));
    assertError(WRONGTYPE, () -> jedis.zmscore("s", "a"));
  }

  // ---- ZRANK, ZREVRANK ----

  @BothProtocols
  void zrank_existingMember_ranksAscendingAndDescending(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    abcde(jedis);
    assertEquals(0L, jedis.zrank("z", "a"));
    assertEquals(4L, jedis.zrank("z", "e"));
    assertEquals(4L, jedis.zrevrank("z", "a"));
    assertEquals(1L, jedis.zrevrank("z", "d"));
    assertNull(jedis.zrank("z", "nope"));
    assertNull(jedis.zrevrank("nokey", "a"));
  }

  @BothProtocols
  void zrank_withScore_returnsRankAndScore(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    abcde(jedis);
    KeyValue<Long, Double> rank = jedis.zrankWithScore("z", "c");
    assertEquals(2L, rank.getKey());
    assertEquals(3.0, rank.getValue());
    KeyValue<Long, Double> reverse = jedis.zrevrankWithScore("z", "b");
    assertEquals(3L, reverse.getKey());
    assertEquals(2.0, reverse.getValue());
    assertNull(jedis.zrankWithScore("z", "nope"));
    assertNull(jedis.zrankWithScore("nokey", "a"));
  }

  @BothProtocols
  void zrank_badArguments_syntaxOrArityError(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    abcde(jedis);
    assertError(Errors.SYNTAX, () -> send(jedis, Protocol.Command.ZRANK, "z", "a", "foo"));
    assertError(
        "ERR wrong number of arguments for 'zrevrank' command",
        () -> send(jedis, Protocol.Command.ZREVRANK, "z", "a", "withscore", "x"));
  }

  @BothProtocols
  void zrank_tiesOrderedByMemberBytes(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    send(jedis, Protocol.Command.ZADD, "z", "1", "b", "1", "a", "1", "c", "0", "z");
    assertEquals(List.of("z", "a", "b", "c"), jedis.zrange("z", 0, -1));
    assertEquals(1L, jedis.zrank("z", "a"));
    assertEquals(0L, jedis.zrevrank("z", "c"));
  }

  // ---- ZRANGE by index ----

  @BothProtocols
  void zrange_byIndex_handlesNegativeAndOutOfRangeIndexes(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    abcde(jedis);
    assertEquals(List.of("a", "b", "c", "d", "e"), jedis.zrange("z", 0, -1));
    assertEquals(List.of("d", "e"), jedis.zrange("z", -2, -1));
    assertEquals(List.of("a", "b"), jedis.zrange("z", -100, 1));
    assertEquals(List.of("e"), jedis.zrange("z", 4, 100));
    assertEquals(List.of(), jedis.zrange("z", 3, 1));
    assertEquals(List.of(), jedis.zrange("z", 5, 10));
    assertEquals(List.of(), jedis.zrange("nokey", 0, -1));
  }

  @BothProtocols
  void zrange_withScores_returnsMembersWithScores(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    abcde(jedis);
    assertEquals(List.of(t("b", 2), t("c", 3)), jedis.zrangeWithScores("z", 1, 2));
    assertEquals(List.of(t("e", 5), t("d", 4)), jedis.zrevrangeWithScores("z", 0, 1));
  }

  @BothProtocols
  void zrange_rev_reversesIndexes(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    abcde(jedis);
    assertEquals(List.of("e", "d"), jedis.zrange("z", ZRangeParams.zrangeParams(0, 1).rev()));
    assertEquals(List.of("b", "a"), jedis.zrange("z", ZRangeParams.zrangeParams(-2, -1).rev()));
    assertEquals(List.of("c", "b", "a"), jedis.zrevrange("z", 2, 10));
  }

  @BothProtocols
  void zrange_badArguments_returnRedisErrors(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    abcde(jedis);
    assertError(
        "ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX",
        () -> send(jedis, Protocol.Command.ZRANGE, "z", "0", "-1", "LIMIT", "0", "1"));
    assertError(
        "ERR syntax error, WITHSCORES not supported in combination with BYLEX",
        () -> send(jedis, Protocol.Command.ZRANGE, "z", "[a", "[b", "BYLEX", "WITHSCORES"));
    assertError(Errors.NOT_INTEGER, () -> send(jedis, Protocol.Command.ZRANGE, "z", "a", "-1"));
    assertError(
        "ERR min or max is not a float",
        () -> send(jedis, Protocol.Command.ZRANGE, "z", "x", "1", "BYSCORE"));
    assertError(
        "ERR min or max not valid string range item",
        () -> send(jedis, Protocol.Command.ZRANGE, "z", "a", "b", "BYLEX"));
    assertError(
        Errors.SYNTAX,
        () -> send(jedis, Protocol.Command.ZRANGE, "z", "0", "1", "BYSCORE", "BYLEX"));
    assertError(Errors.SYNTAX, () -> send(jedis, Protocol.Command.ZREVRANGE, "z", "0", "1", "REV"));
    assertError(Errors.SYNTAX, () -> send(jedis, Protocol.Command.ZRANGE, "z", "0", "1", "LIMIT"));
    jedis.set("s", "v");
    assertError(WRONGTYPE, () -> jedis.zrange("s", 0, -1));
  }

  // ---- ZRANGE by score ----

  @BothProtocols
  void zrangeByScore_inclusiveExclusiveAndInfiniteBounds(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    abcde(jedis);
    assertEquals(List.of("b", "c", "d"), jedis.zrangeByScore("z", 2, 4));
    assertEquals(List.of("c", "d"), jedis.zrangeByScore("z", "(2", "4"));
    assertEquals(List.of("c"), jedis.zrangeByScore("z", "(2", "(4"));
    assertEquals(List.of("a", "b", "c", "d", "e"), jedis.zrangeByScore("z", "-inf", "+inf"));
    assertEquals(List.of(), jedis.zrangeByScore("z", "(3", "(3"));
    assertEquals(List.of(), jedis.zrangeByScore("z", "4", "2"));
    assertEquals(List.of("c"), jedis.zrangeByScore("z", "3", "3"));
    assertEquals(List.of("a", "b"), jedis.zrangeByScore("z", "(0.5", "2.5"));
  }

  @BothProtocols
  void zrangeByScore_withLimit_skipsAndCounts(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    abcde(jedis);
    assertEquals(List.of("b", "c"), jedis.zrangeByScore("z", "-inf", "+inf", 1, 2));
    assertEquals(List.of("d", "e"), jedis.zrangeByScore("z", "-inf", "+inf", 3, -1));
    assertEquals(List.of(), jedis.zrangeByScore("z", "-inf", "+inf", 5, 2));
    assertEquals(List.of(), jedis.zrangeByScore("z", "-inf", "+inf", -1, 2));
    assertEquals(List.of(), jedis.zrangeByScore("z", "-inf", "+inf", 0, 0));
    assertEquals(
        List.of(t("c", 3), t("d", 4)), jedis.zrangeByScoreWithScores("z", "(2", "+inf", 0, 2));
  }

  @BothProtocols
  void zrevrangeByScore_takesMaxFirstAndLimitsFromTheTop(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    abcde(jedis);
    assertEquals(List.of("d", "c", "b"), jedis.zrevrangeByScore("z", "4", "2"));
    assertEquals(List.of("c", "b"), jedis.zrevrangeByScore("z", "(4", "-inf", 0, 2));
    assertEquals(List.of(t("d", 4), t("c", 3)), jedis.zrevrangeByScoreWithScores("z", 5, 1, 1, 2));
    assertEquals(List.of(), jedis.zrevrangeByScore("z", "2", "4"));
  }

  @BothProtocols
  void zrange_byScoreRevWithLimit_matchesZrevrangebyscore(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    abcde(jedis);
    assertEquals(
        List.of("d", "c"),
        jedis.zrange("z", ZRangeParams.zrangeByScoreParams(5, 1).rev().limit(1, 2)));
    assertEquals(
        List.of(t("b", 2), t("c", 3)),
        jedis.zrangeWithScores("z", ZRangeParams.zrangeByScoreParams(2, 3)));
  }

  @BothProtocols
  void zrangeByScore_tiesAndInfiniteScores_orderedByScoreThenMember(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    send(
        jedis,
        Protocol.Command.ZADD,
        "z",
        "1",
        "b",
        "1",
        "a",
        "-inf",
        "low",
        "+inf",
        "high",
        "1",
        "c");
    assertEquals(List.of("low", "a", "b", "c", "high"), jedis.zrangeByScore("z", "-inf", "+inf"));
    assertEquals(List.of("high"), jedis.zrangeByScore("z", "(1", "+inf"));
    assertEquals(
        List.of("high", "c", "b", "a", "low"), jedis.zrevrangeByScore("z", "+inf", "-inf"));
    assertEquals(List.of("b", "a"), jedis.zrevrangeByScore("z", "1", "1", 1, 2));
  }

  // ---- ZRANGE by lex ----

  @BothProtocols
  void zrangeByLex_inclusiveExclusiveAndUnboundedEnds(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    lexSet(jedis);
    assertEquals(List.of("a", "b", "c", "d", "e", "f", "g"), jedis.zrangeByLex("lex", "-", "+"));
    assertEquals(List.of("b", "c", "d"), jedis.zrangeByLex("lex", "[b", "(e"));
    assertEquals(List.of("c", "d", "e"), jedis.zrangeByLex("lex", "(b", "[e"));
    assertEquals(List.of("d", "e"), jedis.zrangeByLex("lex", "(b", "[e", 1, 2));
    assertEquals(List.of("a", "b"), jedis.zrangeByLex("lex", "-", "[b"));
    assertEquals(List.of(), jedis.zrangeByLex("lex", "+", "-"));
    assertEquals(List.of(), jedis.zrangeByLex("lex", "(c", "(c"));
    assertEquals(List.of("c"), jedis.zrangeByLex("lex", "[c", "[c"));
  }

  @BothProtocols
  void zrevrangeByLex_takesMaxFirst(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    lexSet(jedis);
    assertEquals(List.of("e", "d", "c"), jedis.zrevrangeByLex("lex", "[e", "(b"));
    assertEquals(List.of("f", "e"), jedis.zrevrangeByLex("lex", "+", "-", 1, 2));
    assertEquals(
        List.of("d", "c"),
        jedis.zrange("lex", ZRangeParams.zrangeByLexParams("[d", "[b").rev().limit(0, 2)));
    assertError(
        "ERR min or max not valid string range item", () -> jedis.zrangeByLex("lex", "a", "[b"));
    assertError(
        "ERR min or max not valid string range item", () -> jedis.zrangeByLex("lex", "[a", "++"));
  }

  // ---- ZRANGESTORE ----

  @BothProtocols
  void zrangestore_storesRangeReplacingAnyDestination(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    abcde(jedis);
    jedis.set("dst", "string");
    jedis.expire("dst", 100);
    assertEquals(2, jedis.zrangestore("dst", "z", ZRangeParams.zrangeParams(1, 2)));
    assertEquals(List.of(t("b", 2), t("c", 3)), jedis.zrangeWithScores("dst", 0, -1));
    assertEquals(-1, jedis.ttl("dst"));
    assertEquals(
        2, jedis.zrangestore("dst", "z", ZRangeParams.zrangeByScoreParams(5, 1).rev().limit(0, 2)));
    assertEquals(List.of("d", "e"), jedis.zrange("dst", 0, -1));
    assertEquals(
        2, jedis.zrangestore("dst", "z", ZRangeParams.zrangeByLexParams("-", "+").limit(0, 2)));
    assertEquals(List.of("a", "b"), jedis.zrange("dst", 0, -1));
  }

  @BothProtocols
  void zrangestore_emptyRangeOrMissingSource_deletesDestination(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    abcde(jedis);
    jedis.zadd("dst", 1, "x");
    assertEquals(0, jedis.zrangestore("dst", "z", ZRangeParams.zrangeParams(10, 20)));
    assertFalse(jedis.exists("dst"));
    jedis.zadd("dst", 1, "x");
    assertEquals(0, jedis.zrangestore("dst", "nokey", ZRangeParams.zrangeParams(0, -1)));
    assertFalse(jedis.exists("dst"));
    assertError(
        Errors.SYNTAX,
        () -> send(jedis, Protocol.Command.ZRANGESTORE, "dst", "z", "0", "-1", "WITHSCORES"));
    jedis.set("s", "v");
    assertError(WRONGTYPE, () -> jedis.zrangestore("dst", "s", ZRangeParams.zrangeParams(0, 1)));
  }

  @BothProtocols
  void zrangestore_sameKeyAsSource_keepsTheRange(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    abcde(jedis);
    assertEquals(3, jedis.zrangestore("z", "z", ZRangeParams.zrangeParams(1, 3)));
    assertEquals(List.of("b", "c", "d"), jedis.zrange("z", 0, -1));
  }

  // ---- ZCOUNT, ZLEXCOUNT ----

  @BothProtocols
  void zcount_rangesWithExclusiveAndInfiniteBounds(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    abcde(jedis);
    assertEquals(5, jedis.zcount("z", "-inf", "+inf"));
    assertEquals(2, jedis.zcount("z", "(1", "3"));
    assertEquals(1, jedis.zcount("z", "(1", "(3"));
    assertEquals(0, jedis.zcount("z", "3", "1"));
    assertEquals(0, jedis.zcount("z", "(3", "3"));
    assertEquals(0, jedis.zcount("nokey", "1", "2"));
    assertError("ERR min or max is not a float", () -> jedis.zcount("z", "x", "1"));
    assertError("ERR min or max is not a float", () -> jedis.zcount("z", "nan", "1"));
  }

  @BothProtocols
  void zcount_boundsParsedAsStrtod(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    abcde(jedis);
    assertEquals(1, jedis.zcount("z", " 1", "1")); // leading space is fine for a bound
    assertEquals(2, jedis.zcount("z", "(", "2")); // "(" alone reads as (0
    assertEquals(5, jedis.zcount("z", "-INFINITY", "0x10"));
    assertError("ERR min or max is not a float", () -> jedis.zcount("z", "1 ", "2"));
    assertError("ERR min or max is not a float", () -> jedis.zcount("z", "1e", "2"));
  }

  @BothProtocols
  void zcount_boundEndsAtANulByteAsStrtodSeesIt(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    abcde(jedis);
    // zslParseRange only checks that strtod stopped at a NUL: redis-server 7.0.15 answers the same
    assertEquals(2, jedis.zcount("z", "-inf", "2\0x"));
    assertEquals(0, jedis.zcount("z", "-inf", "\0"));
    assertError("ERR min or max is not a float", () -> jedis.zcount("z", "-inf", " \0"));
  }

  @BothProtocols
  void zlexcount_countsLexRange(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    lexSet(jedis);
    assertEquals(7, jedis.zlexcount("lex", "-", "+"));
    assertEquals(3, jedis.zlexcount("lex", "(a", "[d"));
    assertEquals(0, jedis.zlexcount("lex", "[d", "(a"));
    assertEquals(0, jedis.zlexcount("nokey", "-", "+"));
    assertError(
        "ERR min or max not valid string range item", () -> jedis.zlexcount("lex", "a", "+"));
  }

  // ---- ZREM and the range removals ----

  @BothProtocols
  void zrem_removesGivenMembersAndDeletesEmptiedKey(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.zadd("z", Map.of("a", 1.0, "b", 2.0, "c", 3.0));
    assertEquals(2, jedis.zrem("z", "a", "nope", "b"));
    assertEquals(List.of("c"), jedis.zrange("z", 0, -1));
    assertEquals(1, jedis.zrem("z", "c", "c"));
    assertFalse(jedis.exists("z"));
    assertEquals(0, jedis.zrem("z", "a"));
  }

  @BothProtocols
  void zremrangeByScore_removesRangeAndDeletesEmptiedKey(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    abcde(jedis);
    assertEquals(2, jedis.zremrangeByScore("z", "(1", "3"));
    assertEquals(List.of("a", "d", "e"), jedis.zrange("z", 0, -1));
    assertEquals(0, jedis.zremrangeByScore("z", "10", "20"));
    assertEquals(3, jedis.zremrangeByScore("z", "-inf", "+inf"));
    assertFalse(jedis.exists("z"));
    assertEquals(0, jedis.zremrangeByScore("z", "-inf", "+inf"));
    assertError("ERR min or max is not a float", () -> jedis.zremrangeByScore("z", "a", "1"));
  }

  @BothProtocols
  void zremrangeByRank_negativeIndexesAndDeletion(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    abcde(jedis);
    assertEquals(1, jedis.zremrangeByRank("z", 0, 0));
    assertEquals(2, jedis.zremrangeByRank("z", -2, -1));
    assertEquals(List.of("b", "c"), jedis.zrange("z", 0, -1));
    assertEquals(0, jedis.zremrangeByRank("z", 5, 10));
    assertEquals(0, jedis.zremrangeByRank("z", 1, 0));
    assertEquals(2, jedis.zremrangeByRank("z", -100, 100));
    assertFalse(jedis.exists("z"));
    assertError(
        Errors.NOT_INTEGER, () -> send(jedis, Protocol.Command.ZREMRANGEBYRANK, "z", "a", "1"));
  }

  @BothProtocols
  void zremrangeByLex_removesRangeAndDeletesEmptiedKey(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    lexSet(jedis);
    assertEquals(3, jedis.zremrangeByLex("lex", "[b", "(e"));
    assertEquals(List.of("a", "e", "f", "g"), jedis.zrange("lex", 0, -1));
    assertEquals(4, jedis.zremrangeByLex("lex", "-", "+"));
    assertFalse(jedis.exists("lex"));
    assertError(
        "ERR min or max not valid string range item", () -> jedis.zremrangeByLex("lex", "x", "+"));
  }

  @BothProtocols
  void removals_onStringKey_areWrongType(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.set("s", "v");
    assertError(WRONGTYPE, () -> jedis.zrem("s", "a"));
    assertError(WRONGTYPE, () -> jedis.zremrangeByRank("s", 0, 1));
    assertError(WRONGTYPE, () -> jedis.zremrangeByScore("s", 0, 1));
    assertError(WRONGTYPE, () -> jedis.zremrangeByLex("s", "-", "+"));
    assertError(WRONGTYPE, () -> jedis.zcount("s", 0, 1));
    assertError(WRONGTYPE, () -> jedis.zrank("s", "a"));
    assertError(WRONGTYPE, () -> jedis.zincrby("s", 1, "a"));
  }

  // ---- ZPOPMIN, ZPOPMAX, ZMPOP ----

  @BothProtocols
  void zpopmin_withoutCount_popsLowest(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    abcde(jedis);
    assertEquals(t("a", 1), jedis.zpopmin("z"));
    assertEquals(t("e", 5), jedis.zpopmax("z"));
    assertEquals(3, jedis.zcard("z"));
  }

  @BothProtocols
  void zpopmin_withCount_popsInOrderAndDeletesEmptiedKey(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    abcde(jedis);
    assertEquals(List.of(t("a", 1), t("b", 2)), jedis.zpopmin("z", 2));
    assertEquals(List.of(t("e", 5), t("d", 4)), jedis.zpopmax("z", 2));
    assertEquals(List.of(t("c", 3)), jedis.zpopmax("z", 10));
    assertFalse(jedis.exists("z"));
    assertEquals(List.of(), jedis.zpopmin("z", 2));
    assertNull(jedis.zpopmin("z"));
  }

  @BothProtocols
  void zpopmin_countZeroOrBad_emptyOrError(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    abcde(jedis);
    assertEquals(List.of(), jedis.zpopmin("z", 0));
    assertEquals(5, jedis.zcard("z"));
    assertError(
        "ERR value is out of range, must be positive",
        () -> send(jedis, Protocol.Command.ZPOPMIN, "z", "-1"));
    assertError(
        "ERR value is out of range, must be positive",
        () -> send(jedis, Protocol.Command.ZPOPMIN, "z", "x"));
    assertError(Errors.SYNTAX, () -> send(jedis, Protocol.Command.ZPOPMAX, "z", "1", "2"));
    jedis.set("s", "v");
    assertError(WRONGTYPE, () -> jedis.zpopmin("s"));
  }

  @BothProtocols
  void zmpop_firstNonEmptyKey_popsUpToCount(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    abcde(jedis);
    KeyValue<String, List<Tuple>> popped = jedis.zmpop(SortedSetOption.MIN, 2, "nokey", "z");
    assertEquals("z", popped.getKey());
    assertEquals(List.of(t("a", 1), t("b", 2)), popped.getValue());
    popped = jedis.zmpop(SortedSetOption.MAX, "z");
    assertEquals(List.of(t("e", 5)), popped.getValue());
    popped = jedis.zmpop(SortedSetOption.MAX, 10, "z");
    assertEquals(List.of(t("d", 4), t("c", 3)), popped.getValue());
    assertFalse(jedis.exists("z"));
    assertNull(jedis.zmpop(SortedSetOption.MIN, "z", "nokey"));
  }

  @BothProtocols
  void zmpop_badArguments_returnRedisErrors(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    abcde(jedis);
    assertError(
        "ERR numkeys should be greater than 0",
        () -> send(jedis, Protocol.Command.ZMPOP, "0", "z", "MIN"));
    assertError(
        "ERR numkeys should be greater than 0",
        () -> send(jedis, Protocol.Command.ZMPOP, "x", "z", "MIN"));
    assertError(Errors.SYNTAX, () -> send(jedis, Protocol.Command.ZMPOP, "2", "z", "MIN"));
    assertError(Errors.SYNTAX, () -> send(jedis, Protocol.Command.ZMPOP, "1", "z", "LEFT"));
    assertError(
        "ERR count should be greater than 0",
        () -> send(jedis, Protocol.Command.ZMPOP, "1", "z", "MIN", "COUNT", "0"));
    assertError(
        Errors.SYNTAX,
        () -> send(jedis, Protocol.Command.ZMPOP, "1", "z", "MIN", "COUNT", "1", "COUNT", "1"));
    jedis.set("s", "v");
    assertError(WRONGTYPE, () -> send(jedis, Protocol.Command.ZMPOP, "2", "s", "z", "MIN"));
    assertEquals(5, jedis.zcard("z"));
  }

  // ---- blocking pops: only the immediate path here ----

  @BothProtocols
  void bzpopmin_dataPresent_popsAtOnceFromFirstNonEmptyKey(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    abcde(jedis);
    KeyValue<String, Tuple> popped = jedis.bzpopmin(0, "nokey", "z");
    assertEquals("z", popped.getKey());
    assertEquals(t("a", 1), popped.getValue());
    popped = jedis.bzpopmax(1.5, "z");
    assertEquals(t("e", 5), popped.getValue());
  }

  @BothProtocols
  void bzmpop_dataPresent_popsAtOnce(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    abcde(jedis);
    KeyValue<String, List<Tuple>> popped = jedis.bzmpop(0, SortedSetOption.MAX, 2, "nokey", "z");
    assertEquals("z", popped.getKey());
    assertEquals(List.of(t("e", 5), t("d", 4)), popped.getValue());
    popped = jedis.bzmpop(0.5, SortedSetOption.MIN, "z");
    assertEquals(List.of(t("a", 1)), popped.getValue());
  }

  @BothProtocols
  void blockingPops_badTimeoutOrArguments_returnErrors(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    abcde(jedis);
    assertError("ERR timeout is negative", () -> send(jedis, Protocol.Command.BZPOPMIN, "z", "-1"));
    assertError(
        "ERR timeout is not a float or out of range",
        () -> send(jedis, Protocol.Command.BZPOPMAX, "z", "abc"));
    assertError(
        "ERR timeout is negative",
        () -> send(jedis, Protocol.Command.BZMPOP, "-1", "1", "z", "MIN"));
    assertError(
        "ERR numkeys should be greater than 0",
        () -> send(jedis, Protocol.Command.BZMPOP, "0", "0", "z", "MIN"));
    assertError(Errors.SYNTAX, () -> send(jedis, Protocol.Command.BZMPOP, "0", "1", "z", "UP"));
    jedis.set("s", "v");
    assertError(WRONGTYPE, () -> send(jedis, Protocol.Command.BZPOPMIN, "s", "z", "0"));
    assertEquals(5, jedis.zcard("z"));
  }

  @BothProtocols
  void zunionAndZinter_plainSetInput_countsItsMembersWithScoreOne(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.sadd("s", "a", "b");
    jedis.zadd("z", 2, "a");
    assertEquals(
        List.of(new Tuple("b", 1.0), new Tuple("a", 3.0)),
        jedis.zunionWithScores(new ZParams(), "z", "s"));
    assertEquals(List.of(new Tuple("a", 3.0)), jedis.zinterWithScores(new ZParams(), "z", "s"));
    assertEquals(2, jedis.zunionstore("dest", "s"));
    assertEquals("zset", jedis.type("dest"));
  }

  @Test
  void bzpopmin_allKeysEmpty_blocksUntilAnotherClientAdds() {
    try (RespSocket waiting = RespSocket.connect(server.port());
        Jedis other = server.jedis(RedisProtocol.RESP2)) {
      waiting.send("BZPOPMIN", "k1", "k2", "0");
      Await.blockedClients(other, 1);
      assertEquals(1, other.zadd("k2", 3, "c"));
      assertEquals(List.of("k2", "c", "3"), waiting.read());
      Await.blockedClients(other, 0);
    }
  }

  @Test
  void bzmpop_timeout_answersNilAfterItsTimeout() {
    try (RespSocket client = RespSocket.connect(server.port())) {
      long start = System.nanoTime();
      assertEquals(
          RespSocket.Nil.ARRAY, client.call("BZMPOP", "0.1", "2", "k1", "k2", "MIN", "COUNT", "3"));
      long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
      assertTrue(elapsedMillis >= 90 && elapsedMillis < 2_000, "took " + elapsedMillis + " ms");
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String str(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  // ---- ZUNION, ZINTER, ZDIFF ----

  /** a: x=1 y=2 z=3; b: y=10 z=20 w=30. */
  private static void twoSets(Jedis jedis) {
    jedis.zadd("a", Map.of("x", 1.0, "y", 2.0, "z", 3.0));
    jedis.zadd("b", Map.of("y", 10.0, "z", 20.0, "w", 30.0));
  }

  @BothProtocols
  void zunion_sumsScoresWithWeightsAndAggregates(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    twoSets(jedis);
    assertEquals(
        List.of(t("x", 1), t("y", 12), t("z", 23), t("w", 30)),
        jedis.zunionWithScores(new ZParams(), "a", "b"));
    assertEquals(
        List.of(t("x", 2), t("y", 34), t("z", 66), t("w", 90)),
        jedis.zunionWithScores(new ZParams().weights(2, 3), "a", "b"));
    assertEquals(
        List.of(t("x", 1), t("y", 2), t("z", 3), t("w", 30)),
        jedis.zunionWithScores(new ZParams().aggregate(ZParams.Aggregate.MIN), "a", "b"));
    assertEquals(
        List.of(t("x", 1), t("y", 10), t("z", 20), t("w", 30)),
        jedis.zunionWithScores(new ZParams().aggregate(ZParams.Aggregate.MAX), "a", "b", "none"));
    assertEquals(List.of("x", "y", "z", "w"), jedis.zunion(new ZParams(), "a", "b"));
  }

  @BothProtocols
  void zinter_keepsCommonMembers(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    twoSets(jedis);
    assertEquals(List.of(t("y", 12), t("z", 23)), jedis.zinterWithScores(new ZParams(), "a", "b"));
    assertEquals(
        List.of(t("y", 2), t("z", 3)),
        jedis.zinterWithScores(new ZParams().weights(1, 0), "a", "b"));
    assertEquals(
        List.of(t("x", 2), t("y", 4), t("z", 6)), jedis.zinterWithScores(new ZParams(), "a", "a"));
    assertEquals(List.of(), jedis.zinter(new ZParams(), "a", "nokey"));
  }

  @BothProtocols
  void zunion_infinitiesThatCancel_sumToZero(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.zadd("p", 1, "m");
    jedis.zadd("q", 1, "m");
    assertEquals(
        List.of(t("m", 0)),
        jedis.zunionWithScores(
            new ZParams().weights(Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY), "p", "q"));
    send(jedis, Protocol.Command.ZADD, "r", "+inf", "m");
    // inf * 0 is NaN, which Redis turns into 0
    assertEquals(List.of(t("m", 0)), jedis.zunionWithScores(new ZParams().weights(0), "r"));
  }

  @BothProtocols
  void zdiff_keepsMembersOnlyInFirst(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    twoSets(jedis);
    assertEquals(List.of(t("x", 1)), jedis.zdiffWithScores("a", "b"));
    assertEquals(List.of("w"), jedis.zdiff("b", "a"));
    assertEquals(List.of(), jedis.zdiff("a", "a"));
    assertEquals(List.of("x", "y", "z"), jedis.zdiff("a", "nokey"));
    assertEquals(List.of(), jedis.zdiff("nokey", "a"));
  }

  @BothProtocols
  void setOperations_store_replaceOrDeleteDestination(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    twoSets(jedis);
    jedis.set("d", "string");
    assertEquals(4, jedis.zunionstore("d", "a", "b"));
    assertEquals(
        List.of(t("x", 1), t("y", 12), t("z", 23), t("w", 30)), jedis.zrangeWithScores("d", 0, -1));
    assertEquals(
        2, jedis.zinterstore("d", new ZParams().aggregate(ZParams.Aggregate.MAX), "a", "b"));
    assertEquals(List.of(t("y", 10), t("z", 20)), jedis.zrangeWithScores("d", 0, -1));
    assertEquals(1, jedis.zdiffstore("d", "a", "b"));
    assertEquals(List.of(t("x", 1)), jedis.zrangeWithScores("d", 0, -1));
    assertEquals(0, jedis.zdiffstore("d", "a", "a"));
    assertFalse(jedis.exists("d"));
    assertEquals(3, jedis.zunionstore("a", "a", "nokey"));
    assertEquals(List.of("x", "y", "z"), jedis.zrange("a", 0, -1));
  }

  @BothProtocols
  void zintercard_countsWithOptionalLimit(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    twoSets(jedis);
    assertEquals(2, jedis.zintercard("a", "b"));
    assertEquals(1, jedis.zintercard(1, "a", "b"));
    assertEquals(2, jedis.zintercard(0, "a", "b"));
    assertEquals(0, jedis.zintercard("a", "b", "nokey"));
    assertError(
        "ERR LIMIT can't be negative",
        () -> send(jedis, Protocol.Command.ZINTERCARD, "1", "a", "LIMIT", "-1"));
    assertError(
        "ERR LIMIT can't be negative",
        () -> send(jedis, Protocol.Command.ZINTERCARD, "1", "a", "LIMIT", "x"));
    assertError(
        "ERR at least 1 input key is needed for 'zintercard' command",
        () -> send(jedis, Protocol.Command.ZINTERCARD, "0", "a"));
    assertError(
        Errors.SYNTAX, () -> send(jedis, Protocol.Command.ZINTERCARD, "1", "a", "WITHSCORES"));
  }

  @BothProtocols
  void setOperations_badArguments_returnRedisErrors(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    twoSets(jedis);
    jedis.set("s", "v");
    assertError(
        "ERR at least 1 input key is needed for 'zunionstore' command",
        () -> send(jedis, Protocol.Command.ZUNIONSTORE, "d", "0", "a"));
    assertError(
        "ERR at least 1 input key is needed for 'zunion' command",
        () -> send(jedis, Protocol.Command.ZUNION, "0", "a"));
    assertError(Errors.NOT_INTEGER, () -> send(jedis, Protocol.Command.ZINTER, "x", "a"));
    assertError(Errors.SYNTAX, () -> send(jedis, Protocol.Command.ZUNION, "3", "a", "b"));
    assertError(
        "ERR weight value is not a float",
        () -> send(jedis, Protocol.Command.ZUNION, "2", "a", "b", "WEIGHTS", "1", "x"));
    assertError(
        Errors.SYNTAX, () -> send(jedis, Protocol.Command.ZUNION, "2", "a", "b", "WEIGHTS", "1"));
    assertError(
        Errors.SYNTAX,
        () -> send(jedis, Protocol.Command.ZUNION, "2", "a", "b", "AGGREGATE", "avg"));
    assertError(
        Errors.SYNTAX,
        () -> send(jedis, Protocol.Command.ZDIFF, "2", "a", "b", "WEIGHTS", "1", "2"));
    assertError(
        Errors.SYNTAX,
        () -> send(jedis, Protocol.Command.ZUNIONSTORE, "d", "2", "a", "b", "WITHSCORES"));
    assertError(WRONGTYPE, () -> send(jedis, Protocol.Command.ZUNION, "2", "a", "s"));
    assertError(WRONGTYPE, () -> send(jedis, Protocol.Command.ZINTERSTORE, "d", "2", "s", "a"));
    assertFalse(jedis.exists("d"));
  }

  // ---- ZRANDMEMBER ----

  @BothProtocols
  void zrandmember_withoutCount_returnsAMemberOrNil(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    abcde(jedis);
    assertTrue(Set.of("a", "b", "c", "d", "e").contains(jedis.zrandmember("z")));
    assertNull(jedis.zrandmember("nokey"));
    assertEquals(List.of(), jedis.zrandmember("nokey", 3));
  }

  @BothProtocols
  void zrandmember_countAtLeastSize_returnsWholeSetHighestFirst(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    abcde(jedis);
    assertEquals(List.of("e", "d", "c", "b", "a"), jedis.zrandmember("z", 10));
    assertEquals(
        List.of(t("e", 5), t("d", 4), t("c", 3), t("b", 2), t("a", 1)),
        jedis.zrandmemberWithScores("z", 5));
    assertEquals(List.of(), jedis.zrandmember("z", 0));
  }

  @BothProtocols
  void zrandmember_positiveCount_returnsDistinctMembers(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    for (int i = 0; i < 300; i++) {
      jedis.zadd("big", i, "m" + i);
    }
    abcde(jedis);
    for (String key : List.of("z", "big")) {
      for (int count : new int[] {1, 3, 4, 100, 250}) {
        if (key.equals("z") && count > 4) {
          continue;
        }
        List<Tuple> picked = jedis.zrandmemberWithScores(key, count);
        assertEquals(count, picked.size());
        assertEquals(count, new HashSet<>(picked).size());
        for (Tuple tuple : picked) {
          assertEquals(jedis.zscore(key, tuple.getElement()), tuple.getScore());
        }
      }
    }
  }

  @BothProtocols
  void zrandmember_negativeCount_mayRepeatMembers(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.zadd("z", Map.of("a", 1.0, "b", 2.0));
    List<String> picked = jedis.zrandmember("z", -50);
    assertEquals(50, picked.size());
    assertTrue(Set.of("a", "b").containsAll(picked));
    assertEquals(Set.of("a", "b"), new HashSet<>(picked)); // 2^-49 chance to fail
    List<Tuple> withScores = jedis.zrandmemberWithScores("z", -3);
    assertEquals(3, withScores.size());
    for (Tuple tuple : withScores) {
      assertEquals(tuple.getElement().equals("a") ? 1.0 : 2.0, tuple.getScore());
    }
  }

  @BothProtocols
  void zrandmember_badArguments_returnRedisErrors(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    abcde(jedis);
    assertError(Errors.SYNTAX, () -> send(jedis, Protocol.Command.ZRANDMEMBER, "z", "1", "foo"));
    assertError(
        Errors.SYNTAX,
        () -> send(jedis, Protocol.Command.ZRANDMEMBER, "z", "1", "withscores", "x"));
    assertError(Errors.NOT_INTEGER, () -> send(jedis, Protocol.Command.ZRANDMEMBER, "z", "x"));
    assertError(
        "ERR value is out of range, value must between -9223372036854775807 and"
            + " 9223372036854775807",
        () -> send(jedis, Protocol.Command.ZRANDMEMBER, "z", "-9223372036854775808"));
    assertError(
        "ERR value is out of range",
        () -> send(jedis, Protocol.Command.ZRANDMEMBER, "z", "9223372036854775807", "WITHSCORES"));
    jedis.set("s", "v");
    assertError(WRONGTYPE, () -> jedis.zrandmember("s"));
  }

  // ---- ZSCAN ----

  @BothProtocols
  void zscan_smallSet_returnsEverythingInOneCall(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    abcde(jedis);
    ScanResult<Tuple> result = jedis.zscan("z", ScanParams.SCAN_POINTER_START);
    assertEquals("0", result.getCursor());
    assertEquals(
        List.of(t("a", 1), t("b", 2), t("c", 3), t("d", 4), t("e", 5)), result.getResult());
    ScanResult<Tuple> missing = jedis.zscan("nokey", "0");
    assertEquals("0", missing.getCursor());
    assertEquals(List.of(), missing.getResult());
  }

  @BothProtocols
  void zscan_thousandMembers_returnsEveryMemberWithItsScore(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    Map<String, Double> members = new HashMap<>();
    for (int i = 0; i < 1_000; i++) {
      members.put("member:" + i, i / 2.0);
    }
    jedis.zadd("z", members);
    assertEquals("skiplist", jedis.objectEncoding("z"));
    Map<String, Double> seen = new HashMap<>();
    String cursor = "0";
    int calls = 0;
    do {
      ScanResult<Tuple> page = jedis.zscan("z", cursor, new ScanParams().count(50));
      for (Tuple tuple : page.getResult()) {
        seen.put(tuple.getElement(), tuple.getScore());
      }
      cursor = page.getCursor();
      calls++;
    } while (!cursor.equals("0"));
    assertEquals(members, seen);
    assertTrue(calls > 1, "a large set is scanned in several calls");
  }

  @BothProtocols
  void zscan_match_filtersMembers(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.zadd("z", Map.of("apple", 1.0, "avocado", 2.0, "banana", 3.0));
    ScanResult<Tuple> result = jedis.zscan("z", "0", new ScanParams().match("a*"));
    assertEquals(List.of(t("apple", 1), t("avocado", 2)), result.getResult());
  }

  @BothProtocols
  void zscan_badArguments_returnRedisErrors(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    abcde(jedis);
    assertError(Errors.INVALID_CURSOR, () -> send(jedis, Protocol.Command.ZSCAN, "z", "x"));
    assertError(Errors.SYNTAX, () -> send(jedis, Protocol.Command.ZSCAN, "z", "0", "COUNT", "0"));
    assertError(Errors.SYNTAX, () -> send(jedis, Protocol.Command.ZSCAN, "z", "0", "TYPE", "zset"));
    assertError(
        "ERR NOVALUES option can only be used in HSCAN",
        () -> send(jedis, Protocol.Command.ZSCAN, "z", "0", "NOVALUES"));
    jedis.set("s", "v");
    assertError(WRONGTYPE, () -> jedis.zscan("s", "0"));
  }

  // ---- encodings ----

  @BothProtocols
  void objectEncoding_listpackUpToThresholds_thenSkiplistForGood(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    Map<String, Double> members = new HashMap<>();
    for (int i = 0; i < 128; i++) {
      members.put("m" + i, (double) i);
    }
    jedis.zadd("z", members);
    assertEquals("listpack", jedis.objectEncoding("z"));
    jedis.zadd("z", 0, "m0");
    assertEquals("listpack", jedis.objectEncoding("z"));
    jedis.zadd("z", 500, "m128");
    assertEquals("skiplist", jedis.objectEncoding("z"));
    jedis.zrem("z", "m128", "m1", "m2");
    assertEquals("skiplist", jedis.objectEncoding("z"));

    jedis.zadd("w", 1, "x".repeat(64));
    assertEquals("listpack", jedis.objectEncoding("w"));
    jedis.zadd("w", 1, "x".repeat(65));
    assertEquals("skiplist", jedis.objectEncoding("w"));
  }

  @BothProtocols
  void objectEncoding_storedResults_followTheirSize(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    for (int i = 0; i < 200; i++) {
      jedis.zadd("big", i, "m" + i);
    }
    jedis.zadd("small", 1, "m1");
    jedis.zinterstore("inter", "big", "small");
    assertEquals("listpack", jedis.objectEncoding("inter"));
    jedis.zunionstore("union", "big", "small");
    assertEquals("skiplist", jedis.objectEncoding("union"));
    jedis.zrangestore("range", "big", ZRangeParams.zrangeParams(0, 9));
    assertEquals("listpack", jedis.objectEncoding("range"));
    jedis.copy("big", "copy", false);
    assertEquals("skiplist", jedis.objectEncoding("copy"));
    assertEquals(jedis.zrangeWithScores("big", 0, -1), jedis.zrangeWithScores("copy", 0, -1));
  }

  // ---- keyspace notifications and memory accounting ----

  @Test
  void notifications_followRedisEventNames() {
    Keyspace keyspace = server.context().keyspace();
    List<String> events = new CopyOnWriteArrayList<>();
    KeyspaceEvents recorder =
        (type, event, key, db) -> events.add(event + " " + new String(key, StandardCharsets.UTF_8));
    keyspace.events(recorder);
    keyspace.notifyFlags(NotifyFlags.ALL | NotifyFlags.KEYEVENT);
    try {
      Jedis jedis = jedis(RedisProtocol.RESP2);
      jedis.zadd("z", Map.of("a", 1.0, "b", 2.0, "c", 3.0));
      jedis.zadd("z", 1, "a"); // no change, no event
      jedis.zincrby("z", 1, "a");
      jedis.zrem("z", "a");
      jedis.zpopmin("z");
      jedis.zadd("z", 1, "x");
      jedis.zremrangeByScore("z", "-inf", "+inf");
      jedis.zadd("z", Map.of("a", 1.0, "b", 2.0));
      jedis.zunionstore("u", "z");
      jedis.zrangestore("r", "z", ZRangeParams.zrangeParams(0, 0));
      jedis.zrangestore("r", "z", ZRangeParams.zrangeParams(5, 6));
      jedis.zpopmax("z", 5);
      assertEquals(
          List.of(
              "zadd z",
              "zincr z",
              "zrem z",
              "zpopmin z",
              "zadd z",
              "zremrangebyscore z",
              "del z",
              "zadd z",
              "zunionstore u",
              "zrangestore r",
              "del r",
              "zpopmax z",
              "del z"),
          events);
    } finally {
      keyspace.notifyFlags(0);
      keyspace.events(KeyspaceEvents.NONE);
    }
  }

  @BothProtocols
  void usedMemory_growsWithMembersAndFallsWhenKeyGoes(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    long before = server.context().keyspace().usedMemory();
    Map<String, Double> members = new HashMap<>();
    for (int i = 0; i < 1_000; i++) {
      members.put("member:" + i, (double) i);
    }
    jedis.zadd("z", members);
    long after = server.context().keyspace().usedMemory();
    assertTrue(after - before > 1_000 * 60, "grew by " + (after - before));
    jedis.zremrangeByRank("z", 0, 499);
    long half = server.context().keyspace().usedMemory();
    assertTrue(half < after - 500 * 60, "after removing half: " + half + " of " + after);
    jedis.del("z");
    assertEquals(before, server.context().keyspace().usedMemory());
  }

  // ---- COMMAND INFO ----

  private static List<Object> simples(String... texts) {
    List<Object> list = new ArrayList<>();
    for (String text : texts) {
      list.add(new RespSocket.Simple(text));
    }
    return list;
  }

  @Test
  void commandInfo_reportsRedisArityFlagsKeysAndCategories() {
    try (RespSocket resp = RespSocket.connect(server.port())) {
      List<?> infos =
          (List<?>)
              resp.call("COMMAND", "INFO", "zadd", "zrank", "zunion", "bzpopmin", "zrangestore");
      List<?> zadd = (List<?>) infos.get(0);
      assertEquals(
          List.of("zadd", -4L, simples("write", "denyoom", "fast"), 1L, 1L, 1L),
          zadd.subList(0, 6));
      assertEquals(simples("@write", "@sortedset", "@fast"), zadd.get(6));
      List<?> zrank = (List<?>) infos.get(1);
      assertEquals(
          List.of("zrank", -3L, simples("readonly", "fast"), 1L, 1L, 1L), zrank.subList(0, 6));
      List<?> zunion = (List<?>) infos.get(2);
      assertEquals(
          List.of("zunion", -3L, simples("readonly", "movablekeys"), 0L, 0L, 0L),
          zunion.subList(0, 6));
      assertEquals(simples("@read", "@sortedset", "@slow"), zunion.get(6));
      List<?> bzpopmin = (List<?>) infos.get(3);
      assertEquals(
          List.of("bzpopmin", -3L, simples("write", "noscript", "blocking", "fast"), 1L, -2L, 1L),
          bzpopmin.subList(0, 6));
      List<?> zrangestore = (List<?>) infos.get(4);
      assertEquals(
          List.of("zrangestore", -5L, simples("write", "denyoom"), 1L, 2L, 1L),
          zrangestore.subList(0, 6));
    }
  }

  // ---- RESP3 reply shapes ----

  @Test
  void resp3Shapes_withScoresArePairsOfMemberAndDouble() {
    try (RespSocket resp = RespSocket.connect(server.port())) {
      resp.call("HELLO", "3");
      resp.call("ZADD", "z", "1", "a", "2.5", "b", "3", "c");
      assertEquals(
          List.of(List.of("a", 1.0), List.of("b", 2.5)),
          resp.call("ZRANGE", "z", "0", "1", "WITHSCORES"));
      assertEquals(
          List.of(List.of("c", 3.0)),
          resp.call("ZRANGEBYSCORE", "z", "(2.5", "+inf", "WITHSCORES"));
      assertEquals(List.of("a", "b", "c"), resp.call("ZRANGE", "z", "0", "-1"));
      assertEquals(2.5, resp.call("ZSCORE", "z", "b"));
      assertEquals(RespSocket.Nil.NULL, resp.call("ZSCORE", "z", "x"));
      assertEquals(List.of(1L, 2.5), resp.call("ZRANK", "z", "b", "WITHSCORE"));
      assertEquals(RespSocket.Nil.NULL, resp.call("ZRANK", "z", "x", "WITHSCORE"));
      assertEquals(
          List.of(List.of("c", 3.0), List.of("b", 2.5), List.of("a", 1.0)),
          resp.call("ZRANDMEMBER", "z", "5", "WITHSCORES"));
      assertEquals(
          List.of(List.of("a", 1.0), List.of("b", 2.5), List.of("c", 3.0)),
          resp.call("ZUNION", "1", "z", "WITHSCORES"));
      assertEquals(4.5, resp.call("ZINCRBY", "z", "2", "b"));
      // ZSCAN keeps scores as bulk strings in both protocols
      assertEquals(
          List.of("0", List.of("a", "1", "c", "3", "b", "4.5")), resp.call("ZSCAN", "z", "0"));
      assertEquals(List.of("a", 1.0), resp.call("ZPOPMIN", "z"));
      assertEquals(List.of(List.of("b", 4.5)), resp.call("ZPOPMAX", "z", "1"));
      resp.call("ZADD", "z", "1", "a", "2", "b");
      assertEquals(
          List.of("z", List.of(List.of("a", 1.0), List.of("b", 2.0))),
          resp.call("ZMPOP", "1", "z", "MIN", "COUNT", "2"));
      assertEquals(RespSocket.Nil.NULL, resp.call("ZMPOP", "1", "nokey", "MIN"));
      assertEquals(List.of("z", "c", 3.0), resp.call("BZPOPMIN", "z", "0"));
      assertEquals(List.of(), resp.call("ZPOPMIN", "z"));
    }
  }

  @Test
  void resp2Shapes_withScoresAreFlatAndMissingAggregatesAreNullArrays() {
    try (RespSocket resp = RespSocket.connect(server.port())) {
      resp.call("ZADD", "z", "1", "a", "2.5", "b");
      assertEquals(
          List.of("a", "1", "b", "2.5"), resp.call("ZRANGE", "z", "0", "-1", "WITHSCORES"));
      assertEquals(List.of(1L, "2.5"), resp.call("ZRANK", "z", "b", "WITHSCORE"));
      assertEquals(RespSocket.Nil.ARRAY, resp.call("ZRANK", "z", "x", "WITHSCORE"));
      assertEquals(RespSocket.Nil.BULK, resp.call("ZRANK", "z", "x"));
      assertEquals(RespSocket.Nil.ARRAY, resp.call("ZMPOP", "1", "nokey", "MIN"));
      assertEquals(List.of("b", "2.5"), resp.call("ZPOPMAX", "z", "1"));
      assertEquals(List.of("z", List.of(List.of("a", "1"))), resp.call("ZMPOP", "1", "z", "MAX"));
      assertInstanceOf(RespSocket.Err.class, resp.call("ZADD", "z", "x", "a"));
    }
  }

  @Test
  void lettuceResp3_withScoresRepliesAreNestedPairs() {
    RedisClient client = server.lettuceClient(ProtocolVersion.RESP3);
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      RedisCommands<String, String> redis = connection.sync();
      redis.flushall();
      redis.zadd("z", 1.0, "a", 2.5, "b", 3.0, "c");
      List<Object> raw =
          redis.dispatch(
              CommandType.ZRANGE,
              new ArrayOutput<>(StringCodec.UTF8),
              new CommandArgs<>(StringCodec.UTF8).addKey("z").add(0).add(-1).add("WITHSCORES"));
      assertEquals(List.of(List.of("a", 1.0), List.of("b", 2.5), List.of("c", 3.0)), raw);
      assertEquals(
          List.of(ScoredValue.just(1, "a"), ScoredValue.just(2.5, "b"), ScoredValue.just(3, "c")),
          redis.zrangeWithScores("z", 0, -1));
      assertEquals(
          List.of(ScoredValue.just(3, "c"), ScoredValue.just(2.5, "b")),
          redis.zrevrangeWithScores("z", 0, 1));
      assertEquals(ScoredValue.just(1, "a"), redis.zpopmin("z"));
      assertEquals(List.of(ScoredValue.just(3, "c")), redis.zpopmax("z", 1));
      assertEquals(List.of(ScoredValue.just(2.5, "b")), redis.zrandmemberWithScores("z", 1));
      assertEquals(2.5, redis.zscore("z", "b"));
      List<Object> union =
          redis.dispatch(
              CommandType.ZUNION,
              new ArrayOutput<>(StringCodec.UTF8),
              new CommandArgs<>(StringCodec.UTF8).add(1).addKey("z").add("WITHSCORES"));
      assertEquals(List.of(List.of("b", 2.5)), union);
    } finally {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
  }

  /** Records what a handler wrote, for the block-request tests. */
}
