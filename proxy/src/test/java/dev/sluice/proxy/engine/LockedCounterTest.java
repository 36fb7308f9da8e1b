package dev.sluice.proxy.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LockedCounterTest {
  private final LockedCounter counter = new LockedCounter();

  @Test
  void sum_afterIncrementsAndAdds_isTheirTotal() {
    counter.increment();
    counter.add(41);

    assertEquals(42, counter.sum());
  }

  @Test
  void reset_afterAdds_startsFromZero() {
    counter.add(7);
    counter.reset();
    counter.increment();

    assertEquals(1, counter.sum());
  }

  @Test
  void sum_onAnotherThreadAfterTheWriterJoined_seesEveryIncrement() throws Exception {
    Thread writer =
        new Thread(
            () -> {
              for (int i = 0; i < 100_000; i++) {
                counter.increment();
              }
            });
    writer.start();
    writer.join();

    assertEquals(100_000, counter.sum());
  }
}
