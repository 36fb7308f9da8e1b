package dev.sluice.proxy.commands.replication;

import static dev.sluice.proxy.engine.CommandFlag.BLOCKING;
import static dev.sluice.proxy.engine.CommandFlag.NOSCRIPT;
import static dev.sluice.proxy.engine.CommandSpec.command;

import dev.sluice.proxy.commands.Timeouts;
import dev.sluice.proxy.engine.CommandContext;
import dev.sluice.proxy.engine.CommandTable;
import dev.sluice.proxy.engine.RedisError;
import dev.sluice.proxy.replication.AckWaits;
import dev.sluice.proxy.replication.Primary;
import dev.sluice.proxy.runtime.ServerContext;

/**
 * WAIT and WAITAOF (replication.c): the client's connection waits, without holding the event loop,
 * until enough replicas acknowledged the stream up to its last command ({@link
 * dev.sluice.proxy.engine.Session#writeOffset}), or until its timeout on the server's clock. Sluice
 * keeps no append-only file, so WAITAOF counts only replicas (their FACK offsets).
 */
public final class WaitCommands {
  private final ServerContext server;

  public WaitCommands(ServerContext server) {
    this.server = server;
  }

  public void register(CommandTable t) {
    t.register(
        command("wait", 3, this::waitForReplicas)
            .flags(NOSCRIPT)
            .categoriesInsteadOfFamily("@connection")
            .tips("request_policy:all_shards", "response_policy:agg_min")
            .group("generic")
            .doc(
                "Wait for the synchronous replication of all the write commands sent in the"
                    + " context of the current connection",
                "3.0.0",
                "O(1)"));
    // Redis 7.2's: its COMMAND INFO and DOCS are 7.4.0's src/commands/waitaof.json
    t.register(
        command("waitaof", 4, this::waitForAof)
            .flags(BLOCKING)
            .categoriesInsteadOfFamily("@connection")
            .tips("request_policy:all_shards", "response_policy:agg_min")
            .group("generic")
            .doc(
                "Blocks until all of the preceding write commands sent by the connection are"
                    + " written to the append-only file of the master and/or replicas.",
                "7.2.0",
                "O(1)"));
  }

  /** WAIT numreplicas timeout: the replicas that acknowledged this client's last write. */
  private void waitForReplicas(CommandContext c) {
    if (server.replication().link() != null) {
      throw new RedisError(
          "ERR WAIT cannot be used with replica instances. Please also note that since Redis 4.0 if"
              + " a replica is configured to be writable (which is not the default) writes to"
              + " replicas are just local and are not propagated.");
    }
    long numReplicas = c.longArg(1);
    long timeout = Timeouts.millis(c, 2);
    Primary primary = server.primary();
    long offset = c.session().writeOffset();
    int acknowledged = primary.acknowledgedBy(offset, false);
    // inside MULTI (or EXEC) WAIT answers at once, as Redis's CLIENT_DENY_BLOCKING
    if (acknowledged >= numReplicas || !c.canBlock()) {
      c.reply().integer(acknowledged);
      return;
    }
    suspend(
        c, primary.waits().start(c.session(), offset, numReplicas, false, deadline(c, timeout)));
  }

  /**
   * WAITAOF numlocal numreplicas timeout (7.4): the local and replica append-only files that hold
   * this client's last write. Sluice has none of its own, so numlocal must be 0.
   */
  private void waitForAof(CommandContext c) {
    long numLocal = c.longArg(1);
    if (numLocal < 0 || numLocal > 1) {
      throw new RedisError("ERR value is out of range, value must between 0 and 1");
    }
    long numReplicas = c.longArg(2);
    if (numReplicas < 0) {
      throw new RedisError("ERR value is out of range, must be positive");
    }
    long timeout = Timeouts.millis(c, 3);
    if (server.replication().link() != null) {
      throw new RedisError(
          "ERR WAITAOF cannot be used with replica instances. Please also note that writes to"
              + " replicas are just local and are not propagated.");
    }
    if (numLocal > 0) {
      throw new RedisError(
          "ERR WAITAOF cannot be used when numlocal is set but appendonly is disabled.");
    }
    Primary primary = server.primary();
    long offset = c.session().writeOffset();
    int acknowledged = primary.acknowledgedBy(offset, true);
    if (acknowledged >= numReplicas || !c.canBlock()) {
      c.reply().array(2);
      c.reply().integer(0);
      c.reply().integer(acknowledged);
      return;
    }
    suspend(c, primary.waits().start(c.session(), offset, numReplicas, true, deadline(c, timeout)));
  }

  private static long deadline(CommandContext c, long timeoutMillis) {
    return timeoutMillis == 0 ? 0 : c.now() + timeoutMillis;
  }

  /** The connection waits for the answer: a count, the two counts of WAITAOF, or an error. */
  private void suspend(CommandContext c, AckWaits.Wait wait) {
    c.suspendUntil(
        wait.answered(),
        (reply, value, error) -> {
          if (error != null) {
            server.engine().stats().errorReplies.increment();
            reply.error(error.getMessage()); // CLIENT UNBLOCK … ERROR
          } else if (value instanceof long[] counts) {
            reply.array(2);
            reply.integer(counts[0]);
            reply.integer(counts[1]);
          } else {
            reply.integer((Long) value);
          }
        });
  }
}
