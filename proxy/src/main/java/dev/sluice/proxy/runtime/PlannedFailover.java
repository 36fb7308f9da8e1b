package dev.sluice.proxy.runtime;

import dev.sluice.proxy.replication.Primary;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * FAILOVER: a switchover from this primary to one of its replicas that loses no write (Redis's
 * failoverCommand and updateFailoverStatus).
 *
 * <pre>
 *   NONE ──FAILOVER──▶ WAITING (writes held) ──a replica acknowledged the whole stream──▶ IN_PROGRESS
 *     ▲                   │ timeout (FORCE: go on anyway) or ABORT                          │
 *     └───────────────────┴────────── PSYNC … FAILOVER answered (or refused: abort) ◀───────┘
 * </pre>
 *
 * While WAITING, commands that may be replicated wait (a pause of FAILOVER's own, which CLIENT
 * UNPAUSE does not end), so the stream stops growing and a replica can catch up. Then this node
 * becomes the replica of that one and asks it, with {@code PSYNC <id> <offset> FAILOVER}, to become
 * the primary and continue this node's history; the held writes then run and are refused with
 * READONLY, as Redis's. Checked by the cron under the keyspace lock.
 */
public final class PlannedFailover {
  private static final Logger log = LoggerFactory.getLogger(PlannedFailover.class);

  /** Redis's failover_state, as INFO's master_failover_state names it. */
  public enum State {
    NONE("no-failover"),
    WAITING("waiting-for-sync"),
    IN_PROGRESS("failover-in-progress");

    private final String infoName;

    State(String infoName) {
      this.infoName = infoName;
    }

    public String infoName() {
      return infoName;
    }
  }

  private final ServerContext server;
  private volatile State state = State.NONE;
  private String targetHost;
  private int targetPort;
  private long endMillis; // 0: no timeout
  private boolean force;

  PlannedFailover(ServerContext server) {
    this.server = server;
  }

  public State state() {
    return state;
  }

  /**
   * FAILOVER's checks passed: writes are held from now on. {@code host} null: the first replica
   * that catches up.
   */
  public void start(String host, int port, long timeoutMillis, boolean force, long nowMillis) {
    targetHost = host;
    targetPort = port;
    endMillis = timeoutMillis > 0 ? nowMillis + timeoutMillis : 0;
    this.force = force;
    state = State.WAITING;
    server.engine().clientPause().holdWritesForFailover(true);
    log.info("FAILOVER requested to {}", host == null ? "any replica" : host + ":" + port);
  }

  /** FAILOVER ABORT, a timeout, or a refusal by the target. */
  public void abort(String why) {
    if (state == State.NONE) {
      return;
    }
    log.info("FAILOVER aborted: {}", why);
    if (state == State.IN_PROGRESS) {
      server.replication().becomePrimary();
    }
    clear();
  }

  private void clear() {
    state = State.NONE;
    targetHost = null;
    server.engine().clientPause().holdWritesForFailover(false);
  }

  /** The target answered the PSYNC that asked it to take over: it did, or it refused. */
  public void targetAnswered(boolean tookOver) {
    if (state != State.IN_PROGRESS) {
      return;
    }
    if (tookOver) {
      log.info("FAILOVER to {}:{} done", targetHost, targetPort);
      clear();
    } else {
      abort("Failover target rejected psync request");
    }
  }

  /** Every cron run, under the keyspace lock: a timeout, or a replica that caught up. */
  void check(long nowMillis) {
    if (state != State.WAITING) {
      return;
    }
    if (endMillis != 0 && endMillis <= nowMillis) {
      if (force) {
        log.info("FAILOVER to {}:{}: timeout exceeded, failing over", targetHost, targetPort);
        takeOver();
      } else {
        abort("Replica never caught up before timeout");
      }
      return;
    }
    Primary primary = server.primary();
    for (Primary.Replica replica : primary.replicas()) {
      boolean target =
          targetHost == null
              || (replica.host().equalsIgnoreCase(targetHost)
                  && replica.listeningPort() == targetPort);
      if (target && replica.ackOffset() == primary.offset()) {
        targetHost = replica.host();
        targetPort = replica.listeningPort();
        log.info("Failover target {}:{} is synced, failing over", targetHost, targetPort);
        takeOver();
        return;
      }
    }
  }

  private void takeOver() {
    state = State.IN_PROGRESS;
    server.replication().replicaOf(targetHost, targetPort, true);
  }
}
