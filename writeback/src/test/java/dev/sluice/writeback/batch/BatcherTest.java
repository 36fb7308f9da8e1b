package dev.sluice.writeback.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatcherTest {
  @Test
  void nextBatch_fullBatch_closesAtMaxRowsWithoutWaitingForTheDelay() throws Exception {
    Batcher<Integer> batcher = new Batcher<>(3, Duration.ofHours(1));
    for (int i = 0; i < 7; i++) {
      batcher.add(i);
    }
    assertEquals(List.of(0, 1, 2), batcher.nextBatch());
    assertEquals(List.of(3, 4, 5), batcher.nextBatch());
    assertEquals(1, batcher.size());
  }

  @Test
  void nextBatch_partialBatch_closesAfterTheDelay() throws Exception {
    Batcher<Integer> batcher = new Batcher<>(1000, Duration.ofMillis(50));
    long start = System.nanoTime();
    batcher.add(1);
    batcher.add(2);
    assertEquals(List.of(1, 2), batcher.nextBatch());
    long waited = System.nanoTime() - start;
    assertTrue(waited >= Duration.ofMillis(50).toNanos(), "closed after " + waited + " ns");
  }

  @Test
  void nextBatch_pausedThenFlushNow_takesTheBatchAndStaysPaused() throws Exception {
    Batcher<Integer> batcher = new Batcher<>(1000, Duration.ofMillis(1));
    batcher.paused(true);
    batcher.add(1);
    batcher.flushNow();
    assertEquals(List.of(1), batcher.nextBatch());
    assertTrue(batcher.paused());
  }

  @Test
  void nextBatch_closed_returnsEmpty() throws Exception {
    Batcher<Integer> batcher = new Batcher<>(10, Duration.ofHours(1));
    batcher.add(1);
    batcher.close();
    assertEquals(List.of(), batcher.nextBatch());
  }
}
