package dev.sluice.proxy.commands;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.proxy.testing.BothProtocols;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.params.GetExParams;
import redis.clients.jedis.params.LCSParams;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.resps.LCSMatchResult;
import redis.clients.jedis.resps.LCSMatchResult.MatchedPosition;

/** The string commands through Jedis 5 over real sockets, in RESP2 and RESP3. */
class StringCommandsTest extends JedisServerTest {
  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String raw(Jedis jedis, Protocol.Command command, String... args) {
    Object reply = jedis.sendCommand(command, args);
    return reply == null ? null : new String((byte[]) reply, StandardCharsets.UTF_8);
  }

  // ---- GET / SET ----

  @BothProtocols
  void get_missingKey_returnsNil(RedisProtocol protocol) {
    assertNull(jedis(protocol).get("missing"));
  }

  @BothProtocols
  void set_plain_storesValueWithoutTtl(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    assertEquals("OK", jedis.set("k", "hello"));
    assertEquals("hello", jedis.get("k"));
    assertEquals(-1, jedis.ttl("k"));
  }

  @BothProtocols
  void set_binaryValue_roundTripsEveryByte(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    byte[] value = new byte[256];
    for (int i = 0; i < value.length; i++) {
      value[i] = (byte) i;
    }
    jedis.set(bytes("bin"), value);
    assertArrayEquals(value, jedis.get(bytes("bin")));
  }

  @BothProtocols
  void set_withEx_setsTtlInSeconds(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    assertEquals("OK", jedis.set("k", "v", SetParams.setParams().ex(100)));
    assertEquals(100, jedis.ttl("k"));
    assertEquals(100_000, jedis.pttl("k"));
  }

  @BothProtocols
  void set_withPx_setsTtlInMillis(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    assertEquals("OK", jedis.set("k", "v", SetParams.setParams().px(1500)));
    assertEquals(1500, jedis.pttl("k"));
    assertEquals(2, jedis.ttl("k")); // Redis rounds TTL to the nearest second
  }

  @BothProtocols
  void set_withExat_expiresAtUnixSeconds(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    long at = now() / 1000 + 250;
    assertEquals("OK", jedis.set("k", "v", SetParams.setParams().exAt(at)));
    assertEquals(at, jedis.expireTime("k"));
    assertEquals(at * 1000, jedis.pexpireTime("k"));
  }

  @BothProtocols
  void set_withPxat_expiresAtUnixMillis(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    long at = now() + 2_345;
    assertEquals("OK", jedis.set("k", "v", SetParams.setParams().pxAt(at)));
    assertEquals(at, jedis.pexpireTime("k"));
    assertEquals(2_345, jedis.pttl("k"));
  }

  @BothProtocols
  void set_withPxatInThePast_leavesNoKey(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    assertEquals("OK", jedis.set("k", "v", SetParams.setParams().pxAt(now() - 1)));
    assertNull(jedis.get("k"));
    assertFalse(jedis.exists("k"));
  }

  @BothProtocols
  void set_withNxOnExistingKey_returnsNil(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.set("k", "old");
    assertNull(jedis.set("k", "new", SetParams.setParams().nx()));
    assertEquals("old", jedis.get("k"));
  }

  @BothProtocols
  void set_withNxOnMissingKey_setsValue(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    assertEquals("OK", jedis.set("k", "new", SetParams.setParams().nx()));
    assertEquals("new", jedis.get("k"));
  }

  @BothProtocols
  void set_withXxOnMissingKey_returnsNilAndCreatesNothing(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    assertNull(jedis.set("k", "v", SetParams.setParams().xx()));
    assertFalse(jedis.exists("k"));
  }

  @BothProtocols
  void set_withXxOnExistingKey_overwrites(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.set("k", "old");
    assertEquals("OK", jedis.set("k", "new", SetParams.setParams().xx()));
    assertEquals("new", jedis.get("k"));
  }

