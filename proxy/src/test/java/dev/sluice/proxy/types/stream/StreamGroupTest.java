package dev.sluice.proxy.types.stream;

import static dev.sluice.proxy.types.stream.StreamTestSupport.add;
import static dev.sluice.proxy.types.stream.StreamTestSupport.b;
import static dev.sluice.proxy.types.stream.StreamTestSupport.id;
import static dev.sluice.proxy.types.stream.StreamTestSupport.ids;
import static dev.sluice.proxy.types.stream.StreamTestSupport.render;
import static dev.sluice.proxy.types.stream.StreamTestSupport.s;
import static dev.sluice.proxy.types.stream.StreamTestSupport.streamOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StreamGroupTest {
  private static ConsumerGroup group(RedisStream stream, String name, String lastId) {
    return stream.createGroup(b(name), id(lastId), ConsumerGroup.INVALID_ENTRIES_READ);
  }

  private static StreamConsumer consumer(ConsumerGroup group, String name, long now) {
    StreamConsumer c = group.consumer(b(name));
    if (c == null) {
      c = group.createConsumer(b(name), now);
    }
    c.seen(now);
    return c;
  }

  private static String pel(ConsumerGroup group) {
    List<String> out = new ArrayList<>();
    group
        .pending()
        .forEach((id, p) -> out.add(id + " " + s(p.consumer().name()) + " " + p.deliveryCount()));
    return String.join(", ", out);
  }

  @Test
  void createGroup_duplicateName_isBusyGroup() {
    RedisStream stream = streamOf(3);
    group(stream, "g", "0");
    StreamException e = assertThrows(StreamException.class, () -> group(stream, "g", "0"));
    assertEquals("BUSYGROUP Consumer Group name already exists", e.redisError());
  }

  @Test
  void groups_listedInByteOrder_andDestroyed() {
    RedisStream stream = streamOf(1);
    group(stream, "b", "0");
    group(stream, "a", "0");
    group(stream, "\u00e9", "0"); // above ASCII when compared unsigned, as Redis's rax
    List<String> names = new ArrayList<>();
    stream.groups().forEach(g -> names.add(s(g.name())));
    assertEquals(List.of("a", "b", "\u00e9"), names);
    assertTrue(stream.destroyGroup(b("a")));
    assertFalse(stream.destroyGroup(b("a")));
    assertNull(stream.group(b("a")));
    assertEquals(2, stream.groupCount());
  }

  @Test
  void readNew_deliversAfterLastIdAndRecordsPending() {
    RedisStream stream = streamOf(5);
    ConsumerGroup g = group(stream, "g", "2");
    StreamConsumer alice = consumer(g, "alice", 100);
    assertTrue(g.hasNewEntries());
    assertEquals(List.of("3-0 f v3", "4-0 f v4"), render(g.readNew(alice, 2, false, 100)));
    assertEquals(id("4"), g.lastDeliveredId());
    assertEquals("3-0 alice 1, 4-0 alice 1", pel(g));
    assertEquals(2, alice.pendingCount());
    assertEquals(100, alice.activeTime());
    assertEquals(List.of("5-0"), ids(g.readNew(alice, 0, false, 110)));
    assertFalse(g.hasNewEntries());
    assertTrue(g.readNew(alice, 0, false, 120).isEmpty());
  }

  @Test
  void readNew_noAck_advancesWithoutPendingOrActivity() {
    RedisStream stream = streamOf(3);
    ConsumerGroup g = group(stream, "g", "0");
    StreamConsumer c = consumer(g, "c", 50);
    assertEquals(3, g.readNew(c, 0, true, 60).size());
    assertEquals(0, g.pendingCount());
    assertEquals(id("3"), g.lastDeliveredId());
    assertEquals(-1, c.activeTime());
    assertEquals(-1, c.inactive(70));
    assertEquals(20, c.idle(70));
  }

  @Test
  void readNew_afterSetIdBack_redeliversToNewOwnerWithCountReset() {
    RedisStream stream = streamOf(3);
    ConsumerGroup g = group(stream, "g", "0");
    StreamConsumer alice = consumer(g, "alice", 1);
    g.readNew(alice, 0, false, 1);
    g.readHistory(alice, StreamId.MIN, 0, 2); // every count now 2
    g.setLastDelivered(id("1"), ConsumerGroup.INVALID_ENTRIES_READ);
    StreamConsumer bob = consumer(g, "bob", 3);
    g.readNew(bob, 1, false, 3);
    assertEquals("1-0 alice 2, 2-0 bob 1, 3-0 alice 2", pel(g));
    assertEquals(2, alice.pendingCount());
    assertEquals(3, g.pending().get(id("2")).deliveryTime());
  }

  @Test
  void readHistory_ownPendingAfterId_goneEntriesComeBackNull() {
    RedisStream stream = streamOf(6);
    ConsumerGroup g = group(stream, "g", "0");
    StreamConsumer alice = consumer(g, "alice", 0);
    StreamConsumer bob = consumer(g, "bob", 0);
    g.readNew(alice, 2, false, 0);
    g.readNew(bob, 0, false, 0);
    stream.delete(List.of(id("5")));
    assertEquals(
        List.of("4-0 f v4", "5-0 null", "6-0 f v6"), render(g.readHistory(bob, id("3"), 0, 9)));
    assertEquals("1-0 alice 1, 2-0 alice 1, 3-0 bob 1, 4-0 bob 2, 5-0 bob 1, 6-0 bob 2", pel(g));
    assertEquals(0, g.pending().get(id("5")).deliveryTime()); // a gone entry is not redelivered
    assertEquals(List.of("3-0"), ids(g.readHistory(bob, StreamId.MIN, 1, 10)));
    // the largest ID wraps to 0-0 as streamIncrID does, so it reads the whole PEL
    assertEquals(4, g.readHistory(bob, StreamId.MAX, 0, 10).size());
  }

  @Test
  void ack_removesFromGroupAndOwner() {
    RedisStream stream = streamOf(4);
    ConsumerGroup g = group(stream, "g", "0");
    StreamConsumer c = consumer(g, "c", 0);
    g.readNew(c, 0, false, 0);
    assertEquals(2, g.ack(List.of(id("1"), id("3"), id("3"), id("9"))));
    assertEquals("2-0 c 1, 4-0 c 1", pel(g));
    assertEquals(2, c.pendingCount());
  }

  @Test
  void deleteConsumer_returnsPendingAndDropsThem() {
    RedisStream stream = streamOf(4);
    ConsumerGroup g = group(stream, "g", "0");
    g.readNew(consumer(g, "a", 0), 3, false, 0);
    g.readNew(consumer(g, "b", 0), 0, false, 0);
    assertEquals(3, g.deleteConsumer(b("a")));
    assertEquals(0, g.deleteConsumer(b("a")));
    assertEquals("4-0 b 1", pel(g));
    assertEquals(1, g.consumerCount());
  }

  @Test
  void createConsumer_existingName_returnsNull() {
    ConsumerGroup g = group(streamOf(1), "g", "0");
    StreamConsumer c = g.createConsumer(b("c"), 5);
    assertNull(g.createConsumer(b("c"), 6));
    assertSame(c, g.consumer(b("c")));
    assertEquals(5, c.seenTime());
    assertEquals(-1, c.activeTime());
  }

  @Test
  void consumerOfAnotherGroup_isRejected() {
    RedisStream stream = streamOf(2);
    ConsumerGroup g1 = group(stream, "g1", "0");
    ConsumerGroup g2 = group(stream, "g2", "0");
    StreamConsumer c = consumer(g1, "c", 0);
    assertThrows(IllegalArgumentException.class, () -> g2.readNew(c, 0, false, 0));
  }

  @Test
  void pendingSummary_emptyAndWithOwners() {
    RedisStream stream = streamOf(5);
    ConsumerGroup g = group(stream, "g", "0");
    StreamPending.Summary empty = g.pendingSummary();
    assertEquals(0, empty.count());
    assertNull(empty.smallest());
    assertTrue(empty.owners().isEmpty());
    consumer(g, "idle-one", 0);
    g.readNew(consumer(g, "b", 0), 2, false, 0);
    g.readNew(consumer(g, "a", 0), 2, false, 0);
    StreamPending.Summary sum = g.pendingSummary();
    assertEquals(4, sum.count());
    assertEquals(id("1"), sum.smallest());
    assertEquals(id("4"), sum.largest());
    assertEquals(2, sum.owners().size());
    assertEquals("a", s(sum.owners().get(0).consumer()));
    assertEquals(2, sum.owners().get(0).count());
  }

  @Test
  void pending_rangeCountIdleAndConsumerFilters() {
    RedisStream stream = streamOf(5);
    ConsumerGroup g = group(stream, "g", "0");
    StreamConsumer a = consumer(g, "a", 0);
    g.readNew(a, 2, false, 1000);
    g.readNew(consumer(g, "b", 0), 0, false, 1500);
    List<StreamPending.Line> lines = g.pending(id("2"), id("4"), 10, 0, null, 2000);
    assertEquals(3, lines.size());
    assertEquals(id("2"), lines.get(0).id());
    assertEquals("a", s(lines.get(0).consumer()));
    assertEquals(1000, lines.get(0).idle());
    assertEquals(500, lines.get(1).idle());
    assertEquals(2, g.pending(StreamId.MIN, StreamId.MAX, 2, 0, null, 2000).size());
    assertEquals(
        2, g.pending(StreamId.MIN, StreamId.MAX, 10, 700, null, 2000).size()); // idle >= 700
    assertEquals(2, g.pending(StreamId.MIN, StreamId.MAX, 10, 0, a, 2000).size());
    assertEquals(
        0, g.pending(StreamId.MIN, StreamId.MAX, 10, 0, null, 500).get(0).idle()); // clamped
  }

  @Test
  void lag_redisScenario_withXdelAndReads() {
    // recorded from redis-server 7.0.15 (the lag code is the same in 7.4)
    RedisStream stream = streamOf(5);
    ConsumerGroup g = group(stream, "g", "0");
    StreamConsumer c = consumer(g, "c", 0);
    g.readNew(c, 1, false, 0);
    assertGroup(g, "1-0", 1, 4L);
    stream.delete(List.of(id("3")));
    assertGroup(g, "1-0", 1, null);
    g.readNew(c, 1, false, 0);
    assertGroup(g, "2-0", -1, null);
    g.readNew(c, 1, false, 0);
    assertGroup(g, "4-0", -1, null);
    g.readNew(c, 1, false, 0);
    assertGroup(g, "5-0", 5, 0L);
    add(stream, "6-0", "f", "v");
    assertGroup(g, "5-0", 5, 1L);
    g.readNew(c, 0, false, 0);
    assertGroup(g, "6-0", 6, 0L);
    ConsumerGroup g2 = group(stream, "g2", "0");
    assertGroup(g2, "0-0", -1, null);
    stream.delete(List.of(id("1")));
    assertGroup(g2, "0-0", -1, null);
    stream.trimByLength(2, false, 0);
    assertGroup(g2, "0-0", -1, 2L); // the tombstone is now before the first entry
    assertGroup(group(stream, "g3", "0"), "0-0", -1, 2L);
    assertGroup(stream.createGroup(b("g4"), stream.lastId(), -1), "6-0", -1, 0L);
  }

  @Test
  void lag_newStreamOrEntriesReadGiven() {
    RedisStream stream = new RedisStream();
    ConsumerGroup g = group(stream, "g", "0");
    assertEquals(0L, g.lag());
    add(stream, "1-0", "f", "v");
    add(stream, "2-0", "f", "v");
    assertEquals(2L, g.lag()); // 0-0 is before the first entry: the whole stream is lag
    g.setLastDelivered(id("1"), 1);
    assertEquals(1L, g.lag());
    assertEquals(1, g.entriesRead());
  }

  private static void assertGroup(ConsumerGroup g, String last, long entriesRead, Long lag) {
    assertEquals(last, g.lastDeliveredId().toString(), "last-delivered-id");
    assertEquals(entriesRead, g.entriesRead(), "entries-read");
    assertEquals(lag, g.lag(), "lag");
  }
}
