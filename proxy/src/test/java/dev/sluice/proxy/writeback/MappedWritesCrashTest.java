package dev.sluice.proxy.writeback;

import static dev.sluice.proxy.writeback.WriteBackFixture.sluice;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.params.SetParams;

/**
 * Row write-back (HSET) and kv keys (SET … EX) at full speed into a Sluice in a child JVM that is
 * killed with SIGKILL at a random moment; restarted on the same journal, it drains, and for every
 * key PostgreSQL holds the last acknowledged value or a later one that was sent (each key's values
 * only grow), never an older one.
 */
class MappedWritesCrashTest extends WriteBackDatabaseTest {
  private static final int ROUNDS = 2;
  private static final int KEYS = 50;

  @Test
  void sigkillAtRandomMoments_everyKeyKeepsItsLastAcknowledgedValueOrALaterOne() throws Exception {
    Path journal = dir.resolve("journal");
    Random random = new Random();
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
    try (Jedis jedis = new Jedis("127.0.0.1", last.port(), 30_000)) {
      sluice(jedis, "FLUSH", "TIMEOUT", "30000");
      Map<Integer, Long> rows =
          values("SELECT id - 9000, visits FROM public.wb_users WHERE id >= 9000");
      Map<Integer, Long> kv =
          values(
              "SELECT substr(convert_from(key, 'UTF8'), 17)::int, convert_from(value, 'UTF8')::bigint"
                  + " FROM sluice.kv WHERE key >= 'wbsession:crash:'::bytea"
                  + " AND key < 'wbsession:crash;'::bytea");
      assertEquals(KEYS, acknowledged.size());
      for (Map.Entry<Integer, Long> e : acknowledged.entrySet()) {
        int k = e.getKey();
        long value = e.getValue();
        assertTrue(rows.getOrDefault(k, -1L) >= value, "row " + k + " lost write " + value);
        assertTrue(kv.getOrDefault(k, -1L) >= value, "kv key " + k + " lost write " + value);
        assertTrue(rows.get(k) < seq && kv.get(k) < seq, "a value that was never sent");
        assertEquals(
            Long.toString(kv.get(k)), jedis.get("wbsession:crash:" + k), "read back on a miss");
      }
    } finally {
      last.process().destroyForcibly();
      last.process().waitFor(30, TimeUnit.SECONDS);
    }
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
