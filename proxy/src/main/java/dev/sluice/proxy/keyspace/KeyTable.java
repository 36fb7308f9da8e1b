package dev.sluice.proxy.keyspace;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * A chained hash table of {@link Entry} keyed by byte arrays, with power-of-two capacity.
 *
 * <p>It exists instead of a {@code HashMap} for three things Redis needs: SCAN cursors that return
 * every key present for the whole iteration at least once even when the table grows or shrinks
 * between calls (the reverse-binary cursor of Redis's {@code dictScan}), picking a random key in
 * O(1) expected time for RANDOMKEY and eviction sampling, and no per-key node besides the entry.
 *
 * <p>Growing is incremental, as Redis's rehashing: a full table allocates one twice its size, and
 * every later insert, lookup and removal moves a few buckets across, so no single command pays for
 * moving a million entries (tens of milliseconds, the p99 of every client waiting behind it).
 * Meanwhile lookups search both tables and SCAN visits a bucket of the smaller one together with
 * its expansions in the larger one. Shrinking happens when the table is mostly empty, so moving the
 * few entries left is done at once.
 *
 * <p>Entries do not keep their hash (4 bytes, and with alignment 8, of every key): moving an entry
 * or unlinking it hashes its key again, and a lookup compares keys without a hash to rule them out
 * first, as chains are about one entry long.
 */
final class KeyTable {
  private static final int MIN_CAPACITY = 16;

  /** Non-empty buckets moved per operation while growing. */
  private static final int REHASH_BUCKETS = 4;

  /** Buckets looked at per operation while growing, empty ones included. */
  private static final int REHASH_VISITS = 40;

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private final long seed;
  private Entry[] table = new Entry[MIN_CAPACITY];
  // while growing: the larger table entries move to, and the next bucket of table to move
  private Entry[] next;
  private int rehashIndex;
  // forEach in progress: entries must stay where they are
  private int iterating;
  private int size;

  KeyTable(int seed) {
    this.seed = seed;
  }

  int size() {
    return size;
  }

  /** Buckets of the table, the larger one while growing. */
  int capacity() {
    return next != null ? next.length : table.length;
  }

  /**
   * The key's hash under this table's seed: eight bytes at a time, each word folded in with a
   * multiply, then MurmurHash3's 64-bit finalizer, so that the low bits that pick a bucket depend
   * on every byte. A byte-at-a-time loop cost a pipelined GET about 7% of its dispatch
   * (DispatchBench); the seed, unknown to clients, keeps them from choosing colliding keys.
   */
  int hash(byte[] key) {
    int length = key.length;
    long h = seed ^ (length * 0x9E3779B97F4A7C15L);
    int i = 0;
    for (; i + Long.BYTES <= length; i += Long.BYTES) {
      h = (h ^ (long) LONGS.get(key, i)) * 0xBF58476D1CE4E5B9L;
      h ^= h >>> 31;
    }
    if (i < length) {
      long tail = 0;
      for (int shift = 0; i < length; i++, shift += 8) {
        tail |= (key[i] & 0xFFL) << shift;
      }
      h = (h ^ tail) * 0xBF58476D1CE4E5B9L;
    }
    h ^= h >>> 33;
    h *= 0xFF51AFD7ED558CCDL;
    h ^= h >>> 33;
    h *= 0xC4CEB9FE1A85EC53L;
    h ^= h >>> 33;
    return (int) h;
  }

  Entry get(byte[] key, int hash) {
    if (next != null) {
      rehashStep();
    }
    if (next != null) {
      Entry found = find(next, key, hash);
      if (found != null) {
        return found;
      }
    }
    return find(table, key, hash);
  }

  private static Entry find(Entry[] buckets, byte[] key, int hash) {
    for (Entry e = buckets[hash & (buckets.length - 1)]; e != null; e = e.next) {
      if (Arrays.equals(e.key, key)) {
        return e;
      }
    }
    return null;
  }

  /** Adds an entry whose key is known to be absent; {@code hash} is its key's {@link #hash}. */
  void insert(Entry entry, int hash) {
    if (next != null) {
      rehashStep();
    }
    if (size >= capacity()) {
      finishRehash(); // only when growth outran the moving, as it cannot with REHASH_BUCKETS > 1
      next = new Entry[table.length * 2];
      rehashIndex = 0;
    }
    Entry[] target = next != null ? next : table;
    int bucket = hash & (target.length - 1);
    entry.next = target[bucket];
    target[bucket] = entry;
    size++;
  }

  /** Removes this very entry; returns false when it is not in the table. */
  boolean remove(Entry entry) {
    if (next != null) {
      rehashStep();
    }
    int hash = hash(entry.key);
    if (!unlink(table, entry, hash) && (next == null || !unlink(next, entry, hash))) {
      return false;
    }
    size--;
    if (iterating == 0 && capacity() > MIN_CAPACITY && size < capacity() / 8) {
      finishRehash();
      next = new Entry[table.length / 2];
      finishRehash(); // moves the few entries left at once
    }
    return true;
  }

  private static boolean unlink(Entry[] buckets, Entry entry, int hash) {
    int bucket = hash & (buckets.length - 1);
    Entry previous = null;
    for (Entry e = buckets[bucket]; e != null; previous = e, e = e.next) {
      if (e == entry) {
        if (previous == null) {
          buckets[bucket] = e.next;
        } else {
          previous.next = e.next;
        }
        e.next = null;
        return true;
      }
    }
    return false;
  }

  void clear() {
    table = new Entry[MIN_CAPACITY];
    next = null;
    rehashIndex = 0;
    size = 0;
  }

  /** Moves a few buckets into the larger table; swaps the tables once all have moved. */
  private void rehashStep() {
    if (iterating > 0) {
      return;
    }
    int moved = 0;
    for (int visits = 0;
        visits < REHASH_VISITS && moved < REHASH_BUCKETS && rehashIndex < table.length;
        visits++, rehashIndex++) {
      if (table[rehashIndex] != null) {
        moveBucket(rehashIndex);
        moved++;
      }
    }
    if (rehashIndex == table.length) {
      table = next;
      next = null;
      rehashIndex = 0;
    }
  }

  private void moveBucket(int index) {
    int mask = next.length - 1;
    Entry e = table[index];
    table[index] = null;
    while (e != null) {
      Entry following = e.next;
      int bucket = hash(e.key) & mask;
      e.next = next[bucket];
      next[bucket] = e;
      e = following;
    }
  }

  private void finishRehash() {
    if (next == null) {
      return;
    }
    for (; rehashIndex < table.length; rehashIndex++) {
      moveBucket(rehashIndex);
    }
    table = next;
    next = null;
    rehashIndex = 0;
  }

  /**
   * Visits the bucket {@code cursor} points at and returns the next cursor, 0 when done. The
   * cursor's bits are incremented from the top (reverse binary) so that a resize between calls
   * cannot skip a bucket that was not yet visited.
   */
  long scan(long cursor, Consumer<Entry> visitor) {
    iterating++; // a lookup by the visitor must not move entries under it
    try {
      return scanStep(cursor, visitor);
    } finally {
      iterating--;
    }
  }

  private long scanStep(long cursor, Consumer<Entry> visitor) {
    if (next == null) {
      long mask = table.length - 1;
      visit(table[(int) (cursor & mask)], visitor);
      return increment(cursor, mask);
    }
    // Growing: the bucket of the smaller table, then every bucket of the larger table that it
    // expands to (they share the cursor's low bits), as dictScan does while rehashing.
    Entry[] small = table.length < next.length ? table : next;
    Entry[] large = small == table ? next : table;
    long smallMask = small.length - 1;
    long largeMask = large.length - 1;
    long v = cursor;
    visit(small[(int) (v & smallMask)], visitor);
    do {
      visit(large[(int) (v & largeMask)], visitor);
      v = increment(v, largeMask);
    } while ((v & (smallMask ^ largeMask)) != 0);
    return v;
  }

  private static void visit(Entry head, Consumer<Entry> visitor) {
    for (Entry e = head; e != null; e = e.next) {
      visitor.accept(e);
    }
  }

  /** The reverse-binary increment of the cursor's bits under {@code mask}. */
  private static long increment(long cursor, long mask) {
    long v = cursor | ~mask;
    v = Long.reverse(v);
    v++;
    return Long.reverse(v);
  }

  /** A uniformly chosen bucket's random element, or null when empty. */
  Entry random(RandomGenerator random) {
    if (size == 0) {
      return null;
    }
    while (true) {
      Entry head;
      if (next == null) {
        head = table[random.nextInt(table.length)];
      } else {
        int i = random.nextInt(table.length + next.length);
        head = i < table.length ? table[i] : next[i - table.length];
      }
      if (head == null) {
        continue;
      }
      int length = 0;
      for (Entry e = head; e != null; e = e.next) {
        length++;
      }
      Entry e = head;
      for (int skip = random.nextInt(length); skip > 0; skip--) {
        e = e.next;
      }
      return e;
    }
  }

  /** Visits every entry; the visitor may remove the entry it is given, nothing else. */
  void forEach(Consumer<Entry> visitor) {
    iterating++;
    try {
      forEach(table, visitor);
      if (next != null) {
        forEach(next, visitor);
      }
    } finally {
      iterating--;
    }
  }

  private static void forEach(Entry[] buckets, Consumer<Entry> visitor) {
    for (Entry head : buckets) {
      for (Entry e = head; e != null; ) {
        Entry following = e.next; // the visitor may remove e
        visitor.accept(e);
        e = following;
      }
    }
  }

  /** Bytes of the bucket arrays themselves (both while growing), for used_memory. */
  long overheadBytes() {
    long slot = MemoryEstimate.REFERENCE_BYTES;
    return 16L + slot * table.length + (next == null ? 0 : 16L + slot * next.length);
  }
}
