package dev.sluice.proxy.durable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.proxy.testing.Await;
import dev.sluice.proxy.testing.Sentinels;
import dev.sluice.proxy.testing.SluiceProcess;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPoolConfig;
import redis.clients.jedis.JedisSentinelPool;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.util.SafeEncoder;

/**
 * Write-back across a failover (issue 17): three Sluice JVMs in front of one embedded PostgreSQL,
 * with {@code writeback.ack: replica}, three redis-sentinels, and clients that follow Sentinel
 * writing XADD (append mapping), HSET (row write-back) and SET (kv keys), each value unique. Each
 * round SIGKILLs the primary under that load, waits for Sentinel to promote a replica, lets the
 * clients write to it, starts the killed node again on its journal (Sentinel makes it a replica).
 * At the end everything is flushed and PostgreSQL must hold every acknowledged XADD exactly once,
 * no row twice, and for every HSET or SET key the last acknowledged value or one written after it
 * whose answer was lost in a crash.
 *
 * <p>Five rounds by default; the Maven profile {@code failover-soak} runs 200 ({@code
 * -Dfailover.rounds=N} for another count).
 */
class FailoverWriteBackTest {
  private static final Logger log = LoggerFactory.getLogger(FailoverWriteBackTest.class);
  private static final String NAME = "sluice";
  private static final int ROUNDS = Integer.getInteger("sluice.failover.rounds", 5);
  private static final int WRITERS = 2;
  private static final int KEYS = 20;

  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path dir;

  private WriteBackFixture db;
  private final List<SluiceProcess> nodes = new ArrayList<>();
  private final List<Process> sentinels = new ArrayList<>();
  private final List<Thread> writers = new ArrayList<>();
  private volatile boolean writing = true;

  // what the clients were told, and what they sent without an answer
  private final Set<Long> ackedSeqs = ConcurrentHashMap.newKeySet();
  private final Set<Long> sentSeqs = ConcurrentHashMap.newKeySet();
  private final Map<String, KeyHistory> histories = new ConcurrentHashMap<>();
  private final AtomicLong acked = new AtomicLong();

  /** One key's values in the order a writer sent them, and how many of them were acknowledged. */
  private static final class KeyHistory {
    final List<String> sent = new ArrayList<>();
    int lastAcked = -1;

    /** The values PostgreSQL may hold: the last acknowledged one or any sent after it. */
    Set<String> allowed() {
      return new HashSet<>(sent.subList(Math.max(0, lastAcked), sent.size()));
    }
  }

  @AfterEach
  void stop() throws InterruptedException {
    writing = false;
    for (Thread writer : writers) {
      writer.join(TimeUnit.SECONDS.toMillis(30));
    }
    sentinels.forEach(Process::destroyForcibly);
    nodes.forEach(SluiceProcess::close);
    if (db != null) {
      db.close();
    }
  }

  private String yaml(int node) {
    return String.join(
            "\n",
            "io-threads: 2",
            "postgres:",
            "  url: \"" + db.url + "\"",
            "  password: \"" + db.password + "\"",
            "journal:",
            "  dir: " + dir.resolve("node" + node).resolve("journal"),
            "writeback:",
            "  node: n" + node,
            "  ack: replica",
            "  ack-replicas: 1",
            "  max-batch-delay: 50ms",
            "  max-backoff: 1s",
            "")
        + WriteBackFixture.MAPPINGS;
  }

  private SluiceProcess startNode(int node, int port) {
    return SluiceProcess.start(dir.resolve("node" + node), port, yaml(node));
  }

  @Test
  void sigkill_primaryUnderWriteBackLoad_everyAcknowledgedWriteInPostgresExactlyOnce()
      throws Exception {
    db = WriteBackFixture.start(dir);
    int[] ports = {SluiceProcess.freePort(), SluiceProcess.freePort(), SluiceProcess.freePort()};
    for (int i = 0; i < 3; i++) {
      nodes.add(startNode(i, ports[i]));
    }
    for (SluiceProcess replica : nodes.subList(1, 3)) {
      try (Jedis jedis = replica.jedis()) {
        assertEquals("OK", jedis.replicaof("127.0.0.1", ports[0]));
        Await.until(
            "the link of " + replica.port(),
            Duration.ofSeconds(30),
            () -> Sentinels.follows(replica, ports[0]));
      }
    }
    Set<String> sentinelAddresses = new HashSet<>();
    for (int i = 0; i < 3; i++) {
      int port = SluiceProcess.freePort();
      sentinelAddresses.add("127.0.0.1:" + port);
      sentinels.add(Sentinels.start(dir.resolve("sentinel" + i), port, NAME, ports[0]));
    }
    int sentinelPort = Integer.parseInt(sentinelAddresses.iterator().next().split(":")[1]);
    try (Jedis sentinel = new Jedis("127.0.0.1", sentinelPort);
        JedisSentinelPool pool =
            new JedisSentinelPool(NAME, sentinelAddresses, new JedisPoolConfig(), 5_000)) {
      Await.until(
          "Sentinel's view: two replicas, two other Sentinels",
          Duration.ofSeconds(30),
          () -> Sentinels.seeTheWholeSetup(sentinel, NAME));
      for (int w = 0; w < WRITERS; w++) {
        int writer = w;
        Thread thread = new Thread(() -> write(pool, writer), "failover-writer-" + w);
        writers.add(thread);
        thread.start();
      }

      for (int round = 0; round < ROUNDS; round++) {
        awaitProgress("round " + round + ": writes acknowledged before the kill");
        int primaryPort = Integer.parseInt(sentinel.sentinelGetMasterAddrByName(NAME).get(1));
        int killed = indexOf(primaryPort);
        log.info("round {}: SIGKILL of the primary on port {}", round, primaryPort);
        nodes.get(killed).kill();
        Await.until(
            "round " + round + ": Sentinel promotes a replica of " + primaryPort,
            Duration.ofSeconds(120),
            () -> !String.valueOf(primaryPort).equals(primaryOf(sentinel)));
        int newPort = Integer.parseInt(primaryOf(sentinel));
        log.info("round {}: Sentinel promoted {}", round, newPort);
        awaitProgress("round " + round + ": writes acknowledged by the new primary " + newPort);
        log.info(
            "round {}: {} writes acknowledged, restarting {}", round, acked.get(), primaryPort);
        SluiceProcess back = startNode(killed, primaryPort);
        nodes.set(killed, back);
        log.info("round {}: {} started again", round, primaryPort);
        // the primary Sentinel names now: a slow primary may have been failed over again
        Await.until(
            "round " + round + ": the old primary " + primaryPort + " follows the primary",
            Duration.ofSeconds(120),
            () -> Sentinels.follows(back, port(primaryOf(sentinel))));
      }
      awaitProgress("writes acknowledged after the last round");
      writing = false;
      for (Thread writer : writers) {
        writer.join(TimeUnit.SECONDS.toMillis(60));
      }
      try (Jedis primary = pool.getResource()) {
        Object flushed =
            primary.sendCommand(() -> SafeEncoder.encode("SLUICE"), "FLUSH", "TIMEOUT", "60000");
        assertTrue(flushed instanceof Long, "SLUICE FLUSH answers the rows it waited for");
      }
    }
    checkPostgres();
  }

