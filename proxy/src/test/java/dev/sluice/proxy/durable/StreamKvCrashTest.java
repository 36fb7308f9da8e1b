package dev.sluice.proxy.durable;

import static dev.sluice.proxy.durable.StreamKvWriteBackTest.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.proxy.types.stream.StreamId;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * A stream on a {@code store: kv} key ({@code queue:crash}) used as a queue — producers XADD,
 * consumers XREADGROUP then XACK, all at once — in a Sluice in a child JVM killed with SIGKILL once
 * a random number of XADDs was acknowledged. After each restart over the same journal and
 * PostgreSQL: every acknowledged XADD is in the stream exactly once with its fields, no
 * acknowledged XACK is pending again, and the group's last-delivered ID is at least every one seen
 * before the kill. {@code sluice.crash.seed} replays the kill moments of a logged seed.
 *
 * <p>What "seen" means: a consumer reads the group's last-delivered ID with XINFO GROUPS right
 * after its XREADGROUP; that read may show another consumer's delivery whose reply still waits for
 * the fsync, so the value counts as seen only once the consumer's next write (its XACK) is
 * acknowledged — the journal is forced in order, so that XACK being durable makes everything
 * journaled before it durable. The largest ID an acknowledged XREADGROUP delivered counts at once.
 */
class StreamKvCrashTest extends WriteBackDatabaseTest {
  private static final int ROUNDS = 3;
  private static final String KEY = "queue:crash";
  private static final int PRODUCERS = 2;
  private static final int CONSUMERS = 2;

  /** What clients were told before the kills: all written by the worker threads. */
  private final Map<StreamId, String> added = new ConcurrentHashMap<>();

  private final Set<StreamId> acked = ConcurrentHashMap.newKeySet();
  private final AtomicReference<StreamId> lastDeliveredSeen = new AtomicReference<>(StreamId.MIN);

  /** The first failure of a worker before the kill (after it, connections break by design). */
  private final AtomicReference<Throwable> failure = new AtomicReference<>();

