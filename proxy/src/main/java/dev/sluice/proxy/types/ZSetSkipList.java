package dev.sluice.proxy.types;

import static dev.sluice.proxy.types.ZSetNodes.forward;
import static dev.sluice.proxy.types.ZSetNodes.intArray;
import static dev.sluice.proxy.types.ZSetNodes.newNode;
import static dev.sluice.proxy.types.ZSetNodes.nodeBytes;
import static dev.sluice.proxy.types.ZSetNodes.precedes;
import static dev.sluice.proxy.types.ZSetNodes.randomLevel;
import static dev.sluice.proxy.types.ZSetNodes.refArray;
import static dev.sluice.proxy.types.ZSetNodes.setForward;
import static dev.sluice.proxy.types.ZSetNodes.setSpan;
import static dev.sluice.proxy.types.ZSetNodes.span;

import dev.sluice.proxy.keyspace.MemoryEstimate;
import dev.sluice.proxy.types.RedisZSet.Node;
import dev.sluice.proxy.types.ZSetNodes.NodeN;
import java.util.Arrays;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The "skiplist" encoding of a {@link RedisZSet}: Redis's zskiplist (ordered by score, then by
 * member bytes compared unsigned, with a span count on every link so ranks cost O(log n)) plus a
 * chained hash table from member to node.
 *
 * <p>Each member is one {@link Node} that serves both structures: it is the skip list node and the
 * hash table entry. As in Redis, where a node's levels are part of the node, the links live in the
 * node's own fields (levels 1 to 3, see {@link ZSetNodes}); only nodes of level 4 or more (one in
 * 64) carry arrays for their upper links. A walk down the list so touches one object per step.
 *
 * <p>Scores are kept as given, -0 included. Not thread-safe: callers hold the keyspace lock.
 */
final class ZSetSkipList {
  static final int MAX_LEVEL = 32;

  /**
   * This object: 12-byte header, three references (header, tail, table), two ints and a long; 56
   * bytes with 8-byte references, 40 with compressed oops.
   */
  static final long LIST_BYTES = MemoryEstimate.REFERENCE_BYTES == 8 ? 56 : 40;

  private final NodeN header = new NodeN(null, 0, 0, 0);
  private Node tail;
  private int length;
  private int level = 1;
  private Node[] table = new Node[ZSetBuckets.MIN_CAPACITY];
  private long bytes = LIST_BYTES + nodeBytes(header) + refArray(ZSetBuckets.MIN_CAPACITY);

  /** A deep copy: new nodes over copies of the member arrays. */
  ZSetSkipList copy() {
    ZSetSkipList copy = new ZSetSkipList();
    copy.resize(ZSetBuckets.capacityFor(length));
    // from the largest down: every insertion lands at the head, O(1) each (as Redis's zsetDup)
    for (Node n = tail; n != null; n = n.prev) {
      copy.add(n.member.clone(), n.score);
    }
    return copy;
  }

  /** Makes room in the hash table for {@code members} members at once. */
  void presize(int members) {
    resize(Math.max(table.length, ZSetBuckets.capacityFor(members)));
  }

  long bytes() {
    return bytes;
  }

  int size() {
    return length;
  }

  Node find(byte[] member) {
    return ZSetBuckets.find(table, member);
  }

  Node first() {
    return header.next;
  }

  Node last() {
    return tail;
  }

  /** Adds a member known to be absent; keeps the {@code member} array. */
  Node add(byte[] member, double score) {
    Node node = newNode(member, ZSetBuckets.hash(member), score, randomLevel());
    if (length >= table.length) {
      resize(table.length * 2);
    }
    ZSetBuckets.link(table, node);
    insert(node);
    bytes += nodeBytes(node);
    return node;
  }

  /** Changes a node's score, moving it only when its neighbours no longer bracket the score. */
  void setScore(Node node, double score) {
    if ((node.prev == null || node.prev.score < score)
        && (node.next == null || node.next.score > score)) {
      node.score = score;
      return;
    }
    unlink(node, pathTo(node));
    node.score = score;
    insert(node); // the node keeps its level and its link arrays: no allocation
  }

  void remove(Node node) {
    unlink(node, pathTo(node));
    forget(node);
  }

  long rank(Node node) {
    return ZSetSearch.rank(header, level, node);
  }

  Node byRank(long rank) {
    return ZSetSearch.byRank(header, level, rank);
  }

  long countWhile(Predicate<Node> before) {
    return ZSetSearch.countWhile(header, level, before);
  }

