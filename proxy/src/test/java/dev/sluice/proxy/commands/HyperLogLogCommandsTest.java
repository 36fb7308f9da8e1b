package dev.sluice.proxy.commands;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.proxy.keyspace.Keyspace;
import dev.sluice.proxy.keyspace.NotifyFlags;
import dev.sluice.proxy.testing.BothProtocols;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.protocol.ProtocolVersion;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * PFADD, PFCOUNT and PFMERGE. The expected counts and bytes were observed on redis-server 7.0.15
 * (same HyperLogLog code as 7.4) with redis-cli -p 6550: PFADD of the same elements, then PFCOUNT
 * and GET.
 */
class HyperLogLogCommandsTest extends JedisServerTest {
  private static final String NOT_HLL = "WRONGTYPE Key is not a valid HyperLogLog string value.";
  private static final String WRONGTYPE =
      "WRONGTYPE Operation against a key holding the wrong kind of value";
  private static final String CORRUPT = "INVALIDOBJ Corrupted HLL object detected";

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

  private static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }

  private static String sha256(byte[] b) {
    try {
      return hex(MessageDigest.getInstance("SHA-256").digest(b));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** PFADD of "prefix0" .. "prefix(n-1)", a thousand per command. */
  private static void addRange(Jedis jedis, String key, String prefix, int from, int to) {
    for (int start = from; start < to; start += 1000) {
      int end = Math.min(to, start + 1000);
      String[] elements = new String[end - start];
      for (int i = start; i < end; i++) {
        elements[i - start] = prefix + i;
      }
      jedis.pfadd(key, elements);
    }
  }

  // ---- PFADD ----

  @BothProtocols
  void pfadd_newKey_storesRedisSparseString(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    assertEquals(1, jedis.pfadd("h", "a"));
    assertEquals("string", jedis.type("h"));
    assertEquals("48594c4c01000000000000000000008071a6844e57", hex(jedis.get(bytes("h"))));
  }

  @BothProtocols
  void pfadd_knownElement_returnsZeroAndKeepsBytes(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.pfadd("h", "a", "b");
    byte[] before = jedis.get(bytes("h"));
    assertEquals(0, jedis.pfadd("h", "a"));
    assertEquals(0, jedis.pfadd("h", "b", "a"));
    assertArrayEquals(before, jedis.get(bytes("h")));
    assertEquals(1, jedis.pfadd("h", "c"));
    assertEquals(3, jedis.pfcount("h"));
  }

  @BothProtocols
  void pfadd_withoutElements_createsEmptyHllOnce(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    assertEquals(1, jedis.pfadd("h"));
    assertEquals(0, jedis.pfadd("h"));
    assertEquals("48594c4c0100000000000000000000807fff", hex(jedis.get(bytes("h"))));
    assertEquals(0, jedis.pfcount("h"));
  }

  @BothProtocols
  void pfadd_thousandElements_matchesRedisSparseBytes(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    addRange(jedis, "h", "element:", 0, 1000);
    assertEquals(997, jedis.pfcount("h"));
    byte[] value = jedis.get(bytes("h"));
    assertEquals(1897, value.length); // still sparse, as in Redis
    assertEquals("48594c4c01000000e503000000000000", hex(value).substring(0, 32));
    assertEquals("9229ee2252971bc58030908af527d4068709a85b4fd59eb06ca6df700cd78d92", sha256(value));
  }

  @BothProtocols
  void pfadd_hundredThousandElements_matchesRedisDenseBytesWithin2Percent(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    addRange(jedis, "h", "element:", 0, 100_000);
    long count = jedis.pfcount("h");
    assertEquals(100_039, count);
    assertTrue(Math.abs(count - 100_000) < 2_000);
    byte[] value = jedis.get(bytes("h"));
    assertEquals(12_304, value.length);
    assertEquals("96adfa7ca3983ad6208cc89dce815e3c947e685260adf894e2757a242b18e1cd", sha256(value));
  }

  @BothProtocols
  void pfadd_onNonHllString_isInvalidHllError(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.set("s", "not an hll at all");
    assertError(NOT_HLL, () -> jedis.pfadd("s", "a"));
    jedis.set(
        bytes("dense-too-short"), HexFormat.of().parseHex("48594c4c00000000000000000000000000"));
    assertError(NOT_HLL, () -> jedis.pfadd("dense-too-short", "a"));
    jedis.rpush("l", "a");
    assertError(WRONGTYPE, () -> jedis.pfadd("l", "a"));
    assertError(
        "ERR wrong number of arguments for 'pfadd' command",
        () -> jedis.sendCommand(Protocol.Command.PFADD));
  }

  @BothProtocols
  void pfadd_corruptSparse_isInvalidObject(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    // a valid header followed by a ZERO:2 opcode that covers 2 registers instead of 16384
    jedis.set(bytes("bad"), HexFormat.of().parseHex("48594c4c01000000000000000000008001"));
    assertError(CORRUPT, () -> jedis.pfadd("bad", "a"));
    assertError(CORRUPT, () -> jedis.pfcount("bad"));
    assertError(CORRUPT, () -> jedis.pfcount("bad", "other"));
    assertError(CORRUPT, () -> jedis.pfmerge("dest", "bad"));
  }

  /**
   * Redis's "Fuzzing dense/sparse encoding: Redis should always detect errors": HLLs of up to 3000
   * elements with up to five random bytes overwritten, some grown by a random byte or by runs of
   * XZERO:16384 that take the register count past 2^31; PFCOUNT (one key and several), PFADD and
   * PFMERGE must answer with a count, OK or Redis's two errors, never an internal one. The exact
   * replies of such values against redis-server are in golden/divergences.json.
   */
  @Test
  void pfcount_randomlyCorruptedValues_answersWithCountsOrRedisErrors() {
    Jedis jedis = jedis(RedisProtocol.RESP2);
    Random random = new Random(20260412);
    for (int round = 0; round < 300; round++) {
      jedis.del("hll", "dest");
      addRange(jedis, "hll", "r" + round + "-", 0, random.nextInt(3000));
      byte[] value = jedis.get(bytes("hll"));
      int corruptions = 1 + random.nextInt(5);
      for (int i = 0; i < corruptions; i++) {
        value[random.nextInt(value.length)] = (byte) random.nextInt(256);
      }
      if (random.nextInt(4) == 0) {
        byte[] grown = Arrays.copyOf(value, value.length + 1);
        grown[value.length] = (byte) random.nextInt(256);
        value = grown;
      }
      if (random.nextInt(10) == 0 && value[4] == 1) {
        byte[] runs = new byte[2 * 131073 + 1];
        for (int i = 0; i < runs.length - 1; i += 2) {
          runs[i] = 0x7f; // XZERO:16384
          runs[i + 1] = (byte) 0xff;
        }
        runs[runs.length - 1] = (byte) 0x80; // VAL:1 past them
        byte[] grown = Arrays.copyOf(value, value.length + runs.length);
        System.arraycopy(runs, 0, grown, value.length, runs.length);
        value = grown;
      }
      jedis.set(bytes("hll"), value);
      for (String[] command :
          List.of(
              new String[] {"PFCOUNT", "hll", "other"},
              new String[] {"PFMERGE", "dest", "hll"},
              new String[] {"PFADD", "hll", "a", "b", "c", "r" + round},
              new String[] {"PFCOUNT", "hll"})) {
        Object reply;
        try {
          reply =
              jedis.sendCommand(
                  Protocol.Command.valueOf(command[0]),
                  Arrays.copyOfRange(command, 1, command.length));
        } catch (JedisDataException e) {
          reply = e.getMessage();
        }
        String text =
            reply instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : "" + reply;
        assertTrue(
            reply instanceof Long
                || text.equals("OK")
                || text.equals(CORRUPT)
                || text.equals(NOT_HLL),
            "round " + round + ": " + String.join(" ", command) + " -> " + text);
      }
    }
  }

  // ---- PFCOUNT ----

  @BothProtocols
  void pfcount_missingKey_isZero(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    assertEquals(0, jedis.pfcount("missing"));
    assertEquals(0, jedis.pfcount("missing", "other"));
  }

  @BothProtocols
  void pfcount_storesCachedCardinalityInTheValue(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.pfadd("h", "a", "b", "c");
    assertEquals(3, jedis.pfcount("h"));
    assertEquals(
        "48594c4c01000000030000000000000060f38050b1844bfb80425a", hex(jedis.get(bytes("h"))));
    assertEquals(3, jedis.pfcount("h"));
  }

  @BothProtocols
  void pfcount_severalKeys_countsUnionWithoutChangingKeys(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    addRange(jedis, "u1", "u:", 0, 600);
    addRange(jedis, "u2", "u:", 400, 1000);
    byte[] before1 = jedis.get(bytes("u1"));
    byte[] before2 = jedis.get(bytes("u2"));
    assertEquals(1002, jedis.pfcount("u1", "u2"));
    assertEquals(1002, jedis.pfcount("u1", "missing", "u2"));
    assertArrayEquals(before1, jedis.get(bytes("u1")));
    assertArrayEquals(before2, jedis.get(bytes("u2")));
    assertEquals(601, jedis.pfcount("u1"));
    assertEquals(599, jedis.pfcount("u2"));
  }

  @BothProtocols
  void pfcount_wrongTypes(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.set("s", "plain");
    jedis.rpush("l", "a");
    jedis.pfadd("h", "a");
    assertError(NOT_HLL, () -> jedis.pfcount("s"));
    assertError(NOT_HLL, () -> jedis.pfcount("h", "s"));
    assertError(WRONGTYPE, () -> jedis.pfcount("l"));
    assertError(WRONGTYPE, () -> jedis.pfcount("h", "l"));
  }

  // ---- PFMERGE ----

  @BothProtocols
  void pfmerge_sparseSources_giveUnionInDestination(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    addRange(jedis, "k", "element:", 0, 1000);
    jedis.pfadd("small", "a", "b", "c");
    assertEquals("OK", jedis.pfmerge("merged", "k", "small", "missing"));
    assertEquals(1000, jedis.pfcount("merged"));
    assertEquals(1903, jedis.strlen("merged"));
    assertEquals(997, jedis.pfcount("k"));
  }

  @BothProtocols
  void pfmerge_denseSource_makesDenseDestination(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    addRange(jedis, "big", "element:", 0, 100_000);
    jedis.pfadd("small", "a", "b", "c");
    assertEquals("OK", jedis.pfmerge("small", "big"));
    assertEquals(12_304, jedis.strlen("small"));
    assertEquals(100_052, jedis.pfcount("small"));
  }

  @BothProtocols
  void pfmerge_destinationOnly_createsEmptyHllWithStaleCache(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    assertEquals("OK", jedis.pfmerge("empty"));
    assertEquals("48594c4c0100000000000000000000807fff", hex(jedis.get(bytes("empty"))));
    assertEquals(0, jedis.pfcount("empty"));
  }

  @BothProtocols
  void pfmerge_wrongTypes(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.set("s", "plain");
    jedis.pfadd("h", "a");
    assertError(NOT_HLL, () -> jedis.pfmerge("h", "s"));
    assertError(NOT_HLL, () -> jedis.pfmerge("s", "h"));
    assertEquals("plain", jedis.get("s"));
  }

  // ---- notifications ----

  @Test
  void notifications_pfaddAndPfmergeSendPfadd() {
    Jedis jedis = jedis(RedisProtocol.RESP2);
    List<String> events = Collections.synchronizedList(new ArrayList<>());
    Keyspace keyspace = server.context().keyspace();
    keyspace.events(
        (type, event, key, db) ->
            events.add(type + ":" + event + ":" + new String(key, StandardCharsets.UTF_8)));
    keyspace.notifyFlags(NotifyFlags.ALL | NotifyFlags.KEYEVENT);
    try {
      jedis.pfadd("h", "a");
      jedis.pfadd("h", "a"); // nothing changed: no event
      jedis.pfcount("h");
      jedis.pfmerge("m", "h");
    } finally {
      keyspace.notifyFlags(0);
    }
    int string = NotifyFlags.STRING;
    assertEquals(List.of(string + ":pfadd:h", string + ":pfadd:m"), events);
  }

  @Test
  void commandInfo_hyperloglogCommands_asRedis() {
    assertEquals(
        List.of(
            "pfadd",
            -2L,
            ListCommandsTest.simples("write", "denyoom", "fast"),
            1L,
            1L,
            1L,
            ListCommandsTest.simples("@write", "@hyperloglog", "@fast")),
        ListCommandsTest.commandInfo("pfadd"));
    assertEquals(
        List.of(
            "pfcount",
            -2L,
            ListCommandsTest.simples("readonly"),
            1L,
            -1L,
            1L,
            ListCommandsTest.simples("@read", "@hyperloglog", "@slow")),
        ListCommandsTest.commandInfo("pfcount"));
  }

  // ---- Lettuce, RESP3 ----

  @Test
  void lettuce_resp3_pfaddCountMerge() {
    RedisCommands<String, String> redis = lettuce.sync();
    assertEquals(1, redis.pfadd("l1", "a", "b", "c"));
    assertEquals(0, redis.pfadd("l1", "a"));
    assertEquals(1, redis.pfadd("l2", "c", "d"));
    assertEquals(3, redis.pfcount("l1"));
    assertEquals(4, redis.pfcount("l1", "l2"));
    assertEquals("OK", redis.pfmerge("l3", "l1", "l2"));
    assertEquals(4, redis.pfcount("l3"));
  }
}
