package dev.sluice.proxy.command;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/** Server-wide counters for INFO stats, updated from every I/O thread. */
public final class ServerStats {
  public final LongAdder commandsProcessed = new LongAdder();
  public final LongAdder connectionsReceived = new LongAdder();
  public final LongAdder rejectedConnections = new LongAdder();
  public final LongAdder errorReplies = new LongAdder();

  /** Failed logins (AUTH, HELLO AUTH, HTTP bearer tokens): INFO's acl_access_denied_auth. */
  public final LongAdder aclDeniedAuth = new LongAdder();

  /** Commands refused with NOPERM: INFO's acl_access_denied_cmd. */
  public final LongAdder aclDeniedCommands = new LongAdder();

  /** Clients waiting in a blocking command (a gauge, not reset by CONFIG RESETSTAT). */
  public final AtomicInteger blockedClients = new AtomicInteger();

  public void reset() {
    commandsProcessed.reset();
    connectionsReceived.reset();
    rejectedConnections.reset();
    errorReplies.reset();
    aclDeniedAuth.reset();
    aclDeniedCommands.reset();
  }
}
