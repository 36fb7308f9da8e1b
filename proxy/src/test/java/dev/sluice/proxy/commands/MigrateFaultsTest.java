package dev.sluice.proxy.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.proxy.testing.TestServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * MIGRATE against a target this test plays itself, to make what a real one rarely does happen on
 * cue: it closes before replying, stays silent past the timeout, replies with a line longer than
 * Redis reads, or replies only after another client wrote the key being moved.
 */
class MigrateFaultsTest {
  private TestServer server;
  private Jedis sluice;
  private FakeTarget target;

  @BeforeEach
  void start() throws IOException {
    server = TestServer.start();
    sluice = server.jedis(RedisProtocol.RESP2);
    target = new FakeTarget();
  }

  @AfterEach
  void stop() throws IOException {
    target.close();
    sluice.close();
    server.close();
  }

  /** A listening socket whose accepted connections the test takes one by one. */
  private static final class FakeTarget implements AutoCloseable {
    private final ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    private final BlockingQueue<Socket> accepted = new LinkedBlockingQueue<>();

    FakeTarget() throws IOException {
      Thread acceptor =
          new Thread(
              () -> {
                try {
                  while (true) {
                    accepted.add(listener.accept());
                  }
                } catch (IOException closed) {
                  // the test is over
                }
              },
              "fake-migrate-target");
      acceptor.setDaemon(true);
      acceptor.start();
    }

    int port() {
      return listener.getLocalPort();
    }

    /** The next connection, once its first bytes (the commands) arrived. */
    Socket next() throws Exception {
      Socket socket = accepted.poll(10, TimeUnit.SECONDS);
      assertNotNull(socket, "no connection from Sluice");
      InputStream in = socket.getInputStream();
      assertTrue(in.read(new byte[64 * 1024]) > 0, "no command from Sluice");
      return socket;
    }

    @Override
    public void close() throws IOException {
      listener.close();
      for (Socket s : accepted) {
        s.close();
      }
    }
  }

  /** MIGRATE key from another client, on another thread; its reply or error text. */
  private CompletableFuture<String> migrate(String key, int timeoutMillis) {
    return CompletableFuture.supplyAsync(
        () -> {
          try (Jedis client = new Jedis("127.0.0.1", server.port())) {
            return client.migrate("127.0.0.1", target.port(), key, 0, timeoutMillis);
          } catch (JedisDataException e) {
            return e.getMessage();
          }
        });
  }

  private static void reply(Socket socket, String text) throws IOException {
    OutputStream out = socket.getOutputStream();
    out.write(text.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  @Test
  void migrate_keyWrittenWhileInFlight_keptAndReported() throws Exception {
    sluice.set("k", "before");
    CompletableFuture<String> answer = migrate("k", 5000);
    try (Socket link = target.next()) {
      sluice.set("k", "after"); // the payload of "before" is on its way
      reply(link, "+OK\r\n+OK\r\n"); // SELECT, RESTORE
      assertEquals(
          "ERR MIGRATE kept 'k': written while being transferred, so the target holds the value"
              + " before that",
          answer.get(10, TimeUnit.SECONDS));
    }
    assertEquals("after", sluice.get("k"));
  }

  @Test
  void migrate_targetAcknowledges_keyDeletedAndWatchDirtied() throws Exception {
    sluice.set("k", "v");
    try (Jedis watcher = server.jedis(RedisProtocol.RESP2)) {
      watcher.watch("k");
      CompletableFuture<String> answer = migrate("k", 5000);
      try (Socket link = target.next()) {
        reply(link, "+OK\r\n+OK\r\n");
        assertEquals("OK", answer.get(10, TimeUnit.SECONDS));
      }
      redis.clients.jedis.Transaction multi = watcher.multi();
      multi.set("k", "from the watcher");
      assertEquals(null, multi.exec(), "EXEC after the key was moved away");
    }
    assertEquals(false, sluice.exists("k"));
  }

  @Test
  void migrate_targetClosesWithoutReplying_retriedOnceThenIoerrReading() throws Exception {
    sluice.set("k", "v");
    CompletableFuture<String> answer = migrate("k", 5000);
    target.next().close();
    target.next().close(); // Redis's one retry on a new connection
    assertEquals(
        "IOERR error or timeout reading to target instance", answer.get(10, TimeUnit.SECONDS));
    assertEquals("v", sluice.get("k"));
  }

  @Test
  void migrate_targetSilentPastTheTimeout_ioerrReadingWithoutRetry() throws Exception {
    sluice.set("k", "v");
    CompletableFuture<String> answer = migrate("k", 200);
    try (Socket silent = target.next()) {
      assertEquals(
          "IOERR error or timeout reading to target instance", answer.get(10, TimeUnit.SECONDS));
    }
    assertEquals("v", sluice.get("k"));
  }

  @Test
  void migrate_replyLineLongerThanRedisReads_cutAt1023Bytes() throws Exception {
    sluice.set("k", "v");
    CompletableFuture<String> answer = migrate("k", 5000);
    try (Socket link = target.next()) {
      reply(link, "-" + "x".repeat(5000) + "\r\n+OK\r\n");
      assertEquals(
          "ERR Target instance replied with error: " + "x".repeat(1022),
          answer.get(10, TimeUnit.SECONDS));
    }
    assertEquals("v", sluice.get("k"));
  }
}
