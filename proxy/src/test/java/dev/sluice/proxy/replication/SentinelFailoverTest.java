package dev.sluice.proxy.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.proxy.testing.Await;
import dev.sluice.proxy.testing.Sentinels;
import dev.sluice.proxy.testing.SluiceProcess;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.masterreplica.MasterReplica;
import io.lettuce.core.masterreplica.StatefulRedisMasterReplicaConnection;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisSentinelPool;

/**
 * Failover by Debian's redis-sentinel, unchanged (issue 17): three Sluice nodes, each its own JVM,
 * a primary and two replicas, watched by three Sentinels. Sentinel discovers the replicas from the
 * primary's INFO and the other Sentinels through the primary's pub/sub; when the primary is
 * SIGKILLed it promotes a replica (REPLICAOF NO ONE) and repoints the other (REPLICAOF); Jedis and
 * Lettuce clients that follow Sentinel write to the new primary; every write acknowledged before
 * the crash and replicated is there; and the old primary, started again, is made a replica of the
 * new one.
 *
 * <p>The bounds on what Sentinel does are generous: a Sentinel whose timer ran late (a busy
 * machine) enters TILT mode and acts again only after 30 s.
 */
class SentinelFailoverTest {
  private static final String NAME = "sluice";

  @TempDir Path dir;
  private final List<SluiceProcess> nodes = new ArrayList<>();
  private final List<Process> sentinels = new ArrayList<>();

  @AfterEach
  void stop() {
    sentinels.forEach(Process::destroyForcibly);
    nodes.forEach(SluiceProcess::close);
  }

  @Test
  void sentinel_primaryKilled_replicaPromotedClientsFollowOldPrimaryRejoinsAsReplica() {
    int[] ports = {SluiceProcess.freePort(), SluiceProcess.freePort(), SluiceProcess.freePort()};
    for (int i = 0; i < 3; i++) {
      nodes.add(SluiceProcess.start(dir.resolve("node" + i), ports[i]));
    }
    SluiceProcess primary = nodes.get(0);
    for (SluiceProcess replica : nodes.subList(1, 3)) {
      try (Jedis jedis = replica.jedis()) {
        assertEquals("OK", jedis.replicaof("127.0.0.1", primary.port()));
        Await.until(
            "the link of " + replica.port(),
            Duration.ofSeconds(10),
            () -> jedis.info("replication").contains("master_link_status:up"));
      }
    }
    List<Integer> sentinelPorts = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      int port = SluiceProcess.freePort();
      sentinelPorts.add(port);
      sentinels.add(Sentinels.start(dir.resolve("sentinel" + i), port, NAME, primary.port()));
    }
    try (Jedis sentinel = new Jedis("127.0.0.1", sentinelPorts.get(0))) {
      Await.until(
          "Sentinel's view: two replicas, two other Sentinels",
          Duration.ofSeconds(30),
          () -> Sentinels.seeTheWholeSetup(sentinel, NAME));

      Set<String> sentinelAddresses =
          Set.of(
              "127.0.0.1:" + sentinelPorts.get(0),
              "127.0.0.1:" + sentinelPorts.get(1),
              "127.0.0.1:" + sentinelPorts.get(2));
      RedisURI.Builder viaSentinels =
          RedisURI.Builder.sentinel("127.0.0.1", sentinelPorts.get(0), NAME);
      sentinelPorts.subList(1, 3).forEach(port -> viaSentinels.withSentinel("127.0.0.1", port));
      RedisClient lettuce = RedisClient.create(viaSentinels.build());
      try (JedisSentinelPool pool = new JedisSentinelPool(NAME, sentinelAddresses);
          StatefulRedisMasterReplicaConnection<String, String> lettuceConnection =
              MasterReplica.connect(lettuce, StringCodec.UTF8, viaSentinels.build())) {
        assertEquals("OK", lettuceConnection.sync().set("lettuce-before", "1"));
        try (Jedis client = pool.getResource()) {
          for (int i = 0; i < 100; i++) {
            client.set("before:" + i, "v" + i);
          }
        }
        long offset = offset(primary, "master_repl_offset");
        for (SluiceProcess replica : nodes.subList(1, 3)) {
          Await.until(
              "replica " + replica.port() + " at " + offset,
              Duration.ofSeconds(10),
              () -> offset(replica, "slave_repl_offset") >= offset);
        }

        primary.kill();
        Await.until(
            "a new primary chosen by Sentinel",
            Duration.ofSeconds(120),
            () ->
                !String.valueOf(primary.port())
                    .equals(sentinel.sentinelGetMasterAddrByName(NAME).get(1)));
        int newPort = Integer.parseInt(sentinel.sentinelGetMasterAddrByName(NAME).get(1));
        SluiceProcess promoted = newPort == nodes.get(1).port() ? nodes.get(1) : nodes.get(2);
        SluiceProcess other = promoted == nodes.get(1) ? nodes.get(2) : nodes.get(1);

        // the client follows Sentinel to the new primary
        Await.until(
            "the pool on the new primary",
            Duration.ofSeconds(30),
            () -> pool.getCurrentHostMaster().equals(new HostAndPort("127.0.0.1", newPort)));
        // Lettuce asks the Sentinels again when its connection to the old primary fails
        Await.until(
            "Lettuce writing to the new primary",
            Duration.ofSeconds(30),
            () -> {
              try {
                return "OK".equals(lettuceConnection.sync().set("lettuce-after", "2"));
              } catch (RuntimeException notYet) {
                return false;
              }
            });
        // Sentinel's CLIENT KILL TYPE normal after the promotion may cut a check's connection (get
        // answers null then), so the checks wait for the values rather than read them once
        Await.until(
            "lettuce-before on " + newPort, () -> "1".equals(get(promoted, "lettuce-before")));
        Await.until(
            "lettuce-after on " + newPort, () -> "2".equals(get(promoted, "lettuce-after")));
        try (Jedis client = pool.getResource()) {
          assertEquals("OK", client.set("after", "failover"));
          for (int i = 0; i < 100; i++) {
            assertEquals("v" + i, client.get("before:" + i), "before:" + i);
          }
        }
        try (Jedis jedis = promoted.jedis()) {
          assertEquals("master", jedis.role().get(0));
        }
        // Sentinel's reconfiguration ends with CLIENT KILL TYPE normal: a connection per check
        Await.until(
            "the other replica following " + newPort,
            Duration.ofSeconds(30),
            () -> Sentinels.follows(other, newPort));
        Await.until("after on the other replica", () -> "failover".equals(get(other, "after")));

        // the old primary comes back empty, and Sentinel makes it a replica of the new one
        SluiceProcess back = SluiceProcess.start(dir.resolve("node0-again"), primary.port());
        nodes.set(0, back);
        Await.until(
            "the old primary as a replica of " + newPort,
            Duration.ofSeconds(120),
            () -> Sentinels.follows(back, newPort));
        Await.until("after on the old primary", () -> "failover".equals(get(back, "after")));
        assertEquals("v7", get(back, "before:7"));
        try (Jedis jedis = back.jedis()) {
          assertTrue(jedis.info("replication").contains("slave_read_only:1"));
        }
      } finally {
        lettuce.shutdown();
      }
    }
  }

  private static String get(SluiceProcess node, String key) {
    try (Jedis jedis = node.jedis()) {
      return jedis.get(key);
    } catch (redis.clients.jedis.exceptions.JedisConnectionException killed) {
      return null;
    }
  }

  private static long offset(SluiceProcess node, String field) {
    try (Jedis jedis = node.jedis()) {
      return Await.infoLong(jedis, "replication", field);
    }
  }
}
