package dev.sluice.proxy.commands.sluice;

import static dev.sluice.proxy.engine.CommandFlag.ADMIN;
import static dev.sluice.proxy.engine.CommandFlag.NOSCRIPT;
import static dev.sluice.proxy.engine.CommandSpec.command;
import static dev.sluice.proxy.engine.CommandSpec.container;

import dev.sluice.proxy.commands.Help;
import dev.sluice.proxy.durable.AppendWriteBack;
import dev.sluice.proxy.durable.WriteBackControl;
import dev.sluice.proxy.engine.CommandContext;
import dev.sluice.proxy.engine.CommandTable;
import dev.sluice.proxy.engine.Errors;
import dev.sluice.proxy.engine.MappingAdmin;
import dev.sluice.proxy.engine.RedisError;
import dev.sluice.proxy.resp.Reply;
import dev.sluice.proxy.runtime.ServerContext;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * SLUICE STATUS | INVALIDATE | WARM | INSTALL-TRIGGERS: the operator's handle on the look-aside
 * read path ({@link MappingAdmin}); SLUICE PAUSE | RESUME | THROTTLE | FLUSH: the DBA's flow
 * control of write-back ({@link WriteBackControl}), whose figures SLUICE STATUS adds to the append
 * mappings' entries. PAUSE, RESUME and THROTTLE record the change in sluice.control and FLUSH waits
 * for PostgreSQL, so all four suspend their connection like WARM (no keyspace lock held). WARM and
 * INSTALL-TRIGGERS talk to PostgreSQL, so they suspend only their own connection while they run
 * (see {@link CommandContext#suspendUntil}) and answer when done; they cannot run inside MULTI.
 */
public final class SluiceCommands {
  private final ServerContext server;

  public SluiceCommands(ServerContext server) {
    this.server = server;
  }

  public void register(CommandTable t) {
    t.register(
        container("sluice")
            .group("server")
            .doc("A container for Sluice's PostgreSQL mapping commands.", "7.4.0", "Depends")
            .sub(
                command("status", 2, this::status)
                    .flags(ADMIN, NOSCRIPT)
                    .doc(
                        "Per mapping: keys cached, hits, misses, loads, negative hits, load errors,"
                            + " load latency and circuit breaker state.",
                        "7.4.0",
                        "O(N) where N is the number of keys in database 0."))
            .sub(
                command("invalidate", 3, this::invalidate)
                    .flags(ADMIN, NOSCRIPT)
                    .doc(
                        "Evicts the cached keys of a mapping, or the mapped keys matching a"
                            + " pattern; returns how many.",
                        "7.4.0",
                        "O(N) where N is the number of keys in database 0."))
            .sub(
                command("warm", -3, this::warm)
                    .flags(ADMIN, NOSCRIPT)
                    .doc(
                        "Loads the rows of a row mapping into memory [LIMIT n]; returns how many"
                            + " keys it stored.",
                        "7.4.0",
                        "O(N) where N is the number of rows read."))
            .sub(
                command("install-triggers", 3, this::installTriggers)
                    .flags(ADMIN, NOSCRIPT)
                    .doc(
                        "Installs the triggers whose NOTIFY evicts a mapping's keys changed in"
                            + " PostgreSQL.",
                        "7.4.0",
                        "O(1)"))
            .sub(
                command("pause", -2, this::pause)
                    .flags(ADMIN, NOSCRIPT)
                    .doc(
                        "Stops flushing an append mapping's rows (all when none is named) to"
                            + " PostgreSQL; writes keep being journaled. Recorded in"
                            + " sluice.control.",
                        "7.4.0",
                        "O(1)"))
            .sub(
                command("resume", -2, this::resume)
                    .flags(ADMIN, NOSCRIPT)
                    .doc(
                        "Resumes flushing an append mapping (all when none is named).",
                        "7.4.0",
                        "O(1)"))
            .sub(
                command("throttle", 4, this::throttle)
                    .flags(ADMIN, NOSCRIPT)
                    .doc(
                        "Limits the rows per second flushed for an append mapping, or OFF.",
                        "7.4.0",
                        "O(1)"))
            .sub(
                command("flush", -2, this::flush)
                    .flags(ADMIN, NOSCRIPT)
                    .doc(
                        "Writes an append mapping's journaled rows (all mappings when none is"
                            + " named) to PostgreSQL now, paused or not [TIMEOUT ms]; returns"
                            + " the number of rows.",
                        "7.4.0",
                        "O(N) where N is the number of pending rows."))
            .sub(Help.command("sluice")));
  }

  private MappingAdmin admin(CommandContext c) {
    MappingAdmin admin = server.mappingAdmin();
    if (admin == null) {
      throw new RedisError(
          "ERR SLUICE needs mappings: this server maps no keys to PostgreSQL (add mappings: to"
              + " the configuration, see docs/CONFIGURATION.md)");
    }
    return admin;
  }

  private void status(CommandContext c) {
    Map<String, Map<String, Object>> status = admin(c).status();
    AppendWriteBack appends = server.appends();
    if (appends != null) {
      status = appends.control().statusWith(status);
    }
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

  private void invalidate(CommandContext c) {
    c.reply().integer(admin(c).invalidate(c.text(2)));
  }

  private void warm(CommandContext c) {
    MappingAdmin admin = admin(c);
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
    suspend(c, admin.warm(c.text(2), limit));
  }

  private void installTriggers(CommandContext c) {
    MappingAdmin admin = admin(c);
    suspend(c, admin.installTriggers(c.text(2)));
  }

  private static final long DEFAULT_FLUSH_TIMEOUT_MS = 60_000;

  private WriteBackControl control(CommandContext c) {
    AppendWriteBack appends = server.appends();
    if (appends == null) {
      throw new RedisError(
          "ERR SLUICE "
              + c.text(1).toUpperCase(Locale.ROOT)
              + " needs write-back mappings (write: append, write: back or store: kv); this"
              + " server has none");
    }
    return appends.control();
  }

  /** The mapping named at {@code index}, checked; null when absent (all mappings). */
  private String mapping(CommandContext c, WriteBackControl control, int index) {
    if (c.argc() <= index) {
      return null;
    }
    String name = c.text(index);
    if (!control.knows(name)) {
      throw new RedisError(
          "ERR unknown write-back mapping '"
              + name
              + "'; write-back mappings: "
              + String.join(", ", control.mappings()));
    }
    return name;
  }

  private void pause(CommandContext c) {
    pauseOrResume(c, true);
  }

  private void resume(CommandContext c) {
    pauseOrResume(c, false);
  }

  private void pauseOrResume(CommandContext c, boolean paused) {
    admin(c); // every SLUICE subcommand needs mappings: the same error first
    WriteBackControl control = control(c);
    if (c.argc() > 3) {
      throw new RedisError(
          "ERR syntax error: SLUICE " + c.text(1).toUpperCase(Locale.ROOT) + " [mapping]");
    }
    String mapping = mapping(c, control, 2);
    suspend(c, control.paused(mapping, paused));
  }

  private void throttle(CommandContext c) {
    admin(c); // every SLUICE subcommand needs mappings: the same error first
    WriteBackControl control = control(c);
    String mapping = mapping(c, control, 2);
    int rate;
    if (c.is(3, "off")) {
      rate = 0;
    } else {
      long value;
      try {
        value = Long.parseLong(c.text(3));
      } catch (NumberFormatException e) {
        value = -1;
      }
      if (value <= 0 || value > Integer.MAX_VALUE) {
        throw new RedisError(
            "ERR SLUICE THROTTLE takes a positive number of rows per second or OFF, got "
                + c.text(3));
      }
      rate = (int) value;
    }
    suspend(c, control.throttle(mapping, rate));
  }

  private void flush(CommandContext c) {
    admin(c); // every SLUICE subcommand needs mappings: the same error first
    WriteBackControl control = control(c);
    String mapping = null;
    int i = 2;
    if (c.argc() > 2 && !c.is(2, "timeout")) {
      mapping = mapping(c, control, 2);
      i = 3;
    }
    long timeout = DEFAULT_FLUSH_TIMEOUT_MS;
    if (c.argc() == i + 2 && c.is(i, "timeout")) {
      timeout = c.longArg(i + 1);
      if (timeout <= 0) {
        throw new RedisError("ERR SLUICE FLUSH TIMEOUT must be a positive number of milliseconds");
      }
    } else if (c.argc() != i) {
      throw new RedisError("ERR syntax error: SLUICE FLUSH [mapping] [TIMEOUT ms]");
    }
    suspend(c, control.flush(mapping, Duration.ofMillis(timeout)));
  }

  /** Once the work finished: answers with its outcome. */
  private void answer(Reply reply, String name, Object outcome, Throwable error) {
    if (error != null) {
      reply.error(Errors.of(error));
    } else if (outcome instanceof Long count) {
      reply.integer(count);
    } else if (outcome == Boolean.TRUE) {
      reply.simple("OK");
    } else if (outcome != null) {
      reply.simple("OK " + outcome);
    } else {
      reply.error("ERR the result of " + name + " was lost; run it again");
    }
  }

  private void suspend(CommandContext c, CompletableFuture<?> work) {
    if (!c.canBlock()) {
      work.cancel(false);
      throw new RedisError(
          "ERR "
              + c.spec().fullName().toUpperCase(java.util.Locale.ROOT)
              + " talks to PostgreSQL and cannot run inside MULTI/EXEC");
    }
    String name = c.spec().fullName();
    c.suspendUntil(work, (reply, outcome, error) -> answer(reply, name, outcome, error));
  }
}
