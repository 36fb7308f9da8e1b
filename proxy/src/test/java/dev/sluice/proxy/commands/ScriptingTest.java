package dev.sluice.proxy.commands;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.proxy.scripting.ScriptEngine;
import dev.sluice.proxy.testing.Await;
import dev.sluice.proxy.testing.BothProtocols;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.RedisProtocol;

class ScriptingTest extends JedisServerTest {

  private static String sha(String script) {
    return ScriptEngine.sha1hex(script.getBytes(StandardCharsets.UTF_8));
  }

  @BothProtocols
  void eval_commandReplies_convertedAsRedis(RedisProtocol protocol) {
    Jedis j = jedis(protocol);
    j.hset("nohash-not", "f", "v");
    String script =
        "redis.call('set', KEYS[1], ARGV[1])\n"
            + "local v = redis.call('get', KEYS[1])\n"
            + "local n = redis.call('incrby', 'n', 5)\n"
            + "local missing = redis.call('get', 'nokey')\n"
            + "local status = redis.call('ping')\n"
            + "local list = redis.call('lrange', 'nolist', 0, -1)\n"
            + "return {v, n, 3.99, -3.99, tostring(missing), status['ok'], type(list), #list,"
            + " math.type == nil and 'x' or 'y'}";
    assertEquals(
        List.of("val", 5L, 3L, -3L, "false", "PONG", "table", 0L, "x"),
        j.eval(script, 1, "k", "val"));
  }

  @BothProtocols
  void eval_tableWithNil_stopsAtFirstNil(RedisProtocol protocol) {
    assertEquals(List.of(1L, 2L, "x"), jedis(protocol).eval("return {1, 2, 'x', nil, 4}"));
  }

  @BothProtocols
  void eval_booleans_trueIsOneFalseIsNil(RedisProtocol protocol) {
    assertEquals(1L, jedis(protocol).eval("return true"));
    assertNull(jedis(protocol).eval("return false"));
    assertNull(jedis(protocol).eval("return nil"));
  }

  @BothProtocols
  void eval_statusAndErrorTables_becomeStatusAndErrorReplies(RedisProtocol protocol) {
    Jedis j = jedis(protocol);
    assertEquals("FINE", j.eval("return {ok='FINE'}"));
    assertEquals("PONG", j.eval("return redis.status_reply('PONG')"));
    assertError("MY custom", () -> j.eval("return redis.error_reply('MY custom')"));
    assertError("ERR nocode", () -> j.eval("return redis.error_reply('nocode')"));
    assertError("x y", () -> j.eval("return {err='x y'}"));
  }

  @BothProtocols
  void eval_keysAndArgv_areTables(RedisProtocol protocol) {
    assertEquals(
        List.of("a", "b", "1", "2", 2L, 2L),
        jedis(protocol)
            .eval(
                "return {KEYS[1], KEYS[2], ARGV[1], ARGV[2], #KEYS, #ARGV}",
                2,
                "a",
                "b",
                "1",
                "2"));
  }

  @BothProtocols
  void eval_numkeysWrong_redisErrors(RedisProtocol protocol) {
    Jedis j = jedis(protocol);
    assertError(
        "ERR Number of keys can't be greater than number of args",
        () -> j.eval("return 1", 3, "a"));
    assertError(
        "ERR Number of keys can't be negative",
        () -> j.sendCommand(Protocol.Command.EVAL, "return 1", "-1"));
    assertError(
        "ERR value is not an integer or out of range",
        () -> j.sendCommand(Protocol.Command.EVAL, "return 1", "x"));
  }

  @BothProtocols
  void evalsha_unknownScript_noscript(RedisProtocol protocol) {
    assertError(
        "NOSCRIPT No matching script. Please use EVAL.",
        () -> jedis(protocol).evalsha("ffffffffffffffffffffffffffffffffffffffff", 0));
  }

