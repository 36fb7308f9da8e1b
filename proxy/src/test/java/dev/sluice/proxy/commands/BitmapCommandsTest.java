package dev.sluice.proxy.commands;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.proxy.keyspace.Keyspace;
import dev.sluice.proxy.keyspace.NotifyFlags;
import dev.sluice.proxy.testing.BothProtocols;
import io.lettuce.core.BitFieldArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.protocol.ProtocolVersion;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.args.BitCountOption;
import redis.clients.jedis.args.BitOP;
import redis.clients.jedis.params.BitPosParams;

/**
 * SETBIT, GETBIT, BITCOUNT, BITPOS, BITOP, BITFIELD and BITFIELD_RO. The expected replies were
 * checked against redis-server 7.0.15 with the same commands (the bit semantics are those of 7.4;
 * where 7.4 differs, the test says so).
 */
class BitmapCommandsTest extends JedisServerTest {
  private static final String WRONGTYPE =
      "WRONGTYPE Operation against a key holding the wrong kind of value";
  private static final String BAD_OFFSET = "ERR bit offset is not an integer or out of range";
  private static final String BAD_TYPE =
      "ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but"
          + " i64 is.";

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

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] hex(String hex) {
    return HexFormat.of().parseHex(hex);
  }

  private static void setHex(Jedis jedis, String key, String hex) {
    jedis.set(bytes(key), hex(hex));
  }

  private static String getHex(Jedis jedis, String key) {
    return HexFormat.of().formatHex(jedis.get(bytes(key)));
  }

  private static Object raw(Jedis jedis, Protocol.Command command, String... args) {
    return jedis.sendCommand(command, args);
  }

  private static List<Long> bitfield(Jedis jedis, String key, String args) {
    return jedis.bitfield(key, args.split(" "));
  }

  // ---- SETBIT / GETBIT ----

  @BothProtocols
  void setbit_returnsOldBitAndGrowsString(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    assertFalse(jedis.setbit("b", 7, true));
    assertEquals("01", getHex(jedis, "b"));
    assertTrue(jedis.setbit("b", 7, true));
    assertTrue(jedis.setbit("b", 7, false));
    assertFalse(jedis.setbit("b", 100, true));
    assertEquals("00000000000000000000000008", getHex(jedis, "b"));
    assertEquals(13, jedis.strlen("b"));
  }

  @BothProtocols
  void setbit_keepsTtlAndOtherBits(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.setex("b", 100, "a"); // 0x61
    jedis.setbit("b", 6, true);
    assertEquals("c", jedis.get("b"));
    assertEquals(100, jedis.ttl("b"));
  }

  @BothProtocols
  void getbit_readsBitsAndZeroesPastTheEnd(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    setHex(jedis, "b", "8001");
    assertTrue(jedis.getbit("b", 0));
    assertFalse(jedis.getbit("b", 1));
    assertTrue(jedis.getbit("b", 15));
    assertFalse(jedis.getbit("b", 100_000));
    assertFalse(jedis.getbit("missing", 5));
  }

  @BothProtocols
  void setbit_argumentErrors(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    String badBit = "ERR bit is not an integer or out of range";
    assertError(BAD_OFFSET, () -> raw(jedis, Protocol.Command.SETBIT, "b", "-1", "1"));
    assertError(BAD_OFFSET, () -> raw(jedis, Protocol.Command.SETBIT, "b", "x", "1"));
    assertError(BAD_OFFSET, () -> raw(jedis, Protocol.Command.SETBIT, "b", "4294967296", "1"));
    assertError(badBit, () -> raw(jedis, Protocol.Command.SETBIT, "b", "4294967295", "2"));
    assertError(badBit, () -> raw(jedis, Protocol.Command.SETBIT, "b", "1", "-1"));
    assertError(badBit, () -> raw(jedis, Protocol.Command.SETBIT, "b", "1", "x"));
    assertError(BAD_OFFSET, () -> raw(jedis, Protocol.Command.GETBIT, "b", "-1"));
    assertError(BAD_OFFSET, () -> raw(jedis, Protocol.Command.GETBIT, "b", "4294967296"));
    assertFalse(jedis.exists("b"));
  }

  @Test
  void setbit_offsetLimit_followsProtoMaxBulkLen() {
    Jedis jedis = jedis(RedisProtocol.RESP2);
    assertEquals("OK", jedis.configSet("proto-max-bulk-len", "1048576"));
    try {
      assertError(BAD_OFFSET, () -> jedis.setbit("b", 8L * 1048576, true));
      assertFalse(jedis.setbit("b", 8L * 1048576 - 1, true));
      assertEquals(1048576, jedis.strlen("b"));
    } finally {
      jedis.configSet("proto-max-bulk-len", "536870912");
    }
  }

  @BothProtocols
  void bitCommands_onList_areWrongType(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.rpush("l", "a");
    assertError(WRONGTYPE, () -> jedis.setbit("l", 0, true));
    assertError(WRONGTYPE, () -> jedis.getbit("l", 0));
    assertError(WRONGTYPE, () -> jedis.bitcount("l"));
    assertError(WRONGTYPE, () -> jedis.bitpos("l", true));
    assertError(WRONGTYPE, () -> jedis.bitop(BitOP.AND, "d", "l"));
    assertError(WRONGTYPE, () -> jedis.bitfield("l", "GET", "u8", "0"));
    assertError(WRONGTYPE, () -> jedis.bitfieldReadonly("l", "GET", "u8", "0"));
  }

  // ---- BITCOUNT ----

  @BothProtocols
  void bitcount_byteRanges(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.set("s", "foobar");
    assertEquals(26, jedis.bitcount("s"));
    assertEquals(4, jedis.bitcount("s", 0, 0));
    assertEquals(6, jedis.bitcount("s", 1, 1));
    assertEquals(22, jedis.bitcount("s", 1, -1));
    assertEquals(7, jedis.bitcount("s", -2, -1));
    assertEquals(0, jedis.bitcount("s", -1, -2));
    assertEquals(4, jedis.bitcount("s", 5, 30));
    assertEquals(4, jedis.bitcount("s", -100, -50));
    assertEquals(4, jedis.bitcount("s", 5, 30, BitCountOption.BYTE));
  }

  @BothProtocols
  void bitcount_bitRanges(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.set("s", "foobar");
    assertEquals(26, jedis.bitcount("s", 0, -1, BitCountOption.BIT));
    assertEquals(17, jedis.bitcount("s", 5, 30, BitCountOption.BIT));
    assertEquals(0, jedis.bitcount("s", -100, -50, BitCountOption.BIT));
    assertEquals(0, jedis.bitcount("s", 3, 2, BitCountOption.BIT));
    assertEquals(0, jedis.bitcount("s", 7, 7, BitCountOption.BIT));
    assertEquals(5, jedis.bitcount("s", 9, 14, BitCountOption.BIT));
    setHex(jedis, "long", "ff".repeat(40));
    assertEquals(310, jedis.bitcount("long", 3, 312, BitCountOption.BIT));
  }

  @BothProtocols
  void bitcount_missingAndEmpty(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    assertEquals(0, jedis.bitcount("missing"));
    assertEquals(0, jedis.bitcount("missing", 0, 1));
    jedis.set("empty", "");
    assertEquals(0, jedis.bitcount("empty"));
    assertEquals(0, jedis.bitcount("empty", 0, -1));
  }

  @BothProtocols
  void bitcount_argumentErrors_evenForMissingKeys(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.set("s", "foobar");
    assertError("ERR syntax error", () -> raw(jedis, Protocol.Command.BITCOUNT, "s", "1"));
    assertError(
        "ERR syntax error", () -> raw(jedis, Protocol.Command.BITCOUNT, "s", "5", "30", "bits"));
    assertError(
        "ERR value is not an integer or out of range",
        () -> raw(jedis, Protocol.Command.BITCOUNT, "s", "0", "x"));
    // Redis 7.2+ checks the arguments before looking the key up (7.0 answered 0 here)
    assertError(
        "ERR value is not an integer or out of range",
        () -> raw(jedis, Protocol.Command.BITCOUNT, "missing", "0", "x"));
  }

  // ---- BITPOS ----

  @BothProtocols
  void bitpos_wholeStringAndByteRanges(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    setHex(jedis, "f", "fff000");
    assertEquals(12, jedis.bitpos("f", false));
    assertEquals(0, jedis.bitpos("f", true));
    assertEquals(16, jedis.bitpos("f", false, new BitPosParams(2)));
    assertEquals(-1, jedis.bitpos("f", true, new BitPosParams(2)));
    assertEquals(-1, jedis.bitpos("f", false, new BitPosParams(0, 0)));
    assertEquals(12, jedis.bitpos("f", false, new BitPosParams(0, 1)));
    assertEquals(8, jedis.bitpos("f", true, new BitPosParams(1, -1)));
  }

  @BothProtocols
  void bitpos_bitRanges(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    setHex(jedis, "f", "fff000");
    assertEquals(
        -1, jedis.bitpos("f", false, new BitPosParams(4, 11).modifier(BitCountOption.BIT)));
    assertEquals(
        12, jedis.bitpos("f", false, new BitPosParams(4, 12).modifier(BitCountOption.BIT)));
    assertEquals(
        -1, jedis.bitpos("f", true, new BitPosParams(12, -1).modifier(BitCountOption.BIT)));
    assertEquals(3, jedis.bitpos("f", true, new BitPosParams(3, 3).modifier(BitCountOption.BIT)));
    assertEquals(-1, jedis.bitpos("f", false, new BitPosParams(3, 3).modifier(BitCountOption.BIT)));
    assertEquals(
        19, jedis.bitpos("f", false, new BitPosParams(-5, -1).modifier(BitCountOption.BIT)));
  }

  @BothProtocols
  void bitpos_clearBitPastAllOnes_dependsOnExplicitEnd(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    setHex(jedis, "ones", "ffff");
    assertEquals(16, jedis.bitpos("ones", false));
    assertEquals(16, jedis.bitpos("ones", false, new BitPosParams(0)));
    assertEquals(-1, jedis.bitpos("ones", false, new BitPosParams(0, -1)));
    assertEquals(16, jedis.bitpos("ones", false, new BitPosParams(1)));
    assertEquals(-1, jedis.bitpos("ones", false, new BitPosParams(5)));
    setHex(jedis, "zeros", "000000");
    assertEquals(-1, jedis.bitpos("zeros", true));
    assertEquals(0, jedis.bitpos("zeros", false));
  }

  @BothProtocols
  void bitpos_missingAndEmptyKeys(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    assertEquals(-1, jedis.bitpos("missing", true));
    assertEquals(0, jedis.bitpos("missing", false));
    assertEquals(0, jedis.bitpos("missing", false, new BitPosParams(1, 2)));
    jedis.set("empty", "");
    assertEquals(-1, jedis.bitpos("empty", false));
    assertEquals(-1, jedis.bitpos("empty", true));
  }

  @BothProtocols
  void bitpos_argumentErrors(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.set("f", "x");
    assertError(
        "ERR The bit argument must be 1 or 0.",
        () -> raw(jedis, Protocol.Command.BITPOS, "f", "2"));
    assertError(
        "ERR value is not an integer or out of range",
        () -> raw(jedis, Protocol.Command.BITPOS, "f", "x"));
    assertError(
        "ERR value is not an integer or out of range",
        () -> raw(jedis, Protocol.Command.BITPOS, "f", "1", "0", "x"));
    assertError(
        "ERR syntax error", () -> raw(jedis, Protocol.Command.BITPOS, "f", "1", "0", "1", "foo"));
    // Redis 7.2+ checks the range before looking the key up
    assertError(
        "ERR value is not an integer or out of range",
        () -> raw(jedis, Protocol.Command.BITPOS, "missing", "1", "x"));
  }

  // ---- BITOP ----

  @BothProtocols
  void bitop_andOrXorNot(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    setHex(jedis, "a", "ff0f");
    setHex(jedis, "b", "0ff0aa");
    assertEquals(3, jedis.bitop(BitOP.AND, "d", "a", "b"));
    assertEquals("0f0000", getHex(jedis, "d"));
    assertEquals(3, jedis.bitop(BitOP.OR, "d", "a", "b"));
    assertEquals("ffffaa", getHex(jedis, "d"));
    assertEquals(3, jedis.bitop(BitOP.XOR, "d", "a", "b", "missing"));
    assertEquals("f0ffaa", getHex(jedis, "d"));
    assertEquals(2, jedis.bitop(BitOP.NOT, "d", "a"));
    assertEquals("00f0", getHex(jedis, "d"));
  }

  @BothProtocols
  void bitop_longInputs_matchBytewiseResult(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    byte[] a = new byte[100];
    byte[] b = new byte[70];
    for (int i = 0; i < a.length; i++) {
      a[i] = (byte) (i * 37);
    }
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) (i * 11 + 3);
    }
    jedis.set(bytes("a"), a);
    jedis.set(bytes("b"), b);
    assertEquals(100, jedis.bitop(BitOP.AND, "d", "a", "b"));
    byte[] expected = new byte[100];
    for (int i = 0; i < b.length; i++) {
      expected[i] = (byte) (a[i] & b[i]);
    }
    assertArrayEquals(expected, jedis.get(bytes("d")));
  }

  @BothProtocols
  void bitop_emptyResult_deletesDestination(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.set("d", "x");
    assertEquals(0, jedis.bitop(BitOP.OR, "d", "missing"));
    assertFalse(jedis.exists("d"));
    assertEquals(0, jedis.bitop(BitOP.AND, "d", "missing", "missing2"));
  }

  @BothProtocols
  void bitop_overwritesAnyTypeAndDropsTtl(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.set("a", "ab");
    jedis.rpush("l", "x");
    assertEquals(2, jedis.bitop(BitOP.AND, "l", "a"));
    assertEquals("string", jedis.type("l"));
    jedis.setex("t", 100, "v");
    assertEquals(2, jedis.bitop(BitOP.OR, "t", "a"));
    assertEquals(-1, jedis.ttl("t"));
  }

  @BothProtocols
  void bitop_errors(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    assertError(
        "ERR BITOP NOT must be called with a single source key.",
        () -> jedis.bitop(BitOP.NOT, "d", "a", "b"));
    assertError("ERR syntax error", () -> raw(jedis, Protocol.Command.BITOP, "foo", "d", "a"));
    assertError(
        "ERR wrong number of arguments for 'bitop' command",
        () -> raw(jedis, Protocol.Command.BITOP, "and", "d"));
  }

  // ---- BITFIELD ----

  @BothProtocols
  void bitfield_getSetIncrby(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    assertEquals(List.of(0L), bitfield(jedis, "bf", "SET u8 0 255"));
    assertEquals("ff", getHex(jedis, "bf"));
    assertEquals(
        List.of(255L, -1L, 15L, -1L, 1L),
        bitfield(jedis, "bf", "GET u8 0 GET i8 0 GET u4 0 GET i4 4 GET u1 7"));
    assertEquals(List.of(0L), bitfield(jedis, "bf", "INCRBY u8 0 1"));
    assertEquals(List.of(0L, 7L, 7L), bitfield(jedis, "bf", "SET u8 #1 7 GET u8 #1 GET u8 8"));
  }

  @BothProtocols
  void bitfield_overflowModes(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    bitfield(jedis, "bf", "SET u8 0 0");
    assertEquals(
        List.of(100L, -128L),
        bitfield(jedis, "bf", "OVERFLOW SAT INCRBY u8 0 100 INCRBY i8 8 -200"));
    assertEquals(
        Arrays.asList(101L, null),
        bitfield(jedis, "bf", "OVERFLOW FAIL INCRBY u8 0 1 SET i8 8 200"));
    assertEquals(
        List.of(101L, 128L, 0L),
        bitfield(
            jedis, "bf", "OVERFLOW WRAP SET u8 0 -1 OVERFLOW SAT SET u8 8 -1 SET i8 16 -1000"));
    assertEquals("ffff80", getHex(jedis, "bf"));
    assertEquals(
        List.of(-1L, -128L, -127L, -127L, -128L),
        bitfield(
            jedis,
            "bf",
            "SET i8 0 127 INCRBY i8 0 1 OVERFLOW SAT INCRBY i8 0 1 SET i8 0 -128 INCRBY i8 0 -1"));
    assertEquals(
        List.of(-128L, 44L, 212L, 44L, 212L),
        bitfield(
            jedis,
            "bf",
            "OVERFLOW WRAP SET i8 0 300 SET i8 0 -300 SET u8 0 300 SET u8 0 -300 GET u8 0"));
    assertEquals(
        List.of(-44L, 127L, 128L, 255L, 255L),
        bitfield(
            jedis,
            "bf",
            "OVERFLOW SAT SET i8 0 300 SET i8 0 -300 SET u8 0 300 SET u8 0 -300 GET u8 0"));
  }

  @BothProtocols
  void bitfield_64BitFields(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    setHex(jedis, "bf", "ffff80");
    assertEquals(
        List.of(-140737488355328L, Long.MAX_VALUE, -1L),
        bitfield(jedis, "bf", "SET i64 0 -1 GET u63 0 GET i64 0"));
    assertEquals(
        List.of(Long.MAX_VALUE - 1), bitfield(jedis, "bf", "INCRBY i64 0 " + Long.MAX_VALUE));
    assertEquals(
        List.of(Long.MAX_VALUE),
        bitfield(jedis, "bf", "OVERFLOW SAT INCRBY i64 0 " + Long.MAX_VALUE));
    assertEquals(
        Arrays.asList((Long) null),
        bitfield(jedis, "bf", "OVERFLOW FAIL INCRBY i64 0 " + Long.MAX_VALUE));
    assertEquals(
        List.of(4611686018427387903L, 0L),
        bitfield(jedis, "bf", "SET u63 0 " + Long.MAX_VALUE + " INCRBY u63 0 1"));
  }

  @BothProtocols
  void bitfield_oddWidthsAndOffsets(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    setHex(jedis, "bf", "0007000000000001");
    assertEquals(
        List.of(0L, -7L, 25L, 15L, -16L, 7L),
        bitfield(
            jedis,
            "bf",
            "SET i5 3 -7 GET i5 3 GET u5 3 INCRBY i5 3 -10 OVERFLOW SAT INCRBY i5 3 -100"
                + " INCRBY u3 20 9"));
    assertEquals("10070e0000000001", getHex(jedis, "bf"));
    assertEquals(
        List.of(16L, 3L, 2L, 0L, 3L),
        bitfield(
            jedis,
            "bf",
            "SET u8 0 0 INCRBY u2 1 -1"
                + " INCRBY u2 1 -5 OVERFLOW SAT INCRBY u2 1 -5 INCRBY u2 1 9"));
  }

  @BothProtocols
  void bitfield_missingKey_readsZeroesAndCreatesOnlyOnWrite(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    assertEquals(List.of(0L), bitfield(jedis, "missing", "GET u8 0"));
    assertFalse(jedis.exists("missing"));
    assertEquals(List.of(), jedis.bitfield("missing"));
    // the key is created with room for the field even when FAIL refuses the write
    assertEquals(
        Arrays.asList((Long) null), bitfield(jedis, "new", "OVERFLOW FAIL INCRBY u8 0 300"));
    assertEquals("00", getHex(jedis, "new"));
    assertEquals(List.of(0L), bitfield(jedis, "offset", "SET u8 #3 0"));
    assertEquals("00000000", getHex(jedis, "offset"));
  }

  @BothProtocols
  void bitfield_offsetLimits(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    assertEquals(List.of(0L), bitfield(jedis, "bf", "GET u8 4294967295"));
    assertEquals(List.of(0L), bitfield(jedis, "bf", "GET u8 #536870911"));
    assertError(BAD_OFFSET, () -> bitfield(jedis, "bf", "GET u8 4294967296"));
    assertError(BAD_OFFSET, () -> bitfield(jedis, "bf", "GET u8 #536870912"));
    assertError(BAD_OFFSET, () -> bitfield(jedis, "bf", "GET u8 -1"));
    assertError(BAD_OFFSET, () -> bitfield(jedis, "bf", "GET u8 #-1"));
  }

  @BothProtocols
  void bitfield_syntaxAndTypeErrors(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    assertError(BAD_TYPE, () -> bitfield(jedis, "bf", "GET u64 0"));
    assertError(BAD_TYPE, () -> bitfield(jedis, "bf", "GET i65 0"));
    assertError(BAD_TYPE, () -> bitfield(jedis, "bf", "GET x8 0"));
    assertError(BAD_TYPE, () -> bitfield(jedis, "bf", "GET I8 0"));
    assertError(BAD_TYPE, () -> bitfield(jedis, "bf", "GET u0 0"));
    assertError("ERR Invalid OVERFLOW type specified", () -> bitfield(jedis, "bf", "OVERFLOW foo"));
    assertError("ERR syntax error", () -> bitfield(jedis, "bf", "foo"));
    assertError("ERR syntax error", () -> bitfield(jedis, "bf", "GET u8"));
    assertError("ERR syntax error", () -> bitfield(jedis, "bf", "SET u8 0"));
    assertError(
        "ERR value is not an integer or out of range",
        () -> bitfield(jedis, "bf", "INCRBY u8 0 x"));
    assertFalse(jedis.exists("bf"));
  }

  @BothProtocols
  void bitfieldRo_getOnly(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    setHex(jedis, "bf", "0102");
    assertEquals(
        List.of(1L, 258L), jedis.bitfieldReadonly("bf", "GET", "u8", "0", "GET", "i16", "#0"));
    assertEquals(List.of(0L), jedis.bitfieldReadonly("missing", "GET", "u8", "0"));
    assertError(
        "ERR BITFIELD_RO only supports the GET subcommand",
        () -> jedis.bitfieldReadonly("bf", "SET", "u8", "0", "1"));
    assertError(
        "ERR BITFIELD_RO only supports the GET subcommand",
        () -> jedis.bitfieldReadonly("bf", "INCRBY", "u8", "0", "1"));
    assertEquals("0102", getHex(jedis, "bf"));
  }

  // ---- notifications ----

  @Test
  void notifications_setbitBitfieldAndBitop() {
    Jedis jedis = jedis(RedisProtocol.RESP2);
    List<String> events = Collections.synchronizedList(new ArrayList<>());
    Keyspace keyspace = server.context().keyspace();
    keyspace.events(
        (type, event, key, db) ->
            events.add(event + ":" + new String(key, StandardCharsets.UTF_8)));
    keyspace.notifyFlags(NotifyFlags.ALL | NotifyFlags.KEYEVENT);
    try {
      jedis.setbit("b", 1, true);
      jedis.setbit("b", 1, true); // unchanged: no event
      bitfield(jedis, "f", "SET u8 0 1");
      bitfield(jedis, "f", "SET u8 0 1"); // unchanged: no event
      bitfield(jedis, "f", "GET u8 0");
      jedis.bitop(BitOP.OR, "d", "b");
      jedis.bitop(BitOP.OR, "d", "missing");
    } finally {
      keyspace.notifyFlags(0);
    }
    assertEquals(List.of("setbit:b", "setbit:f", "set:d", "del:d"), events);
  }

  @Test
  void commandInfo_bitmapCommands_asRedis() {
    assertEquals(
        List.of(
            "bitop",
            -4L,
            ListCommandsTest.simples("write", "denyoom"),
            2L,
            -1L,
            1L,
            ListCommandsTest.simples("@write", "@bitmap", "@slow")),
        ListCommandsTest.commandInfo("bitop"));
    assertEquals(
        List.of(
            "getbit",
            3L,
            ListCommandsTest.simples("readonly", "fast"),
            1L,
            1L,
            1L,
            ListCommandsTest.simples("@read", "@bitmap", "@fast")),
        ListCommandsTest.commandInfo("getbit"));
  }

  // ---- Lettuce, RESP3 ----

  @Test
  void lettuce_resp3_bitCommands() {
    RedisCommands<String, String> redis = lettuce.sync();
    assertEquals(0, redis.setbit("lb", 3, 1));
    assertEquals(1, redis.getbit("lb", 3));
    assertEquals(1, redis.bitcount("lb"));
    assertEquals(3, redis.bitpos("lb", true));
    assertEquals(1, redis.bitopNot("ln", "lb"));
    assertEquals(7, redis.bitcount("ln"));
    assertEquals(
        List.of(16L, 17L),
        redis.bitfield(
            "lb",
            BitFieldArgs.Builder.get(BitFieldArgs.unsigned(8), 0)
                .incrBy(BitFieldArgs.unsigned(8), 0, 1)));
  }
}
