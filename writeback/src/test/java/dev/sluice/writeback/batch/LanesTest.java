package dev.sluice.writeback.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Flow control of the lanes, on an injected clock. */
class LanesTest {
  private long now = 1_000_000_000L;

  private Lanes<Integer> lanes(int maxRows) {
    return new Lanes<>(maxRows, Duration.ofMillis(10), () -> now);
  }

  private static void fill(Lanes<Integer> lanes, String mapping, long firstLsn, int n) {
    for (int i = 0; i < n; i++) {
      lanes.add(mapping, firstLsn + i, i, 10);
    }
  }

  /** Drives the lanes for {@code seconds} in 1 ms steps; rows taken from {@code mapping}. */
  private long drain(Lanes<Integer> lanes, String mapping, double seconds) {
    long rows = 0;
    long steps = (long) (seconds * 1000);
    for (long i = 0; i < steps; i++) {
      now += TimeUnit.MILLISECONDS.toNanos(1);
      Lanes.Taken<Integer> taken;
      while ((taken = lanes.tryTake()).batch() != null) {
        Lanes.Batch<Integer> b = taken.batch();
        if (b.mapping().equals(mapping)) {
          rows += b.items().size();
        }
        lanes.committed(b, b.lastLsn());
      }
    }
    return rows;
  }

  @Test
  void throttle_holdsTheRateWithinTenPercent() {
    for (int rate : new int[] {7, 500, 5_000, 80_000}) {
      Lanes<Integer> lanes = lanes(10_000);
      fill(lanes, "m", 1, rate * 20);
      lanes.throttle("m", rate);
      long rows = drain(lanes, "m", 10);
      double measured = rows / 10.0;
      assertTrue(
          measured >= rate * 0.9 && measured <= rate * 1.1,
          "throttle " + rate + " rows/s: measured " + measured);
    }
  }

  @Test
  void throttleOff_drainsAtOnce() {
    Lanes<Integer> lanes = lanes(1_000);
    fill(lanes, "m", 1, 50_000);
    lanes.throttle("m", 100);
    lanes.throttle("m", 0);
    assertEquals(50_000, drain(lanes, "m", 0.1));
  }

  @Test
  void pause_holdsOneMappingWhileAnotherFlows_watermarkStaysBelowHeldRows() {
    Lanes<Integer> lanes = lanes(1_000);
    lanes.paused("a", true);
    fill(lanes, "a", 1, 10);
    fill(lanes, "b", 11, 10);
    now += TimeUnit.MILLISECONDS.toNanos(20);
    Lanes.Batch<Integer> b = lanes.tryTake().batch();
    assertEquals("b", b.mapping());
    assertEquals(10, b.items().size());
    assertEquals(0, b.watermark(), "a's rows 1..10 are still queued");
    lanes.committed(b, b.lastLsn());
    assertNull(lanes.tryTake().batch());
    assertEquals(10, lanes.pendingRows());

    lanes.paused("a", false);
    Lanes.Batch<Integer> a = lanes.tryTake().batch();
    assertEquals("a", a.mapping());
    assertEquals(20, a.watermark(), "nothing queued after a's batch");
  }

  @Test
  void flushRequest_bypassesPauseAndThrottle_onlyUpToTheRequest() {
    Lanes<Integer> lanes = lanes(1_000);
    lanes.paused("a", true);
    lanes.throttle("a", 1);
    fill(lanes, "a", 1, 2_500);
    long[] goal = lanes.requestFlush("a");
    assertEquals(2_500, goal[0]);
    assertEquals(2_500, goal[1]);
    fill(lanes, "a", 2_501, 5);
    long taken = 0;
    Lanes.Batch<Integer> b;
    while ((b = lanes.tryTake().batch()) != null) {
      taken += b.items().size();
      lanes.committed(b, b.lastLsn());
    }
    assertEquals(2_500, taken);
    assertEquals(5, lanes.pendingRows(), "rows after the request stay paused");
  }

  @Test
  void batch_closesOnDelayOrSize() {
    Lanes<Integer> lanes = lanes(100);
    fill(lanes, "m", 1, 5);
    Lanes.Taken<Integer> early = lanes.tryTake();
    assertNull(early.batch());
    assertEquals(TimeUnit.MILLISECONDS.toNanos(10), early.waitNanos());
    fill(lanes, "m", 6, 95);
    assertEquals(100, lanes.tryTake().batch().items().size());
  }
}
