package dev.sluice.proxy.runtime;

import dev.sluice.proxy.engine.Session;
import dev.sluice.proxy.keyspace.Keyspace;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Background work Redis does in serverCron: the active expire cycle {@code hz} times a second
 * (using at most a quarter of each period, as Redis does; one that took latency-monitor-threshold
 * is LATENCY's "expire-cycle" event) and, once a second, closing clients idle longer than {@code
 * timeout}; and the save points of the RDB file ({@link Persistence#cron}).
 */
public final class ServerCron implements Runnable {
  private final ServerContext server;
  private final ScheduledExecutorService scheduler;
  private long lastTimeoutCheck;

  /** Redis's repl-ping-replica-period: replicas drop a link silent for repl-timeout (60 s). */
  private static final long REPL_PING_REPLICA_PERIOD_MILLIS = 10_000;

  private long lastReplicaPing = System.currentTimeMillis();

  public ServerCron(ServerContext server, ScheduledExecutorService scheduler) {
    this.server = server;
    this.scheduler = scheduler;
    server.replication().journal().shipOn(scheduler);
  }

  public void start() {
    scheduler.schedule(this, periodMillis(), TimeUnit.MILLISECONDS);
  }

  private long periodMillis() {
    return Math.max(1, 1000 / server.hz());
  }

  @Override
  public void run() {
    try {
      runOnce();
    } finally {
      if (!scheduler.isShutdown()) {
        scheduler.schedule(this, periodMillis(), TimeUnit.MILLISECONDS);
      }
    }
  }

  void runOnce() {
    Keyspace keyspace = server.keyspace();
    ReentrantLock lock = keyspace.lock();
    lock.lock();
    try {
      // as Redis: no key expires while clients are paused (CLIENT PAUSE also ends here on time)
      if (!server.engine().clientPause().paused()) {
        long started = keyspace.clock().nanoTime();
        keyspace.activeExpireCycle(TimeUnit.MILLISECONDS.toNanos(periodMillis()) / 4);
        long millis = (keyspace.clock().nanoTime() - started) / 1_000_000;
        server
            .engine()
            .latencyMonitor()
            .addSampleIfNeeded("expire-cycle", millis, keyspace.clock());
      }
      server.persistence().cron();
      server.failover().check(System.currentTimeMillis());
      server.primary().waits().expire(keyspace.clock().millis());
    } finally {
      lock.unlock();
    }
    long now = System.currentTimeMillis();
    if (now - lastTimeoutCheck >= 1000) {
      lastTimeoutCheck = now;
      closeIdleClients(now);
      server.replication().cron();
    }
    if (now - lastReplicaPing >= REPL_PING_REPLICA_PERIOD_MILLIS) {
      lastReplicaPing = now;
      lock.lock();
      try {
        server.primary().ping();
      } finally {
        lock.unlock();
      }
    }
  }

  private void closeIdleClients(long now) {
    int timeout = server.timeoutSeconds();
    if (timeout == 0) {
      return;
    }
    for (Session session : server.clients().all()) {
      // as Redis: clients waiting in a blocking command or subscribed are not idle, and the
      // link to this replica's primary is never closed for idleness (Redis's master client)
      if (session.blocked() || session.subscriptions().total() > 0 || session.primaryLink()) {
        continue;
      }
      if (now - session.lastInteractionMillis() > timeout * 1000L) {
        session.connection().close();
      }
    }
  }
}
