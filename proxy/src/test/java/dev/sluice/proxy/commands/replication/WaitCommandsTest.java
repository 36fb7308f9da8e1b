package dev.sluice.proxy.commands.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.proxy.testing.Await;
import dev.sluice.proxy.testing.FakeReplica;
import dev.sluice.proxy.testing.RespSocket;
import dev.sluice.proxy.testing.TestServer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * WAIT, WAITAOF and min-replicas-to-write with replicas on raw sockets ({@link FakeReplica}), which
 * acknowledge exactly what a test says: a waiting client is answered when enough replicas
 * acknowledged its last write, when its timeout passes on the server's clock, or by CLIENT UNBLOCK;
 * replicas are asked once (REPLCONF GETACK *) however many clients wait at one offset.
 */
class WaitCommandsTest {
  private TestServer server;
  private Jedis admin;

  @BeforeEach
  void start() {
    server = TestServer.start();
    admin = new Jedis("127.0.0.1", server.port());
  }

  @AfterEach
  void stop() {
    admin.close();
    server.close();
  }

  /**
   * SET, then {@code wait} (WAIT or WAITAOF), which sends the replica a GETACK; returns the offset
   * the replica is at after the SET.
   */
  private static long writeThenWait(RespSocket client, FakeReplica replica, String... wait) {
    client.call("SET", "k", "v");
    replica.nextNamed("SET");
    long afterSet = replica.offset();
    client.send(wait);
    assertEquals(List.of("REPLCONF", "GETACK", "*"), replica.next());
    return afterSet;
  }

  @Test
  void wait_replicaAcknowledgesTheWrite_answersOne() {
    try (FakeReplica replica = FakeReplica.sync(server.port());
        RespSocket client = RespSocket.connect(server.port())) {
      assertEquals(new RespSocket.Simple("OK"), client.call("SET", "k", "v"));
      replica.nextNamed("SET");
      long afterSet = replica.offset();
      client.send("WAIT", "1", "0");
      assertEquals(List.of("REPLCONF", "GETACK", "*"), replica.next());
      replica.ack(afterSet, -1);
      assertEquals(1L, client.read());
      // acknowledged already: no wait, no GETACK
      assertEquals(1L, client.call("WAIT", "1", "0"));
    }
  }

  @Test
  void wait_ackBehindTheWrite_keepsWaitingUntilItCatchesUp() {
    try (FakeReplica replica = FakeReplica.sync(server.port());
        RespSocket client = RespSocket.connect(server.port())) {
      long afterSet = writeThenWait(client, replica, "WAIT", "1", "0");
      replica.ack(afterSet - 1, -1);
      Await.blockedClients(admin, 1);
      replica.ack(afterSet, -1);
      assertEquals(1L, client.read());
      Await.blockedClients(admin, 0);
    }
  }

  @Test
  void wait_noAck_answersTheCountWhenTheServerClockPassesTheTimeout() {
    try (FakeReplica replica = FakeReplica.sync(server.port());
        RespSocket client = RespSocket.connect(server.port())) {
      client.call("SET", "k", "v");
      client.send("WAIT", "1", "1000");
      Await.blockedClients(admin, 1);
      server.clock().advance(Duration.ofMillis(999));
      assertEquals(1L, Await.infoLong(admin, "clients", "blocked_clients"));
      server.clock().advance(Duration.ofMillis(1));
      assertEquals(0L, client.read());
    }
  }

  @Test
  void wait_clientsWaitingAtOneOffset_shareOneGetAck() {
    try (FakeReplica replica = FakeReplica.sync(server.port());
        RespSocket first = RespSocket.connect(server.port());
        RespSocket second = RespSocket.connect(server.port())) {
      first.call("SET", "k", "v");
      second.call("SET", "k2", "v");
      replica.nextNamed("SET");
      replica.nextNamed("SET");
      long afterSet = replica.offset();
      first.send("WAIT", "1", "0");
      second.send("WAIT", "1", "0");
      Await.blockedClients(admin, 2);
      admin.set("after", "x");
      assertEquals(List.of("REPLCONF", "GETACK", "*"), replica.next());
      assertEquals(List.of("SET", "after", "x"), replica.next());
      replica.ack(afterSet, -1);
      assertEquals(1L, first.read());
      assertEquals(1L, second.read());
    }
  }

  @Test
  void wait_clientUnblock_answersAsTimeoutOrWithTheError() {
    try (FakeReplica replica = FakeReplica.sync(server.port());
        RespSocket client = RespSocket.connect(server.port())) {
      long id = (Long) client.call("CLIENT", "ID");
      client.call("SET", "k", "v");
      client.send("WAIT", "1", "0");
      Await.blockedClients(admin, 1);
      assertEquals(1L, admin.clientUnblock(id));
      assertEquals(0L, client.read());
      client.send("WAIT", "1", "0");
      Await.blockedClients(admin, 1);
      assertEquals(1L, admin.clientUnblock(id, redis.clients.jedis.args.UnblockType.ERROR));
      assertEquals(
          "UNBLOCKED client unblocked via CLIENT UNBLOCK",
          ((RespSocket.Err) client.read()).message());
      assertEquals(0L, Await.infoLong(admin, "clients", "blocked_clients"));
    }
  }

  @Test
  void wait_clientLeavesWhileWaiting_isForgotten() {
    try (FakeReplica replica = FakeReplica.sync(server.port())) {
      RespSocket client = RespSocket.connect(server.port());
      client.call("SET", "k", "v");
      client.send("WAIT", "1", "0");
      Await.blockedClients(admin, 1);
      client.close();
      Await.blockedClients(admin, 0);
    }
  }

  @Test
  void waitaof_replicaAcknowledgesItsAppendOnlyFile_countsFackNotAck() {
    try (FakeReplica replica = FakeReplica.sync(server.port());
        RespSocket client = RespSocket.connect(server.port())) {
      long afterSet = writeThenWait(client, replica, "WAITAOF", "0", "1", "0");
      replica.ack(afterSet, afterSet - 1);
      Await.blockedClients(admin, 1);
      replica.ack(afterSet, afterSet);
      assertEquals(List.of(0L, 1L), client.read());
      assertEquals(1L, client.call("WAIT", "1", "0"));
    }
  }

  @Test
  void minReplicasToWrite_replicaLagsPastMaxLag_refusesWritesUntilItAcksAgain() {
    admin.configSet("min-replicas-to-write", "1");
    admin.configSet("min-replicas-max-lag", "10");
    try (FakeReplica replica = FakeReplica.sync(server.port())) {
      Await.until("the replica counted", () -> admin.info("replication").contains("good_slaves:1"));
      assertEquals("OK", admin.set("k", "v"));
      server.clock().advance(Duration.ofSeconds(11));
      assertTrue(admin.info("replication").contains("min_slaves_good_slaves:0"));
      assertEquals(
          "NOREPLICAS Not enough good replicas to write.",
          org.junit.jupiter.api.Assertions.assertThrows(
                  redis.clients.jedis.exceptions.JedisDataException.class,
                  () -> admin.set("k", "w"))
              .getMessage());
      replica.ack(replica.offset(), -1);
      Await.until("the ACK counted", () -> admin.info("replication").contains("good_slaves:1"));
      assertEquals("OK", admin.set("k", "w"));
    } finally {
      admin.configSet("min-replicas-to-write", "0");
    }
  }
}
