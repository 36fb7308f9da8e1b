package dev.sluice.proxy.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.config.Settings;
import dev.sluice.proxy.testing.Await;
import dev.sluice.proxy.testing.RespSocket;
import dev.sluice.proxy.testing.RespSocket.Err;
import dev.sluice.proxy.testing.RespSocket.Simple;
import dev.sluice.proxy.testing.TestServer;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

/**
 * Each connection limit hit by a misbehaving raw-socket client while a well-behaved Jedis client on
 * the same server keeps working. The server requires a password, so the limits that apply before
 * authentication are in force for raw sockets that have not sent AUTH.
 */
class ConnectionLimitsTest {
  private static final Duration CLOSE_BOUND = Duration.ofSeconds(5);
  private static final String PASSWORD = "s3cret";

  private static TestServer server;
  private Jedis wellBehaved;

  @BeforeAll
  static void startServer() {
    server = TestServer.start(b -> b.set(Settings.REQUIREPASS, PASSWORD));
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @BeforeEach
  void connect() {
    wellBehaved =
        new Jedis(
            new HostAndPort("127.0.0.1", server.port()),
            DefaultJedisClientConfig.builder().password(PASSWORD).timeoutMillis(10_000).build());
  }

  @AfterEach
  void restoreDefaults() {
    wellBehaved.configSet("timeout", "0");
    wellBehaved.configSet("client-query-buffer-limit", "1gb");
    wellBehaved.configSet("proto-max-bulk-len", "512mb");
    wellBehaved.configSet("client-output-buffer-limit", "normal 0 0 0");
    wellBehaved.close();
  }

  private static RespSocket authenticated() {
    RespSocket socket = RespSocket.connect(server.port());
    assertEquals(new Simple("OK"), socket.call("AUTH", PASSWORD));
    return socket;
  }

  /** The misbehaving client is gone and the well-behaved one still gets answers. */
  private void assertClosedWhileOthersWork(RespSocket misbehaving) {
    assertTrue(misbehaving.closedWithin(CLOSE_BOUND), "the misbehaving client was disconnected");
    wellBehaved.set("still", "working");
    assertEquals("working", wellBehaved.get("still"));
  }

  private void awaitConnectedClients(long expected) {
    Await.until(
        "connected_clients:" + expected,
        () -> Await.infoLong(wellBehaved, "clients", "connected_clients") == expected);
  }

  @Test
  void multibulk_unauthenticatedWithMoreThanTenArguments_protocolErrorAndClosed() {
    try (RespSocket raw = RespSocket.connect(server.port())) {
      raw.sendRaw("*11\r\n");

      assertEquals(new Err("ERR Protocol error: unauthenticated multibulk length"), raw.read());
      assertClosedWhileOthersWork(raw);
    }
  }

  @Test
  void bulk_unauthenticatedLongerThan16384Bytes_protocolErrorAndClosed() {
    try (RespSocket raw = RespSocket.connect(server.port())) {
      raw.sendRaw("*2\r\n$4\r\nAUTH\r\n$16385\r\n");

      assertEquals(new Err("ERR Protocol error: unauthenticated bulk length"), raw.read());
      assertClosedWhileOthersWork(raw);
    }
  }

  @Test
  void bulk_unauthenticatedAtTheLimits_isAnsweredNoauth() {
    try (RespSocket raw = RespSocket.connect(server.port())) {
      String[] ten = new String[10];
      ten[0] = "RPUSH";
      for (int i = 1; i < 10; i++) {
        ten[i] = "x".repeat(16384);
      }

      assertEquals(new Err("NOAUTH Authentication required."), raw.call(ten));
    }
  }

  @Test
  void multibulk_afterAuthenticationWithManyLargeArguments_isAccepted() {
    try (RespSocket raw = authenticated()) {
      String[] args = new String[12];
      args[0] = "RPUSH";
      args[1] = "big";
      for (int i = 2; i < args.length; i++) {
        args[i] = "v".repeat(20_000);
      }

      assertEquals(10L, raw.call(args));
    }
  }

  @Test
  void bulk_declaredLongerThanProtoMaxBulkLen_invalidBulkLengthAndClosed() {
    wellBehaved.configSet("proto-max-bulk-len", "1mb");
    try (RespSocket raw = authenticated()) {
      raw.sendRaw("*2\r\n$4\r\nECHO\r\n$1048577\r\n");

      assertEquals(new Err("ERR Protocol error: invalid bulk length"), raw.read());
      assertClosedWhileOthersWork(raw);
    }
  }

  @Test
  void bulk_hugeDeclaredLengthNeverSent_keepsTheConnectionOpenAndHoldsOnlyWhatArrived() {
    try (RespSocket raw = authenticated()) {
      raw.sendRaw("*2\r\n$4\r\nECHO\r\n$500000000\r\nonly a few bytes");

      // the server waits for the rest without having set aside 500 MB for it
      assertEquals("PONG", wellBehaved.ping());
      assertTrue(!raw.closedWithin(Duration.ofMillis(200)), "nothing wrong yet: it may still come");
      awaitConnectedClients(2);
    }
  }

  @Test
  void queryBuffer_incompleteCommandPastTheLimit_disconnectedWithoutReply() {
    wellBehaved.configSet("client-query-buffer-limit", "1mb");
    try (RespSocket raw = authenticated()) {
      raw.sendRaw("*2\r\n$4\r\nECHO\r\n$3000000\r\n");
      raw.sendRaw("x".repeat(1_100_000));

      assertClosedWhileOthersWork(raw);
    }
  }

  @Test
  void queryBuffer_commandsPipelinedBehindABlockedOnePastTheLimit_disconnected() {
    wellBehaved.configSet("client-query-buffer-limit", "1mb");
    try (RespSocket raw = authenticated()) {
      raw.send("BLPOP", "nothing-here", "0");
      Await.blockedClients(wellBehaved, 1);
      String value = "v".repeat(100_000);
      for (int i = 0; i < 12; i++) {
        raw.send("SET", "queued:" + i, value);
      }

      assertClosedWhileOthersWork(raw);
      Await.blockedClients(wellBehaved, 0);
      assertEquals(null, wellBehaved.get("queued:0"), "nothing queued ran");
    }
  }

  @Test
  void timeout_clientThatNeverCompletesACommand_isDisconnected() {
    wellBehaved.configSet("timeout", "1");
    ScheduledExecutorService drip = Executors.newSingleThreadScheduledExecutor();
    try (RespSocket raw = authenticated()) {
      raw.sendRaw("*2\r\n$4\r\nECHO\r\n$100000\r\n");
      // slowloris: one byte every 200 ms keeps the socket busy but never finishes the command
      drip.scheduleAtFixedRate(() -> raw.sendRaw("x"), 0, 200, TimeUnit.MILLISECONDS);

      // the Jedis client sends a command at every check, so it is never idle and stays
      awaitConnectedClients(1);
      assertTrue(raw.closedWithin(CLOSE_BOUND), "an idle client is disconnected after timeout");
      assertEquals("PONG", wellBehaved.ping());
    } finally {
      drip.shutdownNow();
    }
  }

  @Test
  void timeout_blockedOrSubscribedClients_areNotIdle() {
    wellBehaved.configSet("timeout", "1");
    try (RespSocket blocked = authenticated();
        RespSocket subscriber = authenticated();
        RespSocket idle = authenticated()) {
      blocked.send("BLPOP", "nothing-here", "0");
      subscriber.call("SUBSCRIBE", "news");
      Await.blockedClients(wellBehaved, 1);

      awaitConnectedClients(3); // the idle one goes; Jedis pings at every check
      assertTrue(idle.closedWithin(CLOSE_BOUND));
      wellBehaved.rpush("nothing-here", "x");
      assertEquals(java.util.List.of("nothing-here", "x"), blocked.read());
      assertEquals(1L, wellBehaved.publish("news", "still subscribed"));
    }
  }

  @Test
  void timeout_zero_keepsAnIdleClient() {
    try (RespSocket raw = authenticated()) {
      assertTrue(!raw.closedWithin(Duration.ofMillis(1500)), "timeout 0 never disconnects");
      assertEquals(new Simple("PONG"), raw.call("PING"));
    }
  }

  @Test
  void outputBuffer_normalClientNotReadingPastTheHardLimit_disconnected() {
    wellBehaved.configSet("client-output-buffer-limit", "normal 1mb 0 0");
    wellBehaved.set("large", "x".repeat(200_000));
    try (RespSocket raw = RespSocket.connect(server.port(), 4096)) {
      assertEquals(new Simple("OK"), raw.call("AUTH", PASSWORD));
      StringBuilder pipeline = new StringBuilder();
      for (int i = 0; i < 40; i++) {
        pipeline.append("GET large\r\n");
      }
      raw.sendRaw(pipeline.toString()); // and never reads the 8 MB of replies

      awaitConnectedClients(1);
      assertClosedWhileOthersWork(raw);
    }
  }

  @Test
  void outputBuffer_normalClientWithoutLimit_getsEveryReply() {
    wellBehaved.set("large", "x".repeat(200_000));
    try (RespSocket raw = authenticated()) {
      for (int i = 0; i < 20; i++) {
        raw.sendRaw("GET large\r\n");
      }
      for (int i = 0; i < 20; i++) {
        assertEquals(200_000, ((String) raw.read()).length());
      }
    }
  }
}
