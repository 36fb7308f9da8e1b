package dev.sluice.proxy.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.proxy.testing.Await;
import dev.sluice.proxy.testing.BothProtocols;
import dev.sluice.proxy.testing.RespSocket;
import dev.sluice.proxy.testing.RespSocket.Err;
import dev.sluice.proxy.testing.RespSocket.Nil;
import dev.sluice.proxy.testing.RespSocket.Simple;
import dev.sluice.proxy.testing.TestServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.TransactionResult;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.protocol.ProtocolVersion;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.Response;
import redis.clients.jedis.Transaction;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * MULTI/EXEC/DISCARD/WATCH/UNWATCH with Redis's replies and error texts, over raw RESP2 and RESP3
 * sockets (to tell a null array from a RESP3 null), Jedis's Transaction API and Lettuce. WATCH is
 * dirtied by every kind of change: another client's write, the watcher's own write before MULTI,
 * expiry (driven by the ManualClock), FLUSHDB, SWAPDB, eviction and DEL.
 */
class TransactionsTest {
  private static TestServer server;
  private static Jedis other;
  private final List<AutoCloseable> opened = new ArrayList<>();

  @BeforeAll
  static void startServer() {
    server = TestServer.start();
    other = server.jedis(RedisProtocol.RESP2);
  }

  @AfterAll
  static void stopServer() {
    other.close();
    server.close();
  }

  @BeforeEach
  void flush() {
    assertEquals("OK", other.flushAll());
  }

  @AfterEach
  void closeClients() throws Exception {
    for (AutoCloseable c : opened) {
      c.close();
    }
    opened.clear();
  }

  /** A raw connection speaking RESP {@code protocol}. */
  private RespSocket client(int protocol) {
    RespSocket socket = RespSocket.connect(server.port());
    opened.add(socket);
    if (protocol == 3) {
      assertInstanceOf(java.util.Map.class, socket.call("HELLO", "3"));
    }
    return socket;
  }

  private static final Simple OK = new Simple("OK");
  private static final Simple QUEUED = new Simple("QUEUED");

  /** EXEC's reply when a WATCHed key changed: a null array in RESP2, a null in RESP3. */
  private static Object abortedExec(int protocol) {
    return protocol == 2 ? Nil.ARRAY : Nil.NULL;
  }

  // ---- MULTI / EXEC / DISCARD ----

  @ParameterizedTest(name = "RESP{0}")
  @ValueSource(ints = {2, 3})
  void exec_mixedCommands_repliesInOrderWithErrorsAsElements(int protocol) {
    RespSocket c = client(protocol);
    assertEquals(OK, c.call("MULTI"));
    assertEquals(QUEUED, c.call("SET", "a", "1"));
    assertEquals(QUEUED, c.call("INCR", "a"));
    assertEquals(QUEUED, c.call("GET", "a"));
    assertEquals(QUEUED, c.call("RPUSH", "l", "x", "y"));
    assertEquals(QUEUED, c.call("INCR", "l"));
    assertEquals(QUEUED, c.call("LRANGE", "l", "0", "-1"));
    assertEquals(QUEUED, c.call("GET", "missing"));
    assertEquals(
        List.of(
            OK,
            2L,
            "2",
            2L,
            new Err("WRONGTYPE Operation against a key holding the wrong kind of value"),
            List.of("x", "y"),
            protocol == 2 ? Nil.BULK : Nil.NULL),
        c.call("EXEC"));
    // commands after the failing one ran: nothing is rolled back
    assertEquals("2", other.get("a"));
    assertEquals(List.of("x", "y"), other.lrange("l", 0, -1));
  }

  @Test
  void exec_emptyTransaction_emptyArray() {
    RespSocket c = client(2);
    c.call("MULTI");
    assertEquals(List.of(), c.call("EXEC"));
  }

  @Test
  void multi_queuedCommands_notVisibleToOthersBeforeExec() {
    RespSocket c = client(2);
    c.call("MULTI");
    c.call("SET", "k", "v");
    assertNull(other.get("k"));
    assertEquals(List.of(OK), c.call("EXEC"));
    assertEquals("v", other.get("k"));
  }

  @Test
  void discard_afterQueuedCommands_runsNothingAndEndsTransaction() {
    RespSocket c = client(2);
    c.call("MULTI");
    assertEquals(QUEUED, c.call("SET", "k", "v"));
    assertEquals(OK, c.call("DISCARD"));
    assertNull(other.get("k"));
    assertEquals(new Err("ERR EXEC without MULTI"), c.call("EXEC"));
    assertEquals(Nil.BULK, c.call("GET", "k")); // runs at once again
  }

