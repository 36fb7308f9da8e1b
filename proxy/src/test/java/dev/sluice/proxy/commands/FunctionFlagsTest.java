package dev.sluice.proxy.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sluice.proxy.testing.TestServer;
import java.util.List;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * What FCALL checks beyond the golden file: over maxmemory (noeviction) a function that may write
 * is refused with Redis's OOM error unless it declares allow-oom, a no-writes function still runs;
 * and the calling user's ACL applies to each command a function runs, with Redis 7.4's text.
 */
class FunctionFlagsTest {
  private static final String LIBRARY =
      """
      #!lua name=flags
      redis.register_function('plain', function(keys, args) return redis.call('GET', keys[1]) end)
      redis.register_function{function_name='oom_ok', flags={'allow-oom'},
        callback=function(keys) return redis.call('STRLEN', keys[1]) end}
      redis.register_function{function_name='reader', flags={'no-writes'},
        callback=function(keys) return redis.call('STRLEN', keys[1]) end}
      """;

  @Test
  void fcall_overMaxmemory_onlyAllowOomAndNoWritesFunctionsRun() {
    try (TestServer server = TestServer.start();
        Jedis jedis = server.jedis(RedisProtocol.RESP2)) {
      jedis.functionLoad(LIBRARY);
      jedis.set("k", "x".repeat(10_000));
      assertEquals("OK", jedis.configSet("maxmemory", "1"));
      try {
        JedisDataException refused =
            assertThrows(
                JedisDataException.class, () -> jedis.fcall("plain", List.of("k"), List.of()));
        assertEquals(
            "OOM command not allowed when used memory > 'maxmemory'.", refused.getMessage());
        assertEquals(10_000L, jedis.fcall("oom_ok", List.of("k"), List.of()));
        assertEquals(10_000L, jedis.fcall("reader", List.of("k"), List.of()));
        assertEquals(10_000L, jedis.fcallReadonly("reader", List.of("k"), List.of()));
      } finally {
        jedis.configSet("maxmemory", "0");
      }
      assertEquals("x".repeat(10_000), jedis.fcall("plain", List.of("k"), List.of()));
    }
  }

  @Test
  void fcall_userWithoutFlushall_eachCommandCheckedAgainstTheCallersAcl() {
    try (TestServer server = TestServer.start();
        Jedis admin = server.jedis(RedisProtocol.RESP2);
        Jedis shop = server.jedis(RedisProtocol.RESP2)) {
      admin.functionLoad(
          "#!lua name=acl\n"
              + "redis.register_function('wipe', function() return redis.call('flushall') end)\n"
              + "redis.register_function{function_name='getf', flags={'no-writes'},"
              + " callback=function(keys) return redis.call('get', keys[1]) end}");
      admin.set("k", "v");
      // Sluice's "app" role
      assertEquals(
          "OK",
          admin.aclSetUser(
              "shop",
              "on",
              ">shop-pw",
              "~*",
              "&*",
              "+@all",
              "-@admin",
              "-flushall",
              "-script|flush",
              "-function|flush",
              "+sluice|status"));
      assertEquals("OK", shop.auth("shop", "shop-pw"));
      JedisDataException denied =
          assertThrows(JedisDataException.class, () -> shop.fcall("wipe", List.of(), List.of()));
      assertEquals(
          "ERR ACL failure in script: User shop has no permissions to run the 'flushall' command"
              + " script: wipe, on @user_function:2.",
          denied.getMessage());
      assertEquals("v", shop.fcallReadonly("getf", List.of("k"), List.of()));
      JedisDataException noFlush =
          assertThrows(JedisDataException.class, () -> shop.functionFlush());
      assertEquals(
          "NOPERM User shop has no permissions to run the 'function|flush' command",
          noFlush.getMessage());
      assertEquals("OK", admin.fcall("wipe", List.of(), List.of()));
      assertEquals(0, admin.dbSize());
    }
  }
}