  private String primaryOf(Jedis sentinel) {
    try {
      return sentinel.sentinelGetMasterAddrByName(NAME).get(1);
    } catch (RuntimeException notYet) {
      return "";
    }
  }

  private static int port(String text) {
    return text.isEmpty() ? -1 : Integer.parseInt(text);
  }

  private int indexOf(int port) {
    for (int i = 0; i < nodes.size(); i++) {
      if (nodes.get(i).port() == port) {
        return i;
      }
    }
    throw new AssertionError("no node on port " + port);
  }

  private void awaitProgress(String what) {
    long from = acked.get();
    Await.until(what, Duration.ofSeconds(60), () -> acked.get() >= from + 20);
  }

  /** A writer: XADD, HSET and SET in turn, each with a value no other write has. */
  private void write(JedisSentinelPool pool, int writer) {
    long i = 0;
    while (writing) {
      i++;
      long seq = writer * 1_000_000_000L + i;
      String value = writer + "-" + i;
      String user = Long.toString(100_000 + writer * 1_000 + i % KEYS);
      String session = "wbsession:fo-" + writer + "-" + i % KEYS;
      try (Jedis jedis = pool.getResource()) {
        sentSeqs.add(seq);
        jedis.xadd(
            "ingest:events",
            StreamEntryID.NEW_ENTRY,
            Map.of("seq", Long.toString(seq), "kind", "failover"));
        ackedSeqs.add(seq);
        send(user, value, () -> jedis.hset("wbuser:" + user, Map.of("name", value)));
        send(session, value, () -> jedis.set(session, value));
        acked.incrementAndGet();
      } catch (RuntimeException lost) {
        // the primary died or has no replica yet: the outcome is unknown, the next write goes on
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
      }
    }
  }

  private void send(String key, String value, Runnable write) {
    KeyHistory history = histories.computeIfAbsent(key, k -> new KeyHistory());
    synchronized (history) {
      history.sent.add(value);
    }
    write.run();
    synchronized (history) {
      history.lastAcked = history.sent.size() - 1;
    }
  }

  private void checkPostgres() throws Exception {
    Map<Long, Integer> rows = new java.util.HashMap<>();
    Map<String, String> names = new java.util.HashMap<>();
    Map<String, String> sessions = new java.util.HashMap<>();
    try (Connection c = db.connect();
        Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("SELECT seq FROM public.events WHERE kind = 'failover'")) {
        while (rs.next()) {
          rows.merge(rs.getLong(1), 1, Integer::sum);
        }
      }
      try (ResultSet rs =
          s.executeQuery("SELECT id::text, name FROM public.wb_users WHERE id >= 100000")) {
        while (rs.next()) {
          names.put(rs.getString(1), rs.getString(2));
        }
      }
      try (ResultSet rs =
          s.executeQuery(
              "SELECT convert_from(key, 'UTF8'), convert_from(value, 'UTF8') FROM sluice.kv"
                  + " WHERE convert_from(key, 'UTF8') LIKE 'wbsession:fo-%'")) {
        while (rs.next()) {
          sessions.put(rs.getString(1), rs.getString(2));
        }
      }
    }
    assertTrue(ackedSeqs.size() > ROUNDS * 40, "writes acknowledged: " + ackedSeqs.size());
    List<Long> missing = new ArrayList<>();
    for (long seq : ackedSeqs) {
      if (!rows.containsKey(seq)) {
        missing.add(seq);
      }
    }
    assertEquals(List.of(), missing, "acknowledged XADDs missing from public.events");
    List<Long> twice = new ArrayList<>();
    rows.forEach(
        (seq, count) -> {
          if (count > 1) {
            twice.add(seq);
          }
        });
    assertEquals(List.of(), twice, "rows written more than once");
    assertTrue(sentSeqs.containsAll(rows.keySet()), "no row that was never sent");
    histories.forEach(
        (key, history) -> {
          if (history.lastAcked < 0) {
            return;
          }
          String stored = key.startsWith("wbsession:") ? sessions.get(key) : names.get(key);
          assertTrue(
              history.allowed().contains(stored),
              key
                  + " holds "
                  + stored
                  + " in PostgreSQL, acknowledged last: "
                  + history.sent.get(history.lastAcked));
        });
  }
}
