package dev.sluice.proxy.commands.tx;

import static dev.sluice.proxy.engine.CommandFlag.ALLOW_BUSY;
import static dev.sluice.proxy.engine.CommandFlag.FAST;
import static dev.sluice.proxy.engine.CommandFlag.LOADING;
import static dev.sluice.proxy.engine.CommandFlag.NOSCRIPT;
import static dev.sluice.proxy.engine.CommandFlag.SKIP_SLOWLOG;
import static dev.sluice.proxy.engine.CommandFlag.STALE;
import static dev.sluice.proxy.engine.CommandSpec.command;

import dev.sluice.proxy.engine.CommandContext;
import dev.sluice.proxy.engine.CommandTable;
import dev.sluice.proxy.engine.CommandTrait;
import dev.sluice.proxy.engine.KeySpec;
import dev.sluice.proxy.engine.MappedWrite;
import dev.sluice.proxy.engine.RedisError;
import dev.sluice.proxy.tx.Transaction;
import java.util.List;

/** MULTI, EXEC, DISCARD, WATCH, UNWATCH. */
public final class TransactionCommands {
  private TransactionCommands() {}

  public static void register(CommandTable t) {
    t.register(
        command("multi", 1, TransactionCommands::multi)
            .flags(NOSCRIPT, LOADING, STALE, FAST, ALLOW_BUSY)
            .traits(CommandTrait.NOT_QUEUED)
            .group("transactions")
            .doc("Starts a transaction.", "1.2.0", "O(1)"));
    t.register(
        command("exec", 1, TransactionCommands::exec)
            .flags(NOSCRIPT, LOADING, STALE, SKIP_SLOWLOG)
            .traits(
                CommandTrait.NOT_QUEUED,
                CommandTrait.KEPT_ON_OOM_IN_MULTI,
                CommandTrait.RUNS_QUEUED)
            .mappedWrite(MappedWrite.NESTED)
            .group("transactions")
            .doc("Executes all commands in a transaction.", "1.2.0", "Depends on commands"));
    t.register(
        command("discard", 1, TransactionCommands::discard)
            .flags(NOSCRIPT, LOADING, STALE, FAST, ALLOW_BUSY)
            .traits(CommandTrait.NOT_QUEUED, CommandTrait.KEPT_ON_OOM_IN_MULTI)
            .group("transactions")
            .doc("Discards a transaction.", "2.0.0", "O(N)"));
    t.register(
        command("watch", -2, TransactionCommands::watch)
            .flags(NOSCRIPT, LOADING, STALE, FAST, ALLOW_BUSY)
            .traits(CommandTrait.NOT_QUEUED)
            .keys(KeySpec.range(1, -1, 1, "RO"))
            .group("transactions")
            .doc(
                "Monitors changes to keys to determine the execution of a transaction.",
                "2.2.0",
                "O(1) for every key."));
    t.register(
        command("unwatch", 1, TransactionCommands::unwatch)
            .flags(NOSCRIPT, LOADING, STALE, FAST, ALLOW_BUSY)
            .group("transactions")
            .doc("Forgets about watched keys of a transaction.", "2.2.0", "O(1)"));
  }

  private static void multi(CommandContext c) {
    Transaction transaction = c.session().transaction();
    if (transaction.inMulti()) {
      throw new RedisError("ERR MULTI calls can not be nested");
    }
    transaction.begin();
    c.reply().simple("OK");
  }

  private static void exec(CommandContext c) {
    Transaction transaction = c.session().transaction();
    if (!transaction.inMulti()) {
      throw new RedisError("ERR EXEC without MULTI");
    }
    boolean aborted = transaction.aborted();
    boolean dirty = transaction.dirty(c.keyspace());
    List<byte[][]> queued = transaction.end();
    transaction.unwatchAll(c.keyspace());
    if (aborted) {
      throw new RedisError("EXECABORT Transaction discarded because of previous errors.");
    }
    if (dirty) {
      c.reply().nilArray();
      return;
    }
    c.reply().array(queued.size());
    for (byte[][] args : queued) {
      c.runNested(args);
    }
  }

  private static void discard(CommandContext c) {
    Transaction transaction = c.session().transaction();
    if (!transaction.inMulti()) {
      throw new RedisError("ERR DISCARD without MULTI");
    }
    transaction.end();
    transaction.unwatchAll(c.keyspace());
    c.reply().simple("OK");
  }

  private static void watch(CommandContext c) {
    Transaction transaction = c.session().transaction();
    if (transaction.inMulti()) {
      throw new RedisError("ERR WATCH inside MULTI is not allowed");
    }
    for (int i = 1; i < c.argc(); i++) {
      transaction.watch(c.keyspace(), c.session().db(), c.arg(i));
    }
    c.reply().simple("OK");
  }

  private static void unwatch(CommandContext c) {
    c.session().transaction().unwatchAll(c.keyspace());
    c.reply().simple("OK");
  }
}
