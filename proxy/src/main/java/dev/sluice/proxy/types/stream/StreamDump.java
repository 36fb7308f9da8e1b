package dev.sluice.proxy.types.stream;

import java.util.List;
import java.util.Map;

/**
 * A stream node by node, for a durable copy (write-back of kv streams): {@link #dump} gives every
 * node in ID order with all its entries, deleted ones flagged, so that {@link #restoreNode} and
 * {@link #restoreMetadata} rebuild the same node boundaries and tombstones — XINFO's radix-tree
 * figures, approximate trimming and lag depend on them.
 */
public final class StreamDump {
  private StreamDump() {}

  /** Receives a stream's entries node by node, tombstones included. */
  public interface NodeDump {
    /** A node begins; its {@code entries} (live and deleted) follow. */
    void node(int entries);

    void entry(StreamId id, boolean deleted, byte[][] fieldsValues);
  }

  public static void dump(RedisStream stream, NodeDump out) {
    StreamNode.Cursor c = new StreamNode.Cursor();
    for (StreamNode node : stream.nodes().values()) {
      out.node(node.entryCount());
      for (int offset = node.firstOffset(); offset < node.end(); offset = c.next) {
        node.read(offset, c);
        out.entry(c.id(), c.deleted(), node.fieldsValues(c));
      }
    }
  }

  /**
   * Appends to {@code stream} one node holding {@code entries} in order, those flagged in {@code
   * deleted} as tombstones. Metadata comes last, with {@link #restoreMetadata}.
   *
   * @throws IllegalArgumentException for no entries, IDs not increasing past the previous node's,
   *     or fields and values not in pairs
   */
  public static void restoreNode(RedisStream stream, List<StreamEntry> entries, boolean[] deleted) {
    if (entries.isEmpty() || deleted.length != entries.size()) {
      throw new IllegalArgumentException(
          "a stream node needs entries and one deleted flag each, got "
              + entries.size()
              + " entries and "
              + deleted.length
              + " flags");
    }
    Map.Entry<StreamId, StreamNode> tail = stream.nodes().lastEntry();
    StreamId previous = tail == null ? null : tail.getValue().lastId();
    StreamNode node = null;
    for (StreamEntry e : entries) {
      byte[][] fieldsValues = e.fieldsValues();
      if (fieldsValues.length == 0 || fieldsValues.length % 2 != 0) {
        throw new IllegalArgumentException(
            "entry " + e.id() + " has " + fieldsValues.length + " fields and values, not pairs");
      }
      if (previous != null && e.id().compareTo(previous) <= 0) {
        throw new IllegalArgumentException("entry " + e.id() + " does not come after " + previous);
      }
      previous = e.id();
      if (node == null) {
        node = StreamNode.create(e.id(), fieldsValues);
      } else {
        node.append(e.id(), fieldsValues);
      }
    }
    StreamNode.Cursor c = new StreamNode.Cursor();
    int i = 0;
    for (int offset = node.firstOffset(); offset < node.end(); offset = c.next, i++) {
      node.read(offset, c);
      if (deleted[i]) {
        node.markDeleted(offset);
      }
    }
    node.shrink();
    stream.appendRestoredNode(node);
  }

  /**
   * After the nodes: last-generated-id, recorded-first-entry-id, max-deleted-entry-id and
   * entries-added as they were.
   *
   * @throws IllegalArgumentException when the last ID is below an entry's
   */
  public static void restoreMetadata(
      RedisStream stream,
      StreamId lastId,
      StreamId firstId,
      StreamId maxDeletedId,
      long entriesAdded) {
    Map.Entry<StreamId, StreamNode> tail = stream.nodes().lastEntry();
    if (tail != null && lastId.compareTo(tail.getValue().lastId()) < 0) {
      throw new IllegalArgumentException(
          "last-generated-id " + lastId + " is below entry " + tail.getValue().lastId());
    }
    stream.restoredMetadata(lastId, firstId, maxDeletedId, entriesAdded);
  }
}
