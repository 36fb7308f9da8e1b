package dev.sluice.proxy.types.stream;

import dev.sluice.proxy.keyspace.MemoryEstimate;

/**
 * Heap estimates of the objects a stream is made of, on a 64-bit HotSpot JVM with compressed class
 * pointers (12-byte header) and references of the size the running JVM uses.
 */
final class StreamMemory {
  private StreamMemory() {}

  static final int REF = MemoryEstimate.REFERENCE_BYTES;

  /** A TreeMap: root, comparator and four cached views; size and modCount. */
  static final long TREE_MAP = object(6, 8);

  /** A TreeMap.Entry: key, value, left, right, parent and its colour. */
  static final long TREE_ENTRY = object(5, 1);

  /** A StreamId: two longs. */
  static final long STREAM_ID = object(0, 16);

  /** A node in the stream's map: the map entry, its StreamId key and the StreamNode object. */
  static final long NODE = TREE_ENTRY + STREAM_ID + object(2, 5 * 4 + 3 * 8);

  /**
   * A pending entry: its record (consumer reference, time, count), its entries in the group's and
   * the consumer's PEL and the StreamId key both share.
   */
  static final long PENDING = object(1, 16) + 2 * TREE_ENTRY + STREAM_ID;

  /** A consumer without its name: the record (name, PEL, two times), its PEL map, its map entry. */
  static final long CONSUMER = object(2, 16) + TREE_MAP + TREE_ENTRY;

  /**
   * A group without its name: the record (stream, name, last ID, two maps, entries-read and byte
   * count), its last-delivered StreamId, its two maps and its entry in the stream's group map.
   */
  static final long GROUP = object(5, 16) + STREAM_ID + 2 * TREE_MAP + TREE_ENTRY;

  static long object(int references, int primitiveBytes) {
    return (12L + (long) references * REF + primitiveBytes + 7) & ~7L;
  }

  static long bytes(byte[] array) {
    return MemoryEstimate.byteArray(array.length);
  }
}
