package dev.sluice.proxy.engine;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.config.SluiceConfig;
import dev.sluice.proxy.Commands;
import dev.sluice.proxy.runtime.ServerContext;
import dev.sluice.proxy.testing.ManualClock;
import dev.sluice.proxy.tx.Transaction;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** ClientPause's rules with a fake clock: modes, deadlines, and what a WRITE pause holds. */
class ClientPauseTest {
  private final ManualClock clock = new ManualClock();
  private final ClientPause pause = new ClientPause(clock);
  private final CommandTable table =
      new ServerContext(SluiceConfig.builder().build(), clock, Commands::register).commands();
  private final Transaction noTransaction = new Transaction();

  private CompletableFuture<?> holds(String... command) {
    byte[][] args = new byte[command.length][];
    for (int i = 0; i < command.length; i++) {
      args[i] = command[i].getBytes();
    }
    return pause.holds(table.resolve(args), noTransaction, table);
  }

  @Test
  void holds_writePause_writesAndMayReplicateOnly() {
    pause.pause(clock.millis() + 1000, false);
    assertNotNull(holds("SET", "k", "v"));
    assertNotNull(holds("EVAL", "return 1", "0"));
    assertNotNull(holds("PUBLISH", "c", "m"));
    assertNotNull(holds("PFCOUNT", "h"));
    assertNull(holds("GET", "k"));
    assertNull(holds("EVAL_RO", "return 1", "0"));
    assertNull(holds("CLIENT", "UNPAUSE"));
  }

  @Test
  void holds_execOfQueuedWrite_heldUnderWritePause() {
    Transaction transaction = new Transaction();
    transaction.begin();
    transaction.queue(new byte[][] {"GET".getBytes(), "k".getBytes()});
    pause.pause(clock.millis() + 1000, false);
    CommandSpec exec = table.lookup("exec");
    assertNull(pause.holds(exec, transaction, table));
    transaction.queue(new byte[][] {"INCR".getBytes(), "k".getBytes()});
    assertNotNull(pause.holds(exec, transaction, table));
  }

  @Test
  void pause_writeAfterAll_keepsAllAndTheLaterDeadline() {
    pause.pause(clock.millis() + 200, true);
    pause.pause(clock.millis() + 20, false);
    clock.advance(java.time.Duration.ofMillis(100));
    assertNotNull(holds("GET", "k"), "still ALL, past the second pause's deadline");
    clock.advance(java.time.Duration.ofMillis(100));
    assertNull(holds("GET", "k"));
    assertFalse(pause.paused());
  }

  @Test
  void pause_deadlinePassed_liftsAndCompletesTheFuture() {
    pause.pause(clock.millis() + 50, true);
    CompletableFuture<?> lifted = holds("GET", "k");
    assertFalse(lifted.isDone());
    clock.advance(java.time.Duration.ofMillis(50));
    assertFalse(pause.paused());
    assertTrue(lifted.isDone());
  }

  @Test
  void pause_zeroOrPastDeadline_pausesNothing() {
    pause.pause(0, true);
    assertFalse(pause.paused());
    pause.pause(clock.millis(), true);
    assertNull(holds("SET", "k", "v"));
  }

  @Test
  void unpause_completesTheFutureHeldCommandsWaitOn() {
    pause.pause(clock.millis() + 1000, false);
    CompletableFuture<?> lifted = holds("SET", "k", "v");
    pause.unpause();
    assertTrue(lifted.isDone());
    assertNull(holds("SET", "k", "v"));
  }
}
