package dev.sluice.proxy.types;

import dev.sluice.proxy.types.RedisZSet.Node;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * The member index of {@link RedisZSet}: a chained hash table whose entries are the skip list nodes
 * themselves (through {@link Node#chain}). Static functions over the set's own bucket array, not an
 * object, so that a sorted set costs no extra object; capacities are powers of two.
 */
final class ZSetBuckets {
  private ZSetBuckets() {}

  static final int MIN_CAPACITY = 4;
  private static final int SEED = ThreadLocalRandom.current().nextInt();

  static int hash(byte[] member) {
    int h = SEED;
    for (byte b : member) {
      h = 31 * h + b;
    }
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    h *= 0xc2b2ae35;
    return h ^ (h >>> 16);
  }

  /** The node of {@code member}, or null. */
  static Node find(Node[] table, byte[] member) {
    int h = hash(member);
    for (Node n = table[h & (table.length - 1)]; n != null; n = n.chain) {
      if (n.hash == h && Arrays.equals(n.member, member)) {
        return n;
      }
    }
    return null;
  }

  static void link(Node[] table, Node node) {
    int bucket = node.hash & (table.length - 1);
    node.chain = table[bucket];
    table[bucket] = node;
  }

  static void unlink(Node[] table, Node node) {
    int bucket = node.hash & (table.length - 1);
    Node previous = null;
    for (Node n = table[bucket]; n != null; previous = n, n = n.chain) {
      if (n == node) {
        if (previous == null) {
          table[bucket] = n.chain;
        } else {
          previous.chain = n.chain;
        }
        n.chain = null;
        return;
      }
    }
  }

  static int capacityFor(int members) {
    int capacity = MIN_CAPACITY;
    while (capacity < members) {
      capacity <<= 1;
    }
    return capacity;
  }

  /** A table of {@code capacity} buckets holding every node of {@code table}. */
  static Node[] rehash(Node[] table, int capacity) {
    Node[] resized = new Node[capacity];
    int mask = capacity - 1;
    for (Node head : table) {
      for (Node n = head; n != null; ) {
        Node next = n.chain;
        int bucket = n.hash & mask;
        n.chain = resized[bucket];
        resized[bucket] = n;
        n = next;
      }
    }
    return resized;
  }

  /**
   * Visits the bucket {@code cursor} points at and returns the next cursor, 0 when done, with
   * SCAN's guarantee: the cursor's bits are incremented from the top (reverse binary), so a resize
   * between calls never skips a member present throughout.
   */
  static long scan(Node[] table, long cursor, Consumer<Node> visitor) {
    long mask = table.length - 1;
    for (Node n = table[(int) (cursor & mask)]; n != null; n = n.chain) {
      visitor.accept(n);
    }
    long v = cursor | ~mask;
    v = Long.reverse(v);
    v++;
    return Long.reverse(v);
  }

  /** How many nodes the table holds; for checks. */
  static int count(Node[] table) {
    int count = 0;
    for (Node head : table) {
      for (Node n = head; n != null; n = n.chain) {
        count++;
      }
    }
    return count;
  }
}
