package dev.sluice.proxy.durable;

import static dev.sluice.proxy.durable.WriteBackFixture.sluice;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.StreamEntryID;

/**
 * A Sluice in a child JVM takes pipelined XADDs at full speed and is killed with SIGKILL at a
 * random moment; restarted on the same journal, it replays, a {@code SLUICE FLUSH} waits until
 * everything journaled is in PostgreSQL, and then PostgreSQL holds every acknowledged row, no row
 * twice, and only rows that were sent (each with the round that sent it). System property {@code
 * sluice.crash.rounds} sets the number of kills (3 by default; {@code ./mvnw -Psoak -pl proxy -am
 * verify} runs 300, {@code -Dsoak.rounds=N} any other number); {@code sluice.crash.seed} replays
 * the kill moments of a logged seed.
 */
class WriteBackCrashTest extends WriteBackDatabaseTest {
  /** A few in the default build; the {@code soak} Maven profile sets hundreds. */
  private static final int ROUNDS = Integer.getInteger("sluice.crash.rounds", 3);

  /** How long the last child's FLUSH may take to write what it replayed. */
  private static final long FLUSH_TIMEOUT_MILLIS = 30_000;

  private static WriteBackFixture.Child startChild(Path journal) throws Exception {
    return db.startChild(journal, "crash", dir);
  }

  @Test
  void sigkillAtRandomMoments_everyAcknowledgedRowExactlyOnce() throws Exception {
    long seed = Long.getLong("sluice.crash.seed", System.nanoTime());
    String replay = " (seed " + seed + ": -Dsluice.crash.seed=" + seed + " replays it)";
    System.out.println("WriteBackCrashTest: " + ROUNDS + " rounds, seed " + seed);
    Path journal = dir.resolve("journal");
    Random random = new Random(seed);
    BitSet acknowledged = new BitSet();
    long[] firstSeqOfRound = new long[ROUNDS + 1];
    long seq = 0;
    for (int round = 0; round < ROUNDS; round++) {
      firstSeqOfRound[round] = seq;
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
              acknowledged.set(Math.toIntExact(first + i));
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
    firstSeqOfRound[ROUNDS] = seq;
    long rowsBefore = db.queryLong("SELECT count(*) FROM public.crash_rows");
    WriteBackFixture.Child last = startChild(journal);
    Jedis jedis = new Jedis("127.0.0.1", last.port(), (int) FLUSH_TIMEOUT_MILLIS * 2);
    try {
      // the child replayed the journal before it listened: the flush waits for all of it
      Object flushed = sluice(jedis, "FLUSH", "TIMEOUT", Long.toString(FLUSH_TIMEOUT_MILLIS));
      long rowsAfter = db.queryLong("SELECT count(*) FROM public.crash_rows");
      assertInstanceOf(Long.class, flushed, "SLUICE FLUSH answers the rows it waited for");
      assertTrue(
          (Long) flushed >= 0 && (Long) flushed <= rowsAfter - rowsBefore,
          "FLUSH waited for "
              + flushed
              + " rows, but the restarted child wrote "
              + (rowsAfter - rowsBefore)
              + replay);
      long distinct = db.queryLong("SELECT count(DISTINCT seq) FROM public.crash_rows");
      assertEquals(
          distinct,
          rowsAfter,
          "rows (count(*)) for " + distinct + " distinct seq: no row twice" + replay);

      BitSet present = new BitSet();
      List<String> neverSent = new ArrayList<>();
      try (Connection c = db.connect();
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT seq, round FROM public.crash_rows")) {
        while (rs.next()) {
          long row = rs.getLong(1);
          int round = rs.getInt(2);
          if (row < 0 || row >= seq || roundOf(firstSeqOfRound, row) != round) {
            neverSent.add("seq " + row + " round " + round);
          } else {
            present.set(Math.toIntExact(row));
          }
        }
      }
      assertEquals(List.of(), neverSent, "rows that were never sent" + replay);
      BitSet missing = (BitSet) acknowledged.clone();
      missing.andNot(present);
      assertTrue(
          missing.isEmpty(),
          missing.cardinality()
              + " acknowledged rows are not in PostgreSQL, e.g. seq "
              + missing.nextSetBit(0)
              + replay);
      assertTrue(
          acknowledged.cardinality() >= ROUNDS * 2_000,
          acknowledged.cardinality() + " acknowledged");
    } finally {
      last.kill(jedis);
    }
  }

  /** The round that sent {@code seq}: rounds sent consecutive ranges of seq. */
  private static int roundOf(long[] firstSeqOfRound, long seq) {
    int at = Arrays.binarySearch(firstSeqOfRound, seq);
    return at >= 0 ? at : -at - 2;
  }
}
