package dev.sluice.proxy.durable;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.proxy.SluiceServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.Response;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * XADD on an append mapping, end to end: real Jedis clients over sockets, a real Sluice, one
 * embedded PostgreSQL for the class. Each test uses its own journal directory and node name.
 */
class AppendWriteBackTest extends WriteBackDatabaseTest {
  private static Jedis jedis(SluiceServer server) {
    return new Jedis("127.0.0.1", server.port(), 30_000);
  }

  private static Map<String, String> row(Object... kv) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], String.valueOf(kv[i + 1]));
    }
    return m;
  }

  private static boolean flush(SluiceServer server) throws InterruptedException {
    return server.context().appends().flusher().flush(Duration.ofSeconds(30));
  }

  @Test
  void xadd_pipelined20000Rows_reachTheTableExactlyOnceInFewCommits() throws Exception {
    try (SluiceServer server = db.server(dir.resolve("j-bulk"), "bulk", Map.of());
        Jedis jedis = jedis(server)) {
      long forcesBefore = server.context().appends().journal().forceCount();
      Pipeline p = jedis.pipelined();
      List<Response<StreamEntryID>> ids = new ArrayList<>();
      for (int i = 0; i < 20_000; i++) {
        ids.add(
            p.xadd(
                "ingest:events",
                StreamEntryID.NEW_ENTRY,
                row("seq", i, "kind", "bulk", "amount", "1.25", "ok", "true")));
      }
      p.sync();
      long lastSeq = -1;
      for (Response<StreamEntryID> id : ids) {
        assertNotNull(id.get());
        assertTrue(id.get().getSequence() > lastSeq, "IDs grow with the LSN");
        lastSeq = id.get().getSequence();
      }
      long forces = server.context().appends().journal().forceCount() - forcesBefore;
      assertTrue(forces < 2_000, "group commit: " + forces + " fsyncs for 20000 rows");
      assertTrue(flush(server));
      assertEquals(20_000, db.queryLong("SELECT count(*) FROM public.events WHERE kind = 'bulk'"));
      assertEquals(
          20_000,
          db.queryLong("SELECT count(DISTINCT seq) FROM public.events WHERE kind = 'bulk'"));
      long commits =
          db.queryLong("SELECT count(*) FROM public.flush_commits WHERE node LIKE 'bulk-%'");
      assertTrue(commits >= 1 && commits <= 20, commits + " flush commits for 20000 rows");
      assertEquals(
          server.context().appends().journal().lastLsn(),
          db.queryLong("SELECT lsn FROM sluice.applied WHERE lineage LIKE 'bulk-%'"));
    }
  }

  @Test
  void xadd_pipelinedRowsNamingColumnsInChangingOrders_eachValueLandsInItsColumn()
      throws Exception {
    try (SluiceServer server = db.server(dir.resolve("j-shapes"), "shapes", Map.of());
        Jedis jedis = jedis(server)) {
      Pipeline p = jedis.pipelined();
      List<Response<Object>> replies = new ArrayList<>();
      for (int i = 0; i < 300; i++) {
        String seq = String.valueOf(1_000_000 + i); // the other tests' rows have small seqs
        String amount = (i % 100) + ".25";
        // runs of one column order, then another, a subset, and one with a column twice
        Object[] args =
            switch ((i / 10) % 4) {
              case 0 -> new Object[] {"seq", seq, "kind", "shapes", "amount", amount, "n", i};
              case 1 -> new Object[] {"n", i, "amount", amount, "kind", "shapes", "seq", seq};
              case 2 -> new Object[] {"kind", "shapes", "seq", seq};
              default ->
                  i % 10 == 9
                      ? new Object[] {"seq", seq, "kind", "shapes", "seq", seq, "n", i}
                      : new Object[] {"seq", seq, "kind", "shapes", "amount", amount, "n", i};
            };
        List<String> command = new ArrayList<>(List.of("ingest:events", "*"));
        for (Object a : args) {
          command.add(String.valueOf(a));
        }
        replies.add(p.sendCommand(Protocol.Command.XADD, command.toArray(new String[0])));
      }
      p.sync();
      int refused = 0;
      for (int i = 0; i < replies.size(); i++) {
        if ((i / 10) % 4 == 3 && i % 10 == 9) {
          JedisDataException error = assertThrows(JedisDataException.class, replies.get(i)::get);
          assertEquals("ERR mapping 'events': column 'seq' given twice", error.getMessage());
          refused++;
        } else {
          assertNotNull(replies.get(i).get());
        }
      }
      assertTrue(flush(server));
      long rows = 300 - refused;
      assertEquals(rows, db.queryLong("SELECT count(*) FROM public.events WHERE kind = 'shapes'"));
      // every row's values where they belong: n and amount follow seq, or are NULL for the subset
      assertEquals(
          rows,
          db.queryLong(
              "SELECT count(*) FROM public.events WHERE kind = 'shapes' AND CASE"
                  + " WHEN ((seq - 1000000) / 10) % 4 = 2 THEN n IS NULL AND amount IS NULL"
                  + " ELSE n = seq - 1000000 AND amount = (seq % 100) + 0.25 END"));
    }
  }

  @Test
  void xadd_pipelinedBurstWithBadRowsAndOtherCommands_repliesInOrderNeighboursLandOnce()
      throws Exception {
    try (SluiceServer server = db.server(dir.resolve("j-burst"), "burst", Map.of());
        Jedis jedis = jedis(server)) {
      long lsnBefore = server.context().appends().journal().lastLsn();
      Pipeline p = jedis.pipelined();
      List<Response<Object>> replies = new ArrayList<>();
      for (int i = 0; i < 3_000; i++) {
        String seq = i % 1_000 == 500 ? "bad-" + i : String.valueOf(i); // 3 bad rows
        if (i == 1_700) {
          replies.add(p.sendCommand(Protocol.Command.ECHO, "between")); // ends a burst
        }
        replies.add(
            p.sendCommand(
                Protocol.Command.XADD, "ingest:events", "*", "seq", seq, "kind", "burst"));
      }
      p.sync();
      long lastLsn = lsnBefore;
      int rows = 0;
      for (int r = 0, i = 0; r < replies.size(); r++) {
        if (r == 1_700) {
          assertEquals("between", new String((byte[]) replies.get(r).get(), UTF_8));
          continue;
        }
        int seq = i++;
        Response<Object> reply = replies.get(r);
        if (seq % 1_000 == 500) {
          JedisDataException error = assertThrows(JedisDataException.class, reply::get);
          assertEquals(
              "ERR mapping 'events': value 'bad-"
                  + seq
                  + "' for column 'seq' is not a valid bigint",
              error.getMessage());
          continue;
        }
        String id = new String((byte[]) reply.get(), UTF_8);
        long lsn = Long.parseLong(id.substring(id.indexOf('-') + 1));
        assertEquals(lastLsn + 1, lsn, "reply " + r + " (" + id + ") follows the one before");
        lastLsn = lsn;
        rows++;
      }
      assertEquals(2_997, rows);
      assertEquals(lastLsn, server.context().appends().journal().lastLsn(), "nothing else");
      assertTrue(flush(server));
      assertEquals(2_997, db.queryLong("SELECT count(*) FROM public.events WHERE kind = 'burst'"));
      assertEquals(
          2_997,
          db.queryLong("SELECT count(DISTINCT seq) FROM public.events WHERE kind = 'burst'"));
      assertEquals(
          0,
          db.queryLong(
              "SELECT count(*) FROM public.events WHERE kind = 'burst' AND seq % 1000 = 500"));
    }
  }

  @Test
  void xadd_burstAroundTransaction_execRepliesInPlace_rowsLandOnce() throws Exception {
    try (SluiceServer server = db.server(dir.resolve("j-burst-multi"), "burst-multi", Map.of());
        Jedis jedis = jedis(server)) {
      Pipeline p = jedis.pipelined();
      List<Response<Object>> before = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        before.add(xadd(p, i));
      }
      Response<Object> multi = p.sendCommand(Protocol.Command.MULTI, new String[0]);
      Response<Object> queued = xadd(p, 100);
      Response<Object> exec = p.sendCommand(Protocol.Command.EXEC, new String[0]);
      List<Response<Object>> after = new ArrayList<>();
      for (int i = 101; i < 200; i++) {
        after.add(xadd(p, i));
      }
      p.sync();
      long last = lsnOf(before.get(99).get());
      assertEquals("OK", text(multi.get()));
      assertEquals("QUEUED", text(queued.get()));
      List<?> execReply = (List<?>) exec.get();
      assertEquals(1, execReply.size());
      assertEquals(last + 1, lsnOf(execReply.get(0)), "the transaction's row comes next");
      assertEquals(last + 2, lsnOf(after.get(0).get()));
      assertTrue(flush(server));
      assertEquals(
          200,
          db.queryLong("SELECT count(DISTINCT seq) FROM public.events WHERE kind = 'burst-multi'"));
      assertEquals(
          200, db.queryLong("SELECT count(*) FROM public.events WHERE kind = 'burst-multi'"));
    }
  }

  private static Response<Object> xadd(Pipeline p, int seq) {
    return p.sendCommand(
        Protocol.Command.XADD,
        "ingest:events",
        "*",
        "seq",
        String.valueOf(seq),
        "kind",
        "burst-multi");
  }

  private static String text(Object reply) {
    return reply instanceof byte[] bytes ? new String(bytes, UTF_8) : String.valueOf(reply);
  }

  private static long lsnOf(Object id) {
    String text = text(id);
    return Long.parseLong(text.substring(text.indexOf('-') + 1));
  }

  @Test
  void xadd_unknownColumnOrBadValue_refusedNamingMappingColumnValue_nothingJournaled()
      throws Exception {
    try (SluiceServer server = db.server(dir.resolve("j-valid"), "valid", Map.of());
        Jedis jedis = jedis(server)) {
      long before = server.context().appends().journal().lastLsn();
      JedisDataException unknown =
          assertThrows(
              JedisDataException.class,
              () ->
                  jedis.xadd(
                      "ingest:events", StreamEntryID.NEW_ENTRY, row("seq", 1, "colour", "mauve")));
      assertTrue(unknown.getMessage().contains("'events'"), unknown.getMessage());
      assertTrue(unknown.getMessage().contains("'colour'"), unknown.getMessage());
      assertTrue(unknown.getMessage().contains("'mauve'"), unknown.getMessage());
      JedisDataException twice =
          assertThrows(
              JedisDataException.class,
              () ->
                  jedis.sendCommand(
                      redis.clients.jedis.Protocol.Command.XADD,
                      "ingest:events",
                      "*",
                      "seq",
                      "1",
                      "kind",
                      "a",
                      "seq",
                      "2"));
      assertEquals("ERR mapping 'events': column 'seq' given twice", twice.getMessage());
      Map<String, String[]> bad =
          Map.of(
              "seq", new String[] {"12x", "bigint"},
              "n", new String[] {"99999999999", "integer"},
              "amount", new String[] {"1.2.3", "numeric"},
              "ok", new String[] {"maybe", "boolean"},
              "at", new String[] {"yesterday-ish", "timestamp"},
              "id", new String[] {"not-a-uuid", "uuid"},
              "doc", new String[] {"{\"a\": }", "jsonb"});
      for (Map.Entry<String, String[]> e : bad.entrySet()) {
        JedisDataException error =
            assertThrows(
                JedisDataException.class,
                () ->
                    jedis.xadd(
                        "ingest:events",
                        StreamEntryID.NEW_ENTRY,
                        row("kind", "valid", e.getKey(), e.getValue()[0])));
        String m = error.getMessage();
        assertTrue(
            m.contains("'events'")
                && m.contains("'" + e.getKey() + "'")
                && m.contains("'" + e.getValue()[0] + "'")
                && m.contains(e.getValue()[1]),
            m);
      }
      // a key no append mapping holds gets an in-memory stream, as in Redis
      jedis.xadd("plain", new StreamEntryID(1, 1), row("a", "b"));
      assertEquals("stream", jedis.type("plain"));
      assertEquals(1, jedis.xlen("plain"));
      assertEquals(before, server.context().appends().journal().lastLsn(), "nothing journaled");
      StreamEntryID ok =
          jedis.xadd(
              "ingest:events",
              StreamEntryID.NEW_ENTRY,
              row(
                  "seq",
                  7,
                  "kind",
                  "valid",
                  "amount",
                  "-12.50",
                  "ok",
                  "off",
                  "at",
                  "2024-05-01 12:30:00+02",
                  "id",
                  "123e4567-e89b-12d3-a456-426614174000",
                  "doc",
                  "{\"a\": [1, 2.5e3, \"x\\n\", null, true]}",
                  "n",
                  "3"));
      assertEquals(before + 1, ok.getSequence());
      // the mapped key holds no stream in memory: the other stream commands see a missing key,
      // and MKSTREAM may not create one there, which would never see the key's XADDs
      assertEquals(0, jedis.xlen("ingest:events"));
      JedisDataException mkStream =
          assertThrows(
              JedisDataException.class,
              () ->
                  jedis.xgroupCreate("ingest:events", "g", StreamEntryID.XGROUP_LAST_ENTRY, true));
      assertTrue(mkStream.getMessage().startsWith("ERR MKSTREAM refused: ingest:events"));
      assertFalse(jedis.exists("ingest:events"));
      assertTrue(flush(server));
      assertEquals(1, db.queryLong("SELECT count(*) FROM public.events WHERE kind = 'valid'"));
      assertEquals(
          2500, db.queryLong("SELECT (doc->'a'->>1)::numeric FROM public.events WHERE seq = 7"));
    }
  }

  @Test
  void flush_poisonRow_goesToDeadLetterWhileItsNeighboursCommit() throws Exception {
    try (SluiceServer server = db.server(dir.resolve("j-poison"), "poison", Map.of());
        Jedis jedis = jedis(server)) {
      Pipeline p = jedis.pipelined();
      for (int i = 0; i < 100; i++) {
        p.xadd(
            "ingest:events",
            StreamEntryID.NEW_ENTRY,
            row("seq", i, "kind", "poison", "n", i == 57 ? -1 : i, "doc", "{\"tab\": \"a\\tb\"}"));
      }
      p.sync();
      assertTrue(flush(server));
      assertEquals(99, db.queryLong("SELECT count(*) FROM public.events WHERE kind = 'poison'"));
      assertEquals(
          0, db.queryLong("SELECT count(*) FROM public.events WHERE kind = 'poison' AND seq = 57"));
      assertEquals(
          1,
          db.queryLong(
              "SELECT count(*) FROM sluice.dead_letter WHERE mapping = 'events'"
                  + " AND payload->>'kind' = 'poison' AND payload->>'seq' = '57'"
                  + " AND payload->>'n' = '-1' AND error LIKE '%check constraint%'"));
      assertEquals(1, server.context().appends().flusher().writer().deadLetters());
    }
  }

  @Test
  void restart_replaysUnappliedRecordsExactlyOnce() throws Exception {
    Path journal = dir.resolve("j-replay");
    Map<String, String> neverFlush =
        Map.of("writeback.max-batch-delay", "1d", "writeback.max-batch-rows", "10000000");
    try (SluiceServer server = db.server(journal, "replay", neverFlush);
        Jedis jedis = jedis(server)) {
      Pipeline p = jedis.pipelined();
      for (int i = 0; i < 500; i++) {
        p.xadd("ingest:events", StreamEntryID.NEW_ENTRY, row("seq", i, "kind", "replay"));
      }
      p.sync();
      assertEquals(500, server.context().appends().flusher().pendingRows());
    }
    assertEquals(0, db.queryLong("SELECT count(*) FROM public.events WHERE kind = 'replay'"));
    try (SluiceServer server = db.server(journal, "replay", Map.of())) {
      assertTrue(flush(server));
      assertEquals(500, db.queryLong("SELECT count(*) FROM public.events WHERE kind = 'replay'"));
      assertEquals(
          500, db.queryLong("SELECT lsn FROM sluice.applied WHERE lineage LIKE 'replay-%'"));
    }
    try (SluiceServer server = db.server(journal, "replay", Map.of())) {
      assertTrue(flush(server));
      assertEquals(0, server.context().appends().flusher().writer().rowsWritten(), "nothing twice");
      assertEquals(500, db.queryLong("SELECT count(*) FROM public.events WHERE kind = 'replay'"));
    }
  }
}