  @BothProtocols
  void set_withoutKeepTtlOnKeyWithTtl_clearsTtl(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.setex("k", 100, "v");
    jedis.set("k", "w");
    assertEquals(-1, jedis.ttl("k"));
  }

  @BothProtocols
  void set_withKeepTtl_keepsExistingTtl(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.psetex("k", 5_000, "v");
    assertEquals("OK", jedis.set("k", "w", SetParams.setParams().keepTtl()));
    assertEquals("w", jedis.get("k"));
    assertEquals(5_000, jedis.pttl("k"));
  }

  @BothProtocols
  void set_withGet_returnsOldValueAndSets(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.set("k", "old");
    assertEquals("old", jedis.setGet("k", "new"));
    assertEquals("new", jedis.get("k"));
  }

  @BothProtocols
  void set_withGetOnMissingKey_returnsNilAndSets(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    assertNull(jedis.setGet("k", "new"));
    assertEquals("new", jedis.get("k"));
  }

  @BothProtocols
  void set_withNxAndGetOnExistingKey_returnsOldValueWithoutSetting(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.set("k", "old");
    assertEquals("old", jedis.setGet("k", "new", SetParams.setParams().nx()));
    assertEquals("old", jedis.get("k"));
  }

  @BothProtocols
  void set_withGetAndEx_returnsOldValueAndSetsTtl(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.set("k", "old");
    assertEquals("old", jedis.setGet("k", "new", SetParams.setParams().ex(30)));
    assertEquals(30, jedis.ttl("k"));
  }

  @BothProtocols
  void set_withExZero_returnsInvalidExpireTime(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    assertError(
        "ERR invalid expire time in 'set' command",
        () -> jedis.sendCommand(Protocol.Command.SET, "k", "v", "EX", "0"));
    assertError(
        "ERR invalid expire time in 'set' command",
        () -> jedis.sendCommand(Protocol.Command.SET, "k", "v", "PX", "-5"));
    assertFalse(jedis.exists("k"));
  }

  @BothProtocols
  void set_withNonIntegerEx_returnsNotAnInteger(RedisProtocol protocol) {
    assertError(
        "ERR value is not an integer or out of range",
        () -> jedis(protocol).sendCommand(Protocol.Command.SET, "k", "v", "EX", "1.5"));
  }

  @BothProtocols
  void set_withNxAndXx_returnsSyntaxError(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    assertError(
        "ERR syntax error", () -> jedis.sendCommand(Protocol.Command.SET, "k", "v", "NX", "XX"));
    assertError(
        "ERR syntax error",
        () -> jedis.sendCommand(Protocol.Command.SET, "k", "v", "EX", "10", "PX", "100"));
    assertError(
        "ERR syntax error",
        () -> jedis.sendCommand(Protocol.Command.SET, "k", "v", "KEEPTTL", "EX", "10"));
    assertError("ERR syntax error", () -> jedis.sendCommand(Protocol.Command.SET, "k", "v", "EX"));
    assertFalse(jedis.exists("k"));
  }

  @BothProtocols
  void set_withRepeatedExpiryOption_lastOneWins(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    assertEquals("OK", raw(jedis, Protocol.Command.SET, "k", "v", "PX", "10", "PX", "2000"));
    assertEquals(2000, jedis.pttl("k"));
    assertEquals("OK", raw(jedis, Protocol.Command.SET, "k", "v", "EX", "0", "EX", "5"));
    assertEquals(5, jedis.ttl("k"));
    assertEquals("v", raw(jedis, Protocol.Command.SET, "k", "w", "XX", "XX", "GET", "GET"));
    assertEquals("w", jedis.get("k"));
    assertError(
        "ERR syntax error",
        () -> jedis.sendCommand(Protocol.Command.SET, "k", "v", "PXAT", "1", "EXAT", "5"));
  }

  @BothProtocols
  void set_withLowercaseOptions_isAccepted(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    assertEquals("OK", raw(jedis, Protocol.Command.SET, "k", "v", "px", "700", "nx"));
    assertEquals(700, jedis.pttl("k"));
  }

