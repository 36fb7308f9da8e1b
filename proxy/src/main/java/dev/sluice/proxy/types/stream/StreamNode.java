package dev.sluice.proxy.types.stream;

import dev.sluice.proxy.keyspace.MemoryEstimate;
import java.util.Arrays;

/**
 * Up to stream-node-max-entries consecutive entries packed in one byte array, as Redis packs them
 * in one listpack per radix-tree key.
 *
 * <p>Layout of {@link #data}: the master fields (varint count, then each as varint length and
 * bytes: the fields of the node's first entry), then the entries, each:
 *
 * <pre>
 *   flags (1 byte: DELETED, SAMEFIELDS)
 *   varint ms - master.ms
 *   varint seq - master.seq if the ms are equal, else seq (so both are small)
 *   SAMEFIELDS: value 1 .. value N (the master's N fields implied)
 *   otherwise:  varint N, field 1, value 1 .. field N, value N
 * </pre>
 *
 * each field and value a varint length and its bytes. An entry is never moved or rewritten: XDEL
 * and trimming only set its DELETED flag, as Redis; the node goes when its last live entry does.
 * Alongside, {@link #lpEntryBytes} sums what the same content takes in Redis's listpack, so the
 * node closes at the same point as Redis's (stream-node-max-bytes).
 */
final class StreamNode {
  static final int DELETED = 1;
  static final int SAMEFIELDS = 2;

  final StreamId master;
  private byte[] data;
  private int used;
  private int entriesStart;
  private int masterFields;
  int live;
  int deleted;

  /** Redis listpack bytes of the master fields and the entries (not the counters). */
  private long lpEntryBytes;

  private long lastMs;
  private long lastSeq;

  private StreamNode(StreamId master) {
    this.master = master;
  }

  /** A node whose first entry (and master fields) is {@code fieldsValues}. */
  static StreamNode create(StreamId id, byte[][] fieldsValues) {
    StreamNode node = new StreamNode(id);
    int fields = fieldsValues.length / 2;
    int size = varintSize(fields);
    for (int i = 0; i < fieldsValues.length; i += 2) {
      size += varintSize(fieldsValues[i].length) + fieldsValues[i].length;
    }
    node.data = new byte[size + entrySize(fieldsValues, true) + 3];
    node.used = putVarint(node.data, 0, fields);
    long lp = ListpackSize.ofInteger(fields) + ListpackSize.ofInteger(0);
    for (int i = 0; i < fieldsValues.length; i += 2) {
      node.used = putBytes(node.data, node.used, fieldsValues[i]);
      lp += ListpackSize.ofString(fieldsValues[i]);
    }
    node.entriesStart = node.used;
    node.masterFields = fields;
    node.lpEntryBytes = lp;
    node.append(id, fieldsValues);
    return node;
  }

  /** Appends an entry whose ID is above every ID in the node. */
  void append(StreamId id, byte[][] fieldsValues) {
    boolean same = sameFields(fieldsValues);
    long msDelta = id.ms() - master.ms();
    long seqPart = msDelta == 0 ? id.seq() - master.seq() : id.seq();
    int need = 1 + varintSize(msDelta) + varintSize(seqPart) + entrySize(fieldsValues, same);
    if (used + need > data.length) {
      data = Arrays.copyOf(data, Math.max(used + need, Math.min(used * 2, used + (1 << 20))));
    }
    data[used++] = (byte) (same ? SAMEFIELDS : 0);
    used = putVarint(data, used, msDelta);
    used = putVarint(data, used, seqPart);
    int fields = fieldsValues.length / 2;
    // Redis stores the deltas as signed 64-bit integers, so a smaller seq in a later ms is negative
    long lp =
        ListpackSize.ofInteger(same ? SAMEFIELDS : 0)
            + ListpackSize.ofInteger(msDelta)
            + ListpackSize.ofInteger(id.seq() - master.seq());
    long lpCount = fields + 3;
    if (!same) {
      used = putVarint(data, used, fields);
      lp += ListpackSize.ofInteger(fields);
      lpCount += fields + 1;
    }
    for (int i = 0; i < fieldsValues.length; i += 2) {
      if (!same) {
        used = putBytes(data, used, fieldsValues[i]);
        lp += ListpackSize.ofString(fieldsValues[i]);
      }
      used = putBytes(data, used, fieldsValues[i + 1]);
      lp += ListpackSize.ofString(fieldsValues[i + 1]);
    }
    lpEntryBytes += lp + ListpackSize.ofInteger(lpCount);
    live++;
    lastMs = id.ms();
    lastSeq = id.seq();
  }

  private static int entrySize(byte[][] fieldsValues, boolean same) {
    int size = same ? 0 : varintSize(fieldsValues.length / 2);
    for (int i = same ? 1 : 0; i < fieldsValues.length; i += same ? 2 : 1) {
      size += varintSize(fieldsValues[i].length) + fieldsValues[i].length;
    }
    return size;
  }

