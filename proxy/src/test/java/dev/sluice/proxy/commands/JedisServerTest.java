package dev.sluice.proxy.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sluice.proxy.testing.BothProtocols;
import dev.sluice.proxy.testing.TestServer;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.function.Executable;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * One server per test class, one Jedis connection per protocol, an empty keyspace before each test.
 * Subclasses run their tests over both protocols with {@link BothProtocols}.
 */
abstract class JedisServerTest {
  static TestServer server;
  private static final Map<RedisProtocol, Jedis> clients = new EnumMap<>(RedisProtocol.class);

  @BeforeAll
  static void startServer() {
    server = TestServer.start();
    for (RedisProtocol protocol : RedisProtocol.values()) {
      clients.put(protocol, server.jedis(protocol));
    }
  }

  @AfterAll
  static void stopServer() {
    clients.values().forEach(Jedis::close);
    clients.clear();
    server.close();
  }

  @BeforeEach
  void flush() {
    assertEquals("OK", clients.get(RedisProtocol.RESP2).flushAll());
  }

  static Jedis jedis(RedisProtocol protocol) {
    return clients.get(protocol);
  }

  static long now() {
    return server.clock().millis();
  }

  static void assertError(String expected, Executable call) {
    JedisDataException e = assertThrows(JedisDataException.class, call);
    assertEquals(expected, e.getMessage());
  }
}
