package dev.sluice.proxy.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import redis.clients.jedis.Jedis;

/**
 * Bounded waiting without sleeps: a condition is re-checked (each check being a round trip to the
 * server) until it holds or the bound passes, and then the test fails naming what it waited for.
 */
public final class Await {
  static final Duration BOUND = Duration.ofSeconds(5);

  private Await() {}

  public static void until(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + BOUND.toNanos();
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return;
      }
      Thread.onSpinWait();
    }
    if (!condition.getAsBoolean()) {
      fail("still waiting after " + BOUND.toSeconds() + " s for " + what);
    }
  }

  /**
   * For what takes seconds by design (a failover: Sentinel's down-after time, its election): the
   * condition is re-checked every 20 ms, so that the checks leave the CPU to what they wait for.
   */
  public static void until(String what, Duration bound, BooleanSupplier condition) {
    long deadline = System.nanoTime() + bound.toNanos();
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return;
      }
      java.util.concurrent.locks.LockSupport.parkNanos(20_000_000);
    }
    if (!condition.getAsBoolean()) {
      fail("still waiting after " + bound.toSeconds() + " s for " + what);
    }
  }

  /** A numeric field of INFO, e.g. {@code infoLong(jedis, "clients", "blocked_clients")}. */
  public static long infoLong(Jedis jedis, String section, String field) {
    for (String line : jedis.info(section).split("\r\n")) {
      if (line.startsWith(field + ":")) {
        return Long.parseLong(line.substring(field.length() + 1));
      }
    }
    throw new AssertionError("INFO " + section + " has no " + field);
  }

  /** Waits until INFO clients reports exactly {@code expected} blocked clients. */
  public static void blockedClients(Jedis jedis, long expected) {
    until(
        "blocked_clients:" + expected,
        () -> infoLong(jedis, "clients", "blocked_clients") == expected);
  }
}
