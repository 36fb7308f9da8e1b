package dev.sluice.proxy.types;

import dev.sluice.proxy.keyspace.MemoryEstimate;
import dev.sluice.proxy.types.RedisZSet.Node;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The skip list nodes of {@link ZSetSkipList} by level: making one at a random level, the accessors
 * of their links, their order and their size for the estimate. A node's links live in its own
 * fields (levels 1 to 8) or, above that, in arrays, so a link is read through {@link #forward} and
 * {@link #span}, which dispatch on the level, not through an array.
 *
 * <p><b>Why fields up to level 8.</b> A walk down the list reads, at each step, the next node's
 * score and then its link at the same level. With the link in the node, that is one cache line;
 * with the link in an array, a second miss for every step on the upper levels, which are all made
 * of high nodes. A list of a million members has about ten levels: with eight in fields, only the
 * top one or two (a few dozen nodes) use arrays. Fields also take less memory than two arrays.
 */
final class ZSetNodes {
  /** The levels whose links are fields; the links above are in {@link NodeN}'s arrays. */
  static final int FIELD_LEVELS = 8;

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

  /** A node of level 4. */
  static class Node4 extends Node3 {
    Node next3;
    int span3;

    Node4(byte[] member, int hash, double score) {
      super(member, hash, score);
    }

    @Override
    int level() {
      return 4;
    }
  }

  /** A node of level 5. */
  static class Node5 extends Node4 {
    Node next4;
    int span4;

    Node5(byte[] member, int hash, double score) {
      super(member, hash, score);
    }

    @Override
    int level() {
      return 5;
    }
  }

  /** A node of level 6. */
  static class Node6 extends Node5 {
    Node next5;
    int span5;

    Node6(byte[] member, int hash, double score) {
      super(member, hash, score);
    }

    @Override
    int level() {
      return 6;
    }
  }

  /** A node of level 7. */
  static class Node7 extends Node6 {
    Node next6;
    int span6;

    Node7(byte[] member, int hash, double score) {
      super(member, hash, score);
    }

    @Override
    int level() {
      return 7;
    }
  }

  /** A node of level 8. */
  static class Node8 extends Node7 {
    Node next7;
    int span7;

    Node8(byte[] member, int hash, double score) {
      super(member, hash, score);
    }

    @Override
    int level() {
      return 8;
    }
  }

  /** A node of level 9 or more, and the header: links from level 9 up are in arrays. */
  static final class NodeN extends Node8 {
    Node[] up;
    int[] upSpan;

    /** A header starts with empty arrays of its own (32 bytes), so that its estimate is exact. */
    NodeN(byte[] member, int hash, double score, int upper) {
      super(member, hash, score);
      up = new Node[upper];
      upSpan = new int[upper];
    }

    @Override
    int level() {
      return FIELD_LEVELS + up.length;
    }
  }

  static Node newNode(byte[] member, int hash, double score, int level) {
    return switch (level) {
      case 1 -> new Node(member, hash, score);
      case 2 -> new Node2(member, hash, score);
      case 3 -> new Node3(member, hash, score);
      case 4 -> new Node4(member, hash, score);
      case 5 -> new Node5(member, hash, score);
      case 6 -> new Node6(member, hash, score);
      case 7 -> new Node7(member, hash, score);
      case 8 -> new Node8(member, hash, score);
      default -> new NodeN(member, hash, score, level - FIELD_LEVELS);
    };
  }

  /** A level between 1 and MAX_LEVEL, each further level with probability 1/4, as ZSKIPLIST_P. */
  static int randomLevel() {
    int level = 1 + Integer.numberOfTrailingZeros(ThreadLocalRandom.current().nextInt()) / 2;
    return Math.min(level, ZSetSkipList.MAX_LEVEL);
  }

  static Node forward(Node x, int i) {
    return switch (i) {
      case 0 -> x.next;
      case 1 -> ((Node2) x).next1;
      case 2 -> ((Node3) x).next2;
      case 3 -> ((Node4) x).next3;
      case 4 -> ((Node5) x).next4;
      case 5 -> ((Node6) x).next5;
      case 6 -> ((Node7) x).next6;
      case 7 -> ((Node8) x).next7;
      default -> ((NodeN) x).up[i - FIELD_LEVELS];
    };
  }

  static void setForward(Node x, int i, Node f) {
    switch (i) {
      case 0 -> x.next = f;
      case 1 -> ((Node2) x).next1 = f;
      case 2 -> ((Node3) x).next2 = f;
      case 3 -> ((Node4) x).next3 = f;
      case 4 -> ((Node5) x).next4 = f;
      case 5 -> ((Node6) x).next5 = f;
      case 6 -> ((Node7) x).next6 = f;
      case 7 -> ((Node8) x).next7 = f;
      default -> ((NodeN) x).up[i - FIELD_LEVELS] = f;
    }
  }

  /** The span of a link: how many ranks it advances. Level 0 always advances one. */
  static int span(Node x, int i) {
    return switch (i) {
      case 0 -> 1;
      case 1 -> ((Node2) x).span1;
      case 2 -> ((Node3) x).span2;
      case 3 -> ((Node4) x).span3;
      case 4 -> ((Node5) x).span4;
      case 5 -> ((Node6) x).span5;
      case 6 -> ((Node7) x).span6;
      case 7 -> ((Node8) x).span7;
      default -> ((NodeN) x).upSpan[i - FIELD_LEVELS];
    };
  }

  static void setSpan(Node x, int i, long span) {
    switch (i) {
      case 0 -> {}
      case 1 -> ((Node2) x).span1 = (int) span;
      case 2 -> ((Node3) x).span2 = (int) span;
      case 3 -> ((Node4) x).span3 = (int) span;
      case 4 -> ((Node5) x).span4 = (int) span;
      case 5 -> ((Node6) x).span5 = (int) span;
      case 6 -> ((Node7) x).span6 = (int) span;
      case 7 -> ((Node8) x).span7 = (int) span;
      default -> ((NodeN) x).upSpan[i - FIELD_LEVELS] = (int) span;
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
    return align(16L + (long) REF * n);
  }

  /** An array of {@code n} ints. */
  static long intArray(int n) {
    return align(16L + 4L * n);
  }

  /**
   * Each level from 2 to 8 adds a link and its int span; level 9 and up the two array references: a
   * node of level 1, 2, 3, 4 is 56, 72, 80, 96 bytes with 8-byte references (40, 48, 56, 64 with
   * compressed oops), plus its member array and its upper link arrays.
   */
  static long nodeBytes(Node node) {
    int fieldLevels = Math.min(node.level(), FIELD_LEVELS);
    long fields = 12 + 4 + 8 + 4L * REF + (fieldLevels - 1) * (REF + 4L);
    long arrays = 0;
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
