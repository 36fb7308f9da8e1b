package dev.sluice.proxy.durable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.proxy.types.stream.ConsumerGroup;
import dev.sluice.proxy.types.stream.PendingEntry;
import dev.sluice.proxy.types.stream.RedisStream;
import dev.sluice.proxy.types.stream.StreamAddId;
import dev.sluice.proxy.types.stream.StreamConsumer;
import dev.sluice.proxy.types.stream.StreamDump;
import dev.sluice.proxy.types.stream.StreamEntry;
import dev.sluice.proxy.types.stream.StreamId;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The {@code stream} form of {@link KvValues}: encode then decode gives a stream whose every XINFO
 * STREAM FULL field (entries, metadata, radix-tree figures, groups, lag, PELs, consumers and their
 * times), tombstones and later behaviour are those of the original, for hand-made and random
 * streams; malformed bytes are refused, not half-decoded.
 */
class KvStreamsTest {
  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static RedisStream roundTrip(RedisStream stream) {
    KvValues.Serialized s = KvValues.encode(stream);
    assertEquals("stream", s.type());
    return assertInstanceOf(RedisStream.class, KvValues.decode(s.type(), s.bytes()));
  }

  /**
   * Every field XINFO STREAM FULL COUNT 0 shows, plus each node's entries with tombstones (the heap
   * estimate may differ: a reloaded last node has no spare capacity).
   */
  static String full(RedisStream s) {
    StringBuilder out = new StringBuilder();
    out.append("length=").append(s.length());
    out.append(" radix-tree-keys=").append(s.radixTreeKeys());
    out.append(" radix-tree-nodes=").append(s.radixTreeNodes());
    out.append(" last-generated-id=").append(s.lastId());
    out.append(" max-deleted-entry-id=").append(s.maxDeletedId());
    out.append(" entries-added=").append(s.entriesAdded());
    out.append(" recorded-first-entry-id=").append(s.firstId());
    out.append("\nentries:");
    for (StreamEntry e : s.range(StreamId.MIN, StreamId.MAX, false, 0)) {
      out.append(' ').append(e.id()).append(text(e.fieldsValues()));
    }
    out.append("\nnodes:");
    StreamDump.dump(
        s,
        new StreamDump.NodeDump() {
          @Override
          public void node(int entries) {
            out.append(" |").append(entries);
          }

          @Override
          public void entry(StreamId id, boolean deleted, byte[][] fieldsValues) {
            out.append(' ').append(id).append(deleted ? "(deleted)" : "");
          }
        });
    for (ConsumerGroup g : s.groups()) {
      out.append("\ngroup ").append(new String(g.name(), StandardCharsets.UTF_8));
      out.append(" last-delivered-id=").append(g.lastDeliveredId());
      out.append(" entries-read=").append(g.entriesRead());
      out.append(" lag=").append(g.lag());
      out.append(" pel-count=").append(g.pendingCount());
      for (Map.Entry<StreamId, PendingEntry> p : g.pending().entrySet()) {
        out.append("\n  pending ").append(p.getKey());
        out.append(' ').append(new String(p.getValue().consumer().name(), StandardCharsets.UTF_8));
        out.append(' ').append(p.getValue().deliveryTime());
        out.append(' ').append(p.getValue().deliveryCount());
      }
      for (StreamConsumer c : g.consumers()) {
        out.append("\n  consumer ").append(new String(c.name(), StandardCharsets.UTF_8));
        out.append(" seen-time=").append(c.seenTime());
        out.append(" active-time=").append(c.activeTime());
        out.append(" pel-count=").append(c.pendingCount());
        out.append(" pending=").append(c.pending().keySet());
      }
    }
    return out.toString();
  }

  private static String text(byte[][] fieldsValues) {
    List<String> parts = new ArrayList<>();
    for (byte[] part : fieldsValues) {
      parts.add(new String(part, StandardCharsets.UTF_8));
    }
    return parts.toString();
  }

  @Test
  void encodeDecode_streamWithGroupsPelAndTombstones_everyXinfoFullFieldEqual() {
    RedisStream s = new RedisStream();
    for (int i = 1; i <= 250; i++) {
      s.add(StreamAddId.parse(b(i + "-1")), new byte[][] {b("f"), b("v" + i)}, 0);
    }
    s.add(StreamAddId.parse(b("300-0")), new byte[][] {b("other"), b(""), b("x"), b("y")}, 0);
    s.delete(List.of(new StreamId(5, 1), new StreamId(120, 1), new StreamId(1, 1)));
    s.trimByLength(200, false, 0);
    ConsumerGroup g = s.createGroup(b("workers"), StreamId.MIN, 0);
    StreamConsumer alice = g.createConsumer(b("alice"), 1_000);
    StreamConsumer bob = g.createConsumer(b("bob"), 2_000);
    g.createConsumer(b("idle"), 3_000);
    g.readNew(alice, 10, false, 4_000);
    g.readNew(bob, 5, false, 5_000);
    g.readHistory(alice, StreamId.MIN, 3, 6_000);
    g.ack(List.of(new StreamId(60, 1), new StreamId(62, 1)));
    s.createGroup(b("fresh"), s.lastId(), ConsumerGroup.INVALID_ENTRIES_READ);
    s.setId(new StreamId(400, 7), 999, new StreamId(350, 0));

    RedisStream back = roundTrip(s);

    assertEquals(full(s), full(back));
  }