  private boolean sameFields(byte[][] fieldsValues) {
    if (fieldsValues.length / 2 != masterFields) {
      return false;
    }
    int at = varintEnd(data, 0);
    for (int i = 0; i < fieldsValues.length; i += 2) {
      int len = (int) readVarint(data, at);
      at = varintEnd(data, at);
      if (!Arrays.equals(data, at, at + len, fieldsValues[i], 0, fieldsValues[i].length)) {
        return false;
      }
      at += len;
    }
    return true;
  }

  /** The bytes Redis's listpack for this node would have, as streamAppendItem measures it. */
  long listpackBytes() {
    return ListpackSize.EMPTY
        + ListpackSize.ofInteger(live)
        + ListpackSize.ofInteger(deleted)
        + lpEntryBytes;
  }

  int entryCount() {
    return live + deleted;
  }

  /** The ID of the last entry, tombstone or not (lpGetEdgeStreamID). */
  StreamId lastId() {
    return new StreamId(lastMs, lastSeq);
  }

  int firstOffset() {
    return entriesStart;
  }

  int end() {
    return used;
  }

  /** The data array; the node object and its map entry are {@link StreamMemory#NODE}. */
  long arrayBytes() {
    return MemoryEstimate.byteArray(data.length);
  }

  /** Drops spare capacity once the node is closed, as lpShrinkToFit. */
  void shrink() {
    if (data.length != used) {
      data = Arrays.copyOf(data, used);
    }
  }

  void markDeleted(int offset) {
    data[offset] |= DELETED;
    live--;
    deleted++;
  }

  StreamNode copy() {
    StreamNode copy = new StreamNode(master);
    copy.data = Arrays.copyOf(data, used);
    copy.used = used;
    copy.entriesStart = entriesStart;
    copy.masterFields = masterFields;
    copy.live = live;
    copy.deleted = deleted;
    copy.lpEntryBytes = lpEntryBytes;
    copy.lastMs = lastMs;
    copy.lastSeq = lastSeq;
    return copy;
  }

  /** Decodes the entry header at {@code offset} into {@code c}, and where the next one starts. */
  void read(int offset, Cursor c) {
    c.offset = offset;
    c.flags = data[offset];
    int at = offset + 1;
    long msDelta = readVarint(data, at);
    at = varintEnd(data, at);
    long seqPart = readVarint(data, at);
    at = varintEnd(data, at);
    c.ms = master.ms() + msDelta;
    c.seq = msDelta == 0 ? master.seq() + seqPart : seqPart;
    if ((c.flags & SAMEFIELDS) != 0) {
      c.fields = masterFields;
      c.body = at;
      for (int i = 0; i < masterFields; i++) {
        at = skipBytes(at);
      }
    } else {
      c.fields = (int) readVarint(data, at);
      at = varintEnd(data, at);
      c.body = at;
      for (int i = 0; i < 2 * c.fields; i++) {
        at = skipBytes(at);
      }
    }
    c.next = at;
  }

  /** The fields and values of the entry last {@link #read} into {@code c}. */
  byte[][] fieldsValues(Cursor c) {
    byte[][] out = new byte[2 * c.fields][];
    boolean same = (c.flags & SAMEFIELDS) != 0;
    int field = varintEnd(data, 0);
    int at = c.body;
    for (int i = 0; i < c.fields; i++) {
      if (same) {
        out[2 * i] = bytesAt(field);
        field = skipBytes(field);
      } else {
        out[2 * i] = bytesAt(at);
        at = skipBytes(at);
      }
      out[2 * i + 1] = bytesAt(at);
      at = skipBytes(at);
    }
    return out;
  }

  private byte[] bytesAt(int at) {
    int len = (int) readVarint(data, at);
    int from = varintEnd(data, at);
    return Arrays.copyOfRange(data, from, from + len);
  }

  private int skipBytes(int at) {
    int len = (int) readVarint(data, at);
    return varintEnd(data, at) + len;
  }

  /** Where decoding stands: one entry's header, reused across entries to spare allocation. */
  static final class Cursor {
    int offset;
    int flags;
    long ms;
    long seq;
    int fields;
    int body;
    int next;

    boolean deleted() {
      return (flags & DELETED) != 0;
    }

    int compareTo(StreamId id) {
      int c = Long.compareUnsigned(ms, id.ms());
      return c != 0 ? c : Long.compareUnsigned(seq, id.seq());
    }

    StreamId id() {
      return new StreamId(ms, seq);
    }
  }

  static int varintSize(long v) {
    int size = 1;
    while ((v & ~0x7FL) != 0) {
      v >>>= 7;
      size++;
    }
    return size;
  }

  private static int putVarint(byte[] out, int at, long v) {
    while ((v & ~0x7FL) != 0) {
      out[at++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    out[at++] = (byte) v;
    return at;
  }

  private static int putBytes(byte[] out, int at, byte[] bytes) {
    at = putVarint(out, at, bytes.length);
    System.arraycopy(bytes, 0, out, at, bytes.length);
    return at + bytes.length;
  }

  private static long readVarint(byte[] in, int at) {
    long v = 0;
    int shift = 0;
    byte b;
    do {
      b = in[at++];
      v |= (long) (b & 0x7F) << shift;
      shift += 7;
    } while (b < 0);
    return v;
  }

  private static int varintEnd(byte[] in, int at) {
    while (in[at] < 0) {
      at++;
    }
    return at + 1;
  }
}
