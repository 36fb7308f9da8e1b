package dev.sluice.proxy.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.config.Settings;
import dev.sluice.proxy.scripting.ScriptEngine;
import dev.sluice.proxy.testing.Await;
import dev.sluice.proxy.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * A script that loops forever: after busy-reply-threshold other clients get BUSY, and SCRIPT KILL
 * ends it. Each test has its own server; with two I/O threads the two connections land on different
 * ones, with one I/O thread on the same one (the script runs on its own thread, so the I/O thread
 * stays free to answer BUSY).
 */
class ScriptBusyTest {

  private static String sha(String script) {
    return ScriptEngine.sha1hex(script.getBytes(StandardCharsets.UTF_8));
  }

  private static boolean answersBusy(Jedis other) {
    try {
      other.ping();
      return false;
    } catch (JedisDataException e) {
      assertEquals(ScriptEngine.BUSY, e.getMessage());
      return true;
    }
  }

  @Test
  void infiniteLoop_otherClientsGetBusy_scriptKillEndsIt() throws Exception {
    try (TestServer server = TestServer.start();
        Jedis runner = server.jedis(RedisProtocol.RESP2);
        Jedis other = server.jedis(RedisProtocol.RESP2)) {
      assertEquals("OK", other.configSet("busy-reply-threshold", "100"));
      String loop = "local n = 0 while true do n = n + 1 end";
      CompletableFuture<Object> running = CompletableFuture.supplyAsync(() -> runner.eval(loop));
      Await.until("another client gets BUSY", () -> answersBusy(other));
      assertEquals("OK", other.scriptKill());
      ExecutionException e =
          assertThrows(ExecutionException.class, () -> running.get(5, TimeUnit.SECONDS));
      String message = e.getCause().getMessage();
      assertTrue(
          message.startsWith(
              "ERR Script killed by user with SCRIPT KILL... script: " + sha(loop) + ", on "),
          message);
      assertEquals("PONG", other.ping());
      assertEquals("PONG", runner.ping());
      assertError(ScriptEngine.NOTBUSY, other::scriptKill);
    }
  }

  @Test
  void infiniteLoop_otherClientOnSameIoThread_getsBusyAndKills() throws Exception {
    // one I/O thread: every connection shares the script caller's thread
    try (TestServer server = TestServer.start(s -> s.set(Settings.IO_THREADS, 1));
        Jedis runner = server.jedis(RedisProtocol.RESP2);
        Jedis other = server.jedis(RedisProtocol.RESP3)) {
      assertEquals("OK", other.configSet("busy-reply-threshold", "100"));
      String loop = "while true do end";
      CompletableFuture<Object> running = CompletableFuture.supplyAsync(() -> runner.eval(loop));
      Await.until("a client of the same I/O thread gets BUSY", () -> answersBusy(other));
      assertEquals("OK", other.scriptKill());
      ExecutionException e =
          assertThrows(ExecutionException.class, () -> running.get(5, TimeUnit.SECONDS));
      assertTrue(e.getCause().getMessage().startsWith("ERR Script killed by user"));
      assertEquals("PONG", runner.ping());
      assertEquals("PONG", other.ping());
    }
  }

  @Test
  void readOnlyScriptsPastTheThreshold_scriptKillEndsEach() throws Exception {
    try (TestServer server = TestServer.start();
        Jedis runner = server.jedis(RedisProtocol.RESP2);
        Jedis other = server.jedis(RedisProtocol.RESP2)) {
      assertEquals("OK", other.configSet("busy-reply-threshold", "100"));
      other.set("k", "v");
      // EVAL_RO, and a shebang script that declared no-writes, each reading before it spins
      String ro = "redis.call('get', KEYS[1]) while true do end";
      String noWrites = "#!lua flags=no-writes\nredis.call('get', KEYS[1]) while true do end";
      List<Supplier<Object>> scripts =
          List.of(
              () -> runner.evalReadonly(ro, List.of("k"), List.of()),
              () -> runner.eval(noWrites, 1, "k"));
      for (Supplier<Object> script : scripts) {
        CompletableFuture<Object> running = CompletableFuture.supplyAsync(script);
        Await.until("another client gets BUSY", () -> answersBusy(other));
        String killed = other.scriptKill();
        assertEquals("OK", killed);
        ExecutionException e =
            assertThrows(ExecutionException.class, () -> running.get(5, TimeUnit.SECONDS));
        assertTrue(
            e.getCause().getMessage().startsWith("ERR Script killed by user with SCRIPT KILL..."),
            e.getCause().getMessage());
      }
      assertEquals("v", other.get("k"));
    }
  }

