package dev.sluice.proxy.command;

import static dev.sluice.proxy.command.CommandFlag.ADMIN;
import static dev.sluice.proxy.command.CommandFlag.NOSCRIPT;
import static dev.sluice.proxy.command.CommandSpec.command;
import static dev.sluice.proxy.command.CommandSpec.container;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * SLUICE STATUS | INVALIDATE | WARM | INSTALL-TRIGGERS: the operator's handle on the look-aside
 * read path ({@link MappingAdmin}). WARM and INSTALL-TRIGGERS talk to PostgreSQL, so they suspend
 * only their own connection while they run (through the loader contract, see {@link
 * MappingAdmin#park}) and answer when done; they cannot run inside MULTI.
 */
final class SluiceCommands {
  private SluiceCommands() {}

  static void register(CommandTable t) {
    t.register(
        container("sluice")
            .group("server")
            .doc("A container for Sluice's PostgreSQL mapping commands.", "7.4.0", "Depends")
            .sub(
                command("status", 2, SluiceCommands::status)
                    .flags(ADMIN, NOSCRIPT)
                    .doc(
                        "Per mapping: keys cached, hits, misses, loads, negative hits, load errors,"
                            + " load latency and circuit breaker state.",
                        "7.4.0",
                        "O(N) where N is the number of keys in database 0."))
            .sub(
                command("invalidate", 3, SluiceCommands::invalidate)
                    .flags(ADMIN, NOSCRIPT)
                    .doc(
                        "Evicts the cached keys of a mapping, or the mapped keys matching a"
                            + " pattern; returns how many.",
                        "7.4.0",
                        "O(N) where N is the number of keys in database 0."))
            .sub(
                command("warm", -3, SluiceCommands::warm)
                    .flags(ADMIN, NOSCRIPT)
                    .doc(
                        "Loads the rows of a row mapping into memory [LIMIT n]; returns how many"
                            + " keys it stored.",
                        "7.4.0",
                        "O(N) where N is the number of rows read."))
            .sub(
                command("install-triggers", 3, SluiceCommands::installTriggers)
                    .flags(ADMIN, NOSCRIPT)
                    .doc(
                        "Installs the triggers whose NOTIFY evicts a mapping's keys changed in"
                            + " PostgreSQL.",
                        "7.4.0",
                        "O(1)"))
            .sub(Help.command("sluice")));
  }

  private static MappingAdmin admin(CommandContext c) {
    MappingAdmin admin = c.server().mappingAdmin();
    if (admin == null) {
      throw new RedisError(
          "ERR SLUICE needs mappings: this server maps no keys to PostgreSQL (add mappings: to"
              + " the configuration, see docs/CONFIGURATION.md)");
    }
    return admin;
  }

  private static void status(CommandContext c) {
    Map<String, Map<String, Object>> status = admin(c).status();
    c.reply().map(status.size());
    for (Map.Entry<String, Map<String, Object>> mapping : status.entrySet()) {
      c.reply().bulk(mapping.getKey());
      c.reply().map(mapping.getValue().size());
      for (Map.Entry<String, Object> field : mapping.getValue().entrySet()) {
        c.reply().bulk(field.getKey());
        if (field.getValue() instanceof Number n && !(field.getValue() instanceof Double)) {
          c.reply().integer(n.longValue());
        } else {
          c.reply().bulk(String.valueOf(field.getValue()));
        }
      }
    }
  }

  private static void invalidate(CommandContext c) {
    c.reply().integer(admin(c).invalidate(c.text(2)));
  }

  private static void warm(CommandContext c) {
    MappingAdmin admin = admin(c);
    if (finishing(c, admin)) {
      return;
    }
    long limit = 0;
    if (c.argc() == 5 && c.is(3, "limit")) {
      limit = c.longArg(4);
      if (limit <= 0) {
        throw new RedisError(
            "ERR SLUICE WARM LIMIT must be a positive number of rows, got " + c.text(4));
      }
    } else if (c.argc() != 3) {
      throw new RedisError("ERR syntax error: SLUICE WARM <mapping> [LIMIT <rows>]");
    }
    suspend(c, admin, admin.warm(c.text(2), limit));
  }

  private static void installTriggers(CommandContext c) {
    MappingAdmin admin = admin(c);
    if (finishing(c, admin)) {
      return;
    }
    suspend(c, admin, admin.installTriggers(c.text(2)));
  }

  /** The second run, after the work finished: answers with its outcome. */
  private static boolean finishing(CommandContext c, MappingAdmin admin) {
    if (c.loadingAllowed()) {
      return false;
    }
    Object outcome = admin.collect(c.session());
    if (outcome instanceof Long count) {
      c.reply().integer(count);
    } else if (outcome != null) {
      c.reply().simple("OK " + outcome);
    } else {
      c.reply().error("ERR the result of " + c.spec().fullName() + " was lost; run it again");
    }
    return true;
  }

  private static void suspend(CommandContext c, MappingAdmin admin, CompletableFuture<?> work) {
    if (!c.canBlock()) {
      work.cancel(false);
      throw new RedisError(
          "ERR "
              + c.spec().fullName().toUpperCase(java.util.Locale.ROOT)
              + " talks to PostgreSQL and cannot run inside MULTI/EXEC");
    }
    c.requestLoad(List.of(admin.park(c.session(), work)));
  }
}
