package dev.sluice.proxy.durable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.proxy.SluiceServer;
import dev.sluice.proxy.testing.Await;
import dev.sluice.proxy.testing.RealRedis;
import dev.sluice.writeback.batch.Flusher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * Write-back across two Sluice nodes in front of one PostgreSQL: the primary ships its journal
 * records to its replica, which journals them with the primary's LSNs and flushes nothing; a
 * promoted replica flushes what the primary left, once; a demoted primary started again flushes
 * nothing; with writeback.ack: replica a write waits for a replica's journal.
 */
class WriteBackReplicationTest extends WriteBackDatabaseTest {
  private static final Map<String, String> NEVER_FLUSH =
      Map.of("writeback.max-batch-delay", "1d", "writeback.max-batch-rows", "10000000");

  private static Jedis jedis(SluiceServer server) {
    return new Jedis("127.0.0.1", server.port(), 30_000);
  }

  private static Flusher flusher(SluiceServer server) {
    return server.context().appends().flusher();
  }

  private static long lastLsn(SluiceServer server) {
    return server.context().appends().journal().lastLsn();
  }

  private static void follow(SluiceServer replica, SluiceServer primary) {
    try (Jedis jedis = jedis(replica)) {
      assertEquals("OK", jedis.replicaof("127.0.0.1", primary.port()));
      Await.until(
          "the replica's link up",
          Duration.ofSeconds(30),
          () -> jedis.info("replication").contains("master_link_status:up"));
    }
  }

  /** Waits until the replica's journal holds the primary's last record; returns its LSN. */
  private static long awaitReplicaJournal(SluiceServer primary, SluiceServer replica) {
    long last = lastLsn(primary);
    Await.until(
        "the replica's journal at LSN " + last,
        Duration.ofSeconds(30),
        () -> lastLsn(replica) == last);
    return last;
  }

  /** XADDs {@code rows} rows of {@code kind}, an HSET and a SET of a kv key. */
  private static void write(SluiceServer primary, String kind, int rows) {
    try (Jedis jedis = jedis(primary)) {
      for (int i = 0; i < rows; i++) {
        jedis.xadd("ingest:events", StreamEntryID.NEW_ENTRY, Map.of("seq", "" + i, "kind", kind));
      }
      jedis.hset("wbuser:" + (9000 + rows), Map.of("name", kind));
      jedis.set("wbsession:" + kind, "v-" + kind);
    }
  }

  private static long rowsOf(String kind) throws Exception {
    return db.queryLong("SELECT count(*) FROM public.events WHERE kind = '" + kind + "'");
  }

  @Test
  void replica_primaryJournals_replicaHoldsTheSameRecordsAndFlushesNothing() throws Exception {
    try (SluiceServer primary = db.server(dir.resolve("hold-p"), "hold-p", NEVER_FLUSH);
        SluiceServer replica = db.server(dir.resolve("hold-r"), "hold-r", Map.of())) {
      write(primary, "before-link", 3);
      follow(replica, primary);
      write(primary, "hold", 20);

      awaitReplicaJournal(primary, replica);
      assertEquals(flusher(primary).lineage().id(), flusher(replica).lineage().id());
      assertTrue(flusher(replica).following(), "a replica follows");
      assertFalse(flusher(primary).following(), "the primary flushes");
      assertTrue(flusher(replica).flush(Duration.ofMillis(200)), "nothing queued to flush");
      assertEquals(0, flusher(replica).writer().rowsWritten());
      assertEquals(0, rowsOf("hold"));
      try (Jedis jedis = jedis(replica)) {
        assertEquals("v-hold", jedis.get("wbsession:hold"));
      }
    }
  }

  @Test
  void replica_primaryFlushed_replicaJournalFreesWhatPostgresHolds() throws Exception {
    try (SluiceServer primary = db.server(dir.resolve("free-p"), "free-p", Map.of());
        SluiceServer replica = db.server(dir.resolve("free-r"), "free-r", Map.of())) {
      follow(replica, primary);
      write(primary, "free", 30);
      long last = awaitReplicaJournal(primary, replica);
      assertTrue(replica.context().appends().journal().pendingBytes() > 0);

      assertTrue(flusher(primary).flush(Duration.ofSeconds(30)));
      assertEquals(30, rowsOf("free"));
      Await.until(
          "the replica's journal freed up to LSN " + last,
          Duration.ofSeconds(30),
          () -> replica.context().appends().journal().pendingBytes() == 0);
      assertEquals(0, flusher(replica).writer().rowsWritten(), "freed, not flushed");
    }
  }

