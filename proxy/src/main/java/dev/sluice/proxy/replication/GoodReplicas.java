package dev.sluice.proxy.replication;

import dev.sluice.proxy.keyspace.Clock;
import java.util.List;

/**
 * min-replicas-to-write and min-replicas-max-lag (Redis's refreshGoodSlavesCount and
 * checkGoodReplicasStatus): a replica is good when its last ACK is at most max-lag seconds old;
 * with both parameters set, writes need at least min-replicas-to-write good replicas. Counted when
 * asked, not once a second as Redis's cron does, so a replica's lag is never a second stale.
 */
public final class GoodReplicas {
  private volatile int minReplicas;
  private volatile int maxLagSeconds = 10;

  public void minReplicas(int count) {
    this.minReplicas = count;
  }

  public void maxLagSeconds(int seconds) {
    this.maxLagSeconds = seconds;
  }

  /** Whether INFO shows min_slaves_good_slaves: both parameters are set. */
  public boolean active() {
    return minReplicas > 0 && maxLagSeconds > 0;
  }

  /** Replicas whose lag, in whole seconds as Redis's unixtime counts it, is within max-lag. */
  int count(List<Primary.Replica> replicas, long nowMillis) {
    int good = 0;
    for (Primary.Replica replica : replicas) {
      if (nowMillis / 1000 - replica.ackMillis / 1000 <= maxLagSeconds) {
        good++;
      }
    }
    return good;
  }

  boolean enough(List<Primary.Replica> replicas, Clock clock) {
    return !active() || count(replicas, clock.millis()) >= minReplicas;
  }
}
