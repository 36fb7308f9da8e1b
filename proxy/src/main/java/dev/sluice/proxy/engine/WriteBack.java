package dev.sluice.proxy.engine;

import dev.sluice.proxy.keyspace.Database;
import java.util.concurrent.CompletableFuture;

/**
 * Write-back of mapped keys around one write command (implemented by {@code durable.MappedWrites}):
 * the dispatcher calls {@link #begin} before the handler and {@link #finish} after it, and holds
 * the reply until the future {@code finish} returns completes.
 */
public interface WriteBack {
  /**
   * Checks the writes the command is about to make to mapped keys at {@code keyPositions}.
   *
   * @throws RedisError the refusal the client gets; nothing was journaled or changed
   */
  void begin(int db, MappedWrite write, String command, byte[][] args, int[] keyPositions);

  /**
   * Journals what the command begun last changed (nothing when {@code ran} is false).
   *
   * @return the future of the journal's fsync, or null when nothing was journaled
   */
  CompletableFuture<?> finish(Database db0, boolean ran);
}
