package dev.sluice.proxy.types;

import static dev.sluice.proxy.types.ZSetNodes.forward;
import static dev.sluice.proxy.types.ZSetNodes.nodeBytes;
import static dev.sluice.proxy.types.ZSetNodes.precedes;
import static dev.sluice.proxy.types.ZSetNodes.refArray;
import static dev.sluice.proxy.types.ZSetNodes.span;

import dev.sluice.proxy.types.RedisZSet.Node;
import dev.sluice.proxy.types.ZSetNodes.NodeN;

/** The structural invariants of a {@link ZSetSkipList}, checked from scratch; for tests. */
final class ZSetInvariants {
  private ZSetInvariants() {}

  /**
   * Checks the skip list (order, backward links, spans, level), the hash table and the size
   * estimate of a set with these fields. Throws {@link IllegalStateException} on the first
   * violation.
   */
  static void check(NodeN header, Node tail, int length, int level, Node[] table, long bytes) {
    long expectedBytes = ZSetSkipList.LIST_BYTES + nodeBytes(header) + refArray(table.length);
    int headerLevels = header.level();
    int count = 0;
    Node previous = null;
    for (Node n = header.next; n != null; n = n.next) {
      if (n.prev != previous) {
        throw new IllegalStateException("backward link broken at rank " + count);
      }
      if (previous != null && !precedes(previous, n.score, n.member)) {
        throw new IllegalStateException("order broken at rank " + count);
      }
      if (n.level() > level) {
        throw new IllegalStateException("node above list level at rank " + count);
      }
      if (ZSetBuckets.find(table, n.member) != n) {
        throw new IllegalStateException("hash table misses rank " + count);
      }
      expectedBytes += nodeBytes(n);
      previous = n;
      count++;
    }
    if (count != length || tail != previous) {
      throw new IllegalStateException("length or tail wrong");
    }
    int hashed = ZSetBuckets.count(table);
    if (hashed != length) {
      throw new IllegalStateException("hash table holds " + hashed + " of " + length);
    }
    // every link's span is the rank distance it covers
    for (int i = 1; i < level; i++) {
      long rank = 0;
      Node x = header;
      while (true) {
        Node f = forward(x, i);
        long distance = 0;
        Node walk = x;
        while (walk != f) {
          walk = walk.next;
          distance++;
          if (walk == null) {
            break;
          }
        }
        if (f == null) {
          break;
        }
        if (span(x, i) != distance) {
          throw new IllegalStateException("span wrong at level " + i + " after rank " + rank);
        }
        rank += distance;
        x = f;
      }
    }
    for (int i = level; i < headerLevels; i++) {
      if (forward(header, i) != null) {
        throw new IllegalStateException("header link above list level");
      }
    }
    if (level > 1 && forward(header, level - 1) == null) {
      throw new IllegalStateException("list level not trimmed");
    }
    if (expectedBytes != bytes) {
      throw new IllegalStateException("size estimate " + bytes + " != " + expectedBytes);
    }
  }
}