  @Test
  void pipelineAroundScripts_repliesInOrder() {
    try (TestServer server = TestServer.start(s -> s.set(Settings.IO_THREADS, 1));
        Jedis jedis = server.jedis(RedisProtocol.RESP2)) {
      redis.clients.jedis.Pipeline p = jedis.pipelined();
      for (int i = 0; i < 200; i++) {
        p.incr("n");
        p.eval("return redis.call('incr', KEYS[1])", 1, "n");
        p.get("n");
      }
      List<Object> replies = p.syncAndReturnAll();
      for (int i = 0; i < 200; i++) {
        assertEquals(2L * i + 1, replies.get(3 * i));
        assertEquals(2L * i + 2, replies.get(3 * i + 1));
        assertEquals(String.valueOf(2 * i + 2), replies.get(3 * i + 2));
      }
    }
  }

  @Test
  void loopInsidePcall_killNotCaughtByScript() throws Exception {
    try (TestServer server = TestServer.start();
        Jedis runner = server.jedis(RedisProtocol.RESP3);
        Jedis other = server.jedis(RedisProtocol.RESP3)) {
      other.configSet("busy-reply-threshold", "100");
      String loop = "while true do pcall(function() while true do end end) end";
      CompletableFuture<Object> running = CompletableFuture.supplyAsync(() -> runner.eval(loop));
      Await.until("another client gets BUSY", () -> answersBusy(other));
      assertEquals("OK", other.scriptKill());
      ExecutionException e =
          assertThrows(ExecutionException.class, () -> running.get(5, TimeUnit.SECONDS));
      assertTrue(e.getCause().getMessage().startsWith("ERR Script killed by user"));
      assertEquals("PONG", other.ping());
    }
  }

  @Test
  void scriptThatWrote_scriptKillAnswersUnkillable() throws Exception {
    try (TestServer server = TestServer.start();
        // the script cannot be killed and runs its full count: on a loaded machine that can take
        // longer than the fixture's 10 s read timeout
        Jedis runner =
            new Jedis(
                new redis.clients.jedis.HostAndPort("127.0.0.1", server.port()),
                redis.clients.jedis.DefaultJedisClientConfig.builder()
                    .timeoutMillis(60_000)
                    .build());
        Jedis other = server.jedis(RedisProtocol.RESP2)) {
      other.configSet("busy-reply-threshold", "100");
      // writes, then spins until a key it cannot see change... bounded by a counter
      String script =
          "redis.call('set', KEYS[1], 'x')\n"
              + "local n = 0 while n < tonumber(ARGV[1]) do n = n + 1 end\n"
              + "return n";
      CompletableFuture<Object> running =
          CompletableFuture.supplyAsync(() -> runner.eval(script, 1, "k", "30000000"));
      Await.until("another client gets BUSY", () -> answersBusy(other));
      assertError(ScriptEngine.UNKILLABLE, other::scriptKill);
      assertEquals(30000000L, running.get(60, TimeUnit.SECONDS));
      assertEquals("x", other.get("k"));
    }
  }

  private static void assertError(String expected, org.junit.jupiter.api.function.Executable call) {
    JedisDataException e = assertThrows(JedisDataException.class, call);
    assertEquals(expected, e.getMessage());
  }

  @Test
  void eval_scriptAllocatingPastTheLimit_isStoppedWithAnErrorAndPcallCannotCatchIt() {
    try (TestServer server =
            TestServer.start(s -> s.set(Settings.SCRIPT_ALLOCATION_LIMIT, 16L * 1024 * 1024));
        Jedis jedis = server.jedis(RedisProtocol.RESP2)) {
      String hog =
          "local t = {} for i = 1, 100000000 do t[i] = string.rep('x', 100) .. i end return #t";
      JedisDataException stopped = assertThrows(JedisDataException.class, () -> jedis.eval(hog));
      assertTrue(
          stopped.getMessage().startsWith("ERR script allocated more than 16777216 bytes"),
          stopped.getMessage());
      JedisDataException caught =
          assertThrows(
              JedisDataException.class,
              () -> jedis.eval("return pcall(function() " + hog + " end)"));
      assertTrue(caught.getMessage().contains("script-allocation-limit"), caught.getMessage());
      // a script within the limit runs, and the server is fine afterwards
      assertEquals(3L, jedis.eval("return #{1, 2, 3}"));
      assertEquals("PONG", jedis.ping());
    }
  }
}