  @Test
  void multi_nested_errorKeepsTransactionOpen() {
    RespSocket c = client(2);
    c.call("MULTI");
    c.call("SET", "k", "v");
    assertEquals(new Err("ERR MULTI calls can not be nested"), c.call("MULTI"));
    assertEquals(List.of(OK), c.call("EXEC"));
    assertEquals("v", other.get("k"));
  }

  @Test
  void execAndDiscard_withoutMulti_errors() {
    RespSocket c = client(2);
    assertEquals(new Err("ERR EXEC without MULTI"), c.call("EXEC"));
    assertEquals(new Err("ERR DISCARD without MULTI"), c.call("DISCARD"));
  }

  @Test
  void exec_afterUnknownCommandQueued_execAbortAndNothingRan() {
    RespSocket c = client(2);
    c.call("MULTI");
    assertEquals(QUEUED, c.call("SET", "k", "v"));
    assertEquals(
        new Err("ERR unknown command 'NOSUCHCMD', with args beginning with: 'x' "),
        c.call("NOSUCHCMD", "x"));
    assertEquals(QUEUED, c.call("SET", "k2", "v"));
    assertEquals(
        new Err("EXECABORT Transaction discarded because of previous errors."), c.call("EXEC"));
    assertFalse(other.exists("k"));
    assertFalse(other.exists("k2"));
    // the transaction is over
    assertEquals(new Err("ERR EXEC without MULTI"), c.call("EXEC"));
  }

  @Test
  void exec_afterWrongArityQueued_execAbort() {
    RespSocket c = client(3);
    c.call("MULTI");
    assertEquals(QUEUED, c.call("SET", "k", "v"));
    assertEquals(new Err("ERR wrong number of arguments for 'get' command"), c.call("GET"));
    assertEquals(
        new Err("EXECABORT Transaction discarded because of previous errors."), c.call("EXEC"));
    assertFalse(other.exists("k"));
  }

  @Test
  void watch_insideMulti_errorButTransactionStillRuns() {
    RespSocket c = client(2);
    c.call("MULTI");
    assertEquals(new Err("ERR WATCH inside MULTI is not allowed"), c.call("WATCH", "k"));
    c.call("SET", "k", "v");
    assertEquals(List.of(OK), c.call("EXEC"));
  }

  // ---- WATCH ----

  @ParameterizedTest(name = "RESP{0}")
  @ValueSource(ints = {2, 3})
  void exec_watchedKeyChangedByAnotherClient_nilAndNothingRan(int protocol) {
    other.set("k", "1");
    RespSocket c = client(protocol);
    assertEquals(OK, c.call("WATCH", "k"));
    assertEquals("OK", other.set("k", "2"));
    c.call("MULTI");
    c.call("SET", "k", "mine");
    c.call("SET", "side", "effect");
    assertEquals(abortedExec(protocol), c.call("EXEC"));
    assertEquals("2", other.get("k"));
    assertFalse(other.exists("side"));
  }

  @Test
  void exec_watchedKeyUnchanged_runs() {
    other.set("k", "1");
    RespSocket c = client(2);
    c.call("WATCH", "k");
    assertEquals("1", other.get("k")); // reads do not dirty
    c.call("MULTI");
    c.call("INCR", "k");
    assertEquals(List.of(2L), c.call("EXEC"));
  }

  @ParameterizedTest(name = "RESP{0}")
  @ValueSource(ints = {2, 3})
  void exec_watchedKeyExpired_nil(int protocol) {
    RespSocket c = client(protocol);
    assertEquals(OK, c.call("SET", "k", "v", "PX", "100"));
    c.call("WATCH", "k");
    server.clock().advance(Duration.ofMillis(101));
    c.call("MULTI");
    c.call("SET", "side", "effect");
    assertEquals(abortedExec(protocol), c.call("EXEC"));
    assertFalse(other.exists("side"));
  }

  @Test
  void exec_watchedKeyWithTtlNotYetExpired_runs() {
    RespSocket c = client(2);
    c.call("SET", "k", "v", "PX", "100");
    c.call("WATCH", "k");
    server.clock().advance(Duration.ofMillis(100)); // at the deadline the key still lives
    c.call("MULTI");
    c.call("GET", "k");
    assertEquals(List.of("v"), c.call("EXEC"));
  }

  @Test
  void exec_watchedKeyFlushed_nil() {
    other.set("k", "v");
    RespSocket c = client(2);
    c.call("WATCH", "k");
    assertEquals("OK", other.flushDB());
    c.call("MULTI");
    c.call("SET", "side", "effect");
    assertEquals(Nil.ARRAY, c.call("EXEC"));
    assertFalse(other.exists("side"));
  }

  @Test
  void exec_watchedMissingKeyAndFlushdb_runs() {
    // Redis: FLUSHDB only dirties WATCHed keys that existed
    RespSocket c = client(2);
    c.call("WATCH", "missing");
    other.set("unrelated", "v");
    assertEquals("OK", other.flushDB());
    c.call("MULTI");
    c.call("SET", "side", "effect");
    assertEquals(List.of(OK), c.call("EXEC"));
  }

