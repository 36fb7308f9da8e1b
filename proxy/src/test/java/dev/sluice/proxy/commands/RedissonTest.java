package dev.sluice.proxy.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.proxy.testing.Await;
import dev.sluice.proxy.testing.TestServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.redisson.Redisson;
import org.redisson.api.RLock;
import org.redisson.api.RRateLimiter;
import org.redisson.api.RStream;
import org.redisson.api.RateType;
import org.redisson.api.RedissonClient;
import org.redisson.api.stream.PendingEntry;
import org.redisson.api.stream.PendingResult;
import org.redisson.api.stream.StreamAddArgs;
import org.redisson.api.stream.StreamCreateGroupArgs;
import org.redisson.api.stream.StreamMessageId;
import org.redisson.api.stream.StreamReadGroupArgs;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;

/**
 * Redisson against Sluice: its lock and rate limiter are Lua scripts (EVAL/EVALSHA with HINCRBY,
 * PEXPIRE, PUBLISH, struct.pack) plus pub/sub to wake waiters; its RStream is the stream commands a
 * consumer-group application calls (XGROUP CREATE MKSTREAM, XADD, XREADGROUP with and without
 * BLOCK, XACK, XPENDING). Two clients stand for two processes.
 */
class RedissonTest {
  private static TestServer server;
  private static RedissonClient first;
  private static RedissonClient second;

  private static RedissonClient client() {
    Config config = new Config();
    config
        .useSingleServer()
        .setAddress("redis://127.0.0.1:" + server.port())
        .setConnectionMinimumIdleSize(1)
        .setConnectionPoolSize(4)
        .setSubscriptionConnectionMinimumIdleSize(1)
        .setSubscriptionConnectionPoolSize(2)
        .setTimeout(5000)
        .setRetryAttempts(0);
    return Redisson.create(config);
  }

  @BeforeAll
  static void start() {
    server = TestServer.start();
    first = client();
    second = client();
  }

  @AfterAll
  static void stop() {
    first.shutdown(0, 2, TimeUnit.SECONDS);
    second.shutdown(0, 2, TimeUnit.SECONDS);
    server.close();
  }

  @BeforeEach
  void flush() {
    first.getKeys().flushall();
  }

  @Test
  void lock_heldByFirstClient_secondWaitsUntilUnlock() throws Exception {
    RLock mine = first.getLock("orders");
    RLock theirs = second.getLock("orders");
    mine.lock();
    CompletableFuture<Void> waiting = theirs.lockAsync(77).toCompletableFuture();
    assertThrows(TimeoutException.class, () -> waiting.get(300, TimeUnit.MILLISECONDS));
    assertTrue(mine.isHeldByCurrentThread());

    mine.unlock();
    waiting.get(5, TimeUnit.SECONDS);
    assertTrue(theirs.isLocked());
    assertFalse(mine.isHeldByCurrentThread());
    theirs.unlockAsync(77).toCompletableFuture().get(5, TimeUnit.SECONDS);
    assertFalse(theirs.isLocked());
  }

  @Test
  void tryLock_heldElsewhere_falseAfterWaitTrueOnceFree() throws Exception {
    RLock mine = first.getLock("job");
    RLock theirs = second.getLock("job");
    assertTrue(mine.tryLock(1, 30, TimeUnit.SECONDS));
    long start = System.nanoTime();
    assertFalse(theirs.tryLock(200, 30_000, TimeUnit.MILLISECONDS));
    // it waited rather than failing at once; Redisson times its wait with millisecond clocks, so
    // it may return a little before 200 ms by this nanosecond clock
    long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertTrue(waitedMillis >= 150, "waited only " + waitedMillis + " ms");
    // the holder's 30 s lease, untouched by the failed attempt; the server's clock is manual
    assertEquals(30_000, theirs.remainTimeToLive());

    mine.unlock();
    assertTrue(theirs.tryLock(1, 30, TimeUnit.SECONDS));
    theirs.unlock();
  }

  @Test
  void lock_reentrant_countsHoldsAndReleasesOnLastUnlock() {
    RLock mine = first.getLock("reentrant");
    mine.lock();
    mine.lock();
    assertEquals(2, mine.getHoldCount());
    assertFalse(second.getLock("reentrant").tryLock());
    mine.unlock();
    assertTrue(mine.isLocked());
    assertEquals(1, mine.getHoldCount());
    mine.unlock();
    assertFalse(mine.isLocked());
    assertTrue(second.getLock("reentrant").tryLock());
    second.getLock("reentrant").unlock();
  }

