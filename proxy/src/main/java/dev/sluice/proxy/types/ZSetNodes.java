package dev.sluice.proxy.types;

import dev.sluice.proxy.keyspace.MemoryEstimate;
import dev.sluice.proxy.types.RedisZSet.Node;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The skip list nodes of {@link ZSetSkipList} by level: making one at a random level, the accessors
 * of their links, their order and their size for the estimate. A node's links live in its own
 * fields (levels 1 to 3) or in arrays (level 4 and up), so a link is read through {@link #forward}
 * and {@link #span}, which dispatch on the level, not through an array.
 */
final class ZSetNodes {
  private ZSetNodes() {}

  /** A node of level 2: its level-1 link and span are fields. */
  static class Node2 extends Node {
    Node next1;
    int span1;

    Node2(byte[] member, int hash, double score) {
      super(member, hash, score);
    }

    @Override
    int level() {
      return 2;
    }
  }

  /** A node of level 3. */
  static class Node3 extends Node2 {
    Node next2;
    int span2;

    Node3(byte[] member, int hash, double score) {
      super(member, hash, score);
    }

    @Override
    int level() {
      return 3;
    }
  }

  /** A node of level 4 or more, and the header: links from level 3 up are in arrays. */
  static final class NodeN extends Node3 {
    Node[] up;
    int[] upSpan;

    /** The header's arrays while it has no upper level: shared, as they hold nothing. */
    private static final Node[] NO_LINKS = new Node[0];

    private static final int[] NO_SPANS = new int[0];

    NodeN(byte[] member, int hash, double score, int upper) {
      super(member, hash, score);
      up = upper == 0 ? NO_LINKS : new Node[upper];
      upSpan = upper == 0 ? NO_SPANS : new int[upper];
    }

    @Override
    int level() {
      return 3 + up.length;
    }
  }

  static Node newNode(byte[] member, int hash, double score, int level) {
    return switch (level) {
      case 1 -> new Node(member, hash, score);
      case 2 -> new Node2(member, hash, score);
      case 3 -> new Node3(member, hash, score);
      default -> new NodeN(member, hash, score, level - 3);
    };
  }

  /** A level between 1 and 17, each further level with probability 1/4, as Redis's ZSKIPLIST_P. */
  static int randomLevel() {
    int level = 1 + Integer.numberOfTrailingZeros(ThreadLocalRandom.current().nextInt()) / 2;
    return Math.min(level, ZSetSkipList.MAX_LEVEL);
  }

  static Node forward(Node x, int i) {
    return switch (i) {
      case 0 -> x.next;
      case 1 -> ((Node2) x).next1;
      case 2 -> ((Node3) x).next2;
      default -> ((NodeN) x).up[i - 3];
    };
  }

  static void setForward(Node x, int i, Node f) {
    switch (i) {
      case 0 -> x.next = f;
      case 1 -> ((Node2) x).next1 = f;
      case 2 -> ((Node3) x).next2 = f;
      default -> ((NodeN) x).up[i - 3] = f;
    }
  }

  /** The span of a link: how many ranks it advances. Level 0 always advances one. */
  static int span(Node x, int i) {
    return switch (i) {
      case 0 -> 1;
      case 1 -> ((Node2) x).span1;
      case 2 -> ((Node3) x).span2;
      default -> ((NodeN) x).upSpan[i - 3];
    };
  }

  static void setSpan(Node x, int i, long span) {
    switch (i) {
      case 0 -> {}
      case 1 -> ((Node2) x).span1 = (int) span;
      case 2 -> ((Node3) x).span2 = (int) span;
      default -> ((NodeN) x).upSpan[i - 3] = (int) span;
    }
  }

  private static final int REF = MemoryEstimate.REFERENCE_BYTES;

  /**
   * A node of level 1: 12-byte header, the int hash, the double score and four references (member,
   * prev, next, chain): 56 bytes with 8-byte references (ZGC on JDK 17), 40 with compressed oops.
   */
  static final long NODE_BYTES = align(12 + 4 + 8 + 4L * REF);

  private static long align(long bytes) {
    return (bytes + 7) & ~7L;
  }

  /** An array of {@code n} references. */
  static long refArray(int n) {
    return n == 0 ? 0 : align(16L + (long) REF * n);
  }

  /** An array of {@code n} ints. */
  static long intArray(int n) {
    return n == 0 ? 0 : align(16L + 4L * n);
  }

  /**
   * Levels 2 and 3 add a link and its int span each; level 4 and up the two array references: a
   * node of level 1, 2, 3, 4+ is 56, 72, 80, 96 bytes with 8-byte references (40, 48, 56, 64 with
   * compressed oops), plus its member array and its upper link arrays.
   */
  static long nodeBytes(Node node) {
    long fields = 12 + 4 + 8 + 4L * REF;
    long arrays = 0;
    if (node instanceof Node2) {
      fields += REF + 4;
    }
    if (node instanceof Node3) {
      fields += REF + 4;
    }
    if (node instanceof NodeN n) {
      fields += 2L * REF;
      arrays = refArray(n.up.length) + intArray(n.upSpan.length);
    }
    long bytes = align(fields) + arrays;
    return node.member == null ? bytes : bytes + MemoryEstimate.byteArray(node.member.length);
  }

  /** Whether node {@code n} sorts before (score, member). */
  static boolean precedes(Node n, double score, byte[] member) {
    return n.score < score || (n.score == score && Arrays.compareUnsigned(n.member, member) < 0);
  }
}
