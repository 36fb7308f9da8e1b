package dev.sluice.proxy.writeback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.StreamEntryID;

/**
 * A Sluice in a child JVM takes pipelined XADDs at full speed and is killed with SIGKILL at a
 * random moment; restarted on the same journal, it drains, and PostgreSQL holds every acknowledged
 * row exactly once (and no row twice). System property {@code sluice.crash.rounds} sets the number
 * of kills (3 by default; {@code ./mvnw -Psoak -pl proxy -am verify} runs 300, {@code
 * -Dsoak.rounds=N} any other number).
 */
class WriteBackCrashTest extends WriteBackDatabaseTest {
  /** A few in the default build; the {@code soak} Maven profile sets hundreds. */
  private static final int ROUNDS = Integer.getInteger("sluice.crash.rounds", 3);

  private static final long DRAIN_BOUND_NANOS = TimeUnit.SECONDS.toNanos(30);

  private static WriteBackFixture.Child startChild(Path journal) throws Exception {
    return db.startChild(journal, "crash", dir);
  }

  @Test
  void sigkillAtRandomMoments_everyAcknowledgedRowExactlyOnce() throws Exception {
    Path journal = dir.resolve("journal");
    Random random = new Random();
    Set<Long> acknowledged = new HashSet<>();
    long seq = 0;
    for (int round = 0; round < ROUNDS; round++) {
      WriteBackFixture.Child child = startChild(journal);
      int killAfter = 2_000 + random.nextInt(20_000);
      int sent = 0;
      Jedis jedis = new Jedis("127.0.0.1", child.port(), 30_000);
      try {
        while (sent < killAfter) {
          Pipeline p = jedis.pipelined();
          List<Response<StreamEntryID>> replies = new ArrayList<>();
          long first = seq;
          for (int i = 0; i < 500; i++) {
            replies.add(
                p.xadd(
                    "ingest:crash",
                    StreamEntryID.NEW_ENTRY,
                    Map.of("seq", Long.toString(seq++), "round", Integer.toString(round))));
          }
          p.sync();
          for (int i = 0; i < replies.size(); i++) {
            if (replies.get(i).get() != null) {
              acknowledged.add(first + i);
            }
          }
          sent += replies.size();
        }
        // more writes in flight when the kill lands
        Pipeline p = jedis.pipelined();
        for (int i = 0; i < 1000; i++) {
          p.xadd(
              "ingest:crash",
              StreamEntryID.NEW_ENTRY,
              Map.of("seq", Long.toString(seq++), "round", Integer.toString(round)));
        }
      } finally {
        child.kill(jedis); // the writes still in flight when the kill lands are never acknowledged
      }
    }
    WriteBackFixture.Child last = startChild(journal);
    try {
      long deadline = System.nanoTime() + DRAIN_BOUND_NANOS;
      Set<Long> present = new HashSet<>();
      while (true) {
        present.clear();
        try (Connection c = db.connect();
            Statement s = c.createStatement();
            ResultSet rs = s.executeQuery("SELECT seq FROM public.crash_rows")) {
          while (rs.next()) {
            present.add(rs.getLong(1));
          }
        }
        if (present.containsAll(acknowledged)) {
          break;
        }
        if (System.nanoTime() > deadline) {
          Set<Long> missing = new HashSet<>(acknowledged);
          missing.removeAll(present);
          fail(missing.size() + " acknowledged rows never reached PostgreSQL");
        }
        Thread.onSpinWait();
      }
      assertTrue(acknowledged.size() >= ROUNDS * 2_000, acknowledged.size() + " acknowledged");
      assertEquals(
          0,
          db.queryLong(
              "SELECT count(*) FROM (SELECT seq FROM public.crash_rows GROUP BY seq"
                  + " HAVING count(*) > 1) d"),
          "no row twice");
    } finally {
      last.process().destroyForcibly();
      last.process().waitFor(30, TimeUnit.SECONDS);
    }
  }
}
