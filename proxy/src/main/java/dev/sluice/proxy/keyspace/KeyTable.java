package dev.sluice.proxy.keyspace;

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
 */
final class KeyTable {
  private static final int MIN_CAPACITY = 16;

  private final int seed;
  private Entry[] table = new Entry[MIN_CAPACITY];
  private int size;

  KeyTable(int seed) {
    this.seed = seed;
  }

  int size() {
    return size;
  }

  int capacity() {
    return table.length;
  }

  int hash(byte[] key) {
    int h = seed;
    for (byte b : key) {
      h = 31 * h + b;
    }
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    h *= 0xc2b2ae35;
    return h ^ (h >>> 16);
  }

  Entry get(byte[] key, int hash) {
    for (Entry e = table[hash & (table.length - 1)]; e != null; e = e.next) {
      if (e.hash == hash && Arrays.equals(e.key, key)) {
        return e;
      }
    }
    return null;
  }

  /** Adds an entry whose key is known to be absent. */
  void insert(Entry entry) {
    if (size >= table.length) {
      resize(table.length * 2);
    }
    int bucket = entry.hash & (table.length - 1);
    entry.next = table[bucket];
    table[bucket] = entry;
    size++;
  }

  /** Removes this very entry; returns false when it is not in the table. */
  boolean remove(Entry entry) {
    int bucket = entry.hash & (table.length - 1);
    Entry previous = null;
    for (Entry e = table[bucket]; e != null; previous = e, e = e.next) {
      if (e == entry) {
        if (previous == null) {
          table[bucket] = e.next;
        } else {
          previous.next = e.next;
        }
        e.next = null;
        size--;
        if (table.length > MIN_CAPACITY && size < table.length / 8) {
          resize(table.length / 2);
        }
        return true;
      }
    }
    return false;
  }

  void clear() {
    table = new Entry[MIN_CAPACITY];
    size = 0;
  }

  private void resize(int capacity) {
    Entry[] old = table;
    Entry[] resized = new Entry[capacity];
    int mask = capacity - 1;
    for (Entry head : old) {
      Entry e = head;
      while (e != null) {
        Entry next = e.next;
        int bucket = e.hash & mask;
        e.next = resized[bucket];
        resized[bucket] = e;
        e = next;
      }
    }
    table = resized;
  }

  /**
   * Visits the bucket {@code cursor} points at and returns the next cursor, 0 when done. The
   * cursor's bits are incremented from the top (reverse binary) so that a resize between calls
   * cannot skip a bucket that was not yet visited.
   */
  long scan(long cursor, Consumer<Entry> visitor) {
    long mask = table.length - 1;
    for (Entry e = table[(int) (cursor & mask)]; e != null; e = e.next) {
      visitor.accept(e);
    }
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
      Entry head = table[random.nextInt(table.length)];
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

  void forEach(Consumer<Entry> visitor) {
    for (Entry head : table) {
      for (Entry e = head; e != null; ) {
        Entry next = e.next; // the visitor may remove e
        visitor.accept(e);
        e = next;
      }
    }
  }

  /** Bytes of the bucket array itself, for used_memory. */
  long overheadBytes() {
    return 16L + 4L * table.length;
  }
}
