package dev.sluice.proxy.scripting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.config.Settings;
import dev.sluice.proxy.testing.Await;
import dev.sluice.proxy.testing.TestServer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * Coroutines run their bodies on threads of their own (see {@link Coroutines}): what that must not
 * change — SCRIPT KILL and the allocation limit reach a loop inside one, redis.call from one runs
 * under the script's lock hold, and a script's unfinished coroutines leave no thread behind. Their
 * Lua behaviour is in golden/lua-divergences.json.
 */
class LuaCoroutineTest {

  private static boolean answersBusy(Jedis other) {
    try {
      other.ping();
      return false;
    } catch (JedisDataException e) {
      return e.getMessage().startsWith("BUSY");
    }
  }

  private static long scriptThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().equals("sluice-script"))
        .count();
  }

  private static void assertKilled(String loop) throws Exception {
    try (TestServer server = TestServer.start();
        Jedis runner = server.jedis(RedisProtocol.RESP2);
        Jedis other = server.jedis(RedisProtocol.RESP2)) {
      assertEquals("OK", other.configSet("busy-reply-threshold", "100"));
      CompletableFuture<Object> running = CompletableFuture.supplyAsync(() -> runner.eval(loop));
      Await.until("another client gets BUSY", () -> answersBusy(other));
      assertEquals("OK", other.scriptKill());
      ExecutionException e =
          assertThrows(ExecutionException.class, () -> running.get(5, TimeUnit.SECONDS));
      assertTrue(
          e.getCause().getMessage().startsWith("ERR Script killed by user with SCRIPT KILL..."),
          e.getCause().getMessage());
      assertEquals("PONG", other.ping());
      assertEquals(2L, runner.eval("return coroutine.wrap(function() return 2 end)()"));
    }
  }

  @Test
  void loopInsideWrappedCoroutine_scriptKill_endsTheScript() throws Exception {
    assertKilled("coroutine.wrap(function() while true do end end)()");
  }

  @Test
  void loopInsideResumedCoroutine_scriptKill_notCaughtByResume() throws Exception {
    // resume catches the coroutine's errors, but not the kill
    assertKilled(
        "while true do coroutine.resume(coroutine.create(function() while true do end end)) end");
  }

  @Test
  void loopInsideNestedCoroutine_scriptKill_endsEveryLevel() throws Exception {
    assertKilled(
        "local inner = coroutine.create(function() coroutine.yield(1) while true do end end)\n"
            + "local outer = coroutine.wrap(function()"
            + " coroutine.resume(inner) coroutine.yield() return coroutine.resume(inner) end)\n"
            + "outer() return outer()");
  }

  @Test
  void redisCallInsideCoroutines_runsWithinTheScript() {
    try (TestServer server = TestServer.start();
        Jedis jedis = server.jedis(RedisProtocol.RESP2)) {
      Object reply =
          jedis.eval(
              "local function writer(k)\n"
                  + "  return coroutine.wrap(function()\n"
                  + "    for i = 1, 3 do redis.call('rpush', k, i) coroutine.yield(i) end\n"
                  + "    return redis.call('llen', k)\n"
                  + "  end)\n"
                  + "end\n"
                  + "local a, b = writer(KEYS[1]), writer(KEYS[2])\n"
                  + "local nested = coroutine.wrap(function()\n"
                  + "  local inner = coroutine.wrap(function() return redis.call('incr', 'n') end)\n"
                  + "  return inner() + redis.call('incr', 'n')\n"
                  + "end)\n"
                  + "return {a(), b(), a(), a(), a(), b(), nested(), redis.pcall('nosuch').err}",
              2,
              "la",
              "lb");
      assertEquals(
          List.of(1L, 1L, 2L, 3L, 3L, 2L, 3L, "ERR Unknown Redis command called from script"),
          reply);
      assertEquals(List.of("1", "2", "3"), jedis.lrange("la", 0, -1));
      assertEquals(List.of("1", "2"), jedis.lrange("lb", 0, -1));
    }
  }

  private static String suspended(int n) {
    return "local t = {}\n"
        + "for i = 1, "
        + n
        + " do\n"
        + "  local co = coroutine.create(function() coroutine.yield(i) end)\n"
        + "  coroutine.resume(co) t[i] = co\n"
        + "end\n"
        + "return #t";
  }

  @Test
  void tenThousandSuspendedCoroutines_failPastTheLimit_threadsEndAfterTheScript() {
    try (TestServer server = TestServer.start();
        Jedis jedis = server.jedis(RedisProtocol.RESP2)) {
      jedis.eval("return 1");
      long before = scriptThreads();
      long started = System.nanoTime();
      assertEquals((long) Coroutines.MAX_THREADS, jedis.eval(suspended(Coroutines.MAX_THREADS)));
      long millis = (System.nanoTime() - started) / 1_000_000;
      System.out.println(Coroutines.MAX_THREADS + " suspended coroutines: " + millis + " ms");
      JedisDataException tooMany =
          assertThrows(JedisDataException.class, () -> jedis.eval(suspended(10_000)));
      assertTrue(
          tooMany
              .getMessage()
              .startsWith(
                  "ERR user_script:4: too many unfinished coroutines (at most 1000 at once)"),
          tooMany.getMessage());
      Await.until(
          "the coroutines' threads end (" + scriptThreads() + " left)",
          () -> scriptThreads() <= before);
      // a coroutine that ended gives its thread to the next one
      assertEquals(
          5000L,
          jedis.eval(
              "local n = 0\n"
                  + "for i = 1, 5000 do n = n + coroutine.wrap(function() return 1 end)() end\n"
                  + "return n"));
      assertTrue(scriptThreads() <= before + 1, "threads: " + scriptThreads());
    }
  }

  @Test
  void allocationInsideCoroutine_countsTowardsTheLimit() {
    try (TestServer server =
            TestServer.start(s -> s.set(Settings.SCRIPT_ALLOCATION_LIMIT, 16L * 1024 * 1024));
        Jedis jedis = server.jedis(RedisProtocol.RESP2)) {
      String hog =
          "local t = {} for i = 1, 100000000 do t[i] = string.rep('x', 100) .. i end return #t";
      JedisDataException stopped =
          assertThrows(
              JedisDataException.class,
              () ->
                  jedis.eval(
                      "return coroutine.resume(coroutine.create(function() " + hog + " end))"));
      assertTrue(
          stopped.getMessage().startsWith("ERR script allocated more than 16777216 bytes"),
          stopped.getMessage());
      // allocated across yields: each part is small, the sum is not
      JedisDataException summed =
          assertThrows(
              JedisDataException.class,
              () ->
                  jedis.eval(
                      "local t = {}\n"
                          + "local co = coroutine.wrap(function()"
                          + " while true do t[#t + 1] = string.rep('x', 1000) .. #t coroutine.yield() end end)\n"
                          + "for i = 1, 1000000 do t[#t + 1] = string.rep('y', 1000) .. i co() end"));
      assertTrue(summed.getMessage().contains("script-allocation-limit"), summed.getMessage());
      assertEquals("PONG", jedis.ping());
    }
  }

  @Test
  void coroutineLeftSuspendedAfterAnError_nextScriptRunsNormally() {
    try (TestServer server = TestServer.start();
        Jedis jedis = server.jedis(RedisProtocol.RESP2)) {
      JedisDataException e =
          assertThrows(
              JedisDataException.class,
              () ->
                  jedis.eval(
                      "local co = coroutine.create(function() coroutine.yield() end)\n"
                          + "coroutine.resume(co)\n"
                          + "error('boom')"));
      assertTrue(e.getMessage().startsWith("ERR user_script:3: boom script:"), e.getMessage());
      assertEquals("OK", jedis.eval("return redis.call('set', 'k', 'v')"));
      assertEquals("v", jedis.get("k"));
    }
  }

  @Test
  void fcall_coroutineCallingRedis_runsLikeInEval() {
    try (TestServer server = TestServer.start();
        Jedis jedis = server.jedis(RedisProtocol.RESP2)) {
      jedis.functionLoad(
          "#!lua name=co\n"
              + "redis.register_function('count', function(keys)\n"
              + "  local gen = coroutine.wrap(function()\n"
              + "    for i = 1, 3 do coroutine.yield(redis.call('incr', keys[1])) end\n"
              + "  end)\n"
              + "  return gen() + gen() + gen()\n"
              + "end)");
      assertEquals(6L, jedis.fcall("count", List.of("c"), List.of()));
      assertEquals("3", jedis.get("c"));
    }
  }

  @Test
  void redisFunctionCalledInsideCoroutine_runsOnTheScriptsThread() {
    ScriptEngine engine = new ScriptEngine();
    ReadOnlyTable globals = engine.state();
    Coroutines coroutines = engine.coroutines();
    LuaValue whereAmI = LuaLibraries.fn(a -> LuaValue.valueOf(Thread.currentThread().getName()));
    LuaValue body = globals.load("local probe = ... return probe()", "=probe");
    coroutines.begin();
    try {
      Varargs handed = coroutines.resume(new Coroutine(body), coroutines.onOwner(whereAmI));
      assertEquals(Thread.currentThread().getName(), handed.arg(2).tojstring());
      Varargs own = coroutines.resume(new Coroutine(body), whereAmI);
      assertEquals("sluice-script", own.arg(2).tojstring());
    } finally {
      coroutines.end();
    }
  }
}
