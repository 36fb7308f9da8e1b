package dev.sluice.proxy.types;

import static dev.sluice.proxy.types.ZSetNodes.forward;
import static dev.sluice.proxy.types.ZSetNodes.newNode;
import static dev.sluice.proxy.types.ZSetNodes.nodeBytes;
import static dev.sluice.proxy.types.ZSetNodes.precedes;
import static dev.sluice.proxy.types.ZSetNodes.randomLevel;
import static dev.sluice.proxy.types.ZSetNodes.refArray;
import static dev.sluice.proxy.types.ZSetNodes.setForward;
import static dev.sluice.proxy.types.ZSetNodes.setSpan;
import static dev.sluice.proxy.types.ZSetNodes.span;

import dev.sluice.proxy.keyspace.RedisValue;
import dev.sluice.proxy.types.ZSetNodes.NodeN;
import java.util.Arrays;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A sorted set: Redis's zskiplist (ordered by score, then by member bytes compared unsigned, with a
 * span count on every link so ranks cost O(log n)) plus a chained hash table from member to node.
 *
 * <p>Each member is one {@link Node} that serves both structures: it is the skip list node and the
 * hash table entry. As in Redis, where a node's levels are part of the node, the links live in the
 * node's own fields: a node of level 1 (three in four) is 40 bytes, levels 2 and 3 add a link and a
 * span field each (48 and 56 bytes), and only nodes of level 4 or more (one in 64) carry arrays for
 * their upper links. The level-0 span is always 1 and is not stored. A walk down the list so
 * touches one object per step, not a node plus link arrays.
 *
 * <p>There is one representation for all sizes; {@link #encoding()} reports "listpack" or
 * "skiplist" by Redis's thresholds (at most 128 members of at most 64 bytes), and never converts
 * back down, as Redis does not.
 *
 * <p>The node classes by level and their link accessors are {@link ZSetNodes}; the searches down
 * the levels (ranks, counts, paths) are {@link ZSetSearch}; the hash table's functions over this
 * set's bucket array are {@link ZSetBuckets}; {@link ZSetInvariants} checks the whole for tests.
 *
 * <p>Not thread-safe: callers hold the keyspace lock.
 */
public final class RedisZSet implements RedisValue {
  /** Redis's zset-max-listpack-entries default. */
  public static final int LISTPACK_MAX_ENTRIES = 128;

  /** Redis's zset-max-listpack-value default. */
  public static final int LISTPACK_MAX_VALUE = 64;

  static final int MAX_LEVEL = 32;

  /** This object: header, 5 references/ints, a boolean and a long, aligned. */
  static final long SET_BYTES = 48;

  /** A node of level 1: header, member, hash, score, prev, next, chain. */
  static final long NODE_BYTES = 40;

  /** Each of levels 2 and 3 adds a link and its span; level 4 and up, two array references. */
  static final long LEVEL_FIELD_BYTES = 8;

  /** One member with its score, linked into the skip list and the hash table. */
  public static class Node {
    final byte[] member;
    final int hash;
    double score;
    Node prev;
    Node next;

    /** The next node in the same hash bucket. */
    Node chain;

    Node(byte[] member, int hash, double score) {
      this.member = member;
      this.hash = hash;
      this.score = score;
    }

    public byte[] member() {
      return member;
    }

    public double score() {
      return score;
    }

    /** The next node in ascending order, or null after the last. */
    public Node next() {
      return next;
    }

    /** The previous node in ascending order, or null before the first. */
    public Node prev() {
      return prev;
    }

    int level() {
      return 1;
    }
  }

  private final NodeN header = new NodeN(null, 0, 0, 0);
  private Node tail;
  private int length;
  private int level = 1;
  private Node[] table = new Node[ZSetBuckets.MIN_CAPACITY];
  private boolean skiplist;
  private long bytes = SET_BYTES + nodeBytes(header) + refArray(ZSetBuckets.MIN_CAPACITY);

  public RedisZSet() {}

  /**
   * A set about to receive {@code sizeHint} members, the first {@code memberLengthHint} bytes long:
   * skiplist-encoded from the start when either is over Redis's listpack limits (zsetTypeCreate).
   */
  public static RedisZSet withHint(long sizeHint, int memberLengthHint) {
    RedisZSet set = new RedisZSet();
    set.sizeHint(sizeHint);
    if (memberLengthHint > LISTPACK_MAX_VALUE) {
      set.skiplist = true;
    }
    return set;
  }

  /**
   * A set computed from others (ZUNION, ZINTER, ZDIFF): skiplist-encoded whatever its size, as
   * Redis builds it, so that its scores stay the doubles computed (-0 included) until {@link
   * #listpackIfSmall} when it is stored.
   */
  public static RedisZSet computed() {
    RedisZSet set = new RedisZSet();
    set.skiplist = true;
    return set;
  }

  /**
   * zsetConvertToListpackIfNeeded: a listpack again when within Redis's limits, -0 scores then
   * reading back as 0 as there.
   */
  public void listpackIfSmall() {
    if (!skiplist || length > LISTPACK_MAX_ENTRIES) {
      return;
    }
    for (Node node = first(); node != null; node = node.next()) {
      if (node.member.length > LISTPACK_MAX_VALUE) {
        return;
      }
    }
    skiplist = false;
    for (Node node = first(); node != null; node = node.next()) {
      node.score = stored(node.score);
    }
  }

  /**
   * Announces that about {@code sizeHint} members are about to be added: over the listpack limit
   * the encoding becomes "skiplist" at once, as zsetTypeMaybeConvert does.
   */
  public void sizeHint(long sizeHint) {
    if (sizeHint > LISTPACK_MAX_ENTRIES) {
      skiplist = true;
    }
  }

  // ---- RedisValue ----

  @Override
  public String typeName() {
    return "zset";
  }

  @Override
  public String encoding() {
    return skiplist ? "skiplist" : "listpack";
  }

  /** Whether Redis would hold this set as a skiplist rather than a listpack. */
  public boolean isSkiplistEncoded() {
    return skiplist;
  }

  @Override
  public RedisZSet copy() {
    RedisZSet copy = new RedisZSet();
    copy.skiplist = skiplist;
    copy.resize(ZSetBuckets.capacityFor(length));
    // from the largest down: every insertion lands at the head, O(1) each (as Redis's zsetDup)
    for (Node n = tail; n != null; n = n.prev) {
      copy.add(n.member.clone(), n.score);
    }
    return copy;
  }

  @Override
  public long estimatedBytes() {
    return bytes;
  }

  @Override
  public boolean isEmpty() {
    return length == 0;
  }

  // ---- members ----

  public int size() {
    return length;
  }

  /** The node of {@code member}, or null. */
  public Node find(byte[] member) {
    return ZSetBuckets.find(table, member);
  }

  /** The lowest-ranked node (smallest score), or null when empty. */
  public Node first() {
    return header.next;
  }

  /** The highest-ranked node, or null when empty. */
  public Node last() {
    return tail;
  }

  /**
   * Adds a member known to be absent (callers {@link #find} first). The set keeps {@code member}:
   * the array must not change afterwards.
   */
  public Node add(byte[] member, double score) {
    if (Double.isNaN(score)) {
      throw new IllegalArgumentException("NaN score");
    }
    if (length >= LISTPACK_MAX_ENTRIES || member.length > LISTPACK_MAX_VALUE) {
      skiplist = true;
    }
    Node node = newNode(member, ZSetBuckets.hash(member), stored(score), randomLevel());
    if (length >= table.length) {
      resize(table.length * 2);
    }
    ZSetBuckets.link(table, node);
    insert(node);
    bytes += nodeBytes(node);
    return node;
  }

  /** Changes a node's score, moving it only when its neighbours no longer bracket the score. */
  public void setScore(Node node, double score) {
    if (Double.isNaN(score)) {
      throw new IllegalArgumentException("NaN score");
    }
    score = stored(score);
    if ((node.prev == null || node.prev.score < score)
        && (node.next == null || node.next.score > score)) {
      node.score = score;
      return;
    }
    unlink(node, pathTo(node));
    node.score = score;
    insert(node); // the node keeps its level and its link arrays: no allocation
  }

  /**
   * A score as the set keeps it: a listpack holds integral scores as integers (zzlInsertAt), so -0
   * reads back as 0 there; a skiplist keeps the double as it is.
   */
  private double stored(double score) {
    return score == 0 && !skiplist ? 0.0 : score;
  }

  /** Removes a member; returns whether it was there. */
  public boolean remove(byte[] member) {
    Node node = find(member);
    if (node == null) {
      return false;
    }
    remove(node);
    return true;
  }

  /** Removes a node of this set. */
  public void remove(Node node) {
    unlink(node, pathTo(node));
    forget(node);
  }

  /** The 0-based rank of a node of this set, in ascending order. */
  public long rank(Node node) {
    return ZSetSearch.rank(header, level, node);
  }

  /** The node at a 0-based rank in ascending order, or null when out of range. */
  public Node byRank(long rank) {
    return rank < 0 || rank >= length ? null : ZSetSearch.byRank(header, level, rank);
  }

  /** How many members sort before the start of {@code range}: the rank of its first member. */
  public long countBefore(ScoreRange range) {
    return countWhile(node -> !range.gteMin(node.score));
  }

  /** How many members sort no later than the end of {@code range}: one past its last member. */
  public long countThrough(ScoreRange range) {
    return countWhile(node -> range.lteMax(node.score));
  }

  /** {@link #countBefore(ScoreRange)} for a member range (meaningful when all scores are equal). */
  public long countBefore(LexRange range) {
    return countWhile(node -> !range.gteMin(node.member));
  }

  /** {@link #countThrough(ScoreRange)} for a member range. */
  public long countThrough(LexRange range) {
    return countWhile(node -> range.lteMax(node.member));
  }

  /** How many members, from the start of the order, satisfy {@code before}. */
  private long countWhile(Predicate<Node> before) {
    return ZSetSearch.countWhile(header, level, before);
  }

  /**
   * Removes the members of 0-based ranks {@code start} to {@code end} inclusive, in O(log n + m);
   * returns how many were removed.
   */
  public long removeRange(long start, long end) {
    if (start < 0) {
      start = 0;
    }
    if (end >= length) {
      end = length - 1L;
    }
    if (start > end) {
      return 0;
    }
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

  /**
   * Visits the hash bucket {@code cursor} points at and returns the next cursor, 0 when done, with
   * SCAN's guarantee: the cursor's bits are incremented from the top (reverse binary), so a resize
   * between calls never skips a member present throughout.
   */
  public long scan(long cursor, Consumer<Node> visitor) {
    return ZSetBuckets.scan(table, cursor, visitor);
  }

  // ---- the skip list ----

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
    int needed = levels - 3;
    int current = header.up.length;
    if (needed <= current) {
      return;
    }
    bytes += 2 * (refArray(needed) - refArray(current));
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

  // ---- the hash table ----

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

  /**
   * Checks every structural invariant and recomputes the size estimate from scratch; for tests.
   * Throws {@link IllegalStateException} on the first violation.
   */
  void verify() {
    ZSetInvariants.check(header, tail, length, level, table, bytes);
  }
}
