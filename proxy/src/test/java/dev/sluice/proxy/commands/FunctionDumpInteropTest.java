package dev.sluice.proxy.commands;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.proxy.testing.Await;
import dev.sluice.proxy.testing.TestServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.resps.LibraryInfo;

/**
 * FUNCTION DUMP and RESTORE between Sluice and a real redis-server (installed by .ci/run, started
 * here on a free port without persistence): each restores the other's payload, and for the same
 * library both dump the same bytes.
 */
class FunctionDumpInteropTest {
  private static final String LIBRARY =
      """
      #!lua name=shop
      redis.register_function{function_name='add_to_cart', description='adds an item',
        callback=function(keys, args) return redis.call('HINCRBY', keys[1], args[1], 1) end}
      redis.register_function{function_name='cart_size', flags={'no-writes'},
        callback=function(keys) return redis.call('HLEN', keys[1]) end}
      """;

  @TempDir Path dir;
  private Process redis;
  private int redisPort;

  @BeforeEach
  void startRedisServer() throws IOException {
    try (ServerSocket free = new ServerSocket(0)) {
      redisPort = free.getLocalPort();
    }
    redis =
        new ProcessBuilder(
                "redis-server",
                "--port",
                String.valueOf(redisPort),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                dir.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("redis.log").toFile())
            .start();
    Await.until("redis-server answers PING", this::redisAnswers);
  }

  private boolean redisAnswers() {
    try (Jedis jedis = new Jedis("127.0.0.1", redisPort)) {
      return "PONG".equals(jedis.ping());
    } catch (RuntimeException e) {
      return false;
    }
  }

  @AfterEach
  void stopRedisServer() throws InterruptedException {
    if (redis != null) {
      redis.destroy();
      redis.waitFor();
    }
  }

  @Test
  void dump_sameLibraryOnBoth_sameBytes() {
    try (TestServer server = TestServer.start();
        Jedis sluice = server.jedis(RedisProtocol.RESP2);
        Jedis real = new Jedis("127.0.0.1", redisPort)) {
      sluice.functionLoad(LIBRARY);
      real.functionLoad(LIBRARY);
      assertArrayEquals(real.functionDump(), sluice.functionDump());
    }
  }

  @Test
  void restore_sluiceDumpOnRedisServer_andRedisServerDumpOnSluice_functionsRun() {
    try (TestServer server = TestServer.start();
        Jedis sluice = server.jedis(RedisProtocol.RESP2);
        Jedis real = new Jedis("127.0.0.1", redisPort)) {
      sluice.functionLoad(LIBRARY);
      sluice.functionLoad(
          "#!lua name=other\nredis.register_function('ping_me', function() return 'pong' end)");
      assertEquals("OK", real.functionRestore(sluice.functionDump()));
      assertEquals(2, real.functionList().size());
      assertEquals(1L, real.fcall("add_to_cart", List.of("cart:1"), List.of("tea")));
      assertEquals("pong", real.fcall("ping_me", List.of(), List.of()));

      assertEquals("OK", sluice.functionFlush());
      assertEquals("OK", sluice.functionRestore(real.functionDump()));
      List<LibraryInfo> libraries = sluice.functionListWithCode("shop");
      assertEquals(1, libraries.size());
      assertEquals(LIBRARY, libraries.get(0).getLibraryCode());
      assertEquals(1L, sluice.fcall("add_to_cart", List.of("cart:1"), List.of("tea")));
      assertEquals(1L, sluice.fcallReadonly("cart_size", List.of("cart:1"), List.of()));
    }
  }
}
