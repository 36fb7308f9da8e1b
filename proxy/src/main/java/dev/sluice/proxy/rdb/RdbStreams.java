package dev.sluice.proxy.rdb;

import dev.sluice.proxy.types.stream.ConsumerGroup;
import dev.sluice.proxy.types.stream.PendingEntry;
import dev.sluice.proxy.types.stream.RedisStream;
import dev.sluice.proxy.types.stream.StreamAddId;
import dev.sluice.proxy.types.stream.StreamConsumer;
import dev.sluice.proxy.types.stream.StreamEntry;
import dev.sluice.proxy.types.stream.StreamException;
import dev.sluice.proxy.types.stream.StreamId;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A stream as the body of RDB's STREAM_LISTPACKS_2 (Redis 7.0; rdb.c, t_stream.c), also reading
 * STREAM_LISTPACKS (5.0) and STREAM_LISTPACKS_3 (7.2):
 *
 * <pre>
 *   node count, per node: master ID (16 bytes big-endian ms, seq) and a listpack, as strings
 *   length, last ID (ms, seq), [v2+: first ID, max deleted entry ID, entries added]
 *   group count, per group: name, last delivered ID, [v2+: entries read],
 *     PEL: count, per entry raw ID (16 bytes), delivery time (8 bytes LE), delivery count
 *     consumers: count, per consumer: name, seen time, [v3: active time],
 *       PEL: count, raw IDs
 * </pre>
 *
 * A node's listpack: live count, deleted count, master field count, the master fields, 0; then per
 * entry: flags (1 deleted, 2 same fields as the master), ms and seq minus the master ID's, [field
 * count and fields and values | the values alone], and the entry's element count (lp-count).
 * Written as XADD builds the nodes (a new node at 100 entries or 4096 bytes, Redis's defaults), so
 * a stream built by XADD alone dumps Redis's bytes; deleted entries are not kept.
 */
final class RdbStreams {
  static final int STREAM_LISTPACKS = 15;
  static final int STREAM_LISTPACKS_2 = 19;
  static final int STREAM_LISTPACKS_3 = 21;

  private static final int DELETED = 1;
  private static final int SAMEFIELDS = 2;

  private RdbStreams() {}

  /** A stream's body, after its type byte STREAM_LISTPACKS_2. */
  static void writeBody(ByteArrayOutputStream out, RedisStream stream) {
    List<byte[]> keys = new ArrayList<>();
    List<byte[]> nodes = new ArrayList<>();
    NodeBuilder node = null;
    for (StreamEntry e : stream.range(StreamId.MIN, StreamId.MAX, false, Long.MAX_VALUE)) {
      long fieldBytes = 0;
      for (byte[] x : e.fieldsValues()) {
        fieldBytes += x.length;
      }
      if (node == null
          || node.bytes + fieldBytes >= RedisStream.DEFAULT_NODE_MAX_BYTES
          || node.count >= RedisStream.DEFAULT_NODE_MAX_ENTRIES) {
        if (node != null) {
          nodes.add(node.listpack());
        }
        node = new NodeBuilder(e);
        keys.add(rawId(e.id()));
      }
      node.add(e);
    }
    if (node != null) {
      nodes.add(node.listpack());
    }
    RdbStrings.writeLength(out, nodes.size());
    for (int i = 0; i < nodes.size(); i++) {
      RdbStrings.writeString(out, keys.get(i));
      RdbStrings.writeString(out, nodes.get(i));
    }
    RdbStrings.writeLength(out, stream.length());
    writeId(out, stream.lastId());
    StreamId first = stream.length() == 0 ? StreamId.MIN : stream.firstId();
    writeId(out, first);
    writeId(out, stream.maxDeletedId());
    RdbStrings.writeLength(out, stream.entriesAdded());
    RdbStrings.writeLength(out, stream.groupCount());
    for (ConsumerGroup group : stream.groups()) {
      RdbStrings.writeString(out, group.name());
      writeId(out, group.lastDeliveredId());
      RdbStrings.writeLength(out, group.entriesRead());
      RdbStrings.writeLength(out, group.pending().size());
      for (Map.Entry<StreamId, PendingEntry> p : group.pending().entrySet()) {
        out.writeBytes(rawId(p.getKey()));
        writeMillis(out, p.getValue().deliveryTime());
        RdbStrings.writeLength(out, p.getValue().deliveryCount());
      }
      RdbStrings.writeLength(out, group.consumerCount());
      for (StreamConsumer consumer : group.consumers()) {
        RdbStrings.writeString(out, consumer.name());
        writeMillis(out, consumer.seenTime());
        RdbStrings.writeLength(out, consumer.pending().size());
        for (StreamId id : consumer.pending().keySet()) {
          out.writeBytes(rawId(id));
        }
      }
    }
  }

  /** One node's listpack elements as streamAppendItem appends them, and its size meanwhile. */
  private static final class NodeBuilder {
    final List<byte[]> elements = new ArrayList<>();
    final StreamId master;
    final byte[][] masterFields;
    int count;
    long bytes = 7;

    NodeBuilder(StreamEntry first) {
      master = first.id();
      byte[][] fv = first.fieldsValues();
      masterFields = new byte[fv.length / 2][];
      append(number(1));
      append(number(0));
      append(number(masterFields.length));
      for (int i = 0; i < masterFields.length; i++) {
        masterFields[i] = fv[2 * i];
        append(fv[2 * i]);
      }
      append(number(0));
    }

    private void append(byte[] element) {
      elements.add(element);
      bytes += Listpack.entrySize(element);
    }

    void add(StreamEntry e) {
      byte[][] fv = e.fieldsValues();
      boolean same = fv.length / 2 == masterFields.length;
      for (int i = 0; same && i < masterFields.length; i++) {
        same = Arrays.equals(fv[2 * i], masterFields[i]);
      }
      count++;
      append(number(same ? SAMEFIELDS : 0));
      append(number(e.id().ms() - master.ms()));
      append(number(e.id().seq() - master.seq()));
      if (!same) {
        append(number(fv.length / 2));
      }
      for (int i = 0; i < fv.length; i++) {
        if (!same || i % 2 == 1) {
          append(fv[i]);
        }
      }
      append(number(fv.length / 2 + 3 + (same ? 0 : fv.length / 2 + 1)));
      // the master entry's live count as lpReplaceInteger leaves it; below 128 it keeps its size
      elements.set(0, number(count));
    }

    byte[] listpack() {
      return Listpack.encode(elements);
    }
  }

  private static byte[] number(long v) {
    return Listpack.number(v);
  }

  private static byte[] rawId(StreamId id) {
    byte[] raw = new byte[16];
    for (int i = 0; i < 8; i++) {
      raw[i] = (byte) (id.ms() >>> (56 - 8 * i));
      raw[8 + i] = (byte) (id.seq() >>> (56 - 8 * i));
    }
    return raw;
  }

  private static StreamId fromRaw(byte[] raw) {
    if (raw.length != 16) {
      throw new RdbFormatException("stream ID of " + raw.length + " bytes, expected 16");
    }
    long ms = 0;
    long seq = 0;
    for (int i = 0; i < 8; i++) {
      ms = (ms << 8) | (raw[i] & 0xff);
      seq = (seq << 8) | (raw[8 + i] & 0xff);
    }
    return new StreamId(ms, seq);
  }

  private static void writeId(ByteArrayOutputStream out, StreamId id) {
    RdbStrings.writeLength(out, id.ms());
    RdbStrings.writeLength(out, id.seq());
  }

  private static void writeMillis(ByteArrayOutputStream out, long millis) {
    for (int i = 0; i < 8; i++) {
      out.write((int) (millis >>> (8 * i)) & 0xff);
    }
  }

  /** Reads a stream body of the given RDB type. */
  static RedisStream read(RdbStrings.Reader in, int type) {
    try {
      return readStream(in, type);
    } catch (StreamException | IllegalArgumentException | IndexOutOfBoundsException e) {
      throw new RdbFormatException("stream: " + e.getMessage());
    }
  }

  private static RedisStream readStream(RdbStrings.Reader in, int type) {
    RedisStream stream = new RedisStream();
    int nodes = in.readCount();
    for (int n = 0; n < nodes; n++) {
      StreamId master = fromRaw(in.readString());
      List<byte[]> lp = Listpack.decode(in.readString());
      if (lp.isEmpty()) {
        throw new RdbFormatException("empty listpack in a stream");
      }
      readNode(stream, master, lp);
    }
    long length = in.readLength();
    StreamId lastId = readId(in);
    long entriesAdded = -1;
    StreamId maxDeleted = null;
    if (type >= STREAM_LISTPACKS_2) {
      readId(in); // the first ID, which the entries give
      maxDeleted = readId(in);
      entriesAdded = in.readLength();
    }
    if (length != stream.length()) {
      throw new RdbFormatException("stream length " + length + ", entries " + stream.length());
    }
    stream.setId(lastId, entriesAdded == -1 ? length : entriesAdded, maxDeleted);
    int groups = in.readCount();
    for (int g = 0; g < groups; g++) {
      byte[] name = in.readString();
      StreamId last = readId(in);
      long entriesRead = type >= STREAM_LISTPACKS_2 ? in.readLength() : -1;
      ConsumerGroup group = stream.createGroup(name, last, entriesRead);
      int pending = in.readCount();
      for (int p = 0; p < pending; p++) {
        StreamId id = fromRaw(in.readRaw(16));
        long time = in.readMillis();
        long count = in.readLength();
        if (!group.restorePending(id, time, count)) {
          throw new RdbFormatException("duplicate pending entry " + id);
        }
      }
      int consumers = in.readCount();
      for (int c = 0; c < consumers; c++) {
        byte[] consumerName = in.readString();
        long seen = in.readMillis();
        long active = type >= STREAM_LISTPACKS_3 ? in.readMillis() : seen;
        StreamConsumer consumer = group.restoreConsumer(consumerName, seen, active);
        if (consumer == null) {
          throw new RdbFormatException("duplicate consumer");
        }
        int owned = in.readCount();
        for (int p = 0; p < owned; p++) {
          if (!group.assignPending(fromRaw(in.readRaw(16)), consumer)) {
            throw new RdbFormatException("consumer's pending entry not in its group's");
          }
        }
      }
    }
    return stream;
  }

  private static void readNode(RedisStream stream, StreamId master, List<byte[]> lp) {
    int at = 0;
    long live = integer(lp, at++);
    long deleted = integer(lp, at++);
    int masterCount = (int) bounded(integer(lp, at++), lp.size());
    byte[][] masterFields = new byte[masterCount][];
    for (int i = 0; i < masterCount; i++) {
      masterFields[i] = element(lp, at++);
    }
    if (integer(lp, at++) != 0) {
      throw new RdbFormatException("stream master entry without its terminator");
    }
    long seen = 0;
    while (at < lp.size()) {
      int start = at;
      long flags = integer(lp, at++);
      StreamId id = new StreamId(master.ms() + integer(lp, at++), master.seq() + integer(lp, at++));
      int fields =
          (flags & SAMEFIELDS) != 0 ? masterCount : (int) bounded(integer(lp, at++), lp.size());
      byte[][] fv = new byte[2 * fields][];
      for (int i = 0; i < fields; i++) {
        fv[2 * i] = (flags & SAMEFIELDS) != 0 ? masterFields[i] : element(lp, at++);
        fv[2 * i + 1] = element(lp, at++);
      }
      long lpCount = integer(lp, at++);
      if (lpCount != at - start - 1) {
        throw new RdbFormatException("stream entry lp-count " + lpCount);
      }
      seen++;
      if ((flags & DELETED) == 0) {
        if (fields == 0) {
          throw new RdbFormatException("stream entry without fields");
        }
        stream.add(new StreamAddId(false, id.ms(), id.seq(), true), fv, 0);
      }
    }
    if (seen != live + deleted) {
      throw new RdbFormatException("stream node of " + seen + " entries, says " + (live + deleted));
    }
  }

  private static long bounded(long n, int limit) {
    if (n < 0 || n > limit) {
      throw new RdbFormatException("stream count " + n + " beyond its listpack");
    }
    return n;
  }

  private static byte[] element(List<byte[]> lp, int at) {
    if (at >= lp.size()) {
      throw new RdbFormatException("stream listpack ends early");
    }
    return lp.get(at);
  }

  private static long integer(List<byte[]> lp, int at) {
    Long v = Listpack.canonicalLong(element(lp, at));
    if (v == null) {
      throw new RdbFormatException("stream listpack: an integer expected");
    }
    return v;
  }

  private static StreamId readId(RdbStrings.Reader in) {
    return new StreamId(in.readLength(), in.readLength());
  }
}
