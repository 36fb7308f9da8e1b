package dev.sluice.proxy.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.proxy.testing.Await;
import dev.sluice.proxy.testing.TestServer;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisProtocol;

class InfoScriptsTest {
  @Test
  void infoMemory_scriptsAndLibrariesLoaded_countsThemAsRedis() {
    try (TestServer server = TestServer.start();
        Jedis jedis = server.jedis(RedisProtocol.RESP2)) {
      assertEquals(0, Await.infoLong(jedis, "memory", "number_of_cached_scripts"));
      assertEquals(0, Await.infoLong(jedis, "memory", "number_of_libraries"));

      jedis.scriptLoad("return 1");
      jedis.scriptLoad("return 2");
      jedis.functionLoad(
          "#!lua name=lib\n"
              + "redis.register_function('f1', function() return 1 end)\n"
              + "redis.register_function('f2', function() return 2 end)");

      assertEquals(2, Await.infoLong(jedis, "memory", "number_of_cached_scripts"));
      assertEquals(2, Await.infoLong(jedis, "memory", "number_of_functions"));
      assertEquals(1, Await.infoLong(jedis, "memory", "number_of_libraries"));
    }
  }
}
