package dev.sluice.proxy.durable;

import static dev.sluice.proxy.durable.WriteBackFixture.jedis;
import static dev.sluice.proxy.durable.WriteBackFixture.sluice;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.proxy.SluiceServer;
import dev.sluice.proxy.keyspace.Keyspace;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.util.SafeEncoder;

/**
 * Row mappings with {@code write: back}, end to end: real Jedis clients, a real Sluice, one
 * embedded PostgreSQL for the class (tables {@code wb_users}, hash shape with {@code on-delete:
 * delete} and notify invalidation, and {@code wb_docs}, json shape). Each test has its own journal,
 * node name and row ids.
 */
class RowWriteBackTest extends WriteBackDatabaseTest {
  @BeforeEach
  void clearControl() throws SQLException {
    db.execute("DELETE FROM sluice.control");
  }

  private static SluiceServer server(String node) throws InterruptedException {
    return db.server(dir.resolve("j-" + node), node, Map.of());
  }

  private static String column(long id, String column) throws SQLException {
    return db.queryString("SELECT " + column + " FROM public.wb_users WHERE id = " + id);
  }

  private static long rows(long id) throws SQLException {
    return db.queryLong("SELECT count(*) FROM public.wb_users WHERE id = " + id);
  }

  @Test
  void hset_readsSeeOwnWritesBeforeTheFlush_rowReachesTableAfterSluiceFlush() throws Exception {
    try (SluiceServer server = server("rows-hset");
        Jedis jedis = jedis(server)) {
      assertEquals("OK", sluice(jedis, "PAUSE", "wb_users"));
      assertEquals(
          3, jedis.hset("wbuser:101", Map.of("name", "Ada", "email", "ada@x", "score", "9.5")));
      assertEquals("Ada", jedis.hget("wbuser:101", "name"), "read your own write, unflushed");
      assertEquals(0, rows(101), "paused: nothing in PostgreSQL yet");
      assertEquals(1L, sluice(jedis, "FLUSH", "wb_users"));
      assertEquals("Ada", column(101, "name"));
      assertEquals("ada@x", column(101, "email"));
      assertEquals("9.50", column(101, "score"));
      assertEquals("0", column(101, "visits"), "columns not written keep their default");
      jedis.hincrBy("wbuser:101", "visits", 5);
      jedis.hdel("wbuser:101", "email"); // HDEL sets the column to NULL
      sluice(jedis, "FLUSH", "wb_users");
      assertEquals("5", column(101, "visits"));
      assertNull(column(101, "email"));
      assertEquals("Ada", column(101, "name"));
    }
  }

  @Test
  void hset_thousandWritesToOneKey_coalescedIntoOneRowOfOneStatement() throws Exception {
    try (SluiceServer server = server("rows-coalesce");
        Jedis jedis = jedis(server)) {
      sluice(jedis, "PAUSE", "wb_users");
      Pipeline p = jedis.pipelined();
      for (int i = 0; i < 1_000; i++) {
        p.hset("wbuser:102", Map.of("visits", Integer.toString(i), "name", "n" + i));
      }
      p.hset("wbuser:103", Map.of("visits", "7", "name", "neighbour"));
      p.sync();
      long statements = server.context().appends().flusher().writer().statements();
      long commits = db.queryLong("SELECT count(*) FROM public.flush_commits");
      assertEquals(1_001L, sluice(jedis, "FLUSH", "wb_users"), "records pending before the flush");
      assertEquals(
          1,
          server.context().appends().flusher().writer().statements() - statements,
          "1,001 HSETs of two keys with the same columns are one INSERT … ON CONFLICT");
      assertEquals(1, db.queryLong("SELECT count(*) FROM public.flush_commits") - commits);
      assertEquals(1, rows(102));
      assertEquals("999", column(102, "visits"));
      assertEquals("n999", column(102, "name"));
      assertEquals("neighbour", column(103, "name"));
    }
  }

  @Test
  void del_onDeleteDelete_keepsPerKeyOrderWithinOneBatch() throws Exception {
    db.execute(
        "INSERT INTO public.wb_users (id, name, email) VALUES (104, 'old', 'old@x'),"
            + " (105, 'gone', 'gone@x'), (106, 'cold', 'cold@x')");
    try (SluiceServer server = server("rows-order");
        Jedis jedis = jedis(server)) {
      sluice(jedis, "PAUSE", "wb_users");
      // 104: delete, then a new row: it starts from the defaults, not from the deleted row
      assertEquals("old@x", jedis.hget("wbuser:104", "email"));
      assertEquals(1, jedis.del("wbuser:104"));
      jedis.hset("wbuser:104", "name", "new");
      // 105: written, then deleted
      jedis.hset("wbuser:105", "name", "renamed");
      jedis.del("wbuser:105");
      // 106: never read, so not cached; DEL still deletes the row
      assertEquals(0, jedis.del("wbuser:106"));
      // 107: inserted, deleted, inserted again
      jedis.hset("wbuser:107", "name", "first");
      jedis.del("wbuser:107");
      jedis.hset("wbuser:107", Map.of("name", "second", "visits", "2"));
      sluice(jedis, "FLUSH", "wb_users");
      assertEquals("new", column(104, "name"));
      assertNull(column(104, "email"), "the deleted row's columns did not come back");
      assertEquals(0, rows(105));
      assertEquals(0, rows(106));
      assertEquals("second", column(107, "name"));
      assertEquals("2", column(107, "visits"));
    }
  }

