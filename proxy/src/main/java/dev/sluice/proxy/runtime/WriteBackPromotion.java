package dev.sluice.proxy.runtime;

import dev.sluice.writeback.batch.Flusher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A promoted replica's write-back: it takes its journal's lineage over in PostgreSQL ({@link
 * Flusher#promote}), at once under the keyspace lock, so that no write is journaled before its
 * numbering continues above what PostgreSQL applied.
 *
 * <p>When PostgreSQL cannot be reached then, the node refuses write-back writes and flushes nothing
 * (its flusher still follows), and thread {@code sluice-promote} tries again off the keyspace lock
 * (each attempt may wait for PostgreSQL's connect timeout), with backoff from 1 s to 10 s, until it
 * succeeds or the node follows a primary again. {@link #cancel} (REPLICAOF, before it demotes the
 * flusher) clears the pending promotion, and the flusher checks it under the lock that its demotion
 * takes, so a retry never promotes a replica.
 */
final class WriteBackPromotion {
  private static final Logger log = LoggerFactory.getLogger(WriteBackPromotion.class);

  private volatile boolean pending;
  private Thread retry; // guarded by "this"

  /** REPLICAOF NO ONE, under the keyspace lock. */
  void promote(Flusher flusher) {
    pending = true;
    Exception failure = attempt(flusher);
    if (failure != null) {
      log.error(
          "write-back: promoted, but cannot take the journal's lineage over in PostgreSQL ({}):"
              + " write-back writes are refused and nothing is flushed until it can; retrying in"
              + " the background",
          failure.toString());
      retry(flusher);
    }
  }

  /** This node follows a primary again: a promotion still pending must not happen. */
  void cancel() {
    pending = false;
  }

  /** Takes the lineage over unless cancelled meanwhile; the failure, or null. */
  private Exception attempt(Flusher flusher) {
    try {
      flusher.promote(() -> pending);
      pending = false;
      return null;
    } catch (java.sql.SQLException | RuntimeException e) {
      return e;
    }
  }

  private synchronized void retry(Flusher flusher) {
    if (retry != null && retry.isAlive()) {
      return;
    }
    retry =
        new Thread(
            () -> {
              long backoff = 1_000;
              try {
                while (pending) {
                  Thread.sleep(backoff);
                  if (attempt(flusher) == null) {
                    log.info("write-back: PostgreSQL answers again, the lineage is this node's");
                    return;
                  }
                  backoff = Math.min(backoff * 2, 10_000);
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "sluice-promote");
    retry.setDaemon(true);
    retry.start();
  }
}
