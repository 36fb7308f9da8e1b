package dev.sluice.proxy.engine;

import java.util.ArrayList;
import java.util.List;

/** What look-aside must load before a command runs. */
final class MissingKeys {
  private MissingKeys() {}

  /**
   * The keys of a command that belong to a read-through mapping and are not in memory: every key
   * its key specs find, unless its spec says this invocation loads none (DEL, SET … EX). EXEC looks
   * at every queued command, so the transaction then runs without a miss.
   */
  static List<byte[]> of(Engine engine, Session session, CommandSpec spec, byte[][] args) {
    KeyLoader loader = engine.keyLoader();
    if (loader == KeyLoader.NONE) {
      return List.of();
    }
    List<byte[]> missing = new ArrayList<>();
    if (spec.has(CommandTrait.RUNS_QUEUED) && session.transaction().inMulti()) {
      for (byte[][] queued : session.transaction().queued()) {
        CommandSpec queuedSpec = engine.commands().resolve(queued);
        if (queuedSpec != null) {
          add(engine, loader, session.db(), queuedSpec, queued, missing);
        }
      }
    } else {
      add(engine, loader, session.db(), spec, args, missing);
    }
    return missing;
  }

  private static void add(
      Engine engine,
      KeyLoader loader,
      int db,
      CommandSpec spec,
      byte[][] args,
      List<byte[]> missing) {
    if (!spec.loadsKey(args, false) && !spec.loadsKey(args, true)) {
      return;
    }
    FoundKeys keys = spec.keys(args);
    for (int i = 0; i < keys.count(); i++) {
      byte[] key = args[keys.position(i)];
      if (spec.loadsKey(args, loader.keptWhole(db, key))
          && loader.needsLoad(db, key)
          && engine.keyspace().db(db).get(key) == null) {
        missing.add(key);
      }
    }
  }
}
