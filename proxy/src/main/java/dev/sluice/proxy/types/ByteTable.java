package dev.sluice.proxy.types;

import dev.sluice.proxy.keyspace.MemoryEstimate;
import java.util.Arrays;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * The "hashtable" encoding of hashes and sets: a chained hash table of byte-array keys with
 * power-of-two capacity, grown at load factor 1 and shrunk below 1/8, as Redis's dict. Written out
 * instead of using {@code HashMap} for HSCAN/SSCAN cursors with Redis's guarantee (the
 * reverse-binary cursor of {@code dictScan}: a resize between calls never skips an element present
 * for the whole scan), random picks in O(1) expected time for SPOP and SRANDMEMBER, and one node
 * per element (24 bytes for a set, 32 for a hash) instead of a map node plus a key wrapper.
 */
final class ByteTable {
  static final int MIN_CAPACITY = 16;

  private static final int REF = MemoryEstimate.REFERENCE_BYTES;

  /** Object header, bucket array reference, size and the owner's data-byte count, aligned. */
  static final int OBJECT_BYTES = (int) MemoryEstimate.align(12L + REF + 4 + 8);

  /** A set element: header, key, hash, next; 32 bytes with 8-byte references, 24 without. */
  static class Node {
    static final int BYTES = (int) MemoryEstimate.align(12L + 2 * REF + 4);

    final byte[] key;
    final int hash;
    Node next;

    Node(byte[] key, int hash) {
      this.key = key;
      this.hash = hash;
    }
  }

  /** A hash field and its value. */
  static final class ValueNode extends Node {
    static final int BYTES = (int) MemoryEstimate.align(12L + 3 * REF + 4);

    byte[] value;

    ValueNode(byte[] key, int hash, byte[] value) {
      super(key, hash);
      this.value = value;
    }
  }

  private Node[] buckets;
  private int size;

  /** Bytes of the nodes and their arrays, kept by the owner (RedisHash) as it changes them. */
  long dataBytes;

  ByteTable(int expected) {
    buckets = new Node[capacityFor(expected)];
  }

  static int capacityFor(int expected) {
    int capacity = MIN_CAPACITY;
    while (capacity < expected && capacity < (1 << 30)) {
      capacity <<= 1;
    }
    return capacity;
  }

  static int hash(byte[] key) {
    return SipHash.hash(key);
  }

  int size() {
    return size;
  }

  int capacity() {
    return buckets.length;
  }

  /** Heap bytes of this object and its bucket array, not counting the nodes. */
  long overheadBytes() {
    return OBJECT_BYTES + MemoryEstimate.byteArray(REF * buckets.length);
  }

  Node find(byte[] key) {
    return find(key, hash(key));
  }

  Node find(byte[] key, int hash) {
    for (Node n = buckets[hash & (buckets.length - 1)]; n != null; n = n.next) {
      if (n.hash == hash && Arrays.equals(n.key, key)) {
        return n;
      }
    }
    return null;
  }

  /** Adds a node whose key is known to be absent. */
  void insert(Node node) {
    if (size >= buckets.length && buckets.length < (1 << 30)) {
      resize(buckets.length * 2);
    }
    int bucket = node.hash & (buckets.length - 1);
    node.next = buckets[bucket];
    buckets[bucket] = node;
    size++;
  }

  /** Removes and returns the node for {@code key}, or null. */
  Node remove(byte[] key) {
    int hash = hash(key);
    int bucket = hash & (buckets.length - 1);
    Node previous = null;
    for (Node n = buckets[bucket]; n != null; previous = n, n = n.next) {
      if (n.hash == hash && Arrays.equals(n.key, key)) {
        unlink(bucket, previous, n);
        return n;
      }
    }
    return null;
  }

  /** Removes this very node, known to be in the table. */
  void remove(Node node) {
    int bucket = node.hash & (buckets.length - 1);
    Node previous = null;
    for (Node n = buckets[bucket]; n != null; previous = n, n = n.next) {
      if (n == node) {
        unlink(bucket, previous, n);
        return;
      }
    }
    throw new IllegalStateException("node not in table");
  }

  private void unlink(int bucket, Node previous, Node n) {
    if (previous == null) {
      buckets[bucket] = n.next;
    } else {
      previous.next = n.next;
    }
    n.next = null;
    size--;
    if (buckets.length > MIN_CAPACITY && size < buckets.length / 8) {
      resize(buckets.length / 2);
    }
  }

  private void resize(int capacity) {
    Node[] resized = new Node[capacity];
    int mask = capacity - 1;
    for (Node head : buckets) {
      Node n = head;
      while (n != null) {
        Node next = n.next;
        int bucket = n.hash & mask;
        n.next = resized[bucket];
        resized[bucket] = n;
        n = next;
      }
    }
    buckets = resized;
  }

  /**
   * Visits the bucket {@code cursor} points at and returns the next cursor, 0 when done. The
   * cursor's bits are incremented from the top (reverse binary) so that a resize between calls
   * cannot skip a bucket that was not yet visited. The visitor must not modify the table.
   */
  long scan(long cursor, Consumer<Node> visitor) {
    long mask = buckets.length - 1;
    for (Node n = buckets[(int) (cursor & mask)]; n != null; n = n.next) {
      visitor.accept(n);
    }
    long v = cursor | ~mask;
    v = Long.reverse(v);
    v++;
    return Long.reverse(v);
  }

  /** A random node (a random non-empty bucket, then a random node of its chain), null if empty. */
  Node random(RandomGenerator random) {
    if (size == 0) {
      return null;
    }
    while (true) {
      Node head = buckets[random.nextInt(buckets.length)];
      if (head == null) {
        continue;
      }
      int length = 0;
      for (Node n = head; n != null; n = n.next) {
        length++;
      }
      Node n = head;
      for (int skip = random.nextInt(length); skip > 0; skip--) {
        n = n.next;
      }
      return n;
    }
  }

  /** The bucket array, for iteration in bucket order; callers must not modify it. */
  Node[] buckets() {
    return buckets;
  }

  /** A table with the same capacity and copies of every node, keys and values cloned too. */
  ByteTable deepCopy() {
    ByteTable copy = new ByteTable(0);
    copy.buckets = new Node[buckets.length];
    for (int i = 0; i < buckets.length; i++) {
      Node tail = null;
      for (Node n = buckets[i]; n != null; n = n.next) {
        Node clone =
            n instanceof ValueNode v
                ? new ValueNode(n.key.clone(), n.hash, v.value.clone())
                : new Node(n.key.clone(), n.hash);
        if (tail == null) {
          copy.buckets[i] = clone;
        } else {
          tail.next = clone;
        }
        tail = clone;
      }
    }
    copy.size = size;
    copy.dataBytes = dataBytes;
    return copy;
  }
}