  @BothProtocols
  void scriptLoad_thenEvalshaExistsFlush(RedisProtocol protocol) {
    Jedis j = jedis(protocol);
    String script = "return ARGV[1] .. '!'";
    String sha = j.scriptLoad(script);
    assertEquals(sha(script), sha);
    assertEquals("hi!", j.evalsha(sha, 0, "hi"));
    assertEquals("hi!", j.evalsha(sha.toUpperCase(), 0, "hi"));
    assertEquals(
        List.of(true, false), j.scriptExists(sha, "0000000000000000000000000000000000000000"));
    assertEquals("OK", j.scriptFlush());
    assertEquals(false, j.scriptExists(sha));
    assertError("NOSCRIPT No matching script. Please use EVAL.", () -> j.evalsha(sha, 0, "hi"));
  }

  @BothProtocols
  void eval_cachesScript_evalshaRunsItAfterwards(RedisProtocol protocol) {
    Jedis j = jedis(protocol);
    j.eval("return 41 + 1");
    assertEquals(42L, j.evalsha(sha("return 41 + 1")));
  }

  @BothProtocols
  void evalRo_writeCommand_refused(RedisProtocol protocol) {
    Jedis j = jedis(protocol);
    String script = "return redis.call('set', KEYS[1], 'v')";
    assertError(
        "ERR Write commands are not allowed from read-only scripts. script: "
            + sha(script)
            + ", on @user_script:1.",
        () -> j.evalReadonly(script, List.of("k"), List.of()));
    j.set("k", "v0");
    assertEquals(
        "v0", j.evalReadonly("return redis.call('get', KEYS[1])", List.of("k"), List.of()));
  }

  @BothProtocols
  void redisCall_commandError_raisedWithScriptAndLine(RedisProtocol protocol) {
    Jedis j = jedis(protocol);
    j.set("s", "text");
    String script = "local x = 1\nreturn redis.call('incr', KEYS[1])";
    assertError(
        "ERR value is not an integer or out of range script: "
            + sha(script)
            + ", on @user_script:2.",
        () -> j.eval(script, 1, "s"));
    String wrongType = "return redis.call('lpush', KEYS[1], 'x')";
    assertError(
        "WRONGTYPE Operation against a key holding the wrong kind of value script: "
            + sha(wrongType)
            + ", on @user_script:1.",
        () -> j.eval(wrongType, 1, "s"));
  }

  @BothProtocols
  void redisPcall_commandError_returnedAsErrTable(RedisProtocol protocol) {
    Jedis j = jedis(protocol);
    j.set("s", "text");
    assertEquals(
        List.of("ERR value is not an integer or out of range", "string", "false"),
        j.eval(
            "local r = redis.pcall('incr', KEYS[1])\n"
                + "local ok, e = pcall(redis.call, 'incr', KEYS[1])\n"
                + "return {r['err'], type(e), tostring(ok)}",
            1,
            "s"));
    assertError(
        "ERR value is not an integer or out of range",
        () -> j.eval("return redis.pcall('incr', KEYS[1])", 1, "s"));
  }

  @BothProtocols
  void redisCall_badCommands_redisErrors(RedisProtocol protocol) {
    Jedis j = jedis(protocol);
    Map<String, String> cases =
        Map.of(
            "return redis.call('nosuch')", "ERR Unknown Redis command called from script",
            "return redis.call('incr', 'a', 'b')",
                "ERR Wrong number of args calling Redis command from script",
            "return redis.call('multi')", "ERR This Redis command is not allowed from script",
            "return redis.call('eval', 'return 1', '0')",
                "ERR This Redis command is not allowed from script",
            "return redis.call()",
                "ERR Please specify at least one argument for this redis lib call",
            "return redis.call('set', 'a', {})",
                "ERR Lua redis lib command arguments must be strings or integers");
    cases.forEach(
        (script, error) ->
            assertError(
                error + " script: " + sha(script) + ", on @user_script:1.", () -> j.eval(script)));
  }

