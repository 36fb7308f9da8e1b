package dev.sluice.proxy.engine;

import java.util.List;
import java.util.function.Consumer;

/**
 * Fills memory on a miss of a mapped key (look-aside). The executor asks {@link #needsLoad} for
 * each key a command names (every key its key specs find); if any is missing from memory the
 * connection suspends, {@link #load} fetches the keys off the keyspace lock, the values are stored,
 * and the command runs again — so a miss blocks only its own connection.
 */
public interface KeyLoader {
  /**
   * Whether a key that is not in memory must be loaded before a command may use it: it belongs to a
   * read-through mapping and is not known to be absent. Called under the lock; must be cheap.
   */
  boolean needsLoad(int db, byte[] key);

  /**
   * Whether the key is kept whole in PostgreSQL ({@code store: kv}): the copy there is the key
   * itself, not a cache of a row, so a command that evicts cached keys without loading them (DEL)
   * loads it. Called under the lock; must be cheap.
   */
  default boolean keptWhole(int db, byte[] key) {
    return false;
  }

  /**
   * Loads keys asynchronously and calls {@code done} exactly once, from any thread. Must not block
   * the caller, which holds the keyspace lock.
   */
  void load(int db, List<byte[]> keys, Consumer<Result> done);

  /** One loaded key: its value (null when the row does not exist) and TTL in ms (0: none). */
  record Loaded(byte[] key, Object value, long ttlMillis) {}

  /** The outcome of a load: the values, or an error reply for the client ("ERR …"). */
  record Result(List<Loaded> values, String error) {
    public static Result failed(String error) {
      return new Result(List.of(), error);
    }
  }

  KeyLoader NONE =
      new KeyLoader() {
        @Override
        public boolean needsLoad(int db, byte[] key) {
          return false;
        }

        @Override
        public void load(int db, List<byte[]> keys, Consumer<Result> done) {
          done.accept(new Result(List.of(), null));
        }
      };
}
