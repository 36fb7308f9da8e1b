package dev.sluice.proxy.conn;

import dev.sluice.proxy.engine.Unblockable;
import java.util.concurrent.CompletableFuture;

/**
 * A command CLIENT PAUSE holds, as Redis's BLOCKED_POSTPONE: the connection waits until the pause
 * is lifted, then runs the command again (a script on the script thread), which a newer pause may
 * hold again. Counted among INFO's blocked clients meanwhile, and spared by the idle timeout.
 */
final class Postponed extends Suspension {
  private final ConnectionParts conn;
  private final byte[][] args;
  private boolean waiting = true;

  Postponed(ConnectionParts conn, byte[][] args, CompletableFuture<?> lifted) {
    super(Kind.PAUSED, lifted);
    this.conn = conn;
    this.args = args;
    conn.server().stats().blockedClients.incrementAndGet();
    conn.session().blocked(Unblockable.PAUSED);
  }

  @Override
  Suspension resume() {
    stopWaiting();
    if (ScriptRun.runs(conn.context(), args)) {
      return new ScriptRun(conn, args, false);
    }
    conn.executor().execute(conn.context(), args);
    return Suspension.requestedBy(conn, args);
  }

  @Override
  void cancel() {
    stopWaiting();
  }

  private void stopWaiting() {
    if (waiting) {
      waiting = false;
      conn.session().blocked(null);
      conn.server().stats().blockedClients.decrementAndGet();
    }
  }
}
