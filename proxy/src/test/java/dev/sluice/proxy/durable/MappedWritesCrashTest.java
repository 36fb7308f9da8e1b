package dev.sluice.proxy.durable;

import static dev.sluice.proxy.durable.WriteBackFixture.sluice;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.params.SetParams;

/**
 * Row write-back (HSET) and kv keys (SET … EX) at full speed into a Sluice in a child JVM that is
 * killed with SIGKILL at a random moment; restarted on the same journal, it replays, a {@code
 * SLUICE FLUSH} waits until everything journaled is in PostgreSQL, and then for every key both the
 * row table and sluice.kv hold the last acknowledged value or a later one that was sent for that
 * key (each key's values only grow), never an older one nor one sent for another key. {@code
 * sluice.crash.seed} replays the kill moments of a logged seed.
 */
class MappedWritesCrashTest extends WriteBackDatabaseTest {
  private static final int ROUNDS = 2;
  private static final int KEYS = 50;

  @Test
  void sigkillAtRandomMoments_everyKeyKeepsItsLastAcknowledgedValueOrALaterOne() throws Exception {
    Path journal = dir.resolve("journal");
    long seed = Long.getLong("sluice.crash.seed", System.nanoTime());
    System.out.println("MappedWritesCrashTest: seed " + seed + " (-Dsluice.crash.seed replays it)");
    Random random = new Random(seed);
    Map<Integer, Long> acknowledged = new HashMap<>();
    long seq = 0;
    for (int round = 0; round < ROUNDS; round++) {
      WriteBackFixture.Child child = db.startChild(journal, "mapped-crash", dir);
      int killAfter = 2_000 + random.nextInt(6_000);
      Jedis jedis = new Jedis("127.0.0.1", child.port(), 30_000);
      try {
        for (int sent = 0; sent < killAfter; sent += 500) {
          Pipeline p = jedis.pipelined();
          List<Response<?>> replies = new ArrayList<>();
          long first = seq;
          for (int i = 0; i < 250; i++, seq++) {
            int k = (int) (seq % KEYS);
            replies.add(p.hset("wbuser:" + (9_000 + k), "visits", Long.toString(seq)));
            replies.add(
                p.set("wbsession:crash:" + k, Long.toString(seq), SetParams.setParams().ex(3600)));
          }
          p.sync();
          for (int i = 0; i < 250; i++) {
            if (replies.get(2 * i).get() != null && replies.get(2 * i + 1).get() != null) {
              acknowledged.merge((int) ((first + i) % KEYS), first + i, Math::max);
            }
          }
        }
        Pipeline p = jedis.pipelined(); // more writes in flight when the kill lands
        for (int i = 0; i < 500; i++, seq++) {
          int k = (int) (seq % KEYS);
          p.hset("wbuser:" + (9_000 + k), "visits", Long.toString(seq));
          p.set("wbsession:crash:" + k, Long.toString(seq));
        }
      } finally {
        child.kill(jedis); // the writes still in flight when the kill lands are never acknowledged
      }
    }
    WriteBackFixture.Child last = db.startChild(journal, "mapped-crash", dir);
    Jedis jedis = new Jedis("127.0.0.1", last.port(), 60_000);
    try {
      // the child replayed the journal before it listened: the flush waits for all of it
      Object flushed = sluice(jedis, "FLUSH", "TIMEOUT", "30000");
      assertInstanceOf(Long.class, flushed, "SLUICE FLUSH answers the rows it waited for");
      assertTrue((Long) flushed >= 0, "FLUSH waited for " + flushed + " rows");
      assertEquals(
          0L, pendingRows(jedis), "nothing of the replayed journal is left after the FLUSH");
      Map<Integer, Long> rows =
          values("SELECT id - 9000, visits FROM public.wb_users WHERE id >= 9000");
      Map<Integer, Long> kv =
          values(
              "SELECT substr(convert_from(key, 'UTF8'), 17)::int, convert_from(value, 'UTF8')::bigint"
                  + " FROM sluice.kv WHERE key >= 'wbsession:crash:'::bytea"
                  + " AND key < 'wbsession:crash;'::bytea");
      assertEquals(KEYS, acknowledged.size());
      assertEquals(acknowledged.keySet(), rows.keySet(), "a row for each key, no other");
      assertEquals(acknowledged.keySet(), kv.keySet(), "a kv key for each key, no other");
      for (Map.Entry<Integer, Long> e : acknowledged.entrySet()) {
        int k = e.getKey();
        long value = e.getValue();
        assertSentFor(k, rows.get(k), seq, "row");
        assertSentFor(k, kv.get(k), seq, "kv key");
        assertTrue(rows.get(k) >= value, "row " + k + " lost write " + value);
        assertTrue(kv.get(k) >= value, "kv key " + k + " lost write " + value);
        assertEquals(
            Long.toString(kv.get(k)), jedis.get("wbsession:crash:" + k), "read back on a miss");
      }
    } finally {
      last.kill(jedis);
    }
  }

  /**
   * {@code value} was sent for key {@code k}: the writes of seq s went to key s % KEYS, and seq
   * {@code sent} was not sent.
   */
  private static void assertSentFor(int k, long value, long sent, String what) {
    assertTrue(
        value >= 0 && value < sent && value % KEYS == k,
        what
            + " "
            + k
            + " holds "
            + value
            + (value >= 0 && value < sent
                ? ", a value sent for key " + (value % KEYS)
                : ", a value never sent"));
  }

  /** pending_rows of SLUICE STATUS, summed over the write-back mappings. */
  @SuppressWarnings("unchecked")
  private static long pendingRows(Jedis jedis) {
    List<Object> flat = (List<Object>) sluice(jedis, "STATUS");
    long pending = 0;
    for (int i = 1; i < flat.size(); i += 2) {
      List<Object> fields = (List<Object>) flat.get(i);
      for (int j = 0; j + 1 < fields.size(); j += 2) {
        if ("pending_rows".equals(text(fields.get(j)))) {
          pending += Long.parseLong(text(fields.get(j + 1)));
        }
      }
    }
    return pending;
  }

  private static String text(Object o) {
    return o instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(o);
  }

  private static Map<Integer, Long> values(String sql) throws Exception {
    Map<Integer, Long> out = new HashMap<>();
    try (Connection c = db.connect();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        out.put(rs.getInt(1), rs.getLong(2));
      }
    }
    return out;
  }
}
