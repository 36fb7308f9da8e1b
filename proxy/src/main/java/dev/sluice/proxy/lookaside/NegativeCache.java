package dev.sluice.proxy.lookaside;

import dev.sluice.proxy.keyspace.Clock;
import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keys known to have no row (or an empty query result), each until its deadline: a miss on such a
 * key is answered as absent without a query for the mapping's {@code negative-ttl}. Time comes from
 * the injected {@link Clock}. Bounded: past {@link #MAX_ENTRIES} a put first drops expired entries
 * and, if that is not enough, forgets everything (the cost is a query per key again).
 */
final class NegativeCache {
  static final int MAX_ENTRIES = 100_000;

  private final Clock clock;
  private final Map<ByteBuffer, Entry> entries = new ConcurrentHashMap<>();

  private record Entry(int mapping, long deadline) {}

  NegativeCache(Clock clock) {
    this.clock = clock;
  }

  /** Remembers that {@code key} of mapping {@code mapping} is absent for {@code ttlMillis}. */
  void put(int mapping, byte[] key, long ttlMillis) {
    if (ttlMillis <= 0) {
      return;
    }
    if (entries.size() >= MAX_ENTRIES) {
      purgeExpired();
      if (entries.size() >= MAX_ENTRIES) {
        entries.clear();
      }
    }
    entries.put(ByteBuffer.wrap(key.clone()), new Entry(mapping, clock.millis() + ttlMillis));
  }

  /** Whether {@code key} is known to be absent right now. */
  boolean contains(byte[] key) {
    if (entries.isEmpty()) {
      return false;
    }
    ByteBuffer k = ByteBuffer.wrap(key);
    Entry entry = entries.get(k);
    if (entry == null) {
      return false;
    }
    if (entry.deadline <= clock.millis()) {
      entries.remove(k, entry);
      return false;
    }
    return true;
  }

  void remove(byte[] key) {
    entries.remove(ByteBuffer.wrap(key));
  }

  /** Forgets every key of one mapping; returns how many. */
  int removeMapping(int mapping) {
    int removed = 0;
    for (Iterator<Entry> it = entries.values().iterator(); it.hasNext(); ) {
      if (it.next().mapping == mapping) {
        it.remove();
        removed++;
      }
    }
    return removed;
  }

  /** Forgets every key {@code which} accepts. */
  void removeMatching(java.util.function.Predicate<byte[]> which) {
    entries.keySet().removeIf(k -> which.test(k.array()));
  }

  int size() {
    return entries.size();
  }

  private void purgeExpired() {
    long now = clock.millis();
    entries.values().removeIf(e -> e.deadline <= now);
  }
}