  @BothProtocols
  void eval_commandNameAsData_runs(RedisProtocol protocol) {
    Jedis j = jedis(protocol);
    assertEquals(3L, j.eval("return redis.call(ARGV[1], KEYS[1], ARGV[2])", 1, "c", "INCRBY", "3"));
    assertEquals(7L, j.eval("return redis.call('incrby', KEYS[1], 4)", 1, "c"));
  }

  @BothProtocols
  void eval_sandbox_forbiddenGlobalsAndWritesRefused(RedisProtocol protocol) {
    Jedis j = jedis(protocol);
    for (String name :
        List.of("os", "io", "loadfile", "dofile", "require", "debug", "package", "print")) {
      String script = "return " + name;
      assertError(
          "ERR user_script:1: Script attempted to access nonexistent global variable '"
              + name
              + "' script: "
              + sha(script)
              + ", on @user_script:1.",
          () -> j.eval(script));
    }
    String write = "x = 1";
    assertError(
        "ERR user_script:1: Attempt to modify a readonly table script: "
            + sha(write)
            + ", on @user_script:1.",
        () -> j.eval(write));
    // raised inside a library function, so without a position, as redis-server 7.0.15 words it
    assertError(
        "ERR Attempt to modify a readonly table script: "
            + sha("rawset(_G, 'x', 1)")
            + ", on @user_script:1.",
        () -> j.eval("rawset(_G, 'x', 1)"));
    assertEquals("x", j.eval("local x = 'x' return x"));
  }

  @BothProtocols
  void eval_errorCall_errOrString(RedisProtocol protocol) {
    Jedis j = jedis(protocol);
    String boom = "error('boom')";
    assertError(
        "ERR user_script:1: boom script: " + sha(boom) + ", on @user_script:1.",
        () -> j.eval(boom));
    String custom = "error({err='MY custom'})";
    assertError("MY custom script: " + sha(custom) + ", on @user_script:1.", () -> j.eval(custom));
  }

  @BothProtocols
  void eval_syntaxError_compileError(RedisProtocol protocol) {
    Jedis j = jedis(protocol);
    Exception e =
        org.junit.jupiter.api.Assertions.assertThrows(Exception.class, () -> j.eval("return +"));
    assertTrue(
        e.getMessage().startsWith("ERR Error compiling script (new function): user_script:1: "),
        e.getMessage());
  }

  @BothProtocols
  void eval_redisHelpers_sha1hexLogReplicate(RedisProtocol protocol) {
    Jedis j = jedis(protocol);
    assertEquals(
        List.of("da39a3ee5e6b4b0d3255bfef95601890afd80709", 1L, 3L, 3L),
        j.eval(
            "redis.log(redis.LOG_WARNING, 'from a script')\n"
                + "redis.set_repl(redis.REPL_ALL)\n"
                + "return {redis.sha1hex(''), redis.replicate_commands() and 1 or 0,"
                + " redis.REPL_ALL, redis.LOG_WARNING}"));
  }

  @Test
  void setresp3_mapSetDoubleBoolean_convertedBothWays() {
    Jedis j = jedis(RedisProtocol.RESP3);
    j.hset("h", "a", "1");
    j.sadd("s", "m");
    j.zadd("z", 1.5, "m");
    assertEquals(
        List.of("table", "1", 1L, "1.5", "boolean"),
        j.eval(
            "redis.setresp(3)\n"
                + "local h = redis.call('hgetall', 'h')\n"
                + "local s = redis.call('smembers', 's')\n"
                + "local d = redis.call('zscore', 'z', 'm')\n"
                + "local b = redis.call('sismember', 's', 'm')\n"
                + "return {type(h.map), h.map.a, s.set.m and 1 or 0, tostring(d.double),"
                + " type(redis.call('get', 'nokey') == nil)}"));
    assertEquals(Map.of("k", "v"), j.eval("return {map={k='v'}}"));
    assertEquals(3.5, j.eval("redis.setresp(3) return {double=3.5}"));
    assertEquals(true, j.eval("redis.setresp(3) return true"));
    assertEquals(false, j.eval("redis.setresp(3) return false"));
  }