  // ---- SETNX / SETEX / PSETEX ----

  @BothProtocols
  void setnx_onMissingAndExistingKey_returnsOneThenZero(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    assertEquals(1, jedis.setnx("k", "first"));
    assertEquals(0, jedis.setnx("k", "second"));
    assertEquals("first", jedis.get("k"));
  }

  @BothProtocols
  void setex_setsValueAndTtl(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    assertEquals("OK", jedis.setex("k", 42, "v"));
    assertEquals("v", jedis.get("k"));
    assertEquals(42, jedis.ttl("k"));
  }

  @BothProtocols
  void setex_withZeroSeconds_returnsInvalidExpireTime(RedisProtocol protocol) {
    assertError(
        "ERR invalid expire time in 'setex' command", () -> jedis(protocol).setex("k", 0, "v"));
  }

  @BothProtocols
  void psetex_setsValueAndTtlInMillis(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    assertEquals("OK", jedis.psetex("k", 1234, "v"));
    assertEquals("v", jedis.get("k"));
    assertEquals(1234, jedis.pttl("k"));
  }

  @BothProtocols
  void psetex_withNegativeMillis_returnsInvalidExpireTime(RedisProtocol protocol) {
    assertError(
        "ERR invalid expire time in 'psetex' command", () -> jedis(protocol).psetex("k", -1, "v"));
  }

  // ---- GETEX / GETDEL / GETSET ----

  @BothProtocols
  void getex_withoutOptions_returnsValueAndKeepsTtl(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.setex("k", 50, "v");
    assertEquals("v", jedis.getEx("k", GetExParams.getExParams()));
    assertEquals(50, jedis.ttl("k"));
  }

  @BothProtocols
  void getex_withEx_setsTtlInSeconds(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.set("k", "v");
    assertEquals("v", jedis.getEx("k", GetExParams.getExParams().ex(77)));
    assertEquals(77, jedis.ttl("k"));
  }

  @BothProtocols
  void getex_withPx_setsTtlInMillis(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.set("k", "v");
    assertEquals("v", jedis.getEx("k", GetExParams.getExParams().px(777)));
    assertEquals(777, jedis.pttl("k"));
  }

  @BothProtocols
  void getex_withExat_setsAbsoluteExpiry(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.set("k", "v");
    long at = now() / 1000 + 1000;
    assertEquals("v", jedis.getEx("k", GetExParams.getExParams().exAt(at)));
    assertEquals(at, jedis.expireTime("k"));
  }

  @BothProtocols
  void getex_withPxat_setsAbsoluteExpiry(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.set("k", "v");
    long at = now() + 9_999;
    assertEquals("v", jedis.getEx("k", GetExParams.getExParams().pxAt(at)));
    assertEquals(at, jedis.pexpireTime("k"));
  }

  @BothProtocols
  void getex_withPersist_removesTtl(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.setex("k", 100, "v");
    assertEquals("v", jedis.getEx("k", GetExParams.getExParams().persist()));
    assertEquals(-1, jedis.ttl("k"));
  }

  @BothProtocols
  void getex_withRepeatedExpiryOption_lastOneWins(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.set("k", "v");
    assertEquals("v", raw(jedis, Protocol.Command.GETEX, "k", "EX", "10", "EX", "20"));
    assertEquals(20, jedis.ttl("k"));
    assertEquals("v", raw(jedis, Protocol.Command.GETEX, "k", "PERSIST", "PERSIST"));
    assertEquals(-1, jedis.ttl("k"));
    assertError(
        "ERR syntax error",
        () -> jedis.sendCommand(Protocol.Command.GETEX, "k", "EX", "10", "PX", "100"));
  }

  @BothProtocols
  void getex_onMissingKey_returnsNil(RedisProtocol protocol) {
    assertNull(jedis(protocol).getEx("missing", GetExParams.getExParams().ex(10)));
  }

