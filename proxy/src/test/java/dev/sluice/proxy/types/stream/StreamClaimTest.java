package dev.sluice.proxy.types.stream;

import static dev.sluice.proxy.types.stream.StreamTestSupport.b;
import static dev.sluice.proxy.types.stream.StreamTestSupport.id;
import static dev.sluice.proxy.types.stream.StreamTestSupport.ids;
import static dev.sluice.proxy.types.stream.StreamTestSupport.render;
import static dev.sluice.proxy.types.stream.StreamTestSupport.s;
import static dev.sluice.proxy.types.stream.StreamTestSupport.streamOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.proxy.types.stream.StreamPending.ClaimOptions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** XCLAIM / XAUTOCLAIM; the outcomes were first run on redis-server 7.0.15. */
class StreamClaimTest {
  private static final ClaimOptions JUSTID = new ClaimOptions(0, -1, -1, false, true, null);

  private static StreamConsumer consumer(ConsumerGroup group, String name) {
    StreamConsumer c = group.consumer(b(name));
    return c != null ? c : group.createConsumer(b(name), 0);
  }

  private static String pel(ConsumerGroup group) {
    List<String> out = new ArrayList<>();
    group
        .pending()
        .forEach(
            (id, p) ->
                out.add(
                    id
                        + " "
                        + s(p.consumer().name())
                        + " "
                        + p.deliveryCount()
                        + "@"
                        + p.deliveryTime()));
    return String.join(", ", out);
  }

  private static ConsumerGroup groupOn(RedisStream stream) {
    return stream.createGroup(b("g"), StreamId.MIN, ConsumerGroup.INVALID_ENTRIES_READ);
  }

  @Test
  void claim_force_createsPendingCountingADeliveryUnlessJustId() {
    RedisStream stream = streamOf(5);
    ConsumerGroup g = groupOn(stream);
    StreamConsumer alice = consumer(g, "alice");
    StreamConsumer bob = consumer(g, "bob");
    assertEquals(
        List.of("2-0 null"),
        render(
            g.claim(alice, List.of(id("2")), new ClaimOptions(0, -1, -1, true, true, null), 10)));
    assertEquals(
        List.of("3-0 f v3"),
        render(g.claim(bob, List.of(id("3")), new ClaimOptions(0, -1, -1, true, false, null), 10)));
    assertEquals("2-0 alice 1@10, 3-0 bob 2@10", pel(g));
    assertEquals(10, bob.activeTime());
  }

  @Test
  void claim_withoutForce_ignoresEntriesNotPending() {
    RedisStream stream = streamOf(3);
    ConsumerGroup g = groupOn(stream);
    assertTrue(g.claim(consumer(g, "a"), List.of(id("1")), ClaimOptions.DEFAULT, 0).isEmpty());
    assertEquals(0, g.pendingCount());
  }

  @Test
  void claim_justIdAndRetryCount_controlTheDeliveryCount() {
    RedisStream stream = streamOf(3);
    ConsumerGroup g = groupOn(stream);
    g.readNew(consumer(g, "alice"), 0, false, 0);
    StreamConsumer bob = consumer(g, "bob");
    g.claim(bob, List.of(id("2")), JUSTID, 5);
    assertEquals("1-0 alice 1@0, 2-0 bob 1@5, 3-0 alice 1@0", pel(g));
    g.claim(bob, List.of(id("2")), ClaimOptions.DEFAULT, 6);
    g.claim(bob, List.of(id("3")), new ClaimOptions(0, -1, 7, false, true, null), 7);
    assertEquals("1-0 alice 1@0, 2-0 bob 2@6, 3-0 bob 7@7", pel(g));
    assertEquals(1, consumer(g, "alice").pendingCount());
    assertEquals(2, bob.pendingCount());
  }

  @Test
  void claim_minIdle_skipsRecentlyDelivered() {
    RedisStream stream = streamOf(3);
    ConsumerGroup g = groupOn(stream);
    g.readNew(consumer(g, "alice"), 2, false, 100);
    g.readNew(consumer(g, "alice"), 0, false, 150);
    List<StreamEntry> got =
        g.claim(
            consumer(g, "bob"),
            List.of(id("1"), id("2"), id("3")),
            new ClaimOptions(80, -1, -1, false, true, null),
            200);
    assertEquals(List.of("1-0", "2-0"), ids(got));
  }

  @Test
  void claim_idleAndTime_setDeliveryTimeBogusOnesBecomeNow() {
    RedisStream stream = streamOf(3);
    ConsumerGroup g = groupOn(stream);
    g.readNew(consumer(g, "a"), 0, false, 0);
    StreamConsumer b = consumer(g, "b");
    g.claim(b, List.of(id("1")), new ClaimOptions(0, 1000 - 300, -1, false, true, null), 1000);
    g.claim(b, List.of(id("2")), new ClaimOptions(0, 5000, -1, false, true, null), 1000);
    g.claim(b, List.of(id("3")), new ClaimOptions(0, -7, -1, false, true, null), 1000);
    assertEquals("1-0 b 1@700, 2-0 b 1@1000, 3-0 b 1@1000", pel(g));
  }

