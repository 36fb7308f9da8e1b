package dev.sluice.proxy.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.proxy.scripting.ScriptEngine;
import dev.sluice.proxy.testing.Await;
import dev.sluice.proxy.testing.TestServer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.resps.FunctionStats;

/**
 * A function that loops forever: after busy-reply-threshold other clients get Redis's BUSY for
 * functions, SCRIPT KILL is refused, FUNCTION STATS reports the running function and FUNCTION KILL
 * ends it; the other way round for an EVAL script. FUNCTION LOAD stops a library's code after 500
 * ms.
 */
class FunctionBusyTest {
  private static final String LOOP =
      """
      #!lua name=loops
      redis.register_function{function_name='spin', flags={'no-writes'},
        callback=function() local n = 0 while true do n = n + 1 end end}
      """;

  private static boolean answersBusy(Jedis other, String expected) {
    try {
      other.ping();
      return false;
    } catch (JedisDataException e) {
      assertEquals(expected, e.getMessage());
      return true;
    }
  }

  private static void assertError(String expected, org.junit.jupiter.api.function.Executable call) {
    JedisDataException e = assertThrows(JedisDataException.class, call);
    assertEquals(expected, e.getMessage());
  }

  @Test
  void infiniteFunction_otherClientsGetBusy_onlyFunctionKillEndsIt() throws Exception {
    try (TestServer server = TestServer.start();
        Jedis runner = server.jedis(RedisProtocol.RESP2);
        Jedis other = server.jedis(RedisProtocol.RESP2)) {
      assertEquals("OK", other.configSet("busy-reply-threshold", "100"));
      assertEquals("loops", other.functionLoad(LOOP));
      CompletableFuture<Object> running =
          CompletableFuture.supplyAsync(() -> runner.fcallReadonly("spin", List.of(), List.of()));
      Await.until("another client gets BUSY", () -> answersBusy(other, ScriptEngine.BUSY_FUNCTION));
      assertError(ScriptEngine.BUSY_FUNCTION, other::scriptKill);
      FunctionStats stats = other.functionStats();
      assertEquals("spin", stats.getRunningScript().get("name"));
      assertEquals(List.of("FCALL_RO", "spin", "0"), stats.getRunningScript().get("command"));
      assertTrue((Long) stats.getRunningScript().get("duration_ms") >= 100, stats.toString());
      assertEquals(
          Map.of("libraries_count", 1L, "functions_count", 1L), stats.getEngines().get("LUA"));
      assertEquals("OK", other.functionKill());
      ExecutionException e =
          assertThrows(ExecutionException.class, () -> running.get(5, TimeUnit.SECONDS));
      String message = e.getCause().getMessage();
      assertTrue(
          message.startsWith(
              "ERR Script killed by user with SCRIPT KILL... script: spin, on @user_function:"),
          message);
      assertEquals("PONG", runner.ping());
      assertError(ScriptEngine.NOTBUSY, other::functionKill);
    }
  }

  @Test
  void infiniteEval_functionKillIsRefused_scriptKillEndsIt() throws Exception {
    try (TestServer server = TestServer.start();
        Jedis runner = server.jedis(RedisProtocol.RESP2);
        Jedis other = server.jedis(RedisProtocol.RESP2)) {
      assertEquals("OK", other.configSet("busy-reply-threshold", "100"));
      CompletableFuture<Object> running =
          CompletableFuture.supplyAsync(() -> runner.eval("while true do end"));
      Await.until("another client gets BUSY", () -> answersBusy(other, ScriptEngine.BUSY));
      assertError(ScriptEngine.BUSY, other::functionKill);
      assertError(ScriptEngine.BUSY, other::functionStats);
      assertEquals("OK", other.scriptKill());
      assertThrows(ExecutionException.class, () -> running.get(5, TimeUnit.SECONDS));
      assertEquals("PONG", other.ping());
    }
  }

  @Test
  void functionLoad_libraryCodeLoopsForever_stoppedByTheLoadTimeout() {
    try (TestServer server = TestServer.start();
        Jedis jedis = server.jedis(RedisProtocol.RESP3)) {
      assertError(
          "ERR Error registering functions: ERR FUNCTION LOAD timeout",
          () ->
              jedis.functionLoad(
                  "#!lua name=slow\n"
                      + "redis.register_function('f', function() return 1 end)\n"
                      + "while true do end"));
      assertEquals(List.of(), jedis.functionList());
      assertEquals("PONG", jedis.ping());
    }
  }
}
