package dev.sluice.proxy.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.sluice.proxy.testing.RealRedis;
import dev.sluice.proxy.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.util.SafeEncoder;

/**
 * DUMP and RESTORE between Sluice and a real redis-server (installed by .ci/run, started here on a
 * free port without persistence): the same commands build the same keys of every type on both;
 * where Redis's encoding is deterministic both dump the same bytes, and every key restored from the
 * other's payload reads back as the original.
 */
class DumpRestoreInteropTest {
  @TempDir Path dir;
  private RealRedis redis;
  private int redisPort;

  @BeforeEach
  void startRedisServer() {
    redis = RealRedis.start(dir);
    redisPort = redis.port();
  }

  @AfterEach
  void stopRedisServer() {
    if (redis != null) {
      redis.close();
    }
  }

  /** Keys whose encoding on redis-server 7.0 does not depend on hash table order. */
  static final List<String> DETERMINISTIC =
      List.of(
          "str",
          "int",
          "neg",
          "big",
          "long",
          "binary",
          "hll",
          "list",
          "biglist",
          "hugeelement",
          "intset",
          "intset32",
          "intset64",
          "oneset",
          "hash",
          "onebig",
          "zset",
          "bigz",
          "longmember",
          "stream",
          "bigstream");

  static Map<String, List<Object>> values() {
    Map<String, List<Object>> v = new LinkedHashMap<>();
    Random random = new Random(17);
    byte[] binary = new byte[100];
    random.nextBytes(binary);
    v.put("str", cmd("SET", "str", "hello"));
    v.put("int", cmd("SET", "int", "12345"));
    v.put("neg", cmd("SET", "neg", "-7"));
    v.put("big", cmd("SET", "big", "9999999999"));
    v.put("long", cmd("SET", "long", "abc".repeat(40)));
    v.put("binary", List.of("SET", "binary", binary));
    List<Object> hll = cmd("PFADD", "hll");
    for (int i = 0; i < 200; i++) {
      hll.add("e" + i);
    }
    v.put("hll", hll);
    v.put(
        "list",
        cmd("RPUSH", "list", "a", "1", "-5", "300", "70000", "-9000000000", "x".repeat(70)));
    List<Object> biglist = cmd("RPUSH", "biglist");
    for (int i = 0; i < 3000; i++) {
      biglist.add(i % 3 == 0 ? String.valueOf(i * 7919L) : "element-" + i);
    }
    v.put("biglist", biglist);
    v.put("hugeelement", cmd("RPUSH", "hugeelement", "s", "y".repeat(10000), "t"));
    v.put("intset", cmd("SADD", "intset", "3", "1", "2"));
    v.put("intset32", cmd("SADD", "intset32", "1", "100000", "-5"));
    v.put("intset64", cmd("SADD", "intset64", "1", "10000000000"));
    v.put("oneset", cmd("SADD", "oneset", "a"));
    List<Object> bigint = cmd("SADD", "bigintset");
    for (int i = 0; i < 600; i++) {
      bigint.add(String.valueOf(i));
    }
    v.put("bigintset", bigint);
    v.put("strset", cmd("SADD", "strset", "a", "b", "c", "1"));
    List<Object> bigstrset = cmd("SADD", "bigstrset");
    for (int i = 0; i < 200; i++) {
      bigstrset.add("m" + i);
    }
    v.put("bigstrset", bigstrset);
    v.put("hash", cmd("HSET", "hash", "f1", "v1", "f2", "2", "f3", "-3"));
    v.put("onebig", cmd("HSET", "onebig", "f", "v".repeat(100)));
    List<Object> bighash = cmd("HSET", "bighash");
    for (int i = 0; i < 200; i++) {
      bighash.add("field" + i);
      bighash.add("value" + i);
    }
    v.put("bighash", bighash);
    v.put("zset", cmd("ZADD", "zset", "1", "a", "1.5", "b", "-2", "c", "inf", "d", "-inf", "e"));
    List<Object> bigz = cmd("ZADD", "bigz");
    for (int i = 0; i < 200; i++) {
      bigz.add(String.valueOf(i * 0.25));
      bigz.add("member" + i);
    }
    v.put("bigz", bigz);
    v.put("longmember", cmd("ZADD", "longmember", "1", "m".repeat(100), "2", "n"));
    v.put("stream", cmd("XADDS", "stream", "3"));
    v.put("bigstream", cmd("XADDS", "bigstream", "450"));
    v.put("groups", cmd("XADDS", "groups", "5"));
    return v;
  }

  /**
   * Stream {@code key} of {@code n} entries by XADD (explicit IDs, fields changing now and then, a
   * few long values so that nodes also close on bytes); "groups" gets a group with two consumers,
   * entries delivered and one acknowledged.
   */
  private static void xadds(Jedis jedis, String key, int n) {
    for (int i = 1; i <= n; i++) {
      String field = i % 7 == 0 ? "other" : "f";
      String value = i % 50 == 0 ? "v".repeat(300) : "v" + i;
      jedis.sendCommand(
          Protocol.Command.XADD,
          key,
          (i / 3) + "-" + (i % 3),
          field,
          value,
          "n",
          String.valueOf(i));
    }
    if (key.equals("groups")) {
      jedis.sendCommand(Protocol.Command.XGROUP, "CREATE", key, "grp", "0");
      jedis.sendCommand(Protocol.Command.XGROUP, "CREATE", key, "idle", "$");
      jedis.sendCommand(
          Protocol.Command.XREADGROUP, "GROUP", "grp", "alice", "COUNT", "2", "STREAMS", key, ">");
      jedis.sendCommand(
          Protocol.Command.XREADGROUP, "GROUP", "grp", "bob", "COUNT", "2", "STREAMS", key, ">");
      jedis.sendCommand(Protocol.Command.XACK, key, "grp", "0-1");
    }
  }

