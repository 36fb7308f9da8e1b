package dev.sluice.proxy.commands.replication;

import static dev.sluice.proxy.engine.CommandFlag.ADMIN;
import static dev.sluice.proxy.engine.CommandFlag.NOSCRIPT;
import static dev.sluice.proxy.engine.CommandFlag.STALE;
import static dev.sluice.proxy.engine.CommandSpec.command;

import dev.sluice.proxy.engine.CommandContext;
import dev.sluice.proxy.engine.CommandTable;
import dev.sluice.proxy.engine.Errors;
import dev.sluice.proxy.engine.RedisError;
import dev.sluice.proxy.replication.Primary;
import dev.sluice.proxy.runtime.PlannedFailover;
import dev.sluice.proxy.runtime.ServerContext;

/**
 * FAILOVER [TO host port [FORCE]] [ABORT] [TIMEOUT ms]: Redis's failoverCommand, its checks in
 * Redis's order and words; {@link PlannedFailover} does the switchover.
 */
public final class FailoverCommand {
  private final ServerContext server;

  public FailoverCommand(ServerContext server) {
    this.server = server;
  }

  public void register(CommandTable t) {
    t.register(
        command("failover", -1, this::failover)
            .flags(ADMIN, NOSCRIPT, STALE)
            .group("server")
            .doc(
                "Start a coordinated failover between this server and one of its replicas.",
                "6.2.0",
                "O(1)"));
  }

  private void failover(CommandContext c) {
    PlannedFailover failover = server.failover();
    if (c.argc() == 2 && c.is(1, "abort")) {
      if (failover.state() == PlannedFailover.State.NONE) {
        throw new RedisError("ERR No failover in progress.");
      }
      failover.abort("Failover manually aborted");
      c.reply().simple("OK");
      return;
    }
    long timeout = 0;
    boolean force = false;
    String host = null;
    long port = 0;
    for (int i = 1; i < c.argc(); i++) {
      if (c.is(i, "timeout") && i + 1 < c.argc() && timeout == 0) {
        timeout = c.longArg(i + 1);
        if (timeout <= 0) {
          throw new RedisError("ERR FAILOVER timeout must be greater than 0");
        }
        i++;
      } else if (c.is(i, "to") && i + 2 < c.argc() && host == null) {
        port = c.longArg(i + 2);
        host = c.text(i + 1);
        i += 2;
      } else if (c.is(i, "force") && !force) {
        force = true;
      } else {
        throw new RedisError(Errors.SYNTAX);
      }
    }
    if (failover.state() != PlannedFailover.State.NONE) {
      throw new RedisError("ERR FAILOVER already in progress.");
    }
    if (server.replication().link() != null) {
      throw new RedisError("ERR FAILOVER is not valid when server is a replica.");
    }
    Primary primary = server.primary();
    if (primary.replicas().isEmpty()) {
      throw new RedisError("ERR FAILOVER requires connected replicas.");
    }
    if (force && (timeout == 0 || host == null)) {
      throw new RedisError(
          "ERR FAILOVER with force option requires both a timeout and target HOST and IP.");
    }
    if (host != null && !isReplica(primary, host, port)) {
      throw new RedisError("ERR FAILOVER target HOST and PORT is not a replica.");
    }
    failover.start(host, (int) port, timeout, force, System.currentTimeMillis());
    c.reply().simple("OK");
  }

  private static boolean isReplica(Primary primary, String host, long port) {
    for (Primary.Replica replica : primary.replicas()) {
      if (replica.host().equalsIgnoreCase(host) && replica.listeningPort() == port) {
        return true;
      }
    }
    return false;
  }
}