  @Test
  void encodeDecode_emptyStreamsAndAllTombstoneNode_roundTrip() {
    RedisStream empty = new RedisStream();
    assertEquals(full(empty), full(roundTrip(empty)));
    RedisStream tombstones = new RedisStream();
    for (int i = 1; i <= 150; i++) {
      tombstones.add(StreamAddId.parse(b(i + "-0")), new byte[][] {b("f"), b("v")}, 0);
    }
    tombstones.trimByMinId(new StreamId(51, 0), false, 0); // exact: tombstones in the first node
    RedisStream back = roundTrip(tombstones);
    assertEquals(full(tombstones), full(back));
    assertTrue(full(back).contains("50-0(deleted) 51-0 "), full(back));
  }

  @Test
  void decodedStream_laterCommands_behaveAsOnTheOriginal() {
    RedisStream s = new RedisStream();
    for (int i = 1; i <= 95; i++) {
      s.add(StreamAddId.parse(b(i + "-0")), new byte[][] {b("f"), b("v")}, 0);
    }
    ConsumerGroup g = s.createGroup(b("g"), StreamId.MIN, 0);
    g.readNew(g.createConsumer(b("c"), 1), 10, false, 1);
    RedisStream back = roundTrip(s);
    for (RedisStream x : List.of(s, back)) {
      for (int i = 0; i < 20; i++) {
        x.add(StreamAddId.AUTO, new byte[][] {b("f"), b("v")}, 1_000);
      }
      x.trimByLength(50, true, 0);
      ConsumerGroup xg = x.group(b("g"));
      xg.readNew(xg.consumer(b("c")), 7, false, 2_000);
    }
    assertEquals(full(s), full(back));
  }

  @Test
  void encodeDecode_randomStreams_everyXinfoFullFieldEqual() {
    long seed = Long.getLong("sluice.kvstreams.seed", System.nanoTime());
    Random random = new Random(seed);
    for (int round = 0; round < 200; round++) {
      RedisStream s = randomStream(random);
      assertEquals(full(s), full(roundTrip(s)), "seed " + seed + ", round " + round);
    }
  }

  private static RedisStream randomStream(Random random) {
    RedisStream s = new RedisStream();
    long now = 1_000;
    int ops = random.nextInt(400);
    for (int op = 0; op < ops; op++) {
      now += random.nextInt(3);
      int kind = random.nextInt(100);
      if (kind < 55) {
        int pairs = 1 + random.nextInt(3);
        byte[][] fv = new byte[2 * pairs][];
        for (int i = 0; i < fv.length; i++) {
          byte[] v = new byte[random.nextInt(random.nextInt(10) == 0 ? 300 : 8)];
          random.nextBytes(v);
          fv[i] = i % 2 == 0 && random.nextBoolean() ? b("f" + i) : v;
        }
        s.add(StreamAddId.AUTO, fv, now);
      } else if (kind < 62 && s.length() > 0) {
        List<StreamEntry> all = s.range(StreamId.MIN, StreamId.MAX, false, 0);
        s.delete(List.of(all.get(random.nextInt(all.size())).id()));
      } else if (kind < 65) {
        s.trimByLength(random.nextInt(100), random.nextBoolean(), 0);
      } else if (kind < 68) {
        s.trimByMinId(new StreamId(now - random.nextInt(50), 0), random.nextBoolean(), 0);
      } else if (kind < 71) {
        byte[] name = b("g" + random.nextInt(4));
        if (s.group(name) == null) {
          s.createGroup(
              name,
              random.nextBoolean() ? StreamId.MIN : s.lastId(),
              random.nextBoolean() ? 0 : ConsumerGroup.INVALID_ENTRIES_READ);
        }
      } else if (s.groupCount() > 0) {
        ConsumerGroup g = new ArrayList<>(s.groups()).get(random.nextInt(s.groupCount()));
        byte[] name = b("c" + random.nextInt(5));
        StreamConsumer c = g.consumer(name);
        if (c == null) {
          c = g.createConsumer(name, now);
        }
        c.seen(now);
        if (kind < 85) {
          g.readNew(c, 1 + random.nextInt(5), random.nextInt(10) == 0, now);
        } else if (kind < 92 && g.pendingCount() > 0) {
          List<StreamId> pending = new ArrayList<>(g.pending().keySet());
          g.ack(List.of(pending.get(random.nextInt(pending.size()))));
        } else if (kind < 96) {
          g.readHistory(c, StreamId.MIN, 2, now);
        } else if (kind < 98) {
          g.deleteConsumer(name);
        } else {
          g.setLastDelivered(s.lastId(), s.entriesAdded());
        }
      }
    }
    return s;
  }

  @Test
  void decode_truncatedOrCorruptStream_refusedWithIllegalArgument() {
    RedisStream s = new RedisStream();
    s.add(StreamAddId.parse(b("1-0")), new byte[][] {b("f"), b("v")}, 0);
    s.createGroup(b("g"), StreamId.MIN, 0).createConsumer(b("c"), 5);
    byte[] bytes = KvValues.encode(s).bytes();
    for (int cut = 0; cut < bytes.length; cut++) {
      byte[] shorter = Arrays.copyOf(bytes, cut);
      assertThrows(
          IllegalArgumentException.class,
          () -> KvValues.decode("stream", shorter),
          "cut at " + cut);
    }
    byte[] longer = Arrays.copyOf(bytes, bytes.length + 1);
    assertThrows(IllegalArgumentException.class, () -> KvValues.decode("stream", longer));
  }
}