  /** Removes 0-based ranks {@code start} to {@code end}, both within the list, in O(log n + m). */
  long removeRange(long start, long end) {
    Node[] update = scratch().update;
    Node x = ZSetSearch.pathToRank(header, level, start, update);
    long removed = 0;
    long count = end - start + 1;
    for (Node n = x.next; n != null && removed < count; removed++) {
      Node next = n.next;
      unlink(n, update);
      forget(n);
      n = next;
    }
    return removed;
  }

  long scan(long cursor, Consumer<Node> visitor) {
    return ZSetBuckets.scan(table, cursor, visitor);
  }

  /** The rightmost node before {@code node} at each level. */
  private Node[] pathTo(Node node) {
    return ZSetSearch.pathTo(header, level, node, scratch().update);
  }

  /** zslInsert for a node that already has its level (its class) and is in the hash table. */
  private void insert(Node node) {
    int nodeLevel = node.level();
    Scratch scratch = scratch();
    Node[] update = scratch.update;
    long[] rank = scratch.rank;
    Node x = header;
    for (int i = level - 1; i >= 0; i--) {
      rank[i] = i == level - 1 ? 0 : rank[i + 1];
      Node f;
      while ((f = forward(x, i)) != null && precedes(f, node.score, node.member)) {
        rank[i] += span(x, i);
        x = f;
      }
      update[i] = x;
    }
    if (nodeLevel > level) {
      growHeader(nodeLevel);
      for (int i = level; i < nodeLevel; i++) {
        rank[i] = 0;
        update[i] = header;
        setSpan(header, i, length);
      }
      level = nodeLevel;
    }
    for (int i = 0; i < nodeLevel; i++) {
      Node u = update[i];
      setForward(node, i, forward(u, i));
      setForward(u, i, node);
      if (i > 0) {
        long before = rank[0] - rank[i];
        setSpan(node, i, span(u, i) - before);
        setSpan(u, i, before + 1);
      }
    }
    for (int i = nodeLevel; i < level; i++) {
      setSpan(update[i], i, span(update[i], i) + 1L);
    }
    node.prev = update[0] == header ? null : update[0];
    if (node.next != null) {
      node.next.prev = node;
    } else {
      tail = node;
    }
    length++;
  }

  /** zslDeleteNode: unlinks a node given its predecessors at each level. */
  private void unlink(Node node, Node[] update) {
    for (int i = 0; i < level; i++) {
      Node u = update[i];
      if (forward(u, i) == node) {
        if (i > 0) {
          setSpan(u, i, span(u, i) + span(node, i) - 1L);
        }
        setForward(u, i, forward(node, i));
      } else {
        setSpan(u, i, span(u, i) - 1L);
      }
    }
    if (node.next != null) {
      node.next.prev = node.prev;
    } else {
      tail = node.prev;
    }
    while (level > 1 && forward(header, level - 1) == null) {
      level--;
    }
    length--;
  }

  private void growHeader(int levels) {
    int needed = levels - ZSetNodes.FIELD_LEVELS;
    int current = header.up.length;
    if (needed <= current) {
      return;
    }
    bytes += refArray(needed) - refArray(current) + intArray(needed) - intArray(current);
    header.up = Arrays.copyOf(header.up, needed);
    header.upSpan = Arrays.copyOf(header.upSpan, needed);
  }

  /**
   * Per-thread work arrays for a walk down the list, so that updates allocate nothing. Each use is
   * over before the next begins (a path is consumed by {@link #unlink} before {@link #insert} walks
   * again); stale node references left in them are overwritten by the next walk.
   */
  private static final class Scratch {
    final Node[] update = new Node[MAX_LEVEL];
    final long[] rank = new long[MAX_LEVEL];
  }

  private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

  private static Scratch scratch() {
    return SCRATCH.get();
  }

  /** Takes an unlinked node out of the hash table and the size estimate. */
  private void forget(Node node) {
    ZSetBuckets.unlink(table, node);
    bytes -= nodeBytes(node);
    if (table.length > ZSetBuckets.MIN_CAPACITY && length < table.length / 8) {
      resize(table.length / 2);
    }
  }

  private void resize(int capacity) {
    if (capacity == table.length) {
      return;
    }
    bytes += refArray(capacity) - refArray(table.length);
    table = ZSetBuckets.rehash(table, capacity);
  }

  /** Checks every structural invariant and recomputes the size estimate; for tests. */
  void verify() {
    ZSetInvariants.check(header, tail, length, level, table, bytes);
  }
}