  @Test
  void setresp2_mapFromCommand_flatArray() {
    Jedis j = jedis(RedisProtocol.RESP2);
    j.hset("h", "a", "1");
    assertEquals(List.of("a", "1"), j.eval("return redis.call('hgetall', 'h')"));
    assertError(
        "ERR RESP version must be 2 or 3. script: "
            + sha("redis.setresp(4)")
            + ", on @user_script:1.",
        () -> j.eval("redis.setresp(4)"));
  }

  /** A token bucket in the style of gateway rate limiters: TIME, HMGET, HSET, PEXPIRE. */
  static final String TOKEN_BUCKET =
      "local key = KEYS[1]\n"
          + "local rate = tonumber(ARGV[1])\n"
          + "local capacity = tonumber(ARGV[2])\n"
          + "local requested = tonumber(ARGV[3])\n"
          + "local t = redis.call('TIME')\n"
          + "local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)\n"
          + "local state = redis.call('HMGET', key, 'tokens', 'ts')\n"
          + "local tokens = tonumber(state[1])\n"
          + "if tokens == nil then tokens = capacity end\n"
          + "local ts = tonumber(state[2]) or now\n"
          + "tokens = math.min(capacity, tokens + (now - ts) * rate / 1000)\n"
          + "local allowed = tokens >= requested\n"
          + "if allowed then tokens = tokens - requested end\n"
          + "redis.call('HSET', key, 'tokens', tokens, 'ts', now)\n"
          + "redis.call('PEXPIRE', key, math.ceil(capacity / rate * 1000) * 2)\n"
          + "return {allowed and 1 or 0, math.floor(tokens)}";

  @BothProtocols
  void tokenBucket_capacityThree_fourthRequestRefused(RedisProtocol protocol) {
    Jedis j = jedis(protocol);
    String sha = j.scriptLoad(TOKEN_BUCKET);
    // a rate of 0.001 tokens/s: no refill between calls
    assertEquals(List.of(1L, 2L), j.evalsha(sha, 1, "bucket", "0.001", "3", "1"));
    assertEquals(List.of(1L, 1L), j.evalsha(sha, 1, "bucket", "0.001", "3", "1"));
    assertEquals(List.of(1L, 0L), j.evalsha(sha, 1, "bucket", "0.001", "3", "1"));
    assertEquals(List.of(0L, 0L), j.evalsha(sha, 1, "bucket", "0.001", "3", "1"));
    assertTrue(j.pttl("bucket") > 0);
  }

  /**
   * A reentrant lock as Redisson writes it: a hash of owner → count, PEXPIRE, PUBLISH on unlock.
   */
  static final String LOCK =
      "if (redis.call('exists', KEYS[1]) == 0) or (redis.call('hexists', KEYS[1], ARGV[2]) == 1)"
          + " then\n"
          + "  redis.call('hincrby', KEYS[1], ARGV[2], 1)\n"
          + "  redis.call('pexpire', KEYS[1], ARGV[1])\n"
          + "  return nil\n"
          + "end\n"
          + "return redis.call('pttl', KEYS[1])";

  static final String UNLOCK =
      "if (redis.call('hexists', KEYS[1], ARGV[2]) == 0) then return nil end\n"
          + "local counter = redis.call('hincrby', KEYS[1], ARGV[2], -1)\n"
          + "if (counter > 0) then\n"
          + "  redis.call('pexpire', KEYS[1], ARGV[1])\n"
          + "  return 0\n"
          + "else\n"
          + "  redis.call('del', KEYS[1])\n"
          + "  redis.call('publish', KEYS[2], ARGV[3])\n"
          + "  return 1\n"
          + "end";

