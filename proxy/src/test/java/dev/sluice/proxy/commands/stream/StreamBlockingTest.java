package dev.sluice.proxy.commands.stream;

import static dev.sluice.proxy.testing.Await.blockedClients;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.sluice.proxy.testing.RespSocket;
import dev.sluice.proxy.testing.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisProtocol;

/**
 * XREAD BLOCK and XREADGROUP BLOCK over real sockets: each blocked client on its own connection and
 * thread, started once INFO counts it blocked (no sleeps), served by another client's XADD, timed
 * out, or ended when its group or its key goes. Replies are compared as raw RESP.
 */
class StreamBlockingTest {
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

  /**
   * Sends a command on a connection of its own; returns its raw reply once the server blocked it.
   */
  private Future<String> blocked(long blockedAfter, String... command) {
    RespSocket socket = RespSocket.connect(server.port());
    opened.add(socket);
    Future<String> reply = threads.submit(() -> socket.callRaw(command));
    blockedClients(observer, blockedAfter);
    return reply;
  }

  private static String result(Future<String> reply) throws Exception {
    return reply.get(WAIT_SECONDS, TimeUnit.SECONDS);
  }

  private static String call(String... command) {
    try (RespSocket socket = RespSocket.connect(server.port())) {
      return socket.callRaw(command);
    }
  }

  private static String entry(String key, String id, String field, String value) {
    return "*1\r\n*2\r\n$"
        + key.length()
        + "\r\n"
        + key
        + "\r\n*1\r\n*2\r\n$"
        + id.length()
        + "\r\n"
        + id
        + "\r\n*2\r\n$"
        + field.length()
        + "\r\n"
        + field
        + "\r\n$"
        + value.length()
        + "\r\n"
        + value
        + "\r\n";
  }

  @Test
  void xreadBlockDollar_xaddFromAnotherClient_servesOnlyTheNewEntry() throws Exception {
    call("XADD", "s", "1-1", "old", "1");
    Future<String> read = blocked(1, "XREAD", "BLOCK", "0", "STREAMS", "s", "$");
    assertFalse(read.isDone());

    // a change that adds nothing new leaves the client blocked: "$" was fixed at 1-1, not re-read
    assertEquals(":0\r\n", call("XDEL", "s", "9-9"));
    call("XTRIM", "s", "MAXLEN", "5");
    assertEquals("$3\r\n2-1\r\n", call("XADD", "s", "2-1", "new", "2"));

    assertEquals(entry("s", "2-1", "new", "2"), result(read));
  }

  @Test
  void xreadBlockDollar_missingKey_servedOnceTheStreamIsCreated() throws Exception {
    Future<String> read = blocked(1, "XREAD", "BLOCK", "0", "STREAMS", "other", "s", "0", "$");
    call("SET", "s", "a string"); // not a stream: still waiting
    call("DEL", "s");
    call("XADD", "s", "5-1", "f", "v");

    assertEquals(entry("s", "5-1", "f", "v"), result(read));
  }

  @Test
  void xreadBlock_nothingArrives_timesOutWithNullArray() throws Exception {
    call("XADD", "s", "1-1", "f", "v");
    Future<String> read = blocked(1, "XREAD", "BLOCK", "50", "STREAMS", "s", "$");

    assertEquals("*-1\r\n", result(read));
    blockedClients(observer, 0);
    assertEquals(1, observer.xlen("s"));
  }

  @Test
  void xreadgroupBlock_xaddFromAnotherClient_servedAndPending() throws Exception {
    call("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM");
    Future<String> read =
        blocked(1, "XREADGROUP", "GROUP", "g", "alice", "BLOCK", "0", "STREAMS", "s", ">");

    call("XADD", "s", "3-1", "f", "v");

    assertEquals(entry("s", "3-1", "f", "v"), result(read));
    assertEquals(
        "*4\r\n:1\r\n$3\r\n3-1\r\n$3\r\n3-1\r\n*1\r\n*2\r\n$5\r\nalice\r\n$1\r\n1\r\n",
        call("XPENDING", "s", "g"));
  }

  @Test
  void xreadgroupBlock_groupDestroyed_unblockedWithNogroup() throws Exception {
    call("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM");
    Future<String> read =
        blocked(1, "XREADGROUP", "GROUP", "g", "alice", "BLOCK", "0", "STREAMS", "s", ">");

    assertEquals(":1\r\n", call("XGROUP", "DESTROY", "s", "g"));

    assertEquals(
        "-NOGROUP No such key 's' or consumer group 'g' in XREADGROUP with GROUP option\r\n",
        result(read));
  }

  @Test
  void xreadgroupBlock_keyDeleted_unblockedWithError() throws Exception {
    call("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM");
    Future<String> read =
        blocked(1, "XREADGROUP", "GROUP", "g", "alice", "BLOCK", "0", "STREAMS", "s", ">");

    assertEquals(":1\r\n", call("DEL", "s"));

    assertEquals("-UNBLOCKED the stream key no longer exists\r\n", result(read));
  }

  @Test
  void xreadBlock_keyDeleted_staysBlockedUntilATimeout() throws Exception {
    call("XADD", "s", "1-1", "f", "v");
    Future<String> read = blocked(1, "XREAD", "BLOCK", "100", "STREAMS", "s", "$");

    call("DEL", "s"); // XREAD, unlike XREADGROUP, keeps waiting: no error, the timeout answers

    assertEquals("*-1\r\n", result(read));
  }

  @Test
  void xreadBlock_insideMulti_answersAtOnce() {
    try (RespSocket socket = RespSocket.connect(server.port())) {
      socket.callRaw("MULTI");
      socket.callRaw("XREAD", "BLOCK", "0", "STREAMS", "s", "$");
      assertEquals("*1\r\n*-1\r\n", socket.callRaw("EXEC"));
    }
  }

  @Test
  void xreadBlock_twoReaders_bothServedByOneXadd() throws Exception {
    call("XADD", "s", "1-1", "f", "v");
    Future<String> first = blocked(1, "XREAD", "BLOCK", "0", "STREAMS", "s", "$");
    Future<String> second = blocked(2, "XREAD", "COUNT", "1", "BLOCK", "0", "STREAMS", "s", "1-1");

    call("XADD", "s", "2-1", "g", "w");

    // unlike a pop, a read takes nothing away: every reader gets the entry
    assertEquals(entry("s", "2-1", "g", "w"), result(first));
    assertEquals(entry("s", "2-1", "g", "w"), result(second));
  }

  @Test
  void xreadgroupBlock_keyBecomesAString_unblockedWithError() throws Exception {
    call("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM");
    Future<String> read =
        blocked(1, "XREADGROUP", "GROUP", "g", "alice", "BLOCK", "0", "STREAMS", "s", ">");

    assertEquals("+OK\r\n", call("SET", "s", "not a stream"));

    assertEquals("-UNBLOCKED the stream key no longer exists\r\n", result(read));
  }

  @Test
  void xreadgroupBlock_nothingArrives_timesOutWithNullArray() throws Exception {
    call("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM");
    Future<String> read =
        blocked(1, "XREADGROUP", "GROUP", "g", "alice", "BLOCK", "50", "STREAMS", "s", ">");

    assertEquals("*-1\r\n", result(read));
    assertEquals("*4\r\n:0\r\n$-1\r\n$-1\r\n*-1\r\n", call("XPENDING", "s", "g"));
  }
}
