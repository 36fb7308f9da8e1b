package dev.sluice.proxy.types;

import static dev.sluice.proxy.types.ZSetNodes.forward;
import static dev.sluice.proxy.types.ZSetNodes.precedes;
import static dev.sluice.proxy.types.ZSetNodes.span;

import dev.sluice.proxy.types.RedisZSet.Node;
import java.util.function.Predicate;

/**
 * The searches of {@link RedisZSet}'s skip list, each a walk from the header down the levels in
 * O(log n), adding up the spans it skips: a node's rank, the node at a rank, how many nodes come
 * before a score or lex bound, and the paths (the rightmost node before a place at each level) that
 * an update or a range removal starts from. They read the list and never change it.
 */
final class ZSetSearch {
  private ZSetSearch() {}

  /** The 0-based rank of a node of the list, in ascending order. */
  static long rank(Node header, int level, Node node) {
    long rank = 0;
    Node x = header;
    for (int i = level - 1; i >= 0; i--) {
      Node f;
      while ((f = forward(x, i)) != null && (f == node || precedes(f, node.score, node.member))) {
        rank += span(x, i);
        x = f;
      }
      if (x == node) {
        return rank - 1;
      }
    }
    throw new IllegalStateException("node not in this set");
  }

  /** The node at a 0-based rank in ascending order, or null when there is none. */
  static Node byRank(Node header, int level, long rank) {
    long target = rank + 1;
    long traversed = 0;
    Node x = header;
    for (int i = level - 1; i >= 0; i--) {
      Node f;
      while ((f = forward(x, i)) != null && traversed + span(x, i) <= target) {
        traversed += span(x, i);
        x = f;
      }
      if (traversed == target) {
        return x;
      }
    }
    return null;
  }

  /**
   * How many nodes, from the start of the order, satisfy {@code before} (which holds for a prefix
   * of the order).
   */
  static long countWhile(Node header, int level, Predicate<Node> before) {
    long count = 0;
    Node x = header;
    for (int i = level - 1; i >= 0; i--) {
      Node f;
      while ((f = forward(x, i)) != null && before.test(f)) {
        count += span(x, i);
        x = f;
      }
    }
    return count;
  }

  /**
   * Fills {@code update} with the rightmost node before 0-based rank {@code start} at each level
   * and returns the one at level 0, whose successor has that rank.
   */
  static Node pathToRank(Node header, int level, long start, Node[] update) {
    long traversed = 0;
    Node x = header;
    for (int i = level - 1; i >= 0; i--) {
      Node f;
      while ((f = forward(x, i)) != null && traversed + span(x, i) <= start) {
        traversed += span(x, i);
        x = f;
      }
      update[i] = x;
    }
    return x;
  }

  /** Fills {@code update} with the rightmost node before {@code node} at each level. */
  static Node[] pathTo(Node header, int level, Node node, Node[] update) {
    Node x = header;
    for (int i = level - 1; i >= 0; i--) {
      Node f;
      while ((f = forward(x, i)) != null && precedes(f, node.score, node.member)) {
        x = f;
      }
      update[i] = x;
    }
    return update;
  }
}