  @Test
  void hset_badColumnOrValue_refusedNamingMappingColumnValue_nothingJournaledOrCached()
      throws Exception {
    try (SluiceServer server = server("rows-valid");
        Jedis jedis = jedis(server)) {
      jedis.hset("wbuser:108", "name", "valid");
      long lsn = server.context().appends().journal().lastLsn();
      List<List<String>> refused =
          List.of(
              List.of("HSET", "wbuser:108", "colour", "mauve"),
              List.of("HSET", "wbuser:108", "name", "ok", "visits", "lots"),
              List.of("HSET", "wbuser:108", "active", "perhaps"),
              List.of("HSET", "wbuser:108", "id", "109"),
              List.of("HDEL", "wbuser:108", "visits"),
              List.of("HINCRBY", "wbuser:108", "active", "1"),
              List.of("LPUSH", "wbuser:108", "x"),
              List.of("SET", "wbdoc:108", "not json"),
              List.of("SET", "wbdoc:108", "{\"title\": \"t\", \"colour\": \"red\"}"),
              List.of("SET", "wbdoc:108", "{\"price\": \"cheap\"}"));
      List<String> expected =
          List.of(
              "'colour'",
              "'lots' for column 'visits' is not a valid integer",
              "'perhaps' for column 'active' is not a valid boolean",
              "column 'id' is part of the key, which gives it '108'; got '109'",
              "column 'visits' is NOT NULL",
              "column 'active' is boolean",
              "LPUSH of key 'wbuser:108' is not supported",
              "takes a JSON object of column values; got 'not json'",
              "has no column 'colour'",
              "'cheap' for column 'price' is not a valid numeric");
      for (int i = 0; i < refused.size(); i++) {
        List<String> command = refused.get(i);
        JedisDataException error =
            assertThrows(
                JedisDataException.class,
                () ->
                    jedis.sendCommand(
                        () -> SafeEncoder.encode(command.get(0)),
                        command.subList(1, command.size()).toArray(String[]::new)),
                command.toString());
        String mapping = command.get(1).startsWith("wbdoc") ? "'wb_docs'" : "'wb_users'";
        assertTrue(error.getMessage().startsWith("ERR mapping " + mapping), error.getMessage());
        assertTrue(error.getMessage().contains(expected.get(i)), error.getMessage());
      }
      assertEquals(lsn, server.context().appends().journal().lastLsn(), "nothing journaled");
      assertEquals(Map.of("name", "valid"), jedis.hgetAll("wbuser:108"), "cache unchanged");
      assertEquals(null, jedis.get("wbdoc:108"));
    }
  }

  @Test
  void set_jsonShape_upsertsTheObjectsColumns() throws Exception {
    try (SluiceServer server = server("rows-json");
        Jedis jedis = jedis(server)) {
      assertEquals(
          "OK",
          jedis.set("wbdoc:110", "{\"title\": \"Kettle\", \"tags\": [\"a\"], \"price\": 9.5}"));
      assertTrue(jedis.get("wbdoc:110").contains("Kettle"));
      sluice(jedis, "FLUSH", "wb_docs");
      assertEquals("Kettle", db.queryString("SELECT title FROM public.wb_docs WHERE id = 110"));
      assertEquals("[\"a\"]", db.queryString("SELECT tags FROM public.wb_docs WHERE id = 110"));
      assertEquals("9.50", db.queryString("SELECT price FROM public.wb_docs WHERE id = 110"));
      // title is NOT NULL without a default: an existing row is updated, not re-inserted
      jedis.set("wbdoc:110", "{\"price\": null}");
      sluice(jedis, "FLUSH", "wb_docs");
      assertNull(db.queryString("SELECT price FROM public.wb_docs WHERE id = 110"));
      assertEquals(
          0, db.queryLong("SELECT count(*) FROM sluice.dead_letter WHERE mapping = 'wb_docs'"));
      assertEquals("Kettle", db.queryString("SELECT title FROM public.wb_docs WHERE id = 110"));
    }
  }

  @Test
  void flush_ownNotifyDoesNotEvictWhatWasWritten_othersChangesStillDo() throws Exception {
    db.execute("INSERT INTO public.wb_users (id, name) VALUES (112, 'other')");
    try (SluiceServer server = server("rows-notify");
        Jedis jedis = jedis(server)) {
      jedis.hset("wbuser:111", "name", "mine");
      assertEquals("other", jedis.hget("wbuser:112", "name"));
      sluice(jedis, "FLUSH", "wb_users");
      // a change by someone else, committed after the flush: its NOTIFY arrives after the flush's
      db.execute("UPDATE public.wb_users SET name = 'changed' WHERE id = 112");
      Keyspace keyspace = server.context().keyspace();
      long deadline = System.nanoTime() + 5_000_000_000L;
      while (cached(keyspace, "wbuser:112")) {
        assertTrue(System.nanoTime() < deadline, "the other writer's change never evicted");
        Thread.onSpinWait();
      }
      assertTrue(cached(keyspace, "wbuser:111"), "the flush's own NOTIFY evicted the key");
      assertEquals("changed", jedis.hget("wbuser:112", "name"));
    }
  }

  private static boolean cached(Keyspace keyspace, String key) {
    keyspace.lock().lock();
    try {
      return keyspace.db(0).get(key.getBytes(StandardCharsets.UTF_8)) != null;
    } finally {
      keyspace.lock().unlock();
    }
  }

  @Test
  void hset_afterEvictionBeforeTheFlush_missReadsTheWrittenRow() throws Exception {
    db.execute("INSERT INTO public.wb_users (id, name) VALUES (113, 'before')");
    try (SluiceServer server = server("rows-settle");
        Jedis jedis = jedis(server)) {
      sluice(jedis, "PAUSE", "wb_users");
      jedis.hset("wbuser:113", "name", "after");
      assertEquals(1, (Long) sluice(jedis, "INVALIDATE", "wbuser:113"));
      assertEquals("after", jedis.hget("wbuser:113", "name"), "the miss flushed first");
      assertEquals("after", column(113, "name"));
    }
  }
}
