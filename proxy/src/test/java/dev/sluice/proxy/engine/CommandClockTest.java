package dev.sluice.proxy.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.proxy.testing.ManualClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class CommandClockTest {
  private final ManualClock clock = new ManualClock();
  private final CommandClock commands = new CommandClock();

  @Test
  void start_inOpenChain_isThePreviousEnd() {
    commands.open();
    commands.ended(42);
    clock.advance(Duration.ofSeconds(1));

    assertEquals(42, commands.start(clock));
  }

  @Test
  void start_nested_readsTheClock() {
    commands.open();
    commands.ended(42);
    assertEquals(42, commands.start(clock)); // EXEC
    assertEquals(clock.nanoTime(), commands.start(clock)); // its first queued command
  }

  @Test
  void start_afterClose_readsTheClock() {
    commands.open();
    commands.ended(42);
    commands.close();

    assertEquals(clock.nanoTime(), commands.start(clock));
  }

  @Test
  void start_afterRestart_readsTheClock() {
    commands.open();
    commands.ended(42);
    commands.restart();

    assertEquals(clock.nanoTime(), commands.start(clock));
  }

  @Test
  void ended_outsideAChain_isNotKept() {
    commands.ended(42);

    assertEquals(clock.nanoTime(), commands.start(clock));
  }

  @Test
  void open_dropsAnEndLeftOver() {
    commands.open();
    commands.ended(42);
    commands.open();

    assertEquals(clock.nanoTime(), commands.start(clock));
  }
}