  private static List<Object> cmd(String... words) {
    return new ArrayList<>(List.of((Object[]) words));
  }

  /**
   * Writes a replica must follow beyond single commands: in another database, in MULTI/EXEC and in
   * a script (keys in-db3 in database 3, counter, queue, lua-str and lua-hash).
   */
  static void writeAcrossDatabasesTransactionsAndScripts(Jedis primary) {
    primary.select(3);
    primary.set("in-db3", "three");
    primary.select(0);
    redis.clients.jedis.Transaction multi = primary.multi();
    multi.incr("counter");
    multi.lpush("queue", "a", "b");
    multi.exec();
    primary.eval(
        "redis.call('set', KEYS[1], 'from-lua'); redis.call('hset', KEYS[2], 'f', 'v')",
        2,
        "lua-str",
        "lua-hash");
  }

  static void build(Jedis jedis, List<Object> command) {
    if (command.get(0).equals("XADDS")) {
      xadds(jedis, (String) command.get(1), Integer.parseInt((String) command.get(2)));
      return;
    }
    byte[][] args = new byte[command.size() - 1][];
    for (int i = 1; i < command.size(); i++) {
      Object a = command.get(i);
      args[i - 1] = a instanceof byte[] b ? b : SafeEncoder.encode((String) a);
    }
    jedis.sendCommand(Protocol.Command.valueOf((String) command.get(0)), args);
  }

  /** The key's type and content in an order-independent form. */
  static List<String> content(Jedis jedis, String key) {
    byte[] k = key.getBytes(StandardCharsets.UTF_8);
    String type = jedis.type(key);
    List<String> out = new ArrayList<>();
    out.add(type);
    HexFormat hex = HexFormat.of();
    switch (type) {
      case "string" -> out.add(hex.formatHex(jedis.get(k)));
      case "list" -> jedis.lrange(k, 0, -1).forEach(e -> out.add(hex.formatHex(e)));
      case "set" -> jedis.smembers(k).forEach(e -> out.add(hex.formatHex(e)));
      case "hash" ->
          jedis.hgetAll(k).forEach((f, x) -> out.add(hex.formatHex(f) + "=" + hex.formatHex(x)));
      case "zset" ->
          jedis
              .zrangeWithScores(k, 0, -1)
              .forEach(t -> out.add(t.getElement() + "=" + t.getScore()));
      case "stream" -> {
        out.add(render(jedis.sendCommand(Protocol.Command.XRANGE, key, "-", "+")));
        out.add(render(jedis.sendCommand(Protocol.Command.XINFO, "GROUPS", key)));
        try {
          out.add(render(jedis.sendCommand(Protocol.Command.XPENDING, key, "grp")));
        } catch (JedisDataException e) {
          out.add(e.getMessage().split(" ")[0]);
        }
        out.add(render(jedis.sendCommand(Protocol.Command.XLEN, key)));
      }
      default -> throw new AssertionError("unexpected type " + type + " of " + key);
    }
    if (!type.equals("list") && !type.equals("zset") && !type.equals("stream")) {
      List<String> sorted = new ArrayList<>(out.subList(1, out.size()));
      sorted.sort(null);
      out.subList(1, out.size()).clear();
      out.addAll(sorted);
    }
    return out;
  }

  /** A reply as text. */
  private static String render(Object reply) {
    if (reply instanceof byte[] b) {
      return new String(b, StandardCharsets.UTF_8);
    }
    if (reply instanceof List<?> list) {
      StringBuilder sb = new StringBuilder("[");
      list.forEach(x -> sb.append(render(x)).append(','));
      return sb.append(']').toString();
    }
    return String.valueOf(reply);
  }

  @Test
  void dump_deterministicValuesOnBoth_sameBytes() {
    try (TestServer server = TestServer.start();
        Jedis sluice = server.jedis(RedisProtocol.RESP2);
        Jedis real = new Jedis("127.0.0.1", redisPort)) {
      Map<String, List<Object>> values = values();
      for (String key : DETERMINISTIC) {
        build(sluice, values.get(key));
        build(real, values.get(key));
        byte[] expected = real.dump(key);
        assertNotNull(expected, key);
        assertEquals(
            HexFormat.of().formatHex(expected), HexFormat.of().formatHex(sluice.dump(key)), key);
      }
    }
  }

  @Test
  void restore_eachOthersPayloads_keysReadBackWhole() {
    try (TestServer server = TestServer.start();
        Jedis sluice = server.jedis(RedisProtocol.RESP2);
        Jedis real = new Jedis("127.0.0.1", redisPort)) {
      for (Map.Entry<String, List<Object>> e : values().entrySet()) {
        String key = e.getKey();
        build(sluice, e.getValue());
        build(real, e.getValue());
        List<String> expected = content(real, key);
        assertEquals(expected, content(sluice, key), key + " built alike");

        assertEquals("OK", real.restore("from-sluice", 0, sluice.dump(key)), key);
        assertEquals(expected, content(real, "from-sluice"), key + " restored on redis-server");
        assertEquals("OK", sluice.restore("from-redis", 0, real.dump(key)), key);
        assertEquals(expected, content(sluice, "from-redis"), key + " restored on Sluice");
        real.del("from-sluice");
        sluice.del("from-redis");
      }
    }
  }
}
