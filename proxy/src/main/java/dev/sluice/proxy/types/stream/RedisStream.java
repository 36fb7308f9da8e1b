package dev.sluice.proxy.types.stream;

import dev.sluice.proxy.keyspace.RedisValue;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A Redis stream (t_stream.c): entries with increasing IDs, trimming, and consumer groups.
 *
 * <p><b>Layout.</b> Entries live in {@link StreamNode}s, each one byte array holding up to
 * stream-node-max-entries (100) entries, keyed by the node's first ("master") ID in a TreeMap, as
 * Redis keeps listpacks in a radix tree. A node closes when it holds that many entries (live and
 * deleted) or when the listpack Redis would have built reaches stream-node-max-bytes (4096), so
 * node boundaries match Redis's: approximate trimming (which only drops whole nodes) then removes
 * what Redis removes, and XINFO STREAM's radix-tree-keys/-nodes agree. One array per node instead
 * of objects per field keeps a 100-entry node at about the listpack's size plus ~150 bytes.
 *
 * <p><b>Invariants.</b> Entry IDs increase across and within nodes. XDEL and exact trimming flag an
 * entry deleted in place, never moving others; XDEL drops a node when its last live entry goes (as
 * streamIteratorRemoveEntry), while an exact MINID trim may leave a node of tombstones only, as
 * Redis does. {@code length} counts live entries. Metadata follows Redis's struct: last-generated
 * ID, recorded first entry ID (0-0 when empty), the largest ID XDEL removed (trimming does not
 * update it, as in 7.4), entries ever added.
 *
 * <p><b>Emptiness.</b> {@link #isEmpty()} is always false: Redis keeps a stream key with no entries
 * (XDEL / XTRIM to zero, XGROUP CREATE MKSTREAM). Database never asks a value whether it is empty;
 * the command layer deletes a hash, set, list or zset it emptied by checking {@code isEmpty()}
 * itself, so a stream command that does the same keeps the key, as Redis.
 *
 * <p><b>Time and counts.</b> Nothing reads the clock: every operation that stamps or compares a
 * time takes {@code nowMillis}. Counts from clients are upper bounds only; results grow as entries
 * are found, never pre-sized to a count. The heap estimate is kept up to date in O(1) per node,
 * entry, group, consumer or pending entry added or removed. Not thread-safe: callers hold the
 * keyspace lock.
 */
public final class RedisStream implements RedisValue {
  public static final int DEFAULT_NODE_MAX_ENTRIES = 100;
  public static final long DEFAULT_NODE_MAX_BYTES = 4096;

  /** The stream object (seven references or longs, two ints) and its node map. */
  static final long SHALLOW_BYTES = StreamMemory.object(6, 3 * 8 + 2 * 4) + StreamMemory.TREE_MAP;

  private final int nodeMaxEntries;
  private final long nodeMaxBytes;
  private final TreeMap<StreamId, StreamNode> nodes = new TreeMap<>();
  private long length;
  private StreamId lastId = StreamId.MIN;
  private StreamId firstId = StreamId.MIN;
  private StreamId maxDeletedId = StreamId.MIN;
  private long entriesAdded;

  private final StreamGroups groups = new StreamGroups();

  private long nodeBytes;

  public RedisStream() {
    this(DEFAULT_NODE_MAX_ENTRIES, DEFAULT_NODE_MAX_BYTES);
  }

  /**
   * A stream whose nodes close at {@code nodeMaxEntries} entries or {@code nodeMaxBytes} listpack
   * bytes (stream-node-max-entries / -bytes; 0 means no limit, bytes being capped at 1 GB).
   */
  public RedisStream(int nodeMaxEntries, long nodeMaxBytes) {
    this.nodeMaxEntries = nodeMaxEntries;
    this.nodeMaxBytes = nodeMaxBytes;
  }

  @Override
  public String typeName() {
    return "stream";
  }

  @Override
  public String encoding() {
    return "stream";
  }

  /** Always false: an empty stream is still a key in Redis (see the class comment). */
  @Override
  public boolean isEmpty() {
    return false;
  }

  @Override
  public long estimatedBytes() {
    return SHALLOW_BYTES + nodeBytes + groups.bytes();
  }

  public long length() {
    return length;
  }

  /** last-generated-id: the largest ID ever added or set by XSETID; 0-0 for a new stream. */
  public StreamId lastId() {
    return lastId;
  }

  /** recorded-first-entry-id: the first live entry's ID, 0-0 when there is none. */
  public StreamId firstId() {
    return firstId;
  }

  /** max-deleted-entry-id: the largest ID XDEL removed (or XSETID set). */
  public StreamId maxDeletedId() {
    return maxDeletedId;
  }

  public long entriesAdded() {
    return entriesAdded;
  }

  /** XINFO STREAM radix-tree-keys: the number of nodes. */
  public int radixTreeKeys() {
    return nodes.size();
  }

  /** XINFO STREAM radix-tree-nodes: the nodes Redis's rax over the node keys has. */
  public long radixTreeNodes() {
    return RaxShape.nodes(nodes.keySet());
  }

  /**
   * XADD: appends an entry and returns its ID. {@code fieldsValues} alternates fields and values
   * (at least one pair; the arrays are copied). A generated ID uses {@code nowMillis}, or the last
   * ID's ms with the next sequence when the clock is not ahead of it.
   *
   * @throws StreamException with Redis's text for 0-0, an exhausted stream, an ID not above the
   *     last one, or more than 1 GB of fields and values
   */
  public StreamId add(StreamAddId idArg, byte[][] fieldsValues, long nowMillis) {
    if (fieldsValues.length == 0 || fieldsValues.length % 2 != 0) {
      throw new IllegalArgumentException("fields and values must come in pairs");
    }
    if (idArg.isExplicitZero()) {
      throw new StreamException(StreamException.XADD_ID_ZERO);
    }
    if (lastId.isMax()) {
      throw new StreamException(StreamException.EXHAUSTED);
    }
    StreamId id = nextId(idArg, nowMillis);
    long total = 0;
    for (byte[] element : fieldsValues) {
      total += element.length;
    }
    if (total > ListpackSize.MAX) {
      throw new StreamException(StreamException.TOO_LARGE);
    }
    Map.Entry<StreamId, StreamNode> tail = nodes.lastEntry();
    StreamNode node = tail == null ? null : tail.getValue();
    if (node != null && mustClose(node, total)) {
      nodeBytes -= node.arrayBytes();
      node.shrink();
      nodeBytes += node.arrayBytes();
      node = null;
    }
    if (node == null) {
      node = StreamNode.create(id, fieldsValues);
      nodes.put(id, node);
      nodeBytes += StreamMemory.NODE + node.arrayBytes();
    } else {
      nodeBytes -= node.arrayBytes();
      node.append(id, fieldsValues);
      nodeBytes += node.arrayBytes();
    }
    length++;
    entriesAdded++;
    lastId = id;
    if (length == 1) {
      firstId = id;
    }
    return id;
  }

  private StreamId nextId(StreamAddId idArg, long nowMillis) {
    StreamId id;
    if (idArg.auto()) {
      id = Long.compareUnsigned(nowMillis, lastId.ms()) > 0 ? new StreamId(nowMillis, 0) : null;
      if (id == null) {
        id = lastId.nextWrapping();
      }
    } else if (!idArg.seqGiven() && lastId.ms() == idArg.ms()) {
      if (lastId.seq() == -1L) {
        throw new StreamException(StreamException.XADD_ID_TOO_SMALL);
      }
      id = new StreamId(lastId.ms(), lastId.seq() + 1);
    } else {
      id = new StreamId(idArg.ms(), idArg.seq());
    }
    if (id.compareTo(lastId) <= 0) {
      throw new StreamException(StreamException.XADD_ID_TOO_SMALL);
    }
    return id;
  }

  private boolean mustClose(StreamNode node, long incoming) {
    long maxBytes =
        nodeMaxBytes == 0 || nodeMaxBytes > ListpackSize.MAX ? ListpackSize.MAX : nodeMaxBytes;
    if (node.listpackBytes() + incoming >= maxBytes) {
      return true;
    }
    return nodeMaxEntries != 0 && node.entryCount() >= nodeMaxEntries;
  }

  /**
   * XDEL: flags the given entries deleted and returns how many were live. Updates
   * max-deleted-entry-id and the recorded first ID as xdelCommand does.
   */
  public long delete(Collection<StreamId> ids) {
    long deleted = 0;
    boolean firstDeleted = false;
    for (StreamId id : ids) {
      if (deleteEntry(id)) {
        firstDeleted |= id.equals(firstId);
        if (id.compareTo(maxDeletedId) > 0) {
          maxDeletedId = id;
        }
        deleted++;
      }
    }
    if (deleted > 0) {
      if (length == 0) {
        firstId = StreamId.MIN;
      } else if (firstDeleted) {
        firstId = edgeId(true, true);
      }
    }
    return deleted;
  }

  /** streamDeleteItem: flags one live entry, dropping its node if it was the node's last. */
  private boolean deleteEntry(StreamId id) {
    boolean[] found = {false};
    walk(
        id,
        id,
        false,
        true,
        (node, c) -> {
          if (node.live == 1) {
            nodes.remove(node.master);
            nodeBytes -= StreamMemory.NODE + node.arrayBytes();
          } else {
            node.markDeleted(c.offset);
          }
          length--;
          found[0] = true;
          return false;
        });
    return found[0];
  }

  /**
   * XTRIM / XADD MAXLEN: removes the oldest entries until at most {@code maxLen} remain; see {@link
   * StreamTrimmer} for {@code approx} and {@code limit}. Returns the number removed.
   */
  public long trimByLength(long maxLen, boolean approx, long limit) {
    return StreamTrimmer.trim(this, maxLen, null, approx, limit);
  }

  /**
   * XTRIM / XADD MINID: removes entries with IDs below {@code minId}; returns the number removed.
   */
  public long trimByMinId(StreamId minId, boolean approx, long limit) {
    return StreamTrimmer.trim(this, 0, minId, approx, limit);
  }

  /**
   * The LIMIT Redis applies to a "~" trim given none: 100 nodes' worth of entries, 10000 when
   * entries per node are unlimited, at most a million.
   */
  public long defaultApproxLimit() {
    long limit = 100L * nodeMaxEntries;
    return limit <= 0 ? 10000 : Math.min(limit, 1_000_000);
  }

  /** Visits entries; returns false to stop. The arrays are fresh copies. */
  @FunctionalInterface
  public interface EntryVisitor {
    boolean visit(StreamId id, byte[][] fieldsValues);
  }

  /**
   * XRANGE / XREVRANGE: visits live entries with {@code start <= id <= end} (both inclusive;
   * exclusive bounds are converted by {@link StreamId#parseRangeStart} / parseRangeEnd), in
   * increasing order or decreasing when {@code rev}, at most {@code count} of them (0: all).
   * Returns the number visited.
   */
  public long range(StreamId start, StreamId end, boolean rev, long count, EntryVisitor visitor) {
    long[] emitted = {0};
    walk(
        start,
        end,
        rev,
        true,
        (node, c) -> {
          emitted[0]++;
          return visitor.visit(c.id(), node.fieldsValues(c)) && (count == 0 || emitted[0] < count);
        });
    return emitted[0];
  }

  /** {@link #range(StreamId, StreamId, boolean, long, EntryVisitor)} collected in a list. */
  public List<StreamEntry> range(StreamId start, StreamId end, boolean rev, long count) {
    List<StreamEntry> out = new ArrayList<>();
    range(start, end, rev, count, (id, fv) -> out.add(new StreamEntry(id, fv)));
    return out;
  }

  /** The live entry with this ID, or null. */
  public StreamEntry get(StreamId id) {
    List<StreamEntry> found = range(id, id, false, 1);
    return found.isEmpty() ? null : found.get(0);
  }

  /** Whether a live entry has this ID (streamEntryExists). */
  public boolean contains(StreamId id) {
    boolean[] found = {false};
    walk(
        id,
        id,
        false,
        true,
        (node, c) -> {
          found[0] = true;
          return false;
        });
    return found[0];
  }

  /**
   * streamGetEdgeID: the first or last entry's ID, tombstones included or not; when there is none
   * the largest ID for the first edge and 0-0 for the last, as Redis.
   */
  public StreamId edgeId(boolean first, boolean skipTombstones) {
    StreamId[] edge = {null};
    walk(
        StreamId.MIN,
        StreamId.MAX,
        !first,
        skipTombstones,
        (node, c) -> {
          edge[0] = c.id();
          return false;
        });
    return edge[0] != null ? edge[0] : first ? StreamId.MAX : StreamId.MIN;
  }

  /**
   * streamLastValidID: the last live entry's ID, or null when the stream has none. XREAD serves a
   * reader at once only when this is above its ID, XREADGROUP when above the group's.
   */
  public StreamId lastValidId() {
    return length == 0 ? null : edgeId(false, true);
  }

  /**
   * XSETID: sets last-generated-id, and entries-added and max-deleted-entry-id when given ({@code
   * -1} / null for not given).
   */
  public void setId(StreamId id, long newEntriesAdded, StreamId newMaxDeletedId) {
    if (id.compareTo(maxDeletedId) < 0) {
      throw new StreamException(StreamException.XSETID_BELOW_MAX_DELETED);
    }
    if (length > 0) {
      if (id.compareTo(lastValidId()) < 0) {
        throw new StreamException(StreamException.XSETID_BELOW_TOP);
      }
      if (newEntriesAdded != -1 && Long.compareUnsigned(length, newEntriesAdded) > 0) {
        throw new StreamException(StreamException.XSETID_ENTRIES_ADDED_BELOW_LENGTH);
      }
    }
    lastId = id;
    if (newEntriesAdded != -1) {
      entriesAdded = newEntriesAdded;
    }
    if (newMaxDeletedId != null && !newMaxDeletedId.isZero()) {
      maxDeletedId = newMaxDeletedId;
    }
  }

  /**
   * XGROUP CREATE: a group delivering entries after {@code lastDelivered} ("$" is {@link
   * #lastId()}), with {@code entriesRead} -1 unless ENTRIESREAD gave one.
   *
   * @throws StreamException "BUSYGROUP Consumer Group name already exists"
   */
  public ConsumerGroup createGroup(byte[] name, StreamId lastDelivered, long entriesRead) {
    return groups.create(this, name, lastDelivered, entriesRead);
  }

  /** The group of that name, or null. */
  public ConsumerGroup group(byte[] name) {
    return groups.get(name);
  }

  /** XGROUP DESTROY: whether the group existed. */
  public boolean destroyGroup(byte[] name) {
    return groups.destroy(name);
  }

  /** The groups in name order (byte-wise, as Redis's rax), read-only. */
  public Collection<ConsumerGroup> groups() {
    return groups.all();
  }

  public int groupCount() {
    return groups.count();
  }

  /** An independent deep copy: entries, metadata, groups, consumers and PELs (COPY). */
  @Override
  public RedisStream copy() {
    RedisStream copy = new RedisStream(nodeMaxEntries, nodeMaxBytes);
    for (StreamNode node : nodes.values()) {
      StreamNode nodeCopy = node.copy();
      copy.nodes.put(nodeCopy.master, nodeCopy);
      copy.nodeBytes += StreamMemory.NODE + nodeCopy.arrayBytes();
    }
    copy.length = length;
    copy.lastId = lastId;
    copy.firstId = firstId;
    copy.maxDeletedId = maxDeletedId;
    copy.entriesAdded = entriesAdded;
    groups.copyInto(copy, copy.groups);
    return copy;
  }

  /** For {@link StreamDump}: a node rebuilt from a dump, after the others. */
  void appendRestoredNode(StreamNode node) {
    nodes.put(node.master, node);
    nodeBytes += StreamMemory.NODE + node.arrayBytes();
    length += node.live;
  }

  /** For {@link StreamDump}: the metadata of a dump, after its nodes. */
  void restoredMetadata(
      StreamId lastId, StreamId firstId, StreamId maxDeletedId, long entriesAdded) {
    this.lastId = lastId;
    this.firstId = firstId;
    this.maxDeletedId = maxDeletedId;
    this.entriesAdded = entriesAdded;
  }

  /** The estimate recomputed from scratch, for tests of the incremental bookkeeping. */
  long recountBytes() {
    long bytes = SHALLOW_BYTES;
    for (StreamNode node : nodes.values()) {
      bytes += StreamMemory.NODE + node.arrayBytes();
    }
    bytes += groups.recountBytes();
    return bytes;
  }

  // ---- for ConsumerGroup and StreamTrimmer ----

  void groupBytesChanged(long delta) {
    groups.bytesChanged(delta);
  }

  TreeMap<StreamId, StreamNode> nodes() {
    return nodes;
  }

  void removeNode(StreamNode node) {
    nodes.remove(node.master);
    nodeBytes -= StreamMemory.NODE + node.arrayBytes();
  }

  void entriesTrimmed(long count) {
    length -= count;
  }

  void trimmed(long deleted) {
    if (length == 0) {
      firstId = StreamId.MIN;
    } else if (deleted > 0) {
      firstId = edgeId(true, true);
    }
  }

  /** streamRangeHasTombstones from {@code start} to the end; see {@link StreamLag}. */
  boolean hasTombstonesFrom(StreamId start) {
    return StreamLag.hasTombstonesFrom(this, start);
  }

  /** streamEstimateDistanceFromFirstEverEntry; see {@link StreamLag}. */
  long estimateDistanceFromFirstEverEntry(StreamId id) {
    return StreamLag.estimateDistanceFromFirstEverEntry(this, id);
  }

  /** Entries with start <= id <= end; see {@link StreamWalk}. */
  void walk(StreamId start, StreamId end, boolean rev, boolean skipTombstones, StreamWalk.Hit hit) {
    StreamWalk.walk(nodes, start, end, rev, skipTombstones, hit);
  }
}
