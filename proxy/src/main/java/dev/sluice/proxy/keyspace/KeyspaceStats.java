package dev.sluice.proxy.keyspace;

/** Counters INFO stats reports; written under the keyspace lock, read without it. */
public final class KeyspaceStats {
  volatile long hits;
  volatile long misses;
  volatile long expired;
  volatile long evicted;

  public long hits() {
    return hits;
  }

  public long misses() {
    return misses;
  }

  public long expired() {
    return expired;
  }

  public long evicted() {
    return evicted;
  }

  public void reset() {
    hits = 0;
    misses = 0;
    expired = 0;
    evicted = 0;
  }
}