  @BothProtocols
  void getex_withZeroEx_returnsInvalidExpireTime(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.set("k", "v");
    assertError(
        "ERR invalid expire time in 'getex' command",
        () -> jedis.getEx("k", GetExParams.getExParams().ex(0)));
    assertError(
        "ERR syntax error",
        () -> jedis.sendCommand(Protocol.Command.GETEX, "k", "EX", "10", "PERSIST"));
    assertEquals(-1, jedis.ttl("k"));
  }

  @BothProtocols
  void getdel_existingKey_returnsValueAndDeletes(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.set("k", "v");
    assertEquals("v", jedis.getDel("k"));
    assertFalse(jedis.exists("k"));
    assertNull(jedis.getDel("k"));
  }

  @BothProtocols
  void getset_existingKeyWithTtl_returnsOldValueAndClearsTtl(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.setex("k", 100, "old");
    assertEquals("old", jedis.getSet("k", "new"));
    assertEquals("new", jedis.get("k"));
    assertEquals(-1, jedis.ttl("k"));
  }

  @BothProtocols
  void getset_missingKey_returnsNilAndSets(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    assertNull(jedis.getSet("k", "new"));
    assertEquals("new", jedis.get("k"));
  }

  // ---- MGET / MSET / MSETNX ----

  @BothProtocols
  void mget_withMissingKeys_returnsNilInTheirPlaces(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.set("a", "1");
    jedis.set("c", "3");
    assertEquals(Arrays.asList("1", null, "3", null), jedis.mget("a", "b", "c", "d"));
  }

  @BothProtocols
  void mset_multiplePairs_setsAllAndLastDuplicateWins(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.setex("a", 100, "old");
    assertEquals("OK", jedis.mset("a", "1", "b", "2", "a", "3"));
    assertEquals(List.of("3", "2"), jedis.mget("a", "b"));
    assertEquals(-1, jedis.ttl("a"));
  }

  @BothProtocols
  void mset_oddNumberOfArguments_returnsWrongArity(RedisProtocol protocol) {
    assertError(
        "ERR wrong number of arguments for 'mset' command",
        () -> jedis(protocol).sendCommand(Protocol.Command.MSET, "a", "1", "b"));
  }

  @BothProtocols
  void msetnx_allKeysNew_setsAllAndReturnsOne(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    assertEquals(1, jedis.msetnx("a", "1", "b", "2"));
    assertEquals(List.of("1", "2"), jedis.mget("a", "b"));
  }

  @BothProtocols
  void msetnx_oneKeyExists_setsNothingAndReturnsZero(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.set("b", "old");
    assertEquals(0, jedis.msetnx("a", "1", "b", "2", "c", "3"));
    assertEquals(Arrays.asList(null, "old", null), jedis.mget("a", "b", "c"));
  }

  // ---- INCR / DECR family ----

  @BothProtocols
  void incr_missingKey_startsFromZero(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    assertEquals(1, jedis.incr("n"));
    assertEquals(2, jedis.incr("n"));
    assertEquals("2", jedis.get("n"));
  }

  @BothProtocols
  void incr_keepsExistingTtl(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.setex("n", 60, "10");
    assertEquals(11, jedis.incr("n"));
    assertEquals(60, jedis.ttl("n"));
  }

  @BothProtocols
  void incr_nonIntegerValue_returnsNotAnInteger(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.set("n", "abc");
    assertError("ERR value is not an integer or out of range", () -> jedis.incr("n"));
    jedis.set("n", " 1");
    assertError("ERR value is not an integer or out of range", () -> jedis.incr("n"));
    jedis.set("n", "01");
    assertError("ERR value is not an integer or out of range", () -> jedis.incr("n"));
    jedis.set("n", "1.0");
    assertError("ERR value is not an integer or out of range", () -> jedis.incr("n"));
    assertEquals("1.0", jedis.get("n"));
  }

