package dev.sluice.proxy.lookaside;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.proxy.testing.MappedTestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * Reads of mapping {@code users} ({@code user:{id}}, rows 1 to 100 with name {@code user <id>})
 * from real clients, each on its own connection and thread, timed on the client side: miss threads
 * read keys never read before (ids from 1,000 up: no row, so nothing is stored or remembered), hit
 * threads read {@code user:1} to {@code user:10}, loaded at the start. The first miss answered with
 * an error marks "the first failure".
 */
final class ReadLoad implements AutoCloseable {
  /** One miss: when it started ({@link System#nanoTime}), how long it took, its error or null. */
  record Miss(long start, long nanos, String error) {}

  private static final int HIT_KEYS = 10;

  private final List<Thread> threads = new ArrayList<>();
  private final Queue<Miss> misses = new ConcurrentLinkedQueue<>();
  private final Queue<String> hitFailures = new ConcurrentLinkedQueue<>();
  private final AtomicInteger nextId = new AtomicInteger(1_000);
  private final AtomicLong firstFailure = new AtomicLong(Long.MAX_VALUE);
  private final AtomicLong hitsAfterFirstFailure = new AtomicLong();
  private final Semaphore progress = new Semaphore(0);
  private volatile boolean running = true;

  ReadLoad(MappedTestServer server, int missThreads, int hitThreads) {
    try (Jedis jedis = server.jedis()) {
      for (int id = 1; id <= HIT_KEYS; id++) {
        assertEquals("user " + id, jedis.hget("user:" + id, "name"));
      }
    }
    for (int i = 0; i < missThreads; i++) {
      start(server, "miss-" + i, this::miss);
    }
    for (int i = 0; i < hitThreads; i++) {
      start(server, "hit-" + i, this::hit);
    }
  }

  private void start(MappedTestServer server, String name, java.util.function.Consumer<Jedis> op) {
    Thread thread =
        new Thread(
            () -> {
              try (Jedis jedis = server.jedis()) {
                while (running) {
                  op.accept(jedis);
                }
              }
            },
            "read-load-" + name);
    threads.add(thread);
    thread.start();
  }

  private void miss(Jedis jedis) {
    String key = "user:" + nextId.getAndIncrement();
    String error = null;
    long start = System.nanoTime();
    try {
      jedis.hget(key, "name");
    } catch (JedisDataException e) {
      error = e.getMessage();
    } catch (RuntimeException e) {
      error = "not an error reply: " + e;
    }
    long end = System.nanoTime();
    if (error != null) {
      firstFailure.accumulateAndGet(end, Math::min);
    }
    misses.add(new Miss(start, end - start, error));
    progress.release();
  }

  private void hit(Jedis jedis) {
    int id = 1 + (int) (System.nanoTime() % HIT_KEYS);
    boolean afterFailure = System.nanoTime() >= firstFailure.get();
    try {
      String name = jedis.hget("user:" + id, "name");
      if (!("user " + id).equals(name)) {
        hitFailures.add("user:" + id + " answered " + name);
      } else if (afterFailure) {
        hitsAfterFirstFailure.incrementAndGet();
      }
    } catch (RuntimeException e) {
      hitFailures.add("user:" + id + " failed: " + e);
    }
  }

  /** Waits (bounded) until {@code count} misses were answered, whatever the answer. */
  void awaitMisses(int count, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (misses.size() < count && System.nanoTime() < deadline) {
      awaitProgress();
    }
    assertTrue(misses.size() >= count, what + ": " + misses.size() + " of " + count);
  }

  /** Waits up to 100 ms for the next answered miss. */
  void awaitProgress() throws InterruptedException {
    progress.tryAcquire(100, TimeUnit.MILLISECONDS);
  }

  /** The misses that started once a miss had failed. */
  List<Miss> missesAfterFirstFailure() {
    long first = firstFailure.get();
    return misses.stream().filter(m -> m.start() >= first).toList();
  }

  int missesStartedAfterFirstFailure() {
    return missesAfterFirstFailure().size();
  }

  long hitsAfterFirstFailure() {
    return hitsAfterFirstFailure.get();
  }

  List<String> hitFailures() {
    return List.copyOf(hitFailures);
  }

  /** Stops every client and waits (bounded) for their threads. */
  void stop() throws InterruptedException {
    running = false;
    for (Thread thread : threads) {
      thread.join(10_000);
      assertTrue(!thread.isAlive(), thread.getName() + " stopped");
    }
  }

  @Override
  public void close() throws InterruptedException {
    stop();
  }
}