  @BothProtocols
  void reentrantLock_secondOwnerWaitsUntilUnlockPublishes(RedisProtocol protocol) throws Exception {
    Jedis j = jedis(protocol);
    assertNull(j.eval(LOCK, 1, "lock", "30000", "owner-a"));
    assertNull(j.eval(LOCK, 1, "lock", "30000", "owner-a"));
    Object ttl = j.eval(LOCK, 1, "lock", "30000", "owner-b");
    assertTrue((Long) ttl > 0 && (Long) ttl <= 30000, String.valueOf(ttl));
    try (Jedis subscriber = server.jedis(RedisProtocol.RESP2)) {
      CompletableFuture<String> message = new CompletableFuture<>();
      JedisPubSub listener =
          new JedisPubSub() {
            @Override
            public void onSubscribe(String channel, int count) {
              assertEquals(0L, j.eval(UNLOCK, 2, "lock", "chan", "30000", "owner-a", "unlocked"));
              assertEquals(1L, j.eval(UNLOCK, 2, "lock", "chan", "30000", "owner-a", "unlocked"));
            }

            @Override
            public void onMessage(String channel, String text) {
              message.complete(text);
              unsubscribe();
            }
          };
      subscriber.subscribe(listener, "chan");
      assertEquals("unlocked", message.get(5, TimeUnit.SECONDS));
    }
    assertFalse(j.exists("lock"));
    assertNull(j.eval(LOCK, 1, "lock", "30000", "owner-b"));
  }

  @BothProtocols
  void compareAndSet_binaryValues_setNxPx(RedisProtocol protocol) {
    Jedis j = jedis(protocol);
    byte[] key = {'c', 0, (byte) 0xff};
    byte[] v1 = {0, 1, (byte) 0x80, (byte) 0xff, '\r', '\n'};
    byte[] v2 = {(byte) 0xfe, 0, 0};
    byte[] cas =
        ("local cur = redis.call('get', KEYS[1])\n"
                + "if cur == false then\n"
                + "  return redis.call('set', KEYS[1], ARGV[2], 'NX', 'PX', 60000)\n"
                + "elseif cur == ARGV[1] then\n"
                + "  redis.call('set', KEYS[1], ARGV[2], 'PX', 60000)\n"
                + "  return cur\n"
                + "end\n"
                + "return false")
            .getBytes(StandardCharsets.UTF_8);
    Object first = j.eval(cas, 1, key, new byte[0], v1);
    assertArrayEquals("OK".getBytes(StandardCharsets.UTF_8), (byte[]) first);
    assertArrayEquals(v1, j.get(key));
    assertArrayEquals(v1, (byte[]) j.eval(cas, 1, key, v1, v2));
    assertArrayEquals(v2, j.get(key));
    assertNull(j.eval(cas, 1, key, v1, v1));
    assertTrue(j.pttl(key) > 0);
    assertEquals(3L, j.eval("return string.len(ARGV[1])".getBytes(), 0, v2));
  }

  @Test
  void eval_blockingCommandInside_refusedAsRedis() {
    Jedis j = jedis(RedisProtocol.RESP2);
    String script = "return redis.call('blpop', 'nolist', 0)";
    assertError(
        "ERR This Redis command is not allowed from script script: "
            + sha(script)
            + ", on @user_script:1.",
        () -> j.eval(script));
  }

  @Test
  void eval_pushInsideScript_wakesBlockedClientAndNotifies() throws Exception {
    Jedis j = jedis(RedisProtocol.RESP2);
    j.configSet("notify-keyspace-events", "KEA");
    try (Jedis waiter = server.jedis(RedisProtocol.RESP2);
        Jedis subscriber = server.jedis(RedisProtocol.RESP2)) {
      CompletableFuture<List<String>> popped =
          CompletableFuture.supplyAsync(() -> waiter.blpop(5, "q"));
      Await.until("the waiter blocks", () -> Await.infoLong(j, "clients", "blocked_clients") == 1);
      CompletableFuture<String> event = new CompletableFuture<>();
      JedisPubSub listener =
          new JedisPubSub() {
            @Override
            public void onSubscribe(String channel, int count) {
              j.eval("redis.call('rpush', KEYS[1], 'job')", 1, "q");
            }

            @Override
            public void onMessage(String channel, String message) {
              event.complete(message);
              unsubscribe();
            }
          };
      subscriber.subscribe(listener, "__keyspace@0__:q");
      assertEquals("rpush", event.get(5, TimeUnit.SECONDS));
      assertEquals(List.of("q", "job"), popped.get(5, TimeUnit.SECONDS));
    } finally {
      j.configSet("notify-keyspace-events", "");
    }
  }