  @BothProtocols
  void incr_atLongMax_returnsOverflow(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.set("n", Long.toString(Long.MAX_VALUE));
    assertError("ERR increment or decrement would overflow", () -> jedis.incr("n"));
    assertEquals(Long.toString(Long.MAX_VALUE), jedis.get("n"));
  }

  @BothProtocols
  void incrby_positiveAndNegative_addsIncrement(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.set("n", "10");
    assertEquals(15, jedis.incrBy("n", 5));
    assertEquals(-85, jedis.incrBy("n", -100));
    assertEquals("-85", jedis.get("n"));
  }

  @BothProtocols
  void incrby_nonIntegerIncrement_returnsNotAnInteger(RedisProtocol protocol) {
    assertError(
        "ERR value is not an integer or out of range",
        () -> jedis(protocol).sendCommand(Protocol.Command.INCRBY, "n", "1.5"));
  }

  @BothProtocols
  void incrby_overflowingSum_returnsOverflow(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.set("n", "-9223372036854775800");
    assertError(
        "ERR increment or decrement would overflow",
        () -> jedis.incrBy("n", -9_223_372_036_854_775_000L));
  }

  @BothProtocols
  void decr_missingKey_goesNegative(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    assertEquals(-1, jedis.decr("n"));
    assertEquals(-2, jedis.decr("n"));
  }

  @BothProtocols
  void decr_atLongMin_returnsOverflow(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.set("n", Long.toString(Long.MIN_VALUE));
    assertError("ERR increment or decrement would overflow", () -> jedis.decr("n"));
  }

  @BothProtocols
  void decrby_subtractsDecrement(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.set("n", "10");
    assertEquals(3, jedis.decrBy("n", 7));
    assertEquals(13, jedis.decrBy("n", -10));
  }

  @BothProtocols
  void decrby_longMin_returnsDecrementWouldOverflow(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.set("n", "1");
    assertError("ERR decrement would overflow", () -> jedis.decrBy("n", Long.MIN_VALUE));
  }

  @BothProtocols
  void incrbyfloat_decimalIncrement_printsShortestDecimal(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.set("f", "10.5");
    assertEquals("10.6", raw(jedis, Protocol.Command.INCRBYFLOAT, "f", "0.1"));
    assertEquals("10.6", jedis.get("f"));
  }

  @BothProtocols
  void incrbyfloat_exponentNotation_printsPlainDecimal(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.set("f", "5.0e3");
    assertEquals("5010.5", raw(jedis, Protocol.Command.INCRBYFLOAT, "f", "10.5"));
    jedis.set("g", "5.0e3");
    assertEquals("5200", raw(jedis, Protocol.Command.INCRBYFLOAT, "g", "2.0e2"));
  }

  /** Expected texts are what redis-server prints: it adds in 80-bit long double, not double. */
  @BothProtocols
  void incrbyfloat_sumsInexactInDouble_printLikeRedisLongDouble(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    String[][] cases = {
      {"0.1", "0.2", "0.3"},
      {"1.1", "2.2", "3.3"},
      {"0.1", "0.7", "0.8"},
      {"0.3", "-0.1", "0.2"},
      {"1e17", "1", "100000000000000001"},
      {"99999999999999999999", "1", "100000000000000000000"},
      {"1e30", "1", "1000000000000000000024696061952"},
      {"123456789.123456789", "0", "123456789.12345678899873747"},
      {"1.23456789012345678", "0", "1.23456789012345678"},
      {"-0.1", "0.1", "0"},
      {"-1e-20", "0", "0"},
      {".5", ".5", "1"},
      {"2.5", "-5", "-2.5"},
    };
    for (String[] c : cases) {
      jedis.set("f", c[0]);
      assertEquals(c[2], raw(jedis, Protocol.Command.INCRBYFLOAT, "f", c[1]), c[0] + " + " + c[1]);
      assertEquals(c[2], jedis.get("f"));
    }
  }

