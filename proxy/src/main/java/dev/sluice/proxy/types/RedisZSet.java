package dev.sluice.proxy.types;

import dev.sluice.proxy.keyspace.MemoryEstimate;
import dev.sluice.proxy.keyspace.RedisValue;
import dev.sluice.proxy.types.ZSetListpack.View;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A sorted set, ordered by score, then by member bytes compared unsigned, in one of Redis's two
 * encodings: "listpack" ({@link ZSetListpack}: every member and score in one byte array, scanned
 * linearly) while it has at most 128 members of at most 64 bytes, then "skiplist" ({@link
 * ZSetSkipList}: a skip list with spans plus a hash table) for good, as Redis converts
 * (zsetTypeMaybeConvert, zsetConvert) and never goes back on its own.
 *
 * <p>Members are handed out as {@link Node}s: the skip list's own nodes, or views of a listpack
 * entry made on demand (which stay valid for reading after the set changes, as a listpack is never
 * changed in place, and which {@link #setScore} and {@link #remove(Node)} accept as long as the
 * member is still there).
 *
 * <p>Not thread-safe: callers hold the keyspace lock.
 */
public final class RedisZSet implements RedisValue {
  /** Redis's zset-max-listpack-entries default. */
  public static final int LISTPACK_MAX_ENTRIES = 128;

  /** Redis's zset-max-listpack-value default. */
  public static final int LISTPACK_MAX_VALUE = 64;

  /**
   * This object: 12-byte header, a reference and an int; 24 bytes with 8-byte references as with
   * compressed oops.
   */
  static final long SET_BYTES = MemoryEstimate.align(12L + MemoryEstimate.REFERENCE_BYTES + 4);

  /** One member with its score: a skip list node, or a view of a listpack entry. */
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

  /** The listpack (a byte[]) or the {@link ZSetSkipList}. */
  private Object body = ZSetListpack.EMPTY;

  /** How many members the listpack holds; unused once a skip list. */
  private int packedCount;

  public RedisZSet() {}

  /**
   * A set about to receive {@code sizeHint} members, the first {@code memberLengthHint} bytes long:
   * skiplist-encoded from the start when either is over Redis's listpack limits (zsetTypeCreate).
   */
  public static RedisZSet withHint(long sizeHint, int memberLengthHint) {
    RedisZSet set = new RedisZSet();
    set.sizeHint(sizeHint);
    if (memberLengthHint > LISTPACK_MAX_VALUE) {
      set.toSkipList();
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
    set.toSkipList();
    return set;
  }

  /**
   * zsetConvertToListpackIfNeeded: a listpack again when within Redis's limits, -0 scores then
   * reading back as 0 as there.
   */
  public void listpackIfSmall() {
    if (!(body instanceof ZSetSkipList list) || list.size() > LISTPACK_MAX_ENTRIES) {
      return;
    }
    for (Node node = list.first(); node != null; node = node.next) {
      if (node.member.length > LISTPACK_MAX_VALUE) {
        return;
      }
    }
    byte[] packed = ZSetListpack.EMPTY;
    // from the largest down: every entry lands at the front, found at once
    for (Node node = list.last(); node != null; node = node.prev) {
      packed = ZSetListpack.insert(packed, node.member, node.score);
    }
    body = packed;
    packedCount = list.size();
  }

  /**
   * Announces that about {@code sizeHint} members are about to be added: over the listpack limit
   * the encoding becomes "skiplist" at once, as zsetTypeMaybeConvert does.
   */
  public void sizeHint(long sizeHint) {
    if (sizeHint > LISTPACK_MAX_ENTRIES) {
      toSkipList(); // not presized: a hint may come from a corrupt payload and be huge
    }
  }

  /** zsetConvert to a skip list, or the skip list it already is. */
  private ZSetSkipList toSkipList() {
    if (body instanceof ZSetSkipList list) {
      return list;
    }
    byte[] packed = (byte[]) body;
    ZSetSkipList list = new ZSetSkipList();
    list.presize(packedCount);
    for (Node node = ZSetListpack.byRank(packed, 0); node != null; node = node.next()) {
      list.add(node.member, node.score);
    }
    body = list;
    packedCount = 0;
    return list;
  }

  // ---- RedisValue ----

  @Override
  public String typeName() {
    return "zset";
  }

  @Override
  public String encoding() {
    return body instanceof ZSetSkipList ? "skiplist" : "listpack";
  }

  /** Whether Redis would hold this set as a skiplist rather than a listpack. */
  public boolean isSkiplistEncoded() {
    return body instanceof ZSetSkipList;
  }

  @Override
  public RedisZSet copy() {
    RedisZSet copy = new RedisZSet();
    copy.body = body instanceof ZSetSkipList list ? list.copy() : ((byte[]) body).clone();
    copy.packedCount = packedCount;
    return copy;
  }

  @Override
  public long estimatedBytes() {
    return SET_BYTES
        + (body instanceof ZSetSkipList list
            ? list.bytes()
            : MemoryEstimate.byteArray(((byte[]) body).length));
  }

  @Override
  public boolean isEmpty() {
    return size() == 0;
  }

  // ---- members ----

  public int size() {
    return body instanceof ZSetSkipList list ? list.size() : packedCount;
  }

  /** The node of {@code member}, or null. */
  public Node find(byte[] member) {
    return body instanceof ZSetSkipList list
        ? list.find(member)
        : ZSetListpack.find((byte[]) body, member);
  }

  /** The lowest-ranked node (smallest score), or null when empty. */
  public Node first() {
    return body instanceof ZSetSkipList list ? list.first() : ZSetListpack.byRank((byte[]) body, 0);
  }

  /** The highest-ranked node, or null when empty. */
  public Node last() {
    return body instanceof ZSetSkipList list ? list.last() : byRank(packedCount - 1L);
  }

  /**
   * Adds a member known to be absent (callers {@link #find} first). A skip list keeps {@code
   * member}: the array must not change afterwards.
   */
  public Node add(byte[] member, double score) {
    if (Double.isNaN(score)) {
      throw new IllegalArgumentException("NaN score");
    }
    if (body instanceof byte[] packed
        && packedCount < LISTPACK_MAX_ENTRIES
        && member.length <= LISTPACK_MAX_VALUE) {
      byte[] grown = ZSetListpack.insert(packed, member, score);
      body = grown;
      packedCount++;
      return ZSetListpack.find(grown, member);
    }
    return toSkipList().add(member, score);
  }

  /** Changes a node's score (a listpack's -0 stored as 0). */
  public void setScore(Node node, double score) {
    if (Double.isNaN(score)) {
      throw new IllegalArgumentException("NaN score");
    }
    if (body instanceof ZSetSkipList list) {
      list.setScore(node, score);
      return;
    }
    View view = current(node);
    byte[] packed = (byte[]) body;
    byte[] without = ZSetListpack.cut(packed, view.offset, ZSetListpack.next(packed, view.offset));
    body = ZSetListpack.insert(without, view.member, score);
  }

  /** {@code node} as a view of the current listpack. */
  private View current(Node node) {
    if (node instanceof View view && view.packed == body) {
      return view;
    }
    View view = ZSetListpack.find((byte[]) body, node.member);
    if (view == null) {
      throw new IllegalArgumentException("member not in this set");
    }
    return view;
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
    if (body instanceof ZSetSkipList list) {
      list.remove(node);
      return;
    }
    View view = current(node);
    byte[] packed = (byte[]) body;
    body = ZSetListpack.cut(packed, view.offset, ZSetListpack.next(packed, view.offset));
    packedCount--;
  }

  /** The 0-based rank of a node of this set, in ascending order. */
  public long rank(Node node) {
    return body instanceof ZSetSkipList list ? list.rank(node) : current(node).index;
  }

  /** The node at a 0-based rank in ascending order, or null when out of range. */
  public Node byRank(long rank) {
    if (rank < 0 || rank >= size()) {
      return null;
    }
    return body instanceof ZSetSkipList list
        ? list.byRank(rank)
        : ZSetListpack.byRank((byte[]) body, rank);
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
    if (body instanceof ZSetSkipList list) {
      return list.countWhile(before);
    }
    long count = 0;
    for (Node node = first(); node != null && before.test(node); node = node.next()) {
      count++;
    }
    return count;
  }

  /**
   * Removes the members of 0-based ranks {@code start} to {@code end} inclusive, in O(log n + m);
   * returns how many were removed.
   */
  public long removeRange(long start, long end) {
    start = Math.max(start, 0);
    end = Math.min(end, size() - 1L);
    if (start > end) {
      return 0;
    }
    if (body instanceof ZSetSkipList list) {
      return list.removeRange(start, end);
    }
    byte[] packed = (byte[]) body;
    int from = ZSetListpack.offsetOf(packed, start);
    int to = ZSetListpack.offsetOf(packed, end + 1);
    body = ZSetListpack.cut(packed, from, to);
    packedCount -= (int) (end - start + 1);
    return end - start + 1;
  }

  /**
   * Visits the hash bucket {@code cursor} points at and returns the next cursor, 0 when done, with
   * SCAN's guarantee: the cursor's bits are incremented from the top (reverse binary), so a resize
   * between calls never skips a member present throughout. A listpack is visited whole at once.
   */
  public long scan(long cursor, Consumer<Node> visitor) {
    if (body instanceof ZSetSkipList list) {
      return list.scan(cursor, visitor);
    }
    for (Node node = first(); node != null; node = node.next()) {
      visitor.accept(node);
    }
    return 0;
  }

  /**
   * Checks every structural invariant and recomputes the size estimate from scratch; for tests.
   * Throws {@link IllegalStateException} on the first violation.
   */
  void verify() {
    if (body instanceof ZSetSkipList list) {
      list.verify();
    } else if (ZSetListpack.check((byte[]) body) != packedCount) {
      throw new IllegalStateException("listpack holds other than " + packedCount + " members");
    } else if (packedCount > LISTPACK_MAX_ENTRIES) {
      throw new IllegalStateException("listpack of " + packedCount + " members");
    }
  }
}
