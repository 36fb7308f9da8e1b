package dev.sluice.proxy.replication;

import dev.sluice.proxy.engine.RedisError;
import dev.sluice.proxy.engine.Session;
import dev.sluice.proxy.engine.Unblockable;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The clients waiting in WAIT or WAITAOF (Redis's clients_waiting_acks), under the keyspace lock:
 * each is answered once enough replicas acknowledged its offset, when its deadline passes on the
 * server's clock, when CLIENT UNBLOCK ends it, or never if it goes away first.
 */
public final class AckWaits {
  private final Primary primary;
  private final List<Wait> waits = new ArrayList<>();

  AckWaits(Primary primary) {
    this.primary = primary;
  }

  /**
   * One client's wait for {@code numReplicas} replicas to acknowledge {@code offset} (their
   * append-only files' offset with {@code aof}). Its future completes with the count of replicas
   * (WAIT) or with the local and replica counts (WAITAOF, {@code long[2]}).
   */
  public final class Wait implements Unblockable {
    private final Session session;
    private final long offset;
    private final long numReplicas;
    private final boolean aof;
    private final long deadlineMillis;
    private final CompletableFuture<Object> answered = new CompletableFuture<>();

    private Wait(Session session, long offset, long numReplicas, boolean aof, long deadline) {
      this.session = session;
      this.offset = offset;
      this.numReplicas = numReplicas;
      this.aof = aof;
      this.deadlineMillis = deadline;
    }

    /** Completes, under the lock, with the answer. */
    public CompletableFuture<Object> answered() {
      return answered;
    }

    private int acknowledged() {
      return primary.acknowledgedBy(offset, aof);
    }

    private Object answer(int replicas) {
      // Sluice keeps no append-only file: its own count is always 0 (numlocal must be 0)
      return aof ? new long[] {0, replicas} : (Object) (long) replicas;
    }

    /** CLIENT UNBLOCK: the answer a timeout gives, or {@code error}. */
    @Override
    public boolean unblock(String error) {
      if (!waits.remove(this)) {
        return false;
      }
      session.blocked(null);
      if (error == null) {
        answered.complete(answer(acknowledged()));
      } else {
        answered.completeExceptionally(new RedisError(error));
      }
      return true;
    }

    private void end(Object answer) {
      session.blocked(null);
      answered.complete(answer);
    }
  }

  /**
   * Starts a wait (Redis's blockForReplication) ending at {@code deadlineMillis} on the server's
   * clock (0: never), and asks the replicas for their ACKs.
   */
  public Wait start(
      Session session, long offset, long numReplicas, boolean aof, long deadlineMillis) {
    Wait wait = new Wait(session, offset, numReplicas, aof, deadlineMillis);
    waits.add(wait);
    session.blocked(wait);
    primary.requestAcks();
    return wait;
  }

  /** An ACK arrived: answers the waits it satisfies (processClientsWaitingReplicas). */
  void acknowledged() {
    for (int i = 0; i < waits.size(); i++) {
      Wait wait = waits.get(i);
      int replicas = wait.acknowledged();
      if (replicas >= wait.numReplicas) {
        waits.remove(i--);
        wait.end(wait.answer(replicas));
      }
    }
  }

  /** From the cron: answers the waits whose deadline passed with the count they reached. */
  public void expire(long nowMillis) {
    for (int i = 0; i < waits.size(); i++) {
      Wait wait = waits.get(i);
      if (wait.deadlineMillis != 0 && wait.deadlineMillis <= nowMillis) {
        waits.remove(i--);
        wait.end(wait.answer(wait.acknowledged()));
      }
    }
  }

  /** A client went away: its wait ends unanswered. */
  void disconnected(Session session) {
    waits.removeIf(wait -> wait.session == session);
  }

  /** The clients waiting now. */
  public int size() {
    return waits.size();
  }
}
