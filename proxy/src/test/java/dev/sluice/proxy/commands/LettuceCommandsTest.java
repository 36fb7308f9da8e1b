package dev.sluice.proxy.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.proxy.testing.TestServer;
import io.lettuce.core.ExpireArgs;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ScanIterator;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.protocol.ProtocolVersion;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Commands through Lettuce 6.5 over real sockets: forced RESP2, forced RESP3 and Lettuce's default
 * handshake (HELLO 3, falling back to RESP2 only if HELLO fails).
 */
class LettuceCommandsTest {
  enum Handshake {
    RESP2,
    RESP3,
    DEFAULT
  }

  private static TestServer server;
  private static final Map<Handshake, RedisClient> lettuceClients = new EnumMap<>(Handshake.class);
  private static final Map<Handshake, StatefulRedisConnection<String, String>> connections =
      new EnumMap<>(Handshake.class);

  @BeforeAll
  static void startServer() {
    server = TestServer.start();
    lettuceClients.put(Handshake.RESP2, server.lettuceClient(ProtocolVersion.RESP2));
    lettuceClients.put(Handshake.RESP3, server.lettuceClient(ProtocolVersion.RESP3));
    lettuceClients.put(
        Handshake.DEFAULT, RedisClient.create(RedisURI.create("127.0.0.1", server.port())));
    lettuceClients.forEach((handshake, client) -> connections.put(handshake, client.connect()));
  }

  @AfterAll
  static void stopServer() {
    connections.values().forEach(StatefulRedisConnection::close);
    connections.clear();
    lettuceClients.values().forEach(c -> c.shutdown(Duration.ZERO, Duration.ofSeconds(2)));
    lettuceClients.clear();
    server.close();
  }

  @BeforeEach
  void flush() {
    assertEquals("OK", connections.get(Handshake.RESP2).sync().flushall());
  }