  /** Reads the other client must have sent while a script was outstanding. */
  private static final int READS_DURING_SCRIPTS = 20;

  /**
   * Another client reads the key over and over while scripts set it to 1, compute for a while and
   * set it to 2: no read sees the 1. Scripts run until the reader has sent at least {@link
   * #READS_DURING_SCRIPTS} reads while a script was outstanding, so the reads had their chance to
   * land in the middle of one.
   */
  @Test
  void eval_longScript_notInterleavedWithOtherClients() throws Exception {
    Jedis j = jedis(RedisProtocol.RESP2);
    j.set("k", "0");
    AtomicBoolean sawIntermediate = new AtomicBoolean();
    AtomicBoolean stop = new AtomicBoolean();
    // odd while an EVAL is outstanding: between sending it and reading its reply
    AtomicLong scriptPhase = new AtomicLong();
    AtomicLong readsDuringScripts = new AtomicLong();
    int scripts = 0;
    try (Jedis reader = server.jedis(RedisProtocol.RESP2)) {
      CompletableFuture<Void> reads =
          CompletableFuture.runAsync(
              () -> {
                while (!stop.get()) {
                  long phase = scriptPhase.get();
                  String v = reader.get("k");
                  if (!"0".equals(v) && !"2".equals(v)) {
                    sawIntermediate.set(true);
                  }
                  if (phase % 2 == 1) {
                    readsDuringScripts.incrementAndGet();
                  }
                }
              });
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while ((scripts < 5 || readsDuringScripts.get() < READS_DURING_SCRIPTS)
          && System.nanoTime() < deadline) {
        j.set("k", "0");
        scriptPhase.incrementAndGet();
        j.eval(
            "redis.call('set', KEYS[1], '1')\n"
                + "local n = 0 for i = 1, 200000 do n = n + i end\n"
                + "redis.call('set', KEYS[1], '2')",
            1,
            "k");
        scriptPhase.incrementAndGet();
        scripts++;
      }
      stop.set(true);
      reads.get(5, TimeUnit.SECONDS);
    }
    assertTrue(
        readsDuringScripts.get() >= READS_DURING_SCRIPTS,
        "the reader sent only " + readsDuringScripts + " reads during " + scripts + " scripts");
    assertFalse(sawIntermediate.get(), "a read saw the script's intermediate value");
  }

  @Test
  void exec_evalQueued_runsInsideTransaction() {
    Jedis j = jedis(RedisProtocol.RESP2);
    var t = j.multi();
    t.eval("return redis.call('incr', KEYS[1])", 1, "n");
    t.incr("n");
    assertEquals(List.of(1L, 2L), t.exec());
  }

  @Test
  void scriptKill_noScript_notbusy() {
    assertError(
        "NOTBUSY No scripts in execution right now.",
        () -> jedis(RedisProtocol.RESP2).scriptKill());
  }

  @Test
  void scriptFlush_badOption_error() {
    assertError(
        "ERR SCRIPT FLUSH only support SYNC|ASYNC option",
        () -> jedis(RedisProtocol.RESP2).sendCommand(Protocol.Command.SCRIPT, "FLUSH", "NOW"));
    assertEquals(
        "OK",
        new String(
            (byte[])
                jedis(RedisProtocol.RESP2).sendCommand(Protocol.Command.SCRIPT, "FLUSH", "ASYNC"),
            StandardCharsets.UTF_8));
  }
}
