package dev.sluice.proxy.types.stream;

import java.util.Collection;

/**
 * The number of nodes of Redis's radix tree (rax.c) holding the given stream node keys, for XINFO
 * STREAM's radix-tree-nodes. A rax over 16-byte big-endian IDs has one node for the root, one per
 * key, one per point where keys diverge and one per child of such a point, chains of single-child
 * bytes being compressed into one node; rax keeps that canonical form through inserts and removals,
 * so the count follows from the sorted keys alone (checked against redis-server 7.0 for appends,
 * XDEL of whole nodes and trims).
 */
final class RaxShape {
  private RaxShape() {}

  private static final int KEY_BYTES = 16;

  /** Keys in increasing order, as a TreeMap's key set gives them. */
  static long nodes(Collection<StreamId> sortedKeys) {
    StreamId[] keys = sortedKeys.toArray(new StreamId[0]);
    return keys.length == 0 ? 1 : subtree(keys, 0, keys.length, 0);
  }

  /** Nodes under and including the one at depth {@code depth} that keys[lo, hi) pass through. */
  private static long subtree(StreamId[] keys, int lo, int hi, int depth) {
    if (hi - lo == 1) {
      return depth == KEY_BYTES ? 1 : 2; // a compressed run to the key's own node
    }
    int split = commonPrefix(keys[lo], keys[hi - 1]);
    if (split > depth) {
      return 1 + subtree(keys, lo, hi, split); // compressed down to where they diverge
    }
    long count = 1;
    int from = lo;
    for (int i = lo + 1; i <= hi; i++) {
      if (i == hi || byteAt(keys[i], depth) != byteAt(keys[from], depth)) {
        count += subtree(keys, from, i, depth + 1);
        from = i;
      }
    }
    return count;
  }

  private static int commonPrefix(StreamId a, StreamId b) {
    long x = a.ms() ^ b.ms();
    if (x != 0) {
      return Long.numberOfLeadingZeros(x) / 8;
    }
    x = a.seq() ^ b.seq();
    return x != 0 ? 8 + Long.numberOfLeadingZeros(x) / 8 : KEY_BYTES;
  }

  private static int byteAt(StreamId id, int index) {
    long part = index < 8 ? id.ms() : id.seq();
    return (int) (part >>> (56 - 8 * (index % 8))) & 0xFF;
  }
}