  private static RedisCommands<String, String> redis(Handshake handshake) {
    return connections.get(handshake).sync();
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Handshake.class)
  void handshake_negotiatesExpectedProtocol(Handshake handshake) {
    String info = redis(handshake).clientInfo();
    String expected = handshake == Handshake.RESP2 ? "resp=2" : "resp=3";
    assertTrue(info.contains(" " + expected + " "), info);
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Handshake.class)
  void setGet_roundTripsValue(Handshake handshake) {
    RedisCommands<String, String> redis = redis(handshake);
    assertEquals("OK", redis.set("k", "hello"));
    assertEquals("hello", redis.get("k"));
    assertNull(redis.get("missing"));
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Handshake.class)
  void set_withNxAndPx_honoursOptions(Handshake handshake) {
    RedisCommands<String, String> redis = redis(handshake);
    assertEquals("OK", redis.set("k", "v", SetArgs.Builder.nx().px(1_500)));
    assertNull(redis.set("k", "w", SetArgs.Builder.nx()));
    assertEquals("v", redis.get("k"));
    assertEquals(1_500, redis.pttl("k"));
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Handshake.class)
  void expireTtl_setAndReadTtl(Handshake handshake) {
    RedisCommands<String, String> redis = redis(handshake);
    redis.set("k", "v");
    assertEquals(-1, redis.ttl("k"));
    assertTrue(redis.expire("k", 100));
    assertEquals(100, redis.ttl("k"));
    assertFalse(redis.expire("k", 50, ExpireArgs.Builder.gt()));
    assertTrue(redis.expire("k", 50, ExpireArgs.Builder.lt()));
    assertEquals(50, redis.ttl("k"));
    assertFalse(redis.expire("missing", 100));
    assertEquals(-2, redis.ttl("missing"));
    server.clock().advance(Duration.ofSeconds(51));
    assertEquals(-2, redis.ttl("k"));
    assertNull(redis.get("k"));
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Handshake.class)
  void scanIterator_thousandKeys_visitsEveryKey(Handshake handshake) {
    RedisCommands<String, String> redis = redis(handshake);
    Map<String, String> pairs = new HashMap<>();
    for (int i = 0; i < 1_000; i++) {
      pairs.put("key:" + i, Integer.toString(i));
    }
    assertEquals("OK", redis.mset(pairs));
    Set<String> seen = new HashSet<>();
    ScanIterator<String> it = ScanIterator.scan(redis, ScanArgs.Builder.limit(100));
    while (it.hasNext()) {
      seen.add(it.next());
    }
    assertEquals(pairs.keySet(), seen);
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Handshake.class)
  void scanCursor_withMatch_returnsMatchingKeysAndEnds(Handshake handshake) {
    RedisCommands<String, String> redis = redis(handshake);
    for (int i = 0; i < 300; i++) {
      redis.set((i % 3 == 0 ? "user:" : "item:") + i, "v");
    }
    Set<String> seen = new HashSet<>();
    ScanArgs args = ScanArgs.Builder.matches("user:*").limit(50);
    KeyScanCursor<String> cursor = redis.scan(args);
    int calls = 1;
    seen.addAll(cursor.getKeys());
    while (!cursor.isFinished()) {
      cursor = redis.scan(ScanCursor.of(cursor.getCursor()), args);
      seen.addAll(cursor.getKeys());
      assertTrue(++calls < 1_000, "SCAN did not terminate");
    }
    assertEquals("0", cursor.getCursor());
    assertEquals(100, seen.size());
    assertTrue(seen.stream().allMatch(k -> k.startsWith("user:")), seen.toString());
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Handshake.class)
  void info_containsRedisVersionAndSections(Handshake handshake) {
    RedisCommands<String, String> redis = redis(handshake);
    String all = redis.info();
    assertTrue(all.contains("redis_version:"), all);
    assertTrue(all.contains("# Server"), all);
    assertTrue(all.contains("# Keyspace"), all);
    redis.set("k", "v");
    String keyspace = redis.info("keyspace");
    assertTrue(keyspace.contains("db0:keys=1,expires=0,"), keyspace);
    assertFalse(keyspace.contains("redis_version:"), keyspace);
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Handshake.class)
  void mget_withMissingKeys_returnsEmptyValues(Handshake handshake) {
    RedisCommands<String, String> redis = redis(handshake);
    redis.set("a", "1");
    redis.set("c", "3");
    List<KeyValue<String, String>> values = redis.mget("a", "b", "c");
    assertEquals(3, values.size());
    assertEquals(KeyValue.just("a", "1"), values.get(0));
    assertEquals(KeyValue.empty("b"), values.get(1));
    assertEquals(KeyValue.just("c", "3"), values.get(2));
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Handshake.class)
  void incr_countsAndRejectsNonIntegers(Handshake handshake) {
    RedisCommands<String, String> redis = redis(handshake);
    assertEquals(1, redis.incr("n"));
    assertEquals(11, redis.incrby("n", 10));
    assertEquals(10, redis.decr("n"));
    assertEquals(10.5, redis.incrbyfloat("n", 0.5));
    redis.set("s", "abc");
    RedisCommandExecutionException e =
        assertThrows(RedisCommandExecutionException.class, () -> redis.incr("s"));
    assertEquals("ERR value is not an integer or out of range", e.getMessage());
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Handshake.class)
  void del_countsDeletedKeys(Handshake handshake) {
    RedisCommands<String, String> redis = redis(handshake);
    redis.mset(Map.of("a", "1", "b", "2"));
    assertEquals(2, redis.del("a", "b", "c"));
    assertEquals(0, redis.exists("a", "b"));
    assertEquals(0, redis.del("a"));
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Handshake.class)
  void pipelinedAsyncCommands_allComplete(Handshake handshake) throws Exception {
    var async = connections.get(handshake).async();
    List<io.lettuce.core.RedisFuture<Long>> futures = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      futures.add(async.incr("counter"));
    }
    for (int i = 0; i < futures.size(); i++) {
      assertEquals(i + 1, futures.get(i).get(), "reply " + i);
    }
    assertEquals("500", redis(handshake).get("counter"));
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Handshake.class)
  void configGet_returnsMapInBothProtocols(Handshake handshake) {
    Map<String, String> config = redis(handshake).configGet("maxmemory-policy");
    assertInstanceOf(Map.class, config);
    assertEquals(Map.of("maxmemory-policy", "noeviction"), config);
  }
}
