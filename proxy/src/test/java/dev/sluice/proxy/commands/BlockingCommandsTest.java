package dev.sluice.proxy.commands;

import static dev.sluice.proxy.testing.Await.blockedClients;
import static dev.sluice.proxy.testing.Await.infoLong;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.proxy.testing.BothProtocols;
import dev.sluice.proxy.testing.RespSocket;
import dev.sluice.proxy.testing.RespSocket.Nil;
import dev.sluice.proxy.testing.RespSocket.Simple;
import dev.sluice.proxy.testing.TestServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.protocol.ProtocolVersion;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.Transaction;
import redis.clients.jedis.args.ListDirection;
import redis.clients.jedis.util.KeyValue;

/**
 * BLPOP, BRPOP, BLMOVE, BRPOPLPUSH and BLMPOP with several clients, each on its own connection and
 * thread: wake-ups by other connections, first-come first-served order, MULTI/EXEC, chains of
 * moves, timeouts (real time, on the connection's event loop), disconnects and pipelining behind a
 * blocked command. Blocked clients are started in a known order by waiting for INFO's
 * blocked_clients to count each one.
 */
class BlockingCommandsTest {
  private static final long WAIT_SECONDS = 5;

  private static TestServer server;
  private static ExecutorService threads;
  private static Jedis observer;
  private final List<AutoCloseable> opened = new ArrayList<>();

  @BeforeAll
  static void startServer() {
    server = TestServer.start();
    threads = Executors.newCachedThreadPool();
    observer = server.jedis(RedisProtocol.RESP2);
  }

  @AfterAll
  static void stopServer() {
    observer.close();
    threads.shutdownNow();
    server.close();
  }

  @BeforeEach
  void flush() {
    assertEquals("OK", observer.flushAll());
  }

  @AfterEach
  void closeClients() throws Exception {
    for (AutoCloseable c : opened) {
      c.close();
    }
    opened.clear();
    blockedClients(observer, 0);
  }

  private Jedis client(RedisProtocol protocol) {
    Jedis jedis = server.jedis(protocol);
    opened.add(jedis);
    return jedis;
  }

  private RespSocket socket() {
    RespSocket socket = RespSocket.connect(server.port());
    opened.add(socket);
    return socket;
  }

  private static <T> Future<T> async(Callable<T> call) {
    return threads.submit(call);
  }

  private static <T> T result(Future<T> future) throws Exception {
    return future.get(WAIT_SECONDS, TimeUnit.SECONDS);
  }

  /** Starts a blocking call on its own connection and waits until the server counts it blocked. */
  private <T> Future<T> blocked(long blockedAfter, Callable<T> call) {
    Future<T> future = async(call);
    blockedClients(observer, blockedAfter);
    return future;
  }

  // ---- wake-ups ----

  @BothProtocols
  void blpop_emptyList_wokenByPushFromAnotherConnection(RedisProtocol protocol) throws Exception {
    Jedis waiter = client(protocol);
    Future<List<String>> popped = blocked(1, () -> waiter.blpop(0, "l"));
    assertFalse(popped.isDone());

    assertEquals(1, observer.lpush("l", "v"));

    assertEquals(List.of("l", "v"), result(popped));
    assertFalse(observer.exists("l"), "the popped list is gone");
    assertEquals(0, infoLong(observer, "clients", "blocked_clients"));
  }

  @BothProtocols
  void brpop_severalKeys_servedFromTheKeyThatGotData(RedisProtocol protocol) throws Exception {
    Jedis waiter = client(protocol);
    Future<List<String>> popped = blocked(1, () -> waiter.brpop(0, "a", "b", "c"));

    observer.rpush("b", "x", "y");

    assertEquals(List.of("b", "y"), result(popped));
    assertEquals(List.of("x"), observer.lrange("b", 0, -1));
  }

  @Test
  void blpop_threeWaiters_servedFirstComeFirstServed() throws Exception {
    List<Future<List<String>>> waiters = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      Jedis waiter = client(RedisProtocol.RESP2);
      waiters.add(blocked(i, () -> waiter.blpop(0, "l")));
    }

    assertEquals(3, observer.rpush("l", "a", "b", "c"));

