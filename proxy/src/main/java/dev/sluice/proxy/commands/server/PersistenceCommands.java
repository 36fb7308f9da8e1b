package dev.sluice.proxy.commands.server;

import static dev.sluice.proxy.engine.CommandFlag.ADMIN;
import static dev.sluice.proxy.engine.CommandFlag.FAST;
import static dev.sluice.proxy.engine.CommandFlag.LOADING;
import static dev.sluice.proxy.engine.CommandFlag.NOSCRIPT;
import static dev.sluice.proxy.engine.CommandFlag.NO_ASYNC_LOADING;
import static dev.sluice.proxy.engine.CommandFlag.NO_MULTI;
import static dev.sluice.proxy.engine.CommandFlag.STALE;
import static dev.sluice.proxy.engine.CommandSpec.command;

import dev.sluice.proxy.engine.CommandContext;
import dev.sluice.proxy.engine.CommandTable;
import dev.sluice.proxy.engine.Errors;
import dev.sluice.proxy.engine.RedisError;
import dev.sluice.proxy.runtime.Persistence;
import dev.sluice.proxy.runtime.ServerContext;

/** SAVE, BGSAVE and LASTSAVE: the RDB file ({@link Persistence}). */
final class PersistenceCommands {
  private final ServerContext server;

  private PersistenceCommands(ServerContext server) {
    this.server = server;
  }

  static void register(CommandTable t, ServerContext server) {
    PersistenceCommands commands = new PersistenceCommands(server);
    t.register(
        command("save", 1, commands::save)
            .flags(ADMIN, NOSCRIPT, NO_ASYNC_LOADING, NO_MULTI)
            .group("server")
            .doc(
                "Synchronously saves the database(s) to disk.",
                "1.0.0",
                "O(N) where N is the total number of keys in all databases"));
    t.register(
        command("bgsave", -1, commands::bgsave)
            .flags(ADMIN, NOSCRIPT, NO_ASYNC_LOADING)
            .group("server")
            .doc("Asynchronously saves the database(s) to disk.", "1.0.0", "O(1)"));
    t.register(
        command("lastsave", 1, c -> c.reply().integer(server.persistence().lastSave()))
            .flags(LOADING, STALE, FAST)
            .tips("nondeterministic_output")
            .categories("@admin", "@dangerous")
            .group("server")
            .doc(
                "Returns the Unix timestamp of the last successful save to disk.",
                "1.0.0",
                "O(1)"));
  }

  private void save(CommandContext c) {
    if (server.persistence().save()) {
      c.reply().simple("OK");
    } else {
      throw new RedisError("ERR");
    }
  }

  /** BGSAVE [SCHEDULE]: inside MULTI the save starts after EXEC, as Redis schedules it. */
  private void bgsave(CommandContext c) {
    Persistence persistence = server.persistence();
    if (c.argc() > 2 || (c.argc() == 2 && !c.is(1, "schedule"))) {
      throw new RedisError(Errors.SYNTAX);
    }
    if (persistence.bgsaveInProgress()) {
      throw new RedisError("ERR Background save already in progress");
    }
    if (!c.canBlock()) {
      persistence.schedule();
      c.reply().simple("Background saving scheduled");
      return;
    }
    persistence.bgsave();
    c.reply().simple("Background saving started");
  }
}