  @BothProtocols
  void incrbyfloat_repeatedTenths_neverDrift(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    for (int i = 1; i <= 30; i++) {
      String expected =
          new java.math.BigDecimal(i).movePointLeft(1).stripTrailingZeros().toPlainString();
      assertEquals(expected, raw(jedis, Protocol.Command.INCRBYFLOAT, "f", "0.1"));
    }
  }

  @BothProtocols
  void incrbyfloat_beyondDoubleRange_staysFinite(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.set("f", "1e308");
    String sum = raw(jedis, Protocol.Command.INCRBYFLOAT, "f", "1e308");
    assertTrue(sum.startsWith("19999999999999999999337175931169129132112"), sum);
    assertEquals(309, sum.length());
    jedis.set("g", "1");
    String big = raw(jedis, Protocol.Command.INCRBYFLOAT, "g", "1e400");
    assertTrue(big.startsWith("10000000000000000000281880683947586514586"), big);
    assertEquals(401, big.length());
  }

  @BothProtocols
  void incrbyfloat_beyondLongDoubleRange_isRefused(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.set("f", "1");
    assertError(
        "ERR value is not a valid float",
        () -> jedis.sendCommand(Protocol.Command.INCRBYFLOAT, "f", "1e5000"));
    assertError(
        "ERR value is not a valid float",
        () -> jedis.sendCommand(Protocol.Command.INCRBYFLOAT, "f", "1e-5000"));
    jedis.set("f", "1e4932");
    assertError(
        "ERR increment would produce NaN or Infinity",
        () -> jedis.sendCommand(Protocol.Command.INCRBYFLOAT, "f", "1e4932"));
    assertEquals("1e4932", jedis.get("f"));
  }

  @BothProtocols
  void incrbyfloat_missingKeyAndNegative_startsFromZero(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    assertEquals("-1.25", raw(jedis, Protocol.Command.INCRBYFLOAT, "f", "-1.25"));
    assertEquals("3", raw(jedis, Protocol.Command.INCRBYFLOAT, "f", "4.25"));
  }

  @BothProtocols
  void incrbyfloat_nonFloatValueOrIncrement_returnsNotAValidFloat(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.set("f", "abc");
    assertError("ERR value is not a valid float", () -> jedis.incrByFloat("f", 1.0));
    jedis.set("g", "1");
    assertError(
        "ERR value is not a valid float",
        () -> jedis.sendCommand(Protocol.Command.INCRBYFLOAT, "g", "abc"));
    assertEquals("1", jedis.get("g"));
  }

  @BothProtocols
  void incrbyfloat_onInfinity_returnsNanOrInfinityError(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.set("f", "inf");
    assertError(
        "ERR increment would produce NaN or Infinity",
        () -> jedis.sendCommand(Protocol.Command.INCRBYFLOAT, "f", "1"));
  }

  // ---- APPEND / STRLEN / GETRANGE / SETRANGE ----

  @BothProtocols
  void append_missingThenExisting_returnsNewLength(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    assertEquals(5, jedis.append("k", "Hello"));
    assertEquals(11, jedis.append("k", " World"));
    assertEquals("Hello World", jedis.get("k"));
  }

  @BothProtocols
  void strlen_missingAndExistingKey_returnsByteLength(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    assertEquals(0, jedis.strlen("k"));
    jedis.set("k", "héllo"); // é is two bytes in UTF-8
    assertEquals(6, jedis.strlen("k"));
  }

  @BothProtocols
  void getrange_positiveAndNegativeIndexes_returnsSubstring(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.set("k", "This is a string");
    assertEquals("This", jedis.getrange("k", 0, 3));
    assertEquals("ing", jedis.getrange("k", -3, -1));
    assertEquals("This is a string", jedis.getrange("k", 0, -1));
    assertEquals("string", jedis.getrange("k", 10, 100));
    assertEquals("This", jedis.getrange("k", -100, 3));
    assertEquals("", jedis.getrange("k", 5, 2));
    assertEquals("", jedis.getrange("k", -1, -5));
    assertEquals("", jedis.getrange("k", 100, 200));
    assertEquals("", jedis.getrange("missing", 0, -1));
  }

