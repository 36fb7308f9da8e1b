package dev.sluice.proxy.types.stream;

import java.util.Map;

/**
 * streamTrim: drops the oldest entries by count (MAXLEN) or by ID (MINID).
 *
 * <p>Whole nodes go first, from the oldest, while a node can go entirely (MAXLEN: the live entries
 * left would still be at least the limit; MINID: the node's last ID, tombstone or not, is below the
 * minimum). Approximate trimming ("~") stops at the first node that cannot go whole; exact trimming
 * then flags entries deleted inside that one node and stops. {@code limit} (0: none) bounds the
 * live entries removed, checked a whole node at a time before removing it, so a node that would
 * overshoot the limit stops the trim.
 *
 * <p>As in Redis 7.4, trimming leaves max-deleted-entry-id alone (only XDEL and XSETID set it) and
 * recomputes the recorded first ID.
 */
final class StreamTrimmer {
  private StreamTrimmer() {}

  /** Trims by length when {@code minId} is null, else by ID; returns live entries removed. */
  static long trim(RedisStream s, long maxLen, StreamId minId, boolean approx, long limit) {
    boolean byLength = minId == null;
    long deleted = 0;
    Map.Entry<StreamId, StreamNode> at = s.nodes().firstEntry();
    while (at != null) {
      StreamNode node = at.getValue();
      if (byLength && Long.compareUnsigned(s.length(), maxLen) <= 0) {
        break;
      }
      long entries = node.live;
      if (limit != 0 && deleted + entries > limit) {
        break;
      }
      boolean removeNode =
          byLength
              ? Long.compareUnsigned(s.length() - entries, maxLen) >= 0
              : node.lastId().compareTo(minId) < 0;
      if (removeNode) {
        s.removeNode(node);
        s.entriesTrimmed(entries);
        deleted += entries;
        at = s.nodes().higherEntry(node.master);
        continue;
      }
      if (!approx) {
        deleted += trimInside(s, node, maxLen, minId);
      }
      break;
    }
    s.trimmed(deleted);
    return deleted;
  }

  /** Flags the node's leading entries deleted until the stream is short enough or IDs reach min. */
  private static long trimInside(RedisStream s, StreamNode node, long maxLen, StreamId minId) {
    long deleted = 0;
    StreamNode.Cursor c = new StreamNode.Cursor();
    for (int offset = node.firstOffset(); offset < node.end(); offset = c.next) {
      node.read(offset, c);
      boolean stop =
          minId == null ? Long.compareUnsigned(s.length(), maxLen) <= 0 : c.compareTo(minId) >= 0;
      if (stop) {
        break;
      }
      if (!c.deleted()) {
        node.markDeleted(offset);
        s.entriesTrimmed(1);
        deleted++;
      }
    }
    return deleted;
  }
}
