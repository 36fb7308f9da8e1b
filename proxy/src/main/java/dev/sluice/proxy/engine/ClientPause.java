package dev.sluice.proxy.engine;

import dev.sluice.proxy.keyspace.Clock;
import dev.sluice.proxy.tx.Transaction;
import java.util.concurrent.CompletableFuture;

/**
 * CLIENT PAUSE as Redis 7 keeps it: until a deadline, commands of every client wait (ALL), or only
 * those that may change the data or be replicated (WRITE: write commands, EVAL/EVALSHA, PUBLISH,
 * SPUBLISH, PFCOUNT, and an EXEC that queued one). A waiting command is postponed, not refused: its
 * connection suspends on {@link #lifted} and runs it again once the pause ends, when it may be
 * paused again by a newer pause.
 *
 * <p>As in Redis, a second pause keeps the later deadline and the more restrictive mode (ALL over
 * WRITE), and a pause with a deadline already past (CLIENT PAUSE 0) pauses nothing. The pause ends
 * at CLIENT UNPAUSE or when the server cron sees its deadline pass, and is checked against the
 * clock at every command too. While paused, the cron expires no key, as Redis's active expiry does
 * not run during a pause.
 */
public final class ClientPause {
  private final Clock clock;
  // 0: not paused. Volatile so that the check before every command reads it without the lock.
  private volatile long endMillis;
  private boolean all;
  // FAILOVER holds writes until it ends, whatever CLIENT PAUSE and UNPAUSE do (Redis's
  // PAUSE_DURING_FAILOVER, a pause of its own purpose)
  private boolean failoverHold;
  private CompletableFuture<Void> lifted = CompletableFuture.completedFuture(null);

  public ClientPause(Clock clock) {
    this.clock = clock;
  }

  /** CLIENT PAUSE: pauses until {@code endMillis} (epoch ms) all commands or only writes. */
  public synchronized void pause(long endMillis, boolean allCommands) {
    if (endMillis <= clock.millis()) {
      return;
    }
    all = allCommands || (paused() && all);
    this.endMillis = Math.max(this.endMillis, endMillis);
    if (lifted.isDone()) {
      lifted = new CompletableFuture<>();
    }
  }

  /** CLIENT UNPAUSE: the postponed commands run again. */
  public synchronized void unpause() {
    endMillis = 0;
    all = false;
    if (!failoverHold) {
      lifted.complete(null);
    }
  }

  /** FAILOVER: holds commands that may be replicated from now until it is released. */
  public synchronized void holdWritesForFailover(boolean hold) {
    failoverHold = hold;
    if (hold && lifted.isDone()) {
      lifted = new CompletableFuture<>();
    } else if (!hold && endMillis == 0) {
      lifted.complete(null);
    }
  }

  /** Whether a pause is in effect (the server cron then skips active expiry). */
  public synchronized boolean paused() {
    if (endMillis != 0 && clock.millis() >= endMillis) {
      unpause();
    }
    return endMillis != 0 || failoverHold;
  }

  /**
   * The future a command must wait for before it may run, or null when the pause (if any) lets it
   * run. {@code transaction} is the client's, for an EXEC: paused in WRITE mode when it queued a
   * command that may be replicated.
   */
  CompletableFuture<?> holds(CommandSpec spec, Transaction transaction, CommandTable table) {
    return endMillis == 0 && !failoverHold ? null : holdsWhilePaused(spec, transaction, table);
  }

  private synchronized CompletableFuture<?> holdsWhilePaused(
      CommandSpec spec, Transaction transaction, CommandTable table) {
    if (!paused()) {
      return null;
    }
    if (all || mayReplicate(spec)) {
      return lifted;
    }
    if (spec.has(CommandTrait.RUNS_QUEUED) && transaction.inMulti()) {
      for (byte[][] queued : transaction.queued()) {
        CommandSpec queuedSpec = table.resolve(queued);
        if (queuedSpec != null && mayReplicate(queuedSpec)) {
          return lifted;
        }
      }
    }
    return null;
  }

  private static boolean mayReplicate(CommandSpec spec) {
    return spec.isWrite() || spec.has(CommandTrait.MAY_REPLICATE);
  }
}