  @BothProtocols
  void setrange_pastEndOfMissingKey_padsWithZeroBytes(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    assertEquals(8, jedis.setrange("k", 5, "abc"));
    assertArrayEquals(new byte[] {0, 0, 0, 0, 0, 'a', 'b', 'c'}, jedis.get(bytes("k")));
  }

  @BothProtocols
  void setrange_insideExistingValue_overwrites(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.set("k", "Hello World");
    assertEquals(11, jedis.setrange("k", 6, "Redis"));
    assertEquals("Hello Redis", jedis.get("k"));
    assertEquals(13, jedis.setrange("k", 11, "!!"));
    assertEquals("Hello Redis!!", jedis.get("k"));
  }

  @BothProtocols
  void setrange_emptyPatchOnMissingKey_returnsZeroAndCreatesNothing(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    assertEquals(0, jedis.setrange("k", 10, ""));
    assertFalse(jedis.exists("k"));
  }

  @BothProtocols
  void setrange_pastProtoMaxBulkLen_returnsStringTooLong(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    assertError(
        "ERR string exceeds maximum allowed size (proto-max-bulk-len)",
        () -> jedis.setrange("k", 512L * 1024 * 1024, "x"));
    assertFalse(jedis.exists("k"));
  }

  /**
   * Java arrays stop short of 2 GiB: with proto-max-bulk-len raised to its 4 GB maximum, a string
   * past that is refused with Redis's text (redis-server would allocate it), not an internal error.
   */
  @BothProtocols
  void setrange_pastJvmArrayLimitUnderRaisedProtoMaxBulkLen_returnsStringTooLong(
      RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    assertEquals("OK", jedis.configSet("proto-max-bulk-len", "4294967296"));
    try {
      jedis.set("s", "abc");
      for (String key : List.of("k", "s")) {
        assertError(
            "ERR string exceeds maximum allowed size (proto-max-bulk-len)",
            () -> jedis.setrange(key, 3_000_000_000L, "x"));
        assertError(
            "ERR string exceeds maximum allowed size (proto-max-bulk-len)",
            () -> jedis.setrange(key, Integer.MAX_VALUE - 8, "x"));
      }
      assertFalse(jedis.exists("k"));
      assertEquals("abc", jedis.get("s"));
    } finally {
      jedis.configSet("proto-max-bulk-len", "536870912");
    }
  }

  @BothProtocols
  void setrange_negativeOffset_returnsOffsetOutOfRange(RedisProtocol protocol) {
    assertError("ERR offset is out of range", () -> jedis(protocol).setrange("k", -1, "x"));
  }

  // ---- LCS (the Redis documentation's example) ----

  @BothProtocols
  void lcs_plain_returnsCommonSubsequence(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.mset("key1", "ohmytext", "key2", "mynewtext");
    assertEquals("mytext", jedis.lcs("key1", "key2", LCSParams.LCSParams()).getMatchString());
    assertEquals("mytext", raw(jedis, Protocol.Command.LCS, "key1", "key2"));
  }

  @BothProtocols
  void lcs_withLen_returnsLength(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.mset("key1", "ohmytext", "key2", "mynewtext");
    assertEquals(6, jedis.lcs("key1", "key2", LCSParams.LCSParams().len()).getLen());
  }

  @BothProtocols
  void lcs_withIdx_returnsMatchRangesAndLength(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.mset("key1", "ohmytext", "key2", "mynewtext");
    LCSMatchResult result = jedis.lcs("key1", "key2", LCSParams.LCSParams().idx());
    assertEquals(6, result.getLen());
    assertEquals(List.of("[4,7]-[5,8]", "[2,3]-[0,1]"), ranges(result.getMatches(), false));
  }