  @Test
  void exec_watchedKeySwappedAway_nil() {
    other.set("k", "v");
    RespSocket c = client(2);
    c.call("WATCH", "k");
    assertEquals("OK", other.swapDB(0, 1));
    c.call("MULTI");
    c.call("SET", "side", "effect");
    assertEquals(Nil.ARRAY, c.call("EXEC"));
    assertFalse(other.exists("side"));
    other.swapDB(0, 1);
  }

  @Test
  void exec_watchedKeySwappedIn_nil() {
    try (Jedis db1 = server.jedis(RedisProtocol.RESP2)) {
      db1.select(1);
      db1.set("k", "from db1");
      RespSocket c = client(2);
      c.call("WATCH", "k"); // missing in db 0 until the swap
      assertEquals("OK", other.swapDB(0, 1));
      c.call("MULTI");
      c.call("GET", "k");
      assertEquals(Nil.ARRAY, c.call("EXEC"));
      other.swapDB(0, 1);
    }
  }

  @Test
  void exec_watchedKeyMissingInBothSwappedDatabases_runs() {
    RespSocket c = client(2);
    c.call("WATCH", "missing");
    assertEquals("OK", other.swapDB(0, 1));
    c.call("MULTI");
    c.call("PING");
    assertEquals(List.of(new Simple("PONG")), c.call("EXEC"));
    other.swapDB(0, 1);
  }

  @Test
  void exec_watchedKeyEvicted_nil() {
    RespSocket c = client(2);
    try {
      assertEquals("OK", other.configSet("maxmemory-policy", "allkeys-random"));
      other.set("k", "x".repeat(10_000)); // the only key: the only possible victim
      c.call("WATCH", "k");
      c.call("MULTI");
      assertEquals(QUEUED, c.call("GET", "k"));
      assertEquals("OK", other.configSet("maxmemory", "1"));
      assertNull(other.get("k")); // the next command evicted it
      assertEquals(1, Await.infoLong(other, "stats", "evicted_keys"));
      assertEquals("OK", other.configSet("maxmemory", "0"));
      assertEquals(Nil.ARRAY, c.call("EXEC"));
    } finally {
      other.configSet("maxmemory", "0");
      other.configSet("maxmemory-policy", "noeviction");
      other.configResetStat();
    }
  }

  @Test
  void multi_overMaxmemory_queueingRefusedWithOomThenExecAbort() {
    RespSocket c = client(2);
    try {
      other.set("k", "x".repeat(10_000));
      c.call("MULTI");
      assertEquals("OK", other.configSet("maxmemory", "1")); // noeviction: stays over
      // as Redis, any command but EXEC/DISCARD/QUIT/RESET is refused while queueing, even PING
      assertEquals(
          new Err("OOM command not allowed when used memory > 'maxmemory'."), c.call("PING"));
      assertEquals(
          new Err("EXECABORT Transaction discarded because of previous errors."), c.call("EXEC"));
    } finally {
      other.configSet("maxmemory", "0");
    }
  }

  @Test
  void exec_watchedKeyDeleted_nil() {
    other.set("k", "v");
    RespSocket c = client(2);
    c.call("WATCH", "k");
    assertEquals(1, other.del("k"));
    c.call("MULTI");
    c.call("SET", "k", "mine");
    assertEquals(Nil.ARRAY, c.call("EXEC"));
    assertFalse(other.exists("k"));
  }

  @Test
  void exec_watchedMissingKeyCreatedByAnotherClient_nil() {
    RespSocket c = client(2);
    c.call("WATCH", "lock");
    assertEquals(1, other.setnx("lock", "theirs"));
    c.call("MULTI");
    c.call("SET", "lock", "mine");
    assertEquals(Nil.ARRAY, c.call("EXEC"));
    assertEquals("theirs", other.get("lock"));
  }

  @Test
  void exec_watchedKeyInAnotherDatabaseChanged_onlyThatDatabaseCounts() {
    RespSocket c = client(2);
    c.call("SELECT", "2");
    c.call("WATCH", "k");
    other.set("k", "db0 write"); // same name, database 0: not the watched key
    c.call("MULTI");
    c.call("SET", "k", "mine");
    assertEquals(List.of(OK), c.call("EXEC"));
    try (Jedis db2 = server.jedis(RedisProtocol.RESP2)) {
      db2.select(2);
      assertEquals("mine", db2.get("k"));
      c.call("WATCH", "k");
      db2.set("k", "changed");
      c.call("MULTI");
      c.call("SET", "k", "again");
      assertEquals(Nil.ARRAY, c.call("EXEC"));
    }
  }

