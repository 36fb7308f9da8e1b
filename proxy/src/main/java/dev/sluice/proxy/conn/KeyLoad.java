package dev.sluice.proxy.conn;

import dev.sluice.proxy.engine.CommandContext.LoadRequest;
import dev.sluice.proxy.engine.Errors;
import dev.sluice.proxy.engine.KeyLoader;
import dev.sluice.proxy.keyspace.Database;
import dev.sluice.proxy.keyspace.Entry;
import dev.sluice.proxy.keyspace.Keyspace;
import java.util.concurrent.CompletableFuture;

/**
 * A miss on mapped keys: the keys load off the lock, on the loader's threads, while only this
 * connection waits; then, on its loop and under the lock, the values are stored (a key that
 * appeared meanwhile keeps its value) and the command runs again. That run may suspend once more:
 * another load if memory pressure evicted a key in between, a block, or — for EVAL — the script
 * thread.
 */
final class KeyLoad extends Suspension {
  private final ConnectionParts conn;
  private final byte[][] args;
  private final LoadRequest load;
  private final CompletableFuture<KeyLoader.Result> result;

  KeyLoad(ConnectionParts conn, byte[][] args, LoadRequest load) {
    this(conn, args, load, new CompletableFuture<>());
  }

  private KeyLoad(
      ConnectionParts conn,
      byte[][] args,
      LoadRequest load,
      CompletableFuture<KeyLoader.Result> result) {
    super(Kind.LOAD, result);
    this.conn = conn;
    this.args = args;
    this.load = load;
    this.result = result;
  }

  @Override
  void start() {
    try {
      conn.server().keyLoader().load(load.db(), load.keys(), result::complete);
    } catch (RuntimeException e) {
      result.complete(KeyLoader.Result.failed(Errors.of(e)));
    }
  }

  @Override
  Suspension resume() {
    KeyLoader.Result loaded = result.join();
    if (loaded.error() != null) {
      conn.writer().error(loaded.error());
      return null;
    }
    store(conn.keyspace(), load.db(), loaded);
    if (ScriptRun.runs(conn.context(), args)) {
      return new ScriptRun(conn, args, true);
    }
    conn.executor().executeAfterLoad(conn.context(), args);
    return Suspension.requestedBy(conn, args);
  }

  private static void store(Keyspace keyspace, int db, KeyLoader.Result result) {
    Database database = keyspace.db(db);
    for (KeyLoader.Loaded loaded : result.values()) {
      if (loaded.value() == null || database.get(loaded.key()) != null) {
        continue;
      }
      Entry entry = database.insert(loaded.key(), loaded.value());
      if (loaded.ttlMillis() > 0) {
        database.expireAt(entry, keyspace.now() + loaded.ttlMillis());
      }
    }
  }
}