  @Test
  void claim_lastId_movesGroupForwardOnly() {
    RedisStream stream = streamOf(5);
    ConsumerGroup g = groupOn(stream);
    g.claim(
        consumer(g, "a"), List.of(id("2")), new ClaimOptions(0, -1, -1, false, true, id("4")), 0);
    assertEquals(id("4"), g.lastDeliveredId());
    g.claim(
        consumer(g, "a"), List.of(id("2")), new ClaimOptions(0, -1, -1, false, true, id("1")), 0);
    assertEquals(id("4"), g.lastDeliveredId());
    assertEquals(null, g.lag()); // entries-read unknown, 4-0 inside the stream
  }

  @Test
  void claim_entryGoneFromStream_dropsItFromThePel() {
    RedisStream stream = streamOf(5);
    ConsumerGroup g = groupOn(stream);
    g.readNew(consumer(g, "alice"), 0, false, 0);
    stream.delete(List.of(id("3")));
    List<StreamEntry> got = g.claim(consumer(g, "carol"), List.of(id("3"), id("2")), JUSTID, 1);
    assertEquals(List.of("2-0"), ids(got));
    assertEquals(4, g.pendingCount());
    assertEquals(3, consumer(g, "alice").pendingCount());
  }

  @Test
  void claim_repeatedId_isClaimedAndCountedEachTime() {
    RedisStream stream = streamOf(2);
    ConsumerGroup g = groupOn(stream);
    g.readNew(consumer(g, "a"), 0, false, 0);
    List<StreamEntry> got =
        g.claim(consumer(g, "b"), List.of(id("2"), id("2")), ClaimOptions.DEFAULT, 1);
    assertEquals(List.of("2-0 f v2", "2-0 f v2"), render(got));
    assertEquals("1-0 a 1@0, 2-0 b 3@1", pel(g));
  }

  /** The sequence run by hand on redis-server 7.0.15. */
  @Test
  void autoClaim_cursorDeletedAndCount_matchRedis() {
    RedisStream stream = streamOf(6);
    ConsumerGroup g = groupOn(stream);
    g.readNew(consumer(g, "alice"), 0, false, 0);
    stream.delete(List.of(id("2"), id("3")));
    StreamConsumer bob = consumer(g, "bob");

    StreamPending.AutoClaim first = g.autoClaim(bob, StreamId.MIN, 0, 2, true, 1);
    assertEquals(id("3"), first.next());
    assertEquals(List.of("1-0"), ids(first.claimed()));
    assertEquals(List.of(id("2")), first.deleted());

    StreamPending.AutoClaim second = g.autoClaim(bob, id("1-1"), 0, 1, false, 2);
    assertEquals(id("4"), second.next());
    assertTrue(second.claimed().isEmpty());
    assertEquals(List.of(id("3")), second.deleted());

    StreamPending.AutoClaim third = g.autoClaim(bob, id("4"), 0, 5, true, 3);
    assertEquals(StreamId.MIN, third.next());
    assertEquals(List.of("4-0", "5-0", "6-0"), ids(third.claimed()));

    StreamPending.AutoClaim fourth = g.autoClaim(consumer(g, "carol"), StreamId.MIN, 0, 1, true, 4);
    assertEquals(id("4"), fourth.next());
    assertEquals(List.of("1-0"), ids(fourth.claimed()));
    assertEquals("1-0 carol 1@4, 4-0 bob 1@3, 5-0 bob 1@3, 6-0 bob 1@3", pel(g));
  }

  @Test
  void autoClaim_minIdle_skipsButAttemptsBoundTheScan() {
    RedisStream stream = streamOf(50);
    ConsumerGroup g = groupOn(stream);
    g.readNew(consumer(g, "a"), 0, false, 1000); // all recent
    StreamPending.AutoClaim res = g.autoClaim(consumer(g, "b"), StreamId.MIN, 500, 2, false, 1100);
    assertTrue(res.claimed().isEmpty());
    assertEquals(id("21"), res.next()); // 2 * 10 attempts looked at 1-0 .. 20-0
  }

  @Test
  void autoClaim_withoutJustId_countsDeliveryAndReturnsEntries() {
    RedisStream stream = streamOf(3);
    ConsumerGroup g = groupOn(stream);
    g.readNew(consumer(g, "a"), 0, false, 0);
    StreamPending.AutoClaim res = g.autoClaim(consumer(g, "b"), StreamId.MIN, 0, 100, false, 9);
    assertEquals(List.of("1-0 f v1", "2-0 f v2", "3-0 f v3"), render(res.claimed()));
    assertEquals("1-0 b 2@9, 2-0 b 2@9, 3-0 b 2@9", pel(g));
    assertEquals(9, consumer(g, "b").activeTime());
  }
}