  @Test
  void sigkillWhileProducingAndConsuming_acknowledgedXaddsXacksAndLastDeliveredIdSurvive()
      throws Exception {
    Path journal = dir.resolve("journal");
    long seed = Long.getLong("sluice.crash.seed", System.nanoTime());
    System.out.println("StreamKvCrashTest: seed " + seed + " (-Dsluice.crash.seed replays it)");
    Random random = new Random(seed);
    for (int round = 0; round < ROUNDS; round++) {
      WriteBackFixture.Child child = db.startChild(journal, "stream-crash", dir);
      Jedis control = new Jedis("127.0.0.1", child.port(), 60_000);
      try {
        if (round == 0) {
          send(control, "XGROUP", "CREATE", KEY, "g", "$", "MKSTREAM");
        } else {
          assertSurvived(control, round);
        }
        int killAfter = added.size() + 200 + random.nextInt(1_500);
        AtomicBoolean killed = new AtomicBoolean();
        List<Thread> workers = new ArrayList<>();
        for (int p = 0; p < PRODUCERS; p++) {
          String name = "r" + round + "p" + p;
          workers.add(worker(child.port(), killed, jedis -> produce(jedis, name)));
        }
        for (int c = 0; c < CONSUMERS; c++) {
          String name = "c" + c;
          workers.add(worker(child.port(), killed, jedis -> consume(jedis, name)));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (added.size() < killAfter) {
          assertTrue(
              System.nanoTime() < deadline,
              "only " + added.size() + " of " + killAfter + " XADDs acknowledged in 60 s");
          assertWorkersOk();
          Thread.onSpinWait();
        }
        killed.set(true);
        child.kill(control); // the workers' commands in flight are never acknowledged
        for (Thread worker : workers) {
          worker.join(TimeUnit.SECONDS.toMillis(60));
          assertTrue(!worker.isAlive(), worker.getName() + " ended after the kill");
        }
        assertWorkersOk();
      } finally {
        child.process().destroyForcibly();
      }
    }
    WriteBackFixture.Child last = db.startChild(journal, "stream-crash", dir);
    Jedis jedis = new Jedis("127.0.0.1", last.port(), 60_000);
    try {
      assertSurvived(jedis, ROUNDS);
      assertTrue(!acked.isEmpty(), "the consumers acknowledged entries");
    } finally {
      last.kill(jedis);
    }
  }

  private interface Work {
    void run(Jedis jedis);
  }

  private void assertWorkersOk() {
    if (failure.get() != null) {
      throw new AssertionError("a worker failed before the kill", failure.get());
    }
  }

  /** A thread running {@code work} until the kill breaks its connection. */
  private Thread worker(int port, AtomicBoolean killed, Work work) {
    Thread t =
        new Thread(
            () -> {
              try (Jedis jedis = new Jedis("127.0.0.1", port, 60_000)) {
                work.run(jedis);
              } catch (RuntimeException | AssertionError e) {
                if (!killed.get()) {
                  failure.compareAndSet(null, e);
                }
              }
            },
            "stream-crash-worker");
    t.setDaemon(true);
    t.start();
    return t;
  }

  private void produce(Jedis jedis, String producer) {
    for (long n = 0; ; n++) {
      String payload = producer + ":" + n;
      String id = (String) send(jedis, "XADD", KEY, "*", "payload", payload);
      added.put(id(id), payload);
    }
  }

  private void consume(Jedis jedis, String consumer) {
    while (true) {
      Object reply =
          send(
              jedis,
              "XREADGROUP",
              "GROUP",
              "g",
              consumer,
              "COUNT",
              "20",
              "BLOCK",
              "100",
              "STREAMS",
              KEY,
              ">");
      if (!(reply instanceof List<?> streams) || streams.isEmpty()) {
        continue;
      }
      List<?> entries = (List<?>) ((List<?>) streams.get(0)).get(1);
      List<String> ids = new ArrayList<>();
      for (Object entry : entries) {
        ids.add((String) ((List<?>) entry).get(0));
      }
      seen(id(ids.get(ids.size() - 1))); // delivered by an acknowledged XREADGROUP
      StreamId shown = lastDelivered(jedis);
      List<String> args = new ArrayList<>(List.of("XACK", KEY, "g"));
      args.addAll(ids);
      long count = (Long) send(jedis, args.toArray(String[]::new));
      assertEquals(ids.size(), count, "XACK of the IDs just read");
      for (String id : ids) {
        acked.add(id(id));
      }
      seen(shown); // the XACK after it is durable: so is what XINFO showed
    }
  }

  private void seen(StreamId id) {
    lastDeliveredSeen.accumulateAndGet(id, (a, b) -> a.compareTo(b) >= 0 ? a : b);
  }

  private static StreamId lastDelivered(Jedis jedis) {
    for (Object group : (List<?>) send(jedis, "XINFO", "GROUPS", KEY)) {
      List<?> fields = (List<?>) group;
      Map<Object, Object> byName = new HashMap<>();
      for (int i = 0; i + 1 < fields.size(); i += 2) {
        byName.put(fields.get(i), fields.get(i + 1));
      }
      if ("g".equals(byName.get("name"))) {
        return id((String) byName.get("last-delivered-id"));
      }
    }
    throw new AssertionError("no group g on " + KEY);
  }

  private static StreamId id(String text) {
    return StreamId.parseStrict(text.getBytes(StandardCharsets.US_ASCII));
  }

  private void assertSurvived(Jedis jedis, int restart) {
    String when = "after restart " + restart + ": ";
    Map<StreamId, String> stream = new HashMap<>();
    Map<String, Integer> copies = new HashMap<>();
    for (Object entry : (List<?>) send(jedis, "XRANGE", KEY, "-", "+")) {
      List<?> e = (List<?>) entry;
      List<?> fields = (List<?>) e.get(1);
      String payload = (String) fields.get(1);
      stream.put(id((String) e.get(0)), payload);
      copies.merge(payload, 1, Integer::sum);
    }
    for (Map.Entry<StreamId, String> a : added.entrySet()) {
      assertEquals(a.getValue(), stream.get(a.getKey()), when + "acknowledged XADD " + a.getKey());
      assertEquals(1, copies.get(a.getValue()), when + "copies of " + a.getValue());
    }
    Set<StreamId> pending = ConcurrentHashMap.newKeySet();
    for (Object line : (List<?>) send(jedis, "XPENDING", KEY, "g", "-", "+", "1000000")) {
      pending.add(id((String) ((List<?>) line).get(0)));
    }
    for (StreamId id : acked) {
      assertTrue(!pending.contains(id), when + "acknowledged XACK of " + id + " is pending again");
    }
    StreamId lastDelivered = lastDelivered(jedis);
    assertTrue(
        lastDelivered.compareTo(lastDeliveredSeen.get()) >= 0,
        when + "last-delivered-id " + lastDelivered + " went back from " + lastDeliveredSeen);
    System.out.println(
        "StreamKvCrashTest: "
            + when
            + stream.size()
            + " entries ("
            + added.size()
            + " acknowledged), "
            + acked.size()
            + " acknowledged XACKs, "
            + pending.size()
            + " pending, last-delivered-id "
            + lastDelivered);
  }
}