    assertEquals(List.of("l", "a"), result(waiters.get(0)));
    assertEquals(List.of("l", "b"), result(waiters.get(1)));
    assertEquals(List.of("l", "c"), result(waiters.get(2)));
    assertFalse(observer.exists("l"));
  }

  @Test
  void brpop_threeWaiters_eachPushServesTheOldestWaiter() throws Exception {
    List<Future<List<String>>> waiters = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      Jedis waiter = client(RedisProtocol.RESP3);
      waiters.add(blocked(i, () -> waiter.brpop(0, "l")));
    }

    observer.lpush("l", "first");
    assertEquals(List.of("l", "first"), result(waiters.get(0)));
    assertEquals(2, infoLong(observer, "clients", "blocked_clients"));
    assertFalse(waiters.get(1).isDone());
    assertFalse(waiters.get(2).isDone());

    observer.lpush("l", "second");
    assertEquals(List.of("l", "second"), result(waiters.get(1)));
    assertFalse(waiters.get(2).isDone());

    observer.lpush("l", "third");
    assertEquals(List.of("l", "third"), result(waiters.get(2)));
  }

  @Test
  void exec_pushInsideMulti_wakesWaitersOnlyOnCommitInOrder() throws Exception {
    Jedis first = client(RedisProtocol.RESP2);
    Future<List<String>> firstPop = blocked(1, () -> first.blpop(0, "l"));
    Jedis second = client(RedisProtocol.RESP3);
    Future<List<String>> secondPop = blocked(2, () -> second.blpop(0, "l"));

    Jedis pusher = client(RedisProtocol.RESP2);
    Transaction multi = pusher.multi();
    multi.rpush("l", "x");
    multi.rpush("l", "y");
    // queued, not run: nobody is woken and the list does not exist yet
    assertEquals(2, infoLong(observer, "clients", "blocked_clients"));
    assertEquals(0, observer.llen("l"));
    assertFalse(firstPop.isDone());

    assertEquals(List.of(1L, 2L), multi.exec());

    assertEquals(List.of("l", "x"), result(firstPop));
    assertEquals(List.of("l", "y"), result(secondPop));
    assertFalse(observer.exists("l"));
  }

  @Test
  void discard_pushInsideMulti_leavesWaiterBlocked() throws Exception {
    Jedis waiter = client(RedisProtocol.RESP2);
    Future<List<String>> popped = blocked(1, () -> waiter.blpop(0, "l"));

    Jedis pusher = client(RedisProtocol.RESP2);
    Transaction multi = pusher.multi();
    multi.rpush("l", "x");
    assertEquals("OK", multi.discard());

    assertEquals(1, infoLong(observer, "clients", "blocked_clients"));
    assertEquals(0, observer.llen("l"));
    assertFalse(popped.isDone());

    observer.rpush("l", "after");
    assertEquals(List.of("l", "after"), result(popped));
  }

  @Test
  void exec_pushDeletePush_waiterGetsWhatIsThereAtCommit() throws Exception {
    Jedis waiter = client(RedisProtocol.RESP2);
    Future<List<String>> popped = blocked(1, () -> waiter.blpop(0, "l"));

    Jedis pusher = client(RedisProtocol.RESP2);
    Transaction multi = pusher.multi();
    multi.rpush("l", "x");
    multi.del("l");
    multi.rpush("l", "y");
    assertEquals(List.of(1L, 1L, 1L), multi.exec());

    assertEquals(List.of("l", "y"), result(popped));
  }

  // ---- moves ----

  @Test
  void blmove_intoListWithWaiter_wakesClientBlockedOnDestination() throws Exception {
    Jedis end = client(RedisProtocol.RESP2);
    Future<List<String>> endPop = blocked(1, () -> end.blpop(0, "dst"));
    Jedis mover = client(RedisProtocol.RESP3);
    Future<String> moved =
        blocked(2, () -> mover.blmove("src", "dst", ListDirection.LEFT, ListDirection.RIGHT, 0));

    assertEquals(1, observer.lpush("src", "v"));

    assertEquals("v", result(moved));
    assertEquals(List.of("dst", "v"), result(endPop));
    assertEquals(0, observer.exists("src", "dst"));
  }

  @Test
  void brpoplpush_chainOfTwoMoves_eachHopServed() throws Exception {
    Jedis end = client(RedisProtocol.RESP2);
    Future<List<String>> endPop = blocked(1, () -> end.brpop(0, "c"));
    Jedis hop2 = client(RedisProtocol.RESP2);
    Future<String> second = blocked(2, () -> hop2.brpoplpush("b", "c", 0));
    Jedis hop1 = client(RedisProtocol.RESP2);
    Future<String> first = blocked(3, () -> hop1.brpoplpush("a", "b", 0));

    observer.rpush("a", "token");

    assertEquals("token", result(first));
    assertEquals("token", result(second));
    assertEquals(List.of("c", "token"), result(endPop));
    assertEquals(0, observer.exists("a", "b", "c"));
  }

  @Test
  void brpoplpush_emptySource_wokenByPushAndElementLandsInDestination() throws Exception {
    Jedis mover = client(RedisProtocol.RESP2);
    Future<String> moved = blocked(1, () -> mover.brpoplpush("src", "dst", 0));

    observer.rpush("src", "a", "b");

    assertEquals("b", result(moved));
    assertEquals(List.of("a"), observer.lrange("src", 0, -1));
    assertEquals(List.of("b"), observer.lrange("dst", 0, -1));
  }

  @BothProtocols
  void blmpop_twoKeys_servedFromTheKeyThatGotDataWithCount(RedisProtocol protocol)
      throws Exception {
    Jedis waiter = client(protocol);
    Future<KeyValue<String, List<String>>> popped =
        blocked(1, () -> waiter.blmpop(0, ListDirection.LEFT, 2, "k1", "k2"));

    observer.rpush("k2", "a", "b", "c");

    KeyValue<String, List<String>> reply = result(popped);
    assertEquals("k2", reply.getKey());
    assertEquals(List.of("a", "b"), reply.getValue());
    assertEquals(List.of("c"), observer.lrange("k2", 0, -1));
  }

  // ---- timeouts ----

  /** Sends a blocking command that times out and returns its reply, checking the time it took. */
  private Object timedOut(int protocol, String... command) {
    RespSocket socket = socket();
    if (protocol == 3) {
      socket.call("HELLO", "3");
    }
    long start = System.nanoTime();
    Object reply = socket.call(command);
    long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
    assertTrue(elapsedMillis >= 90, "answered after " + elapsedMillis + " ms, before the timeout");
    assertTrue(elapsedMillis < 2_000, "answered only after " + elapsedMillis + " ms");
    return reply;
  }

  @Test
  void blpop_timeoutPasses_resp2NullArray() {
    assertEquals(Nil.ARRAY, timedOut(2, "BLPOP", "l", "0.1"));
    assertEquals(0, infoLong(observer, "clients", "blocked_clients"));
  }

  @Test
  void blpop_timeoutPasses_resp3Null() {
    assertEquals(Nil.NULL, timedOut(3, "BLPOP", "l", "0.1"));
  }

  @Test
  void brpop_timeoutPasses_resp2NullArray() {
    assertEquals(Nil.ARRAY, timedOut(2, "BRPOP", "a", "b", "0.1"));
  }

  /**
   * As redis-server 7.0 and 7.4: a timed-out BLMOVE is a null array, not the null bulk of MULTI.
   */
  @Test
  void blmove_timeoutPasses_nullArrayInResp2AndNullInResp3() {
    assertEquals(Nil.ARRAY, timedOut(2, "BLMOVE", "s", "d", "LEFT", "LEFT", "0.1"));
    assertEquals(Nil.NULL, timedOut(3, "BLMOVE", "s", "d", "LEFT", "LEFT", "0.1"));
  }

  @Test
  void brpoplpush_timeoutPasses_nullArray() {
    assertEquals(Nil.ARRAY, timedOut(2, "BRPOPLPUSH", "s", "d", "0.1"));
  }

  /** A timeout whose deadline would pass LLONG_MAX ms since the epoch is out of range (7.4). */
  @Test
  void blpop_deadlinePastLongMaxMillis_isOutOfRange() {
    long now = server.clock().millis();
    try {
      server.clock().set(Long.MAX_VALUE - 5_000);
      RespSocket socket = socket();
      assertEquals(
          new RespSocket.Err("ERR timeout is out of range"), socket.call("BLPOP", "l", "6"));
      assertEquals(Nil.ARRAY, socket.call("BLPOP", "l", "0.001"));
      assertEquals(Nil.ARRAY, socket.call("BLPOP", "l", "0x1p-9"));
    } finally {
      server.clock().set(now);
    }
  }

  @Test
  void blmpop_timeoutPasses_nullArrayInResp2AndNullInResp3() {
    assertEquals(Nil.ARRAY, timedOut(2, "BLMPOP", "0.1", "2", "a", "b", "LEFT"));
    assertEquals(Nil.NULL, timedOut(3, "BLMPOP", "0.1", "2", "a", "b", "LEFT"));
  }

  /**
   * 0 waits forever; so do -0.0001 and -0.001, as in Redis (7.0.15 and 7.4.0): it multiplies the
   * seconds by 1000 in long double and rounds up, and -0.1 ms, or the -0.99999… ms that -0.001 s
   * makes (0.001 is not exact), round up to 0. (-0.002 s is negative: golden/divergences.json.)
   */
  @ParameterizedTest
  @ValueSource(strings = {"0", "-0.0001", "-0.001"})
  void blpop_timeoutZeroAfterRounding_waitsPastOtherTimeoutsUntilPush(String timeout) {
    RespSocket forever = socket();
    forever.send("BLPOP", "l", timeout);
    blockedClients(observer, 1);

    // another client's 0.2 s wait comes and goes; the timeout-0 client is still blocked
    assertEquals(Nil.ARRAY, timedOut(2, "BLPOP", "other", "0.2"));
    assertEquals(1, infoLong(observer, "clients", "blocked_clients"));

    observer.rpush("l", "finally");
    assertEquals(List.of("l", "finally"), forever.read());
  }

  @Test
  void blpop_pushBeforeTimeout_answersValueNotNil() {
    RespSocket socket = socket();
    socket.send("BLPOP", "l", "5");
    blockedClients(observer, 1);
    observer.rpush("l", "v");
    assertEquals(List.of("l", "v"), socket.read());
    // the cancelled timeout must not send a second reply
    assertEquals(new Simple("PONG"), socket.call("PING"));
  }

  @Test
  void blockingCommands_insideMulti_answerNilAtOnce() {
    RespSocket socket = socket();
    observer.rpush("q", "1");
    assertEquals(new Simple("OK"), socket.call("MULTI"));
    assertEquals(new Simple("QUEUED"), socket.call("BLPOP", "q", "0"));
    assertEquals(new Simple("QUEUED"), socket.call("BLPOP", "q", "0"));
    assertEquals(new Simple("QUEUED"), socket.call("BLMOVE", "q", "z", "LEFT", "LEFT", "0"));
    assertEquals(new Simple("QUEUED"), socket.call("BLMPOP", "0", "1", "q", "LEFT"));
    long start = System.nanoTime();
    assertEquals(List.of(List.of("q", "1"), Nil.ARRAY, Nil.BULK, Nil.ARRAY), socket.call("EXEC"));
    assertTrue((System.nanoTime() - start) / 1_000_000 < 2_000);
    assertEquals(0, infoLong(observer, "clients", "blocked_clients"));
  }

  @Test
  void blpop_insideMultiResp3_answersNullAtOnce() {
    RespSocket socket = socket();
    socket.call("HELLO", "3");
    socket.call("MULTI");
    socket.call("BLPOP", "l", "0");
    assertEquals(List.of(Nil.NULL), socket.call("EXEC"));
  }

  // ---- connections going away, counting, pipelining ----

  @Test
  void blockedClient_disconnects_isForgottenAndLaterPushStaysInList() {
    RespSocket socket = RespSocket.connect(server.port());
    socket.send("BLPOP", "l", "0");
    blockedClients(observer, 1);

    socket.close();
    blockedClients(observer, 0);

    assertEquals(1, observer.rpush("l", "kept"));
    assertEquals(List.of("kept"), observer.lrange("l", 0, -1));
  }

  @Test
  void info_blockedClients_countsWaitersUntilServedOrTimedOut() throws Exception {
    assertEquals(0, infoLong(observer, "clients", "blocked_clients"));
    Jedis a = client(RedisProtocol.RESP2);
    Future<List<String>> first = blocked(1, () -> a.blpop(0, "x"));
    Jedis b = client(RedisProtocol.RESP2);
    Future<List<String>> second = blocked(2, () -> b.blpop(0, "y"));
    Jedis c = client(RedisProtocol.RESP2);
    Future<KeyValue<String, String>> third = blocked(3, () -> c.blpop(0.3, "z"));

    observer.rpush("x", "1");
    assertEquals(List.of("x", "1"), result(first));
    assertEquals(2, infoLong(observer, "clients", "blocked_clients"));

    assertNull(result(third)); // timed out
    assertEquals(1, infoLong(observer, "clients", "blocked_clients"));

    observer.rpush("y", "2");
    assertEquals(List.of("y", "2"), result(second));
    assertEquals(0, infoLong(observer, "clients", "blocked_clients"));
  }

  @Test
  void blockedClient_pipelinedCommands_answeredAfterTheBlockedOneInOrder() {
    RespSocket socket = socket();
    socket.sendRaw("BLPOP l 0\r\nPING\r\nECHO after\r\n");
    blockedClients(observer, 1);

    observer.rpush("l", "v");

    // had PING been answered while BLPOP waited, its +PONG would come first
    assertEquals(List.of("l", "v"), socket.read());
    assertEquals(new Simple("PONG"), socket.read());
    assertEquals("after", socket.read());
  }

  @Test
  void blockedClient_pipelinedSecondBlockingCommand_blocksAgainAfterFirstServed() {
    RespSocket socket = socket();
    socket.sendRaw("BLPOP l 0\r\nBLPOP l 0\r\nPING\r\n");
    blockedClients(observer, 1);

    observer.rpush("l", "one");
    assertEquals(List.of("l", "one"), socket.read());
    blockedClients(observer, 1); // the second BLPOP found nothing and waits in turn

    observer.rpush("l", "two");
    assertEquals(List.of("l", "two"), socket.read());
    assertEquals(new Simple("PONG"), socket.read());
  }

  // ---- the key changes in other ways ----

  @Test
  void blpop_keyBecomesString_staysBlockedUntilAListIsThere() throws Exception {
    Jedis waiter = client(RedisProtocol.RESP2);
    Future<List<String>> popped = blocked(1, () -> waiter.blpop(0, "l"));

    // Redis 7.4 only re-runs a blocked command when the key holds the type it waits for
    assertEquals("OK", observer.set("l", "now a string"));
    assertEquals(1, infoLong(observer, "clients", "blocked_clients"));
    assertFalse(popped.isDone());

    assertEquals(1, observer.del("l"));
    observer.rpush("l", "v");
    assertEquals(List.of("l", "v"), result(popped));
  }

  @Test
  void blpop_keyInAnotherDatabase_notWokenByPushInDb0() throws Exception {
    Jedis waiter = client(RedisProtocol.RESP2);
    assertEquals("OK", waiter.select(5));
    Future<List<String>> popped = blocked(1, () -> waiter.blpop(0, "l"));

    observer.rpush("l", "db0");
    assertEquals(1, infoLong(observer, "clients", "blocked_clients"));
    assertFalse(popped.isDone());

    try (Jedis db5 = server.jedis(RedisProtocol.RESP2)) {
      db5.select(5);
      db5.rpush("l", "db5");
    }
    assertEquals(List.of("l", "db5"), result(popped));
    assertEquals(List.of("db0"), observer.lrange("l", 0, -1));
  }

  @Test
  void swapdb_bringsListIntoWaitersDatabase_wakesWaiter() throws Exception {
    Jedis waiter = client(RedisProtocol.RESP2);
    Future<List<String>> popped = blocked(1, () -> waiter.blpop(0, "l"));

    try (Jedis db1 = server.jedis(RedisProtocol.RESP2)) {
      db1.select(1);
      db1.rpush("l", "from db1");
      assertEquals("OK", db1.swapDB(0, 1));
    }

    assertEquals(List.of("l", "from db1"), result(popped));
  }

  // ---- Lettuce ----

  @Test
  void lettuceResp3_blpop_wokenByPush() throws Exception {
    RedisClient client = server.lettuceClient(ProtocolVersion.RESP3);
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      Future<io.lettuce.core.KeyValue<String, String>> popped =
          blocked(1, () -> connection.sync().blpop(0, "l"));
      observer.rpush("l", "lettuce");
      io.lettuce.core.KeyValue<String, String> reply = result(popped);
      assertEquals("l", reply.getKey());
      assertEquals("lettuce", reply.getValue());
    } finally {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
  }
}
