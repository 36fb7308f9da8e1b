package dev.sluice.proxy.lookaside;

import dev.sluice.proxy.keyspace.Database;
import dev.sluice.proxy.keyspace.Entry;
import dev.sluice.proxy.keyspace.Keyspace;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Removes cached copies of mapped keys from database 0, always under the keyspace lock. Dropping
 * many keys walks the key table in SCAN steps and releases the lock every {@link #STEP_KEYS} keys
 * visited, so other clients keep going (when the caller does not already hold the lock).
 */
final class KeyEvictor {
  static final int STEP_KEYS = 1024;

  private final Keyspace keyspace;

  KeyEvictor(Keyspace keyspace) {
    this.keyspace = keyspace;
  }

  /**
   * Evicts one key; returns whether it was there. Clients that cached it are told even when no copy
   * was in memory: they may hold the key's absence.
   */
  boolean evict(byte[] key) {
    keyspace.lock().lock();
    try {
      if (keyspace.db(0).delete(key)) {
        return true;
      }
      keyspace.changedElsewhere(key);
      return false;
    } finally {
      keyspace.lock().unlock();
    }
  }

  /** Tells every tracking client to drop what it cached (CLIENT TRACKING's flush). */
  void invalidateClientCaches() {
    keyspace.lock().lock();
    try {
      keyspace.changedElsewhere(null);
    } finally {
      keyspace.lock().unlock();
    }
  }

  /** Evicts every key of database 0 that {@code which} accepts; returns how many. */
  long evictAll(Predicate<byte[]> which) {
    long evicted = 0;
    long cursor = 0;
    List<byte[]> batch = new ArrayList<>();
    do {
      keyspace.lock().lock();
      try {
        Database db = keyspace.db(0);
        int[] visited = {0};
        do {
          cursor =
              db.scan(
                  cursor,
                  entry -> {
                    visited[0]++;
                    if (which.test(entry.key())) {
                      batch.add(entry.key());
                    }
                  });
        } while (cursor != 0 && visited[0] < STEP_KEYS);
        for (byte[] key : batch) {
          if (db.delete(key)) {
            evicted++;
          }
        }
        batch.clear();
      } finally {
        keyspace.lock().unlock();
      }
    } while (cursor != 0);
    return evicted;
  }

  /** Under the lock: how many live keys of database 0 {@code which} accepts. */
  long count(Predicate<byte[]> which) {
    Database db = keyspace.db(0);
    long[] count = {0};
    db.forEach(
        (Entry entry) -> {
          if (!db.isExpired(entry) && which.test(entry.key())) {
            count[0]++;
          }
        });
    return count[0];
  }
}
