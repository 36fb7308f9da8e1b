package dev.sluice.proxy.engine;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Server-wide counters for INFO stats, updated from every I/O thread; those that commands bump,
 * under the keyspace lock, are {@link LockedCounter}s.
 */
public final class ServerStats {
  public final LockedCounter commandsProcessed = new LockedCounter();
  public final LongAdder connectionsReceived = new LongAdder();
  public final LongAdder rejectedConnections = new LongAdder();
  public final LongAdder errorReplies = new LongAdder();

  /** Failed logins (AUTH, HELLO AUTH, HTTP bearer tokens): INFO's acl_access_denied_auth. */
  public final LongAdder aclDeniedAuth = new LongAdder();

  /** Commands refused with NOPERM: INFO's acl_access_denied_cmd. */
  public final LongAdder aclDeniedCommands = new LongAdder();

  /**
   * Changes to the data, counted as Redis's server.dirty counts them (per element added, field set,
   * key deleted...): INFO's rdb_changes_since_last_save. Sluice saves no RDB, so it only grows; not
   * reset by CONFIG RESETSTAT, as in Redis.
   */
  public final LockedCounter dirty = new LockedCounter();

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
