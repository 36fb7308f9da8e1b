package dev.sluice.proxy.types.stream;

import static dev.sluice.proxy.types.stream.StreamTestSupport.add;
import static dev.sluice.proxy.types.stream.StreamTestSupport.b;
import static dev.sluice.proxy.types.stream.StreamTestSupport.id;
import static dev.sluice.proxy.types.stream.StreamTestSupport.ids;
import static dev.sluice.proxy.types.stream.StreamTestSupport.render;
import static dev.sluice.proxy.types.stream.StreamTestSupport.streamOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class StreamMemoryTest {
  @Test
  void estimatedBytes_addThenDeleteEverything_returnsToEmpty() {
    RedisStream stream = new RedisStream();
    long empty = stream.estimatedBytes();
    List<StreamId> all = new ArrayList<>();
    for (int i = 1; i <= 1234; i++) {
      all.add(add(stream, i + "-0", "field", "value-" + i));
    }
    assertTrue(stream.estimatedBytes() > empty);
    stream.delete(all);
    assertEquals(empty, stream.estimatedBytes());
    assertEquals(stream.recountBytes(), stream.estimatedBytes());
  }

  @Test
  void estimatedBytes_addThenTrimToZero_returnsToEmpty() {
    RedisStream stream = streamOf(777);
    long before = new RedisStream().estimatedBytes();
    stream.trimByLength(0, false, 0);
    assertEquals(before, stream.estimatedBytes());
  }

  /** The group map stays once created, as Redis's cgroups rax: empty plus one map. */
  @Test
  void estimatedBytes_groupCreatedAndDestroyed_leavesOnlyTheGroupMap() {
    RedisStream stream = streamOf(3);
    long before = stream.estimatedBytes();
    ConsumerGroup g = stream.createGroup(b("g"), StreamId.MIN, -1);
    StreamConsumer c = g.createConsumer(b("c"), 0);
    g.readNew(c, 0, false, 0);
    assertEquals(stream.recountBytes(), stream.estimatedBytes());
    stream.destroyGroup(b("g"));
    assertEquals(before + StreamMemory.TREE_MAP, stream.estimatedBytes());
    g.ack(List.of(id("1"))); // a destroyed group no longer counts
    assertEquals(before + StreamMemory.TREE_MAP, stream.estimatedBytes());
  }

  @Test
  void estimatedBytes_fullNode_isCloseToTheListpack() {
    RedisStream stream = new RedisStream();
    for (int i = 1; i <= 100; i++) {
      add(
          stream,
          "1700000000000-" + i,
          "temperature",
          Integer.toString(20 + i % 7),
          "sensor",
          "s" + i % 3);
    }
    add(stream, "1700000000001-0", "temperature", "1", "sensor", "s"); // closes the first node
    long perEntry = stream.estimatedBytes() / 101;
    assertTrue(perEntry < 40, "bytes per small entry: " + perEntry);
  }

  @Test
  void estimatedBytes_randomOperations_matchesRecountAfterEveryStep() {
    Random random = new Random(42);
    RedisStream stream = new RedisStream(10, 512);
    TreeMap<StreamId, String> model = new TreeMap<>();
    long ms = 1;
    ConsumerGroup g = stream.createGroup(b("g"), StreamId.MIN, -1);
    for (int step = 0; step < 4000; step++) {
      int op = random.nextInt(10);
      if (op < 5) {
        ms += random.nextInt(3);
        String value = "v".repeat(random.nextInt(random.nextInt(20) == 0 ? 400 : 20));
        StreamId added =
            stream.add(StreamAddId.parse(b(ms + "-*")), StreamTestSupport.fv("f", value), 0);
        model.put(added, added + " f " + value);
      } else if (op == 5 && !model.isEmpty()) {
        List<StreamId> doomed = new ArrayList<>();
        for (int i = random.nextInt(5); i >= 0; i--) {
          doomed.add(new StreamId(random.nextInt((int) ms + 1), random.nextInt(4)));
        }
        long live = doomed.stream().distinct().filter(model::containsKey).count();
        assertEquals(live, stream.delete(doomed));
        doomed.forEach(model::remove);
      } else if (op == 6) {
        boolean approx = random.nextBoolean();
        long removed = stream.trimByLength(random.nextInt(60), approx, approx ? 25 : 0);
        for (long i = 0; i < removed; i++) {
          model.pollFirstEntry(); // trimming always takes the oldest
        }
      } else if (op == 7) {
        byte[] name = b("c" + random.nextInt(3));
        StreamConsumer c = g.consumer(name);
        c = c != null ? c : g.createConsumer(name, step);
        if (random.nextBoolean()) {
          g.readNew(c, random.nextInt(4), false, step);
        } else {
          g.autoClaim(c, StreamId.MIN, 0, 3, random.nextBoolean(), step);
        }
      } else if (op == 8 && !model.isEmpty()) {
        g.ack(List.of(model.firstKey(), model.lastKey()));
      } else if (op == 9 && random.nextInt(10) == 0) {
        g.deleteConsumer(b("c" + random.nextInt(3)));
      }
      assertEquals(stream.recountBytes(), stream.estimatedBytes(), "after step " + step);
      assertEquals(model.size(), stream.length(), "after step " + step);
    }
    assertEquals(new ArrayList<>(model.values()), render(StreamTestSupport.all(stream)));
  }

  @Test
  void copy_isDeepAndIndependent() {
    RedisStream original = streamOf(150);
    ConsumerGroup g = original.createGroup(b("g"), StreamId.MIN, -1);
    StreamConsumer c = g.createConsumer(b("c"), 1);
    g.readNew(c, 10, false, 2);
    original.delete(List.of(id("5")));

    RedisStream copy = original.copy();
    assertNotSame(original, copy);
    // the copy's tail node has no spare capacity, as streamDup copies lpBytes only
    assertTrue(copy.estimatedBytes() <= original.estimatedBytes());
    assertEquals(copy.recountBytes(), copy.estimatedBytes());
    assertEquals(ids(StreamTestSupport.all(original)), ids(StreamTestSupport.all(copy)));
    assertEquals(original.maxDeletedId(), copy.maxDeletedId());
    ConsumerGroup gc = copy.group(b("g"));
    StreamConsumer cc = gc.consumer(b("c"));
    assertEquals(10, cc.pendingCount());
    assertEquals(2, cc.activeTime());
    Map.Entry<StreamId, PendingEntry> firstPending = gc.pending().firstEntry();
    assertTrue(firstPending.getValue().consumer() == cc); // shared by group and consumer PELs

    add(copy, "151-0", "f", "x");
    copy.delete(List.of(id("1")));
    gc.ack(List.of(id("2")));
    gc.readNew(cc, 0, false, 3);
    copy.createGroup(b("other"), StreamId.MIN, -1);

    assertEquals(149, original.length());
    assertEquals(id("150"), original.lastId());
    assertEquals(10, c.pendingCount());
    assertEquals(id("10"), g.lastDeliveredId());
    assertEquals(1, original.groupCount());
    assertNotEquals(original.estimatedBytes(), copy.estimatedBytes());
    assertEquals(original.recountBytes(), original.estimatedBytes());
    assertEquals(List.of("1-0 f v1"), render(original.range(id("1"), id("1"), false, 0)));
  }
}