  @Test
  void lock_leaseTimePassed_expiresForOthers() {
    RLock mine = first.getLock("lease");
    mine.lock(10, TimeUnit.SECONDS);
    assertFalse(second.getLock("lease").tryLock());
    server.clock().advance(Duration.ofSeconds(11));
    assertFalse(mine.isLocked());
    assertTrue(second.getLock("lease").tryLock());
    second.getLock("lease").unlock();
  }

  @Test
  void rateLimiter_permitsPerWindow_refusedBeyondRateThenRefilled() {
    RRateLimiter limiter = first.getRateLimiter("api");
    assertTrue(limiter.trySetRate(RateType.OVERALL, 3, Duration.ofMillis(500)));
    assertFalse(limiter.trySetRate(RateType.OVERALL, 9, Duration.ofMillis(500)));
    long startMillis = System.currentTimeMillis();
    assertTrue(limiter.tryAcquire());
    assertTrue(second.getRateLimiter("api").tryAcquire());
    assertTrue(limiter.tryAcquire());
    assertFalse(limiter.tryAcquire());
    assertFalse(second.getRateLimiter("api").tryAcquire());
    assertEquals(0, limiter.availablePermits());

    Await.until("a permit after the 500 ms window", limiter::tryAcquire);
    // Redisson stamps permits with the client's currentTimeMillis: allow its 1 ms granularity
    long elapsed = System.currentTimeMillis() - startMillis;
    assertTrue(elapsed >= 498, "a permit came back after " + elapsed + " ms");
    // The other two permits come back once their own 500 ms have passed too; never more.
    Await.until("the two other permits back", () -> limiter.availablePermits() == 2);
    assertTrue(limiter.tryAcquire(2));
    assertFalse(limiter.tryAcquire());
  }

  @Test
  void rstream_consumerGroup_addReadAckPending_asAnApplicationUsesIt() {
    RStream<String, String> out = first.getStream("orders", StringCodec.INSTANCE);
    RStream<String, String> in = second.getStream("orders", StringCodec.INSTANCE);
    in.createGroup(StreamCreateGroupArgs.name("billing").makeStream());

    StreamMessageId first = out.add(StreamAddArgs.entries("id", "1", "total", "9.50"));
    StreamMessageId second = out.add(StreamAddArgs.entry("id", "2"));

    Map<StreamMessageId, Map<String, String>> read =
        in.readGroup("billing", "worker-1", StreamReadGroupArgs.neverDelivered().count(10));
    assertEquals(List.of(first, second), List.copyOf(read.keySet()));
    assertEquals(Map.of("id", "1", "total", "9.50"), read.get(first));

    PendingResult pending = in.getPendingInfo("billing");
    assertEquals(2, pending.getTotal());
    assertEquals(first, pending.getLowestId());
    assertEquals(second, pending.getHighestId());
    assertEquals(Map.of("worker-1", 2L), pending.getConsumerNames());

    assertEquals(1, in.ack("billing", first));
    List<PendingEntry> left =
        in.listPending("billing", StreamMessageId.MIN, StreamMessageId.MAX, 10);
    assertEquals(1, left.size());
    assertEquals(second, left.get(0).getId());
    assertEquals("worker-1", left.get(0).getConsumerName());
    assertEquals(1, left.get(0).getDeliveryCount());

    // nothing new for the group: an empty answer, not an error
    assertTrue(in.readGroup("billing", "worker-1", StreamReadGroupArgs.neverDelivered()).isEmpty());
    assertEquals(2, in.size());
  }

  @Test
  void rstream_readGroupWithTimeout_addFromAnotherClient_wakesTheConsumer() throws Exception {
    RStream<String, String> in = second.getStream("events", StringCodec.INSTANCE);
    in.createGroup(StreamCreateGroupArgs.name("g").makeStream());
    CompletableFuture<Map<StreamMessageId, Map<String, String>>> waiting =
        in.readGroupAsync(
                "g", "c", StreamReadGroupArgs.neverDelivered().timeout(Duration.ofSeconds(10)))
            .toCompletableFuture();
    Await.until(
        "the consumer blocked", () -> server.context().engine().stats().blockedClients.get() == 1);
    assertNull(waiting.getNow(null));

    RStream<String, String> out = first.getStream("events", StringCodec.INSTANCE);
    StreamMessageId id = out.add(StreamAddArgs.entry("kind", "paid"));

    assertEquals(Map.of(id, Map.of("kind", "paid")), waiting.get(5, TimeUnit.SECONDS));
  }
}
