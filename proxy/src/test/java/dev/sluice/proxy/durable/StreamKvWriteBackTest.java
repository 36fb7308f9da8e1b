package dev.sluice.proxy.durable;

import static dev.sluice.proxy.durable.WriteBackFixture.jedis;
import static dev.sluice.proxy.durable.WriteBackFixture.sluice;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.proxy.SluiceServer;
import dev.sluice.proxy.testing.ManualClock;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.util.SafeEncoder;

/**
 * Streams on {@code store: kv} keys ({@code queue:*} in {@link WriteBackFixture}), end to end:
 * every command that changes a stream is journaled, so after a restart — from the journal alone, or
 * from {@code sluice.kv} on a miss — XINFO STREAM FULL answers exactly what it answered before, and
 * a blocked XREADGROUP served by a later XADD keeps its delivery.
 */
class StreamKvWriteBackTest extends WriteBackDatabaseTest {
  @BeforeEach
  void clearControl() throws SQLException {
    db.execute("DELETE FROM sluice.control");
  }

  private static SluiceServer server(String node, ManualClock clock) throws InterruptedException {
    return db.server(dir.resolve("j-" + node), node, Map.of(), clock);
  }

  static Object send(Jedis jedis, String... args) {
    String[] rest = java.util.Arrays.copyOfRange(args, 1, args.length);
    return text(jedis.sendCommand(() -> SafeEncoder.encode(args[0]), rest));
  }

  /** A reply with its bulk strings as text, so that replies compare with equals. */
  static Object text(Object reply) {
    if (reply instanceof byte[] b) {
      return new String(b, StandardCharsets.UTF_8);
    }
    if (reply instanceof List<?> list) {
      List<Object> out = new ArrayList<>(list.size());
      for (Object o : list) {
        out.add(text(o));
      }
      return out;
    }
    return reply;
  }

  private static Object full(Jedis jedis, String key) {
    return send(jedis, "XINFO", "STREAM", key, "FULL", "COUNT", "0");
  }

  /** Every command that changes a stream, each leaving a trace XINFO STREAM FULL shows. */
  private static void everyStreamWrite(Jedis jedis, ManualClock clock, String key) {
    for (int i = 1; i <= 130; i++) {
      send(jedis, "XADD", key, i + "-1", "f", "v" + i, "n", Integer.toString(i));
      clock.advance(Duration.ofMillis(1));
    }
    send(jedis, "XADD", key, "200-*", "other", "fields");
    send(jedis, "XDEL", key, "3-1", "70-1");
    send(jedis, "XTRIM", key, "MINID", "10-1");
    send(jedis, "XGROUP", "CREATE", key, "workers", "0");
    send(jedis, "XGROUP", "CREATE", key, "late", "$", "ENTRIESREAD", "7");
    send(jedis, "XGROUP", "CREATE", key, "gone", "0");
    send(jedis, "XGROUP", "DESTROY", key, "gone");
    send(jedis, "XGROUP", "CREATECONSUMER", key, "workers", "idle");
    send(jedis, "XGROUP", "CREATECONSUMER", key, "workers", "leaving");
    send(jedis, "XREADGROUP", "GROUP", "workers", "leaving", "COUNT", "2", "STREAMS", key, ">");
    send(jedis, "XGROUP", "DELCONSUMER", key, "workers", "leaving");
    clock.advance(Duration.ofMillis(5));
    send(jedis, "XREADGROUP", "GROUP", "workers", "alice", "COUNT", "10", "STREAMS", key, ">");
    clock.advance(Duration.ofMillis(5));
    send(jedis, "XREADGROUP", "GROUP", "workers", "bob", "COUNT", "5", "STREAMS", key, ">");
    send(jedis, "XREADGROUP", "GROUP", "workers", "alice", "COUNT", "2", "STREAMS", key, "0");
    send(jedis, "XACK", key, "workers", "14-1", "15-1");
    clock.advance(Duration.ofMillis(100));
    send(jedis, "XCLAIM", key, "workers", "bob", "50", "16-1", "17-1");
    send(jedis, "XAUTOCLAIM", key, "workers", "carol", "50", "0", "COUNT", "2");
    send(jedis, "XGROUP", "SETID", key, "late", "120-1", "ENTRIESREAD", "110");
    send(jedis, "XSETID", key, "9999-0", "ENTRIESADDED", "500", "MAXDELETEDID", "100-0");
  }

