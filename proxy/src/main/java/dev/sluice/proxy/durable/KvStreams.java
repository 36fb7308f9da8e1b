package dev.sluice.proxy.durable;

import dev.sluice.proxy.types.stream.ConsumerGroup;
import dev.sluice.proxy.types.stream.PendingEntry;
import dev.sluice.proxy.types.stream.RedisStream;
import dev.sluice.proxy.types.stream.StreamConsumer;
import dev.sluice.proxy.types.stream.StreamDump;
import dev.sluice.proxy.types.stream.StreamEntry;
import dev.sluice.proxy.types.stream.StreamId;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@code stream} layout of {@link KvValues}: the whole stream — nodes with their tombstones,
 * metadata, groups with their consumers and pending entries — so a stream comes back from {@code
 * sluice.kv} exactly as XINFO STREAM FULL showed it. Each write re-serialises it all: O(stream
 * size), see the write-back section of docs/ARCHITECTURE.md.
 */
final class KvStreams {
  private static final int FLAG_DELETED = 1;

  private KvStreams() {}

  static void encode(DataOutputStream out, RedisStream stream) throws IOException {
    out.writeInt(stream.radixTreeKeys());
    try {
      StreamDump.dump(
          stream,
          new StreamDump.NodeDump() {
            @Override
            public void node(int entries) {
              write(() -> out.writeInt(entries));
            }

            @Override
            public void entry(StreamId id, boolean deleted, byte[][] fieldsValues) {
              write(
                  () -> {
                    out.writeByte(deleted ? FLAG_DELETED : 0);
                    id(out, id);
                    out.writeInt(fieldsValues.length / 2);
                    for (byte[] b : fieldsValues) {
                      KvValues.bytes(out, b);
                    }
                  });
            }
          });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    id(out, stream.lastId());
    id(out, stream.firstId());
    id(out, stream.maxDeletedId());
    out.writeLong(stream.entriesAdded());
    out.writeInt(stream.groupCount());
    for (ConsumerGroup g : stream.groups()) {
      KvValues.bytes(out, g.name());
      id(out, g.lastDeliveredId());
      out.writeLong(g.entriesRead());
      out.writeInt(g.consumerCount());
      for (StreamConsumer c : g.consumers()) {
        KvValues.bytes(out, c.name());
        out.writeLong(c.seenTime());
        out.writeLong(c.activeTime());
      }
      out.writeInt(g.pendingCount());
      for (Map.Entry<StreamId, PendingEntry> p : g.pending().entrySet()) {
        id(out, p.getKey());
        KvValues.bytes(out, p.getValue().consumer().name());
        out.writeLong(p.getValue().deliveryTime());
        out.writeLong(p.getValue().deliveryCount());
      }
    }
  }

  /** After the node count, which {@link KvValues#decode} read. */
  static RedisStream decode(ByteBuffer in, int nodes) {
    RedisStream stream = new RedisStream();
    for (int n = 0; n < nodes; n++) {
      int entries = count(in, 21, "stream node entries");
      List<StreamEntry> node = new ArrayList<>(entries);
      boolean[] deleted = new boolean[entries];
      for (int i = 0; i < entries; i++) {
        deleted[i] = (in.get() & FLAG_DELETED) != 0;
        StreamId id = id(in);
        byte[][] fieldsValues = new byte[2 * count(in, 8, "entry fields")][];
        for (int f = 0; f < fieldsValues.length; f++) {
          fieldsValues[f] = KvValues.bytes(in);
        }
        node.add(new StreamEntry(id, fieldsValues));
      }
      StreamDump.restoreNode(stream, node, deleted);
    }
    StreamDump.restoreMetadata(stream, id(in), id(in), id(in), in.getLong());
    int groups = count(in, 36, "stream groups");
    for (int g = 0; g < groups; g++) {
      byte[] name = KvValues.bytes(in);
      StreamId lastDelivered = id(in);
      long entriesRead = in.getLong();
      if (stream.group(name) != null) {
        throw new IllegalArgumentException("stream group listed twice");
      }
      ConsumerGroup group = stream.createGroup(name, lastDelivered, entriesRead);
      int consumers = count(in, 20, "group consumers");
      for (int c = 0; c < consumers; c++) {
        if (group.restoreConsumer(KvValues.bytes(in), in.getLong(), in.getLong()) == null) {
          throw new IllegalArgumentException("consumer listed twice in a group");
        }
      }
      int pending = count(in, 36, "pending entries");
      for (int p = 0; p < pending; p++) {
        StreamId id = id(in);
        StreamConsumer owner = group.consumer(KvValues.bytes(in));
        if (owner == null || !group.restorePending(id, in.getLong(), in.getLong())) {
          throw new IllegalArgumentException("pending entry " + id + ": unknown consumer or twice");
        }
        group.assignPending(id, owner);
      }
    }
    return stream;
  }

  /** A count whose elements take at least {@code minBytes} each: bounded by what is left. */
  private static int count(ByteBuffer in, int minBytes, String what) {
    int count = in.getInt();
    if (count < 0 || count > in.remaining() / minBytes) {
      throw new IllegalArgumentException("bad count of " + what + ": " + count);
    }
    return count;
  }

  private static void id(DataOutputStream out, StreamId id) throws IOException {
    out.writeLong(id.ms());
    out.writeLong(id.seq());
  }

  private static StreamId id(ByteBuffer in) {
    return new StreamId(in.getLong(), in.getLong());
  }

  private interface IoAction {
    void run() throws IOException;
  }

  private static void write(IoAction action) {
    try {
      action.run();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
