package dev.sluice.proxy.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.config.Settings;
import dev.sluice.proxy.testing.Await;
import dev.sluice.proxy.testing.TestServer;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.args.ClientType;
import redis.clients.jedis.params.ClientKillParams;

/**
 * A replica whose link was cut, and which stays away while its primary writes more than the backlog
 * holds (its password for the primary is wrong meanwhile, so it cannot come back early), cannot
 * continue with PSYNC: it is sent the whole data set again, and then has every write.
 */
class ReplicaBehindBacklogTest {
  @Test
  void psync_offsetNoLongerInBacklog_fullResynchronisation() {
    try (TestServer primary =
            TestServer.startOnSystemClock(
                settings ->
                    settings
                        .set(Settings.REQUIREPASS, "secret")
                        .set(Settings.REPL_BACKLOG_SIZE, 16L * 1024));
        TestServer replica =
            TestServer.startOnSystemClock(settings -> settings.set(Settings.MASTERAUTH, "secret"));
        Jedis toPrimary = new Jedis("127.0.0.1", primary.port());
        Jedis toReplica = new Jedis("127.0.0.1", replica.port())) {
      toPrimary.auth("secret");
      toPrimary.set("before", "1");
      assertEquals("OK", toReplica.replicaof("127.0.0.1", primary.port()));
      Await.until(
          "the first synchronisation",
          Duration.ofSeconds(10),
          () -> "1".equals(toReplica.get("before")));

      toReplica.configSet("masterauth", "wrong");
      toPrimary.clientKill(ClientKillParams.clientKillParams().type(ClientType.REPLICA));
      Await.until(
          "the replica gone", () -> !toPrimary.info("replication").contains("connected_slaves:1"));
      String big = "x".repeat(40_000); // more than the 16 KiB backlog
      toPrimary.set("missed", big);
      toPrimary.set("after", "2");

      toReplica.configSet("masterauth", "secret");
      Await.until(
          "the replica back with the data",
          Duration.ofSeconds(10),
          () -> "2".equals(toReplica.get("after")));
      assertEquals(big, toReplica.get("missed"));
      String stats = toPrimary.info("stats");
      assertEquals(2L, Await.infoLong(toPrimary, "stats", "sync_full"), stats);
      assertEquals(0L, Await.infoLong(toPrimary, "stats", "sync_partial_ok"), stats);
      toReplica.replicaofNoOne();
    }
  }
}
