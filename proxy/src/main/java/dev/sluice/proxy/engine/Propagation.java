package dev.sluice.proxy.engine;

import dev.sluice.proxy.keyspace.Clock;
import java.util.List;

/**
 * Where the effects of commands go for replicas: the replication stream. The executor gathers the
 * effects of one command the client sent (its own, or those of the commands a script or EXEC ran,
 * and the keys the server expired or evicted meanwhile) and hands them over when it ends, as
 * Redis's propagatePendingCommands does; more than one go out inside MULTI ... EXEC.
 */
public interface Propagation {
  /** Whether anything listens (a replica, or a backlog kept for one): else nothing is gathered. */
  boolean active();

  /** One command's effects, in order, under the keyspace lock. */
  void propagate(List<Effect> effects);

  /**
   * Where a client's last command left the stream (Redis's {@code c->woff}): what WAIT waits for
   * replicas to acknowledge.
   */
  default long writeOffset() {
    return 0;
  }

  /**
   * Whether writes may run: false while min-replicas-to-write asks for more replicas within
   * min-replicas-max-lag than there are (Redis's checkGoodReplicasStatus). The clock is read only
   * when min-replicas-to-write is set: this runs before every write.
   */
  default boolean enoughGoodReplicas(Clock clock) {
    return true;
  }

  /** A client went away (it may have been a replica). */
  default void disconnected(Session session) {}

  /** A command as replicas run it, in the database it ran in. */
  record Effect(int db, byte[][] args) {}

  Propagation NONE =
      new Propagation() {
        @Override
        public boolean active() {
          return false;
        }

        @Override
        public void propagate(List<Effect> effects) {}
      };
}