  @BothProtocols
  void lcs_withIdxMinMatchLenAndWithMatchLen_filtersShortMatches(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.mset("key1", "ohmytext", "key2", "mynewtext");
    LCSMatchResult result =
        jedis.lcs("key1", "key2", LCSParams.LCSParams().idx().minMatchLen(4).withMatchLen());
    assertEquals(6, result.getLen());
    assertEquals(List.of("[4,7]-[5,8]:4"), ranges(result.getMatches(), true));
  }

  @BothProtocols
  void lcs_withIdxAndWithMatchLen_reportsEveryMatchLength(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.mset("key1", "ohmytext", "key2", "mynewtext");
    LCSMatchResult result = jedis.lcs("key1", "key2", LCSParams.LCSParams().idx().withMatchLen());
    assertEquals(List.of("[4,7]-[5,8]:4", "[2,3]-[0,1]:2"), ranges(result.getMatches(), true));
  }

  @BothProtocols
  void lcs_withIdxOnOtherStrings_matchesRedisOutput(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.mset("a", "ABCBDAB", "b", "BDCABA", "c", "aaaabbbbcccc", "d", "ccccbbbbaaaa");
    LCSParams idx = LCSParams.LCSParams().idx().withMatchLen();
    LCSMatchResult first = jedis.lcs("a", "b", idx);
    assertEquals(4, first.getLen());
    assertEquals(List.of("[5,6]-[3,4]:2", "[3,4]-[0,1]:2"), ranges(first.getMatches(), true));
    assertEquals("BDAB", raw(jedis, Protocol.Command.LCS, "a", "b"));
    LCSMatchResult second = jedis.lcs("c", "d", idx);
    assertEquals(4, second.getLen());
    assertEquals(List.of("[8,11]-[0,3]:4"), ranges(second.getMatches(), true));
    assertEquals("cccc", raw(jedis, Protocol.Command.LCS, "c", "d"));
    LCSMatchResult none = jedis.lcs("a", "missing", idx);
    assertEquals(0, none.getLen());
    assertEquals(List.of(), none.getMatches());
  }

  @BothProtocols
  void lcs_withIdx_repliesMapInResp3AndFlatArrayInResp2(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.mset("key1", "ohmytext", "key2", "mynewtext");
    Object reply = jedis.sendCommand(Protocol.Command.LCS, "key1", "key2", "IDX");
    List<?> list = assertInstanceOf(List.class, reply);
    if (protocol == RedisProtocol.RESP2) {
      assertEquals(4, list.size());
      assertEquals("matches", new String((byte[]) list.get(0), StandardCharsets.UTF_8));
      assertEquals("len", new String((byte[]) list.get(2), StandardCharsets.UTF_8));
      assertEquals(6L, list.get(3));
    } else {
      assertEquals(2, list.size()); // a RESP3 map arrives as a list of key-value pairs
      assertInstanceOf(redis.clients.jedis.util.KeyValue.class, list.get(0));
    }
  }

  @BothProtocols
  void lcs_missingKeys_returnsEmpty(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    assertEquals("", raw(jedis, Protocol.Command.LCS, "nokey1", "nokey2"));
    assertEquals(0, jedis.lcs("nokey1", "nokey2", LCSParams.LCSParams().len()).getLen());
  }

  @BothProtocols
  void lcs_lenAndIdxTogether_returnsError(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.mset("key1", "ohmytext", "key2", "mynewtext");
    assertError(
        "ERR If you want both the length and indexes, please just use IDX.",
        () -> jedis.sendCommand(Protocol.Command.LCS, "key1", "key2", "LEN", "IDX"));
  }

  private static List<String> ranges(List<MatchedPosition> matches, boolean withLen) {
    List<String> out = new ArrayList<>();
    for (MatchedPosition m : matches) {
      String range =
          "["
              + m.getA().getStart()
              + ","
              + m.getA().getEnd()
              + "]-["
              + m.getB().getStart()
              + ","
              + m.getB().getEnd()
              + "]";
      out.add(withLen ? range + ":" + m.getMatchLen() : range);
    }
    return out;
  }
}
