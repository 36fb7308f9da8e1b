package dev.sluice.proxy.types.stream;

import java.util.Map;
import java.util.TreeMap;

/** streamIterator over a stream's nodes. */
final class StreamWalk {
  private StreamWalk() {}

  /** Called per entry found; returns false to stop the walk. */
  interface Hit {
    boolean hit(StreamNode node, StreamNode.Cursor c);
  }

  /**
   * streamIterator: entries with start <= id <= end, in order or reversed, tombstones skipped or
   * not. Moves between nodes by key, so {@code hit} may flag entries or drop the current node.
   */
  static void walk(
      TreeMap<StreamId, StreamNode> nodes,
      StreamId start,
      StreamId end,
      boolean rev,
      boolean skipTombstones,
      Hit hit) {
    StreamNode.Cursor c = new StreamNode.Cursor();
    StreamId seek = rev ? end : start;
    Map.Entry<StreamId, StreamNode> at = seek.isZero() ? null : nodes.floorEntry(seek);
    if (at == null) {
      at = rev ? nodes.lastEntry() : nodes.firstEntry();
    }
    int[] offsets = null;
    while (at != null) {
      StreamNode node = at.getValue();
      if (!rev) {
        for (int offset = node.firstOffset(); offset < node.end(); offset = c.next) {
          node.read(offset, c);
          if (c.compareTo(start) >= 0 && !(skipTombstones && c.deleted())) {
            if (c.compareTo(end) > 0 || !hit.hit(node, c)) {
              return;
            }
          }
        }
        at = nodes.higherEntry(node.master);
      } else {
        // entries hold no back-pointers: find the node's offsets, then go through them backwards
        if (offsets == null || offsets.length < node.entryCount()) {
          offsets = new int[node.entryCount()];
        }
        int n = 0;
        for (int offset = node.firstOffset(); offset < node.end(); offset = c.next) {
          node.read(offset, c);
          offsets[n++] = offset;
        }
        for (int i = n - 1; i >= 0; i--) {
          node.read(offsets[i], c);
          if (c.compareTo(end) <= 0 && !(skipTombstones && c.deleted())) {
            if (c.compareTo(start) < 0 || !hit.hit(node, c)) {
              return;
            }
          }
        }
        at = nodes.lowerEntry(node.master);
      }
    }
  }
}