  @Test
  void everyStreamWrite_onlyInTheJournalWhenSluiceStops_xinfoFullEqualAfterRestart()
      throws Exception {
    ManualClock clock = new ManualClock();
    Object before;
    try (SluiceServer server = server("stream-journal", clock);
        Jedis jedis = jedis(server)) {
      sluice(jedis, "PAUSE", "wb_queues");
      everyStreamWrite(jedis, clock, "queue:journal");
      before = full(jedis, "queue:journal");
      assertEquals(
          0L,
          db.queryLong("SELECT count(*) FROM sluice.kv WHERE key = 'queue:journal'::bytea"),
          "paused: only in the journal");
    }
    db.execute("DELETE FROM sluice.control");
    try (SluiceServer server = server("stream-journal", clock);
        Jedis jedis = jedis(server)) {
      assertEquals(before, full(jedis, "queue:journal"));
    }
  }

  @Test
  void everyStreamWrite_flushedThenRestart_xinfoFullEqualLoadedFromSluiceKv() throws Exception {
    ManualClock clock = new ManualClock();
    Object before;
    try (SluiceServer server = server("stream-flushed", clock);
        Jedis jedis = jedis(server)) {
      everyStreamWrite(jedis, clock, "queue:flushed");
      before = full(jedis, "queue:flushed");
      sluice(jedis, "FLUSH", "wb_queues");
      assertEquals(
          "stream",
          db.queryString("SELECT type FROM sluice.kv WHERE key = 'queue:flushed'::bytea"));
    }
    try (SluiceServer server = server("stream-flushed", clock);
        Jedis jedis = jedis(server)) {
      assertEquals(before, full(jedis, "queue:flushed"));
      long length = (Long) send(jedis, "XLEN", "queue:flushed");
      send(jedis, "XADD", "queue:flushed", "*", "after", "restart");
      assertEquals(length + 1, send(jedis, "XLEN", "queue:flushed"), "the reloaded stream grows");
    }
  }

  @Test
  void blockedXreadgroup_servedByLaterXadd_deliveryPendingAfterRestart() throws Exception {
    ManualClock clock = new ManualClock();
    try (SluiceServer server = server("stream-blocked", clock);
        Jedis jedis = jedis(server);
        Jedis blocked = jedis(server)) {
      send(jedis, "XGROUP", "CREATE", "queue:blocked", "g", "$", "MKSTREAM");
      CompletableFuture<Object> read =
          CompletableFuture.supplyAsync(
              () ->
                  send(
                      blocked,
                      "XREADGROUP",
                      "GROUP",
                      "g",
                      "waiter",
                      "BLOCK",
                      "0",
                      "STREAMS",
                      "queue:blocked",
                      ">"));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!((String) send(jedis, "CLIENT", "LIST")).contains("cmd=xreadgroup")) {
        assertTrue(System.nanoTime() < deadline, "the XREADGROUP never blocked");
        Thread.onSpinWait();
      }
      send(jedis, "XADD", "queue:blocked", "5-0", "f", "v");
      Object served = read.get(30, TimeUnit.SECONDS);
      assertTrue(served.toString().contains("5-0"), served.toString());
      sluice(jedis, "PAUSE", "wb_queues"); // the restart replays the journal
    }
    db.execute("DELETE FROM sluice.control");
    try (SluiceServer server = server("stream-blocked", clock);
        Jedis jedis = jedis(server)) {
      assertEquals(
          List.of(List.of("5-0", "waiter", 0L, 1L)),
          send(jedis, "XPENDING", "queue:blocked", "g", "-", "+", "10"));
      assertEquals(
          "5-0",
          ((List<?>) ((List<?>) send(jedis, "XINFO", "GROUPS", "queue:blocked")).get(0)).get(7));
    }
  }
}
