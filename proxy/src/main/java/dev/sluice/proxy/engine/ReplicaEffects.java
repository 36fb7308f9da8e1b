package dev.sluice.proxy.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * What the running command asks replicas to run, when that is not the command as the client sent
 * it: other commands (Redis's command rewrites and alsoPropagate: SPOP as SREM, XADD * with the ID
 * it made), or the command itself although it changed no data (PUBLISH). The executor takes both
 * after the handler (see {@link Propagation}).
 */
public final class ReplicaEffects {
  private List<byte[][]> instead;
  private boolean forced;

  /** Replicas are to run {@code commands} instead of this command. */
  public void replicateAs(byte[][]... commands) {
    if (instead == null) {
      instead = new ArrayList<>(commands.length);
    }
    instead.addAll(List.of(commands));
  }

  /** Replicas run this command even though it changed no data. */
  public void force() {
    forced = true;
  }

  /** Takes the replacement commands, or null. */
  List<byte[][]> takeInstead() {
    List<byte[][]> taken = instead;
    instead = null;
    return taken;
  }

  boolean takeForced() {
    boolean taken = forced;
    forced = false;
    return taken;
  }
}
