package dev.sluice.proxy.types.stream;

import static dev.sluice.proxy.types.stream.StreamTestSupport.add;
import static dev.sluice.proxy.types.stream.StreamTestSupport.id;
import static dev.sluice.proxy.types.stream.StreamTestSupport.ids;
import static dev.sluice.proxy.types.stream.StreamTestSupport.streamOf;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every expectation here was first run on redis-server 7.0.15 (streamTrim is unchanged in 7.4): the
 * value returned, then length, radix-tree-keys, max-deleted-entry-id and recorded-first-entry-id.
 */
class StreamTrimTest {
  private static void assertState(
      RedisStream stream, long length, int keys, String maxDeleted, String first) {
    assertEquals(length, stream.length(), "length");
    assertEquals(keys, stream.radixTreeKeys(), "radix-tree-keys");
    assertEquals(maxDeleted, stream.maxDeletedId().toString(), "max-deleted-entry-id");
    assertEquals(first, stream.firstId().toString(), "recorded-first-entry-id");
  }

  @Test
  void trimByLength_approx_removesWholeNodesOnly() {
    RedisStream stream = streamOf(250);
    assertEquals(100, stream.trimByLength(120, true, stream.defaultApproxLimit()));
    assertState(stream, 150, 2, "0-0", "101-0");
  }

  @Test
  void trimByLength_exact_removesNodesThenFlagsInsideOne() {
    RedisStream stream = streamOf(250);
    assertEquals(130, stream.trimByLength(120, false, 0));
    assertState(stream, 120, 2, "0-0", "131-0");
    assertEquals("131-0", ids(stream.range(StreamId.MIN, StreamId.MAX, false, 1)).get(0));
  }

  @Test
  void trimByMinId_approx_removesNodesWhoseLastIdIsBelow() {
    RedisStream stream = streamOf(250);
    assertEquals(100, stream.trimByMinId(id("150"), true, stream.defaultApproxLimit()));
    assertState(stream, 150, 2, "0-0", "101-0");
  }

  @Test
  void trimByMinId_exact_keepsTheMinimumItself() {
    RedisStream stream = streamOf(250);
    assertEquals(149, stream.trimByMinId(id("150"), false, 0));
    assertState(stream, 101, 2, "0-0", "150-0");
  }

  @Test
  void trimByLength_limit_stopsBeforeANodeThatWouldExceedIt() {
    RedisStream stream = streamOf(250);
    assertEquals(100, stream.trimByLength(0, true, 150));
    assertState(stream, 150, 2, "0-0", "101-0");
  }

  @Test
  void trimByLength_approxLimitZero_isUnlimited() {
    RedisStream stream = streamOf(250);
    assertEquals(100, stream.trimByLength(99, true, 0));
    assertState(stream, 150, 2, "0-0", "101-0");
  }

  @Test
  void trimByLength_defaultApproxLimit_isHundredNodes() {
    RedisStream stream = streamOf(20000);
    assertEquals(10000, stream.defaultApproxLimit());
    assertEquals(10000, stream.trimByLength(0, true, stream.defaultApproxLimit()));
    assertState(stream, 10000, 100, "0-0", "10001-0");
  }

  @Test
  void defaultApproxLimit_unlimitedOrHugeNodes_isClamped() {
    assertEquals(10000, new RedisStream(0, 4096).defaultApproxLimit());
    assertEquals(1_000_000, new RedisStream(100_000, 4096).defaultApproxLimit());
    assertEquals(500, new RedisStream(5, 4096).defaultApproxLimit());
  }

  @Test
  void trimByLength_toZero_removesEverythingAndResetsFirstId() {
    RedisStream stream = streamOf(250);
    assertEquals(250, stream.trimByLength(0, false, 0));
    assertState(stream, 0, 0, "0-0", "0-0");
    assertEquals(id("250"), stream.lastId());
    assertEquals(250, stream.entriesAdded());
  }

  @Test
  void trimByLength_alreadyShortEnough_removesNothing() {
    RedisStream stream = streamOf(250);
    assertEquals(0, stream.trimByLength(300, false, 0));
    assertEquals(0, stream.trimByMinId(StreamId.MIN, false, 0));
    assertState(stream, 250, 3, "0-0", "1-0");
  }

  @Test
  void trim_afterXdel_leavesMaxDeletedIdAlone() {
    RedisStream stream = streamOf(250);
    stream.delete(List.of(id("150")));
    assertEquals(9, stream.trimByLength(240, false, 0));
    assertState(stream, 240, 3, "150-0", "10-0");
  }

  /** An exact MINID trim may leave a node of tombstones: Redis keeps it, and appends to it. */
  @Test
  void trimByMinId_exactUpToATombstone_keepsAnAllDeletedNode() {
    RedisStream stream = streamOf(5);
    stream.delete(List.of(id("5")));
    assertEquals(4, stream.trimByMinId(id("5"), false, 0));
    assertState(stream, 0, 1, "5-0", "0-0");
    add(stream, "6-0", "f", "v");
    assertState(stream, 1, 1, "5-0", "6-0");
    assertEquals(1, stream.trimByLength(0, true, stream.defaultApproxLimit()));
    assertState(stream, 0, 0, "5-0", "0-0");
  }

  @Test
  void trimByLength_exactWithTombstonesInTheNode_countsLiveEntriesOnly() {
    RedisStream stream = streamOf(10);
    stream.delete(List.of(id("2"), id("3")));
    assertEquals(3, stream.trimByLength(5, false, 0)); // 1, 4, 5 go; 2 and 3 were gone already
    assertEquals(List.of("6-0", "7-0", "8-0", "9-0", "10-0"), ids(StreamTestSupport.all(stream)));
  }
}