  @Test
  void unwatch_thenKeyChanged_execRuns() {
    other.set("k", "1");
    RespSocket c = client(2);
    c.call("WATCH", "k");
    assertEquals(OK, c.call("UNWATCH"));
    other.set("k", "2");
    c.call("MULTI");
    c.call("INCR", "k");
    assertEquals(List.of(3L), c.call("EXEC"));
  }

  @Test
  void exec_watchedKeyChangedByOwnClientBeforeMulti_nil() {
    other.set("k", "1");
    RespSocket c = client(2);
    c.call("WATCH", "k");
    assertEquals(OK, c.call("SET", "k", "own write"));
    c.call("MULTI");
    c.call("SET", "side", "effect");
    assertEquals(Nil.ARRAY, c.call("EXEC"));
    assertFalse(other.exists("side"));
  }

  @Test
  void exec_clearsWatches_nextTransactionIgnoresLaterChanges() {
    RespSocket c = client(2);
    c.call("WATCH", "k");
    c.call("MULTI");
    c.call("PING");
    assertEquals(List.of(new Simple("PONG")), c.call("EXEC"));
    other.set("k", "changed after exec");
    c.call("MULTI");
    c.call("PING");
    assertEquals(List.of(new Simple("PONG")), c.call("EXEC"));
  }

  @Test
  void discard_clearsWatches() {
    RespSocket c = client(2);
    c.call("WATCH", "k");
    c.call("MULTI");
    c.call("DISCARD");
    other.set("k", "changed");
    c.call("MULTI");
    c.call("PING");
    assertEquals(List.of(new Simple("PONG")), c.call("EXEC"));
  }

  @Test
  void exec_abortedByWatch_stillEndsTransactionAndWatches() {
    RespSocket c = client(2);
    c.call("WATCH", "k");
    other.set("k", "v");
    c.call("MULTI");
    assertEquals(Nil.ARRAY, c.call("EXEC"));
    assertEquals(new Err("ERR EXEC without MULTI"), c.call("EXEC"));
    other.set("k", "again");
    c.call("MULTI");
    c.call("PING");
    assertEquals(List.of(new Simple("PONG")), c.call("EXEC"));
  }

  // ---- client libraries ----

  @BothProtocols
  void jedisTransaction_responsesFilledOnExec(RedisProtocol protocol) {
    try (Jedis jedis = server.jedis(protocol)) {
      Transaction t = jedis.multi();
      Response<String> set = t.set("counter", "10");
      Response<Long> incr = t.incrBy("counter", 5);
      Response<Long> pushed = t.rpush("list", "a", "b");
      Response<String> bad = t.lpop("counter");
      Response<String> get = t.get("counter");
      List<Object> all = t.exec();
      assertEquals(5, all.size());
      assertEquals("OK", set.get());
      assertEquals(15L, incr.get());
      assertEquals(2L, pushed.get());
      assertInstanceOf(JedisDataException.class, all.get(3));
      assertEquals(
          "WRONGTYPE Operation against a key holding the wrong kind of value",
          ((JedisDataException) all.get(3)).getMessage());
      assertEquals("15", get.get());
      assertThrows(JedisDataException.class, bad::get);
    }
  }

  @BothProtocols
  void jedisWatch_keyChanged_execReturnsNull(RedisProtocol protocol) {
    try (Jedis jedis = server.jedis(protocol)) {
      jedis.set("balance", "100");
      assertEquals("OK", jedis.watch("balance"));
      other.set("balance", "50");
      Transaction t = jedis.multi();
      t.decrBy("balance", 30);
      assertNull(t.exec());
      assertEquals("50", other.get("balance"));
    }
  }

  @Test
  void jedisDiscard_nothingRuns() {
    try (Jedis jedis = server.jedis(RedisProtocol.RESP3)) {
      Transaction t = jedis.multi();
      t.set("k", "v");
      assertEquals("OK", t.discard());
      assertFalse(other.exists("k"));
    }
  }

  @Test
  void lettuceResp3_multiExec_andWatchDiscard() {
    RedisClient client = server.lettuceClient(ProtocolVersion.RESP3);
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      RedisCommands<String, String> redis = connection.sync();
      assertEquals("OK", redis.multi());
      assertNull(redis.set("k", "1")); // queued: the reply comes with EXEC
      assertNull(redis.incr("k"));
      assertNull(redis.get("k"));
      TransactionResult result = redis.exec();
      assertFalse(result.wasDiscarded());
      assertEquals(List.of("OK", 2L, "2"), result.stream().toList());

      assertEquals("OK", redis.watch("k"));
      other.set("k", "changed");
      redis.multi();
      redis.incr("k");
      assertTrue(redis.exec().wasDiscarded());
      assertEquals("changed", other.get("k"));
    } finally {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
  }
}