  @Test
  void promotion_primaryGoneWithUnflushedRecords_promotedReplicaFlushesEachOnce() throws Exception {
    Path primaryJournal = dir.resolve("promo-p");
    try (SluiceServer replica = db.server(dir.resolve("promo-r"), "promo-r", Map.of())) {
      long term;
      try (SluiceServer primary = db.server(primaryJournal, "promo-p", NEVER_FLUSH)) {
        follow(replica, primary);
        write(primary, "promo", 50);
        awaitReplicaJournal(primary, replica);
        term = flusher(primary).lineage().term();
      }
      assertEquals(0, rowsOf("promo"), "the primary flushed nothing");

      try (Jedis jedis = jedis(replica)) {
        assertEquals("OK", jedis.replicaofNoOne());
        assertTrue(flusher(replica).flush(Duration.ofSeconds(30)));
        assertEquals(50, rowsOf("promo"));
        assertEquals("promo", db.queryString("SELECT name FROM public.wb_users WHERE id = 9050"));
        assertEquals(
            term + 1,
            db.queryLong(
                "SELECT term FROM sluice.lineage_owner WHERE lineage = '"
                    + flusher(replica).lineage().id()
                    + "' AND node = 'promo-r'"));
        jedis.xadd("ingest:events", StreamEntryID.NEW_ENTRY, Map.of("seq", "50", "kind", "promo"));
        assertTrue(flusher(replica).flush(Duration.ofSeconds(30)));
        assertEquals(51, rowsOf("promo"));
      }

      // the old primary comes back on its journal, believing it is a primary: fenced
      try (SluiceServer old = db.server(primaryJournal, "promo-p", Map.of());
          Jedis jedis = jedis(old)) {
        assertTrue(flusher(old).following(), "the lineage has a newer owner");
        JedisDataException refused =
            assertThrows(
                JedisDataException.class,
                () ->
                    jedis.xadd(
                        "ingest:events",
                        StreamEntryID.NEW_ENTRY,
                        Map.of("seq", "99", "kind", "promo")));
        assertTrue(
            refused.getMessage().contains("write-back writes go to the primary"),
            refused.getMessage());
        assertTrue(flusher(old).flush(Duration.ofMillis(200)));
        assertEquals(0, flusher(old).writer().rowsWritten());
        assertEquals(51, rowsOf("promo"), "nothing twice");
      }
    }
  }

  @Test
  void ackReplica_noReplicaConnected_xaddAnsweredOnceAReplicaJournaledIt() throws Exception {
    try (SluiceServer primary =
            db.server(
                dir.resolve("ack-p"),
                "ack-p",
                Map.of(
                    "writeback.ack", "replica",
                    "writeback.ack-replicas", "1",
                    "writeback.max-batch-delay", "1d",
                    "writeback.max-batch-rows", "10000000"));
        SluiceServer replica = db.server(dir.resolve("ack-r"), "ack-r", Map.of())) {
      CompletableFuture<StreamEntryID> added =
          CompletableFuture.supplyAsync(
              () -> {
                try (Jedis jedis = jedis(primary)) {
                  return jedis.xadd(
                      "ingest:events", StreamEntryID.NEW_ENTRY, Map.of("seq", "1", "kind", "ack"));
                }
              });
      assertThrows(
          TimeoutException.class,
          () -> added.get(500, TimeUnit.MILLISECONDS),
          "no replica: the XADD waits");

      follow(replica, primary);
      StreamEntryID id = added.get(30, TimeUnit.SECONDS);
      assertTrue(lastLsn(replica) >= id.getSequence(), "the replica journaled it first");
      try (Jedis jedis = jedis(primary)) {
        jedis.set("wbsession:ack", "1");
        assertTrue(lastLsn(replica) >= lastLsn(primary), "a SET waits for the replica too");
      }
    }
  }

  @Test
  void redisServerReplica_primaryJournals_pingsInTheirPlaceNoErrorSameOffset() throws Exception {
    try (SluiceServer primary = db.server(dir.resolve("redis-p"), "redis-p", NEVER_FLUSH);
        RealRedis replica =
            RealRedis.start(
                Files.createDirectories(dir.resolve("redis-r")),
                "--replicaof",
                "127.0.0.1",
                String.valueOf(primary.port()));
        Jedis toPrimary = jedis(primary);
        Jedis copy = replica.jedis()) {
      Await.until(
          "the redis-server replica's link up",
          Duration.ofSeconds(30),
          () -> copy.info("replication").contains("master_link_status:up"));
      write(primary, "to-redis", 10);
      // away and back: the redis-server replica continues from the backlog, which holds journal
      // commands written while it was away
      copy.replicaof("127.0.0.1", 1);
      Await.until(
          "the replica gone", () -> toPrimary.info("replication").contains("connected_slaves:0"));
      write(primary, "to-redis-later", 10);
      copy.replicaof("127.0.0.1", primary.port());
      Await.until(
          "the partial resynchronisation",
          Duration.ofSeconds(30),
          () -> Await.infoLong(toPrimary, "stats", "sync_partial_ok") == 1);
      toPrimary.set("plain", "last");

      long offset = Await.infoLong(toPrimary, "replication", "master_repl_offset");
      Await.until(
          "the replica at the primary's offset " + offset,
          Duration.ofSeconds(30),
          () -> Await.infoLong(copy, "replication", "master_repl_offset") == offset);
      assertEquals("last", copy.get("plain"));
      assertEquals("v-to-redis-later", copy.get("wbsession:to-redis-later"));
      assertTrue(lastLsn(primary) >= 20, "the stream carried the journal's records");
      assertEquals(0L, Await.infoLong(copy, "stats", "unexpected_error_replies"));
      assertEquals(1L, Await.infoLong(toPrimary, "stats", "sync_full"));
    }
  }

  @Test
  void fencedNode_setOnKvKey_refusedBeforeItChangesAnything() throws Exception {
    Path journal = dir.resolve("fenced");
    String lineage;
    try (SluiceServer first = db.server(journal, "fenced", Map.of())) {
      lineage = flusher(first).lineage().id();
    }
    // another node took the lineage over meanwhile
    db.execute("UPDATE sluice.lineage_owner SET term = term + 1 WHERE lineage = '" + lineage + "'");
    try (SluiceServer old = db.server(journal, "fenced", Map.of());
        Jedis jedis = jedis(old)) {
      assertTrue(flusher(old).following());
      JedisDataException refused =
          assertThrows(JedisDataException.class, () -> jedis.set("wbsession:fenced", "x"));
      assertTrue(
          refused.getMessage().contains("write-back writes go to the primary"),
          refused.getMessage());
      assertEquals(null, jedis.get("wbsession:fenced"), "the SET did not run");
      assertEquals("PONG", jedis.ping(), "the connection stays usable");
    }
  }
}
