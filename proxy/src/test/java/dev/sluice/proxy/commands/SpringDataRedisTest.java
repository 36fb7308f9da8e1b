package dev.sluice.proxy.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.proxy.testing.TestServer;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.RedisSystemException;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisProtocol;

/**
 * Spring Data Redis 3.4 on Lettuce: {@code RedisTemplate.execute(RedisScript)} sends EVALSHA and
 * falls back to EVAL on NOSCRIPT, then reads the reply as the script's declared result type.
 */
class SpringDataRedisTest {
  private static TestServer server;
  private static LettuceConnectionFactory factory;
  private static StringRedisTemplate template;

  @BeforeAll
  static void start() {
    server = TestServer.start();
    factory =
        new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", server.port()));
    factory.afterPropertiesSet();
    factory.start();
    template = new StringRedisTemplate(factory);
  }

  @AfterAll
  static void stop() {
    factory.destroy();
    server.close();
  }

  @BeforeEach
  void flush() {
    try (Jedis j = server.jedis(RedisProtocol.RESP2)) {
      j.flushAll();
      j.scriptFlush();
    }
  }

  @Test
  void executeScript_longResult_evalshaAfterFirstLoad() {
    RedisScript<Long> incr =
        RedisScript.of(
            "local n = redis.call('incrby', KEYS[1], ARGV[1])\n"
                + "redis.call('pexpire', KEYS[1], ARGV[2])\n"
                + "return n",
            Long.class);
    assertEquals(5L, template.execute(incr, List.of("hits"), "5", "60000"));
    assertEquals(12L, template.execute(incr, List.of("hits"), "7", "60000"));
    assertEquals("12", template.opsForValue().get("hits"));
    try (Jedis j = server.jedis(RedisProtocol.RESP2)) {
      assertEquals(true, j.scriptExists(incr.getSha1()));
      assertTrue(j.pttl("hits") > 0);
    }
  }

  @Test
  void executeScript_listResult_elementsInOrder() {
    template.opsForList().rightPushAll("queue", "a", "b", "c");
    @SuppressWarnings("rawtypes")
    RedisScript<List> drain =
        RedisScript.of(
            "local items = redis.call('lrange', KEYS[1], 0, ARGV[1] - 1)\n"
                + "redis.call('ltrim', KEYS[1], ARGV[1], -1)\n"
                + "table.insert(items, tostring(redis.call('llen', KEYS[1])))\n"
                + "return items",
            List.class);
    assertEquals(List.of("a", "b", "1"), template.execute(drain, List.of("queue"), "2"));
    assertEquals(List.of("c", "0"), template.execute(drain, List.of("queue"), "2"));
  }

  @Test
  void executeScript_booleanAndStatus_convertedBySpring() {
    RedisScript<Boolean> casScript =
        RedisScript.of(
            "if redis.call('get', KEYS[1]) == ARGV[1] then"
                + " redis.call('set', KEYS[1], ARGV[2]) return 1 else return 0 end",
            Boolean.class);
    template.opsForValue().set("v", "old");
    assertEquals(true, template.execute(casScript, List.of("v"), "old", "new"));
    assertEquals(false, template.execute(casScript, List.of("v"), "old", "newer"));
    assertEquals("new", template.opsForValue().get("v"));
  }

  @Test
  void executeScript_scriptError_surfacesRedisMessage() {
    RedisScript<Long> bad = RedisScript.of("return redis.call('incr', KEYS[1])", Long.class);
    template.opsForValue().set("text", "abc");
    RedisSystemException e =
        assertThrows(RedisSystemException.class, () -> template.execute(bad, List.of("text")));
    assertTrue(
        e.getCause().getMessage().startsWith("ERR value is not an integer or out of range"),
        e.getCause().getMessage());
  }
}
