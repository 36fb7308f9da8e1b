package dev.sluice.proxy.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.proxy.testing.Await;
import dev.sluice.proxy.testing.FakeReplica;
import dev.sluice.proxy.testing.RealRedis;
import dev.sluice.proxy.testing.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * FAILOVER, the planned switchover (issue 17): the primary holds writes until a replica has
 * acknowledged the whole stream, becomes that replica's replica and asks it with {@code PSYNC …
 * FAILOVER} to take over. No acknowledged write is lost: a client INCRs without pause through the
 * switchover, and the new primary holds the last value the old one acknowledged. Between Sluice
 * nodes, and with a real redis-server on either side.
 */
class FailoverInteropTest {
  @TempDir Path dir;

  @Test
  void failover_sluiceToSluice_underWrites_noAcknowledgedWriteLost() throws Exception {
    try (TestServer primary = TestServer.startOnSystemClock(settings -> settings);
        TestServer replica = TestServer.startOnSystemClock(settings -> settings);
        Jedis toPrimary = new Jedis("127.0.0.1", primary.port());
        Jedis toReplica = new Jedis("127.0.0.1", replica.port())) {
      follow(toReplica, primary.port());
      AtomicBoolean refused = new AtomicBoolean();
      AtomicLong lastAcknowledged = new AtomicLong();
      CompletableFuture<Void> writer =
          CompletableFuture.runAsync(
              () -> {
                try (Jedis client = new Jedis("127.0.0.1", primary.port())) {
                  while (true) {
                    lastAcknowledged.set(client.incr("counter"));
                  }
                } catch (JedisDataException readOnly) {
                  refused.set(readOnly.getMessage().startsWith("READONLY"));
                }
              });
      Await.until("some writes", () -> lastAcknowledged.get() > 100);

      assertEquals("OK", toPrimary.failover());
      writer.get(30, java.util.concurrent.TimeUnit.SECONDS);
      assertTrue(refused.get(), "the writer ends on READONLY from the old primary");
      Await.until(
          "the old primary following the new one",
          Duration.ofSeconds(10),
          () -> follows(toPrimary, replica.port()));
      assertEquals("master", toReplica.role().get(0));
      assertEquals(String.valueOf(lastAcknowledged.get()), toReplica.get("counter"));
      assertTrue(toPrimary.info("replication").contains("master_failover_state:no-failover"));

      // the new primary's writes reach the old one, which continued the shared history
      assertEquals(lastAcknowledged.get() + 1, toReplica.incr("counter"));
      Await.until(
          "the increment on the old primary",
          () -> String.valueOf(lastAcknowledged.get() + 1).equals(toPrimary.get("counter")));
    }
  }

  @Test
  void failover_targetUnreachable_abortedAndWritesResume() {
    // a replica that acknowledges everything but announces a port nothing listens on
    try (TestServer primary = TestServer.start();
        Jedis toPrimary = new Jedis("127.0.0.1", primary.port());
        FakeReplica replica = FakeReplica.sync(primary.port())) {
      toPrimary.set("k", "1");
      long offset = Await.infoLong(toPrimary, "replication", "master_repl_offset");
      replica.ack(offset, -1);
      Await.until(
          "the acknowledgement",
          () -> toPrimary.info("replication").contains("offset=" + offset + ","));
      assertEquals("OK", toPrimary.failover());
      Await.until(
          "the failover aborted",
          Duration.ofSeconds(10),
          () -> {
            String info = toPrimary.info("replication");
            return info.contains("role:master")
                && info.contains("master_failover_state:no-failover");
          });
      assertEquals("OK", toPrimary.set("k", "2"));
    }
  }

  @Test
  void failover_redisServerPrimaryToSluice_sluiceTakesOver() {
    try (RealRedis redis = RealRedis.start(dir, "--repl-diskless-sync-delay", "0");
        TestServer sluice = TestServer.startOnSystemClock(settings -> settings);
        Jedis toRedis = redis.jedis();
        Jedis toSluice = new Jedis("127.0.0.1", sluice.port())) {
      toRedis.set("k", "from-redis");
      follow(toSluice, redis.port());
      assertEquals("OK", toRedis.failover());
      Await.until(
          "redis-server following Sluice",
          Duration.ofSeconds(10),
          () -> follows(toRedis, sluice.port()));
      assertEquals("master", toSluice.role().get(0));
      assertEquals("from-redis", toSluice.get("k"));
      assertEquals("OK", toSluice.set("k", "from-sluice"));
      Await.until("the write on redis-server", () -> "from-sluice".equals(toRedis.get("k")));
    }
  }

  @Test
  void failover_sluicePrimaryToRedisServer_redisServerTakesOver() {
    try (TestServer sluice = TestServer.startOnSystemClock(settings -> settings);
        Jedis toSluice = new Jedis("127.0.0.1", sluice.port())) {
      toSluice.set("k", "from-sluice");
      try (RealRedis redis =
              RealRedis.start(dir, "--replicaof", "127.0.0.1", String.valueOf(sluice.port()));
          Jedis toRedis = redis.jedis()) {
        Await.until(
            "redis-server's link",
            () -> toRedis.info("replication").contains("master_link_status:up"));
        assertEquals("OK", toSluice.failover());
        Await.until(
            "Sluice following redis-server",
            Duration.ofSeconds(10),
            () -> follows(toSluice, redis.port()));
        assertEquals("master", toRedis.role().get(0));
        assertEquals("from-sluice", toRedis.get("k"));
        assertEquals("OK", toRedis.set("k", "from-redis"));
        Await.until("the write on Sluice", () -> "from-redis".equals(toSluice.get("k")));
      }
    }
  }

  private static void follow(Jedis replica, int primaryPort) {
    assertEquals("OK", replica.replicaof("127.0.0.1", primaryPort));
    Await.until(
        "the replica's link",
        Duration.ofSeconds(10),
        () -> replica.info("replication").contains("master_link_status:up"));
  }

  private static boolean follows(Jedis node, int primaryPort) {
    List<Object> role = node.role();
    return role.get(0).equals("slave")
        && role.get(2).equals((long) primaryPort)
        && role.get(3).equals("connected");
  }
}
