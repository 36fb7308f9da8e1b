package dev.sluice.proxy.types.stream;

import static dev.sluice.proxy.types.stream.StreamTestSupport.add;
import static dev.sluice.proxy.types.stream.StreamTestSupport.id;
import static dev.sluice.proxy.types.stream.StreamTestSupport.ids;
import static dev.sluice.proxy.types.stream.StreamTestSupport.render;
import static dev.sluice.proxy.types.stream.StreamTestSupport.streamOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StreamRangeTest {
  @Test
  void range_forwardAcrossNodes_inclusiveBounds() {
    RedisStream stream = streamOf(250); // nodes at 1, 101, 201
    assertEquals(
        List.of("99-0", "100-0", "101-0", "102-0"),
        ids(stream.range(id("99"), id("102"), false, 0)));
    assertEquals(250, stream.range(StreamId.MIN, StreamId.MAX, false, 0).size());
  }

  @Test
  void range_reverseAcrossNodes_descending() {
    RedisStream stream = streamOf(250);
    assertEquals(
        List.of("102-0", "101-0", "100-0", "99-0"),
        ids(stream.range(id("99"), id("102"), true, 0)));
    assertEquals(List.of("250-0", "249-0"), ids(stream.range(StreamId.MIN, StreamId.MAX, true, 2)));
  }

  @Test
  void range_count_stopsEarlyBothWays() {
    RedisStream stream = streamOf(10);
    assertEquals(List.of("3-0", "4-0"), ids(stream.range(id("3"), StreamId.MAX, false, 2)));
    assertEquals(
        List.of("10-0", "9-0", "8-0"), ids(stream.range(StreamId.MIN, StreamId.MAX, true, 3)));
  }

  @Test
  void range_startAboveEnd_isEmpty() {
    RedisStream stream = streamOf(10);
    assertTrue(stream.range(id("5"), id("4"), false, 0).isEmpty());
    assertTrue(stream.range(id("5"), id("4"), true, 0).isEmpty());
  }

  @Test
  void range_boundsBetweenEntries_andSequenceDefaults() {
    RedisStream stream = new RedisStream();
    add(stream, "5-1", "a", "1");
    add(stream, "5-3", "a", "2");
    add(stream, "6-0", "a", "3");
    // XRANGE s 5 5 is 5-0 .. 5-18446744073709551615
    assertEquals(
        List.of("5-1", "5-3"),
        ids(
            stream.range(
                StreamId.parseRangeStart(StreamTestSupport.b("5")),
                StreamId.parseRangeEnd(StreamTestSupport.b("5")),
                false,
                0)));
    // XRANGE s (5-1 (6-0 is 5-2 .. 5-18446744073709551615
    assertEquals(
        List.of("5-3"),
        ids(
            stream.range(
                StreamId.parseRangeStart(StreamTestSupport.b("(5-1")),
                StreamId.parseRangeEnd(StreamTestSupport.b("(6-0")),
                false,
                0)));
  }

  @Test
  void range_deletedEntries_skippedBothWays() {
    RedisStream stream = streamOf(6);
    stream.delete(List.of(id("2"), id("5")));
    assertEquals(List.of("1-0", "3-0", "4-0", "6-0"), ids(StreamTestSupport.all(stream)));
    assertEquals(
        List.of("6-0", "4-0", "3-0", "1-0"),
        ids(stream.range(StreamId.MIN, StreamId.MAX, true, 0)));
    assertEquals(List.of("3-0"), ids(stream.range(id("2"), StreamId.MAX, false, 1)));
  }

  @Test
  void range_mixedFieldSets_decodeEachEntry() {
    RedisStream stream = new RedisStream();
    add(stream, "1-0", "a", "1", "b", "2");
    add(stream, "2-0", "a", "3", "b", "4"); // same fields as the node's first entry
    add(stream, "3-0", "b", "5", "a", "6"); // same names, other order: stored with its fields
    add(stream, "4-0", "c", "7");
    assertEquals(
        List.of("4-0 c 7", "3-0 b 5 a 6", "2-0 a 3 b 4", "1-0 a 1 b 2"),
        render(stream.range(StreamId.MIN, StreamId.MAX, true, 0)));
  }

  @Test
  void range_visitorReturningFalse_stops() {
    RedisStream stream = streamOf(10);
    List<String> seen = new ArrayList<>();
    long visited =
        stream.range(
            StreamId.MIN,
            StreamId.MAX,
            false,
            0,
            (id, fv) -> {
              seen.add(id.toString());
              return seen.size() < 3;
            });
    assertEquals(3, visited);
    assertEquals(List.of("1-0", "2-0", "3-0"), seen);
  }

  @Test
  void get_andContains_seeOnlyLiveEntries() {
    RedisStream stream = streamOf(3);
    assertEquals(List.of("2-0 f v2"), render(List.of(stream.get(id("2")))));
    assertTrue(stream.contains(id("2")));
    stream.delete(List.of(id("2")));
    assertNull(stream.get(id("2")));
    assertFalse(stream.contains(id("2")));
    assertFalse(stream.contains(id("2-1")));
  }

  @Test
  void edgeId_tombstonesIncludedOrNot() {
    RedisStream stream = streamOf(5);
    stream.delete(List.of(id("5"), id("1")));
    assertEquals(id("2"), stream.edgeId(true, true));
    assertEquals(id("1"), stream.edgeId(true, false));
    assertEquals(id("4"), stream.edgeId(false, true));
    assertEquals(id("5"), stream.edgeId(false, false));
    assertEquals(id("4"), stream.lastValidId());
  }

  @Test
  void edgeId_emptyStream_maxForFirstZeroForLast() {
    RedisStream stream = new RedisStream();
    assertEquals(StreamId.MAX, stream.edgeId(true, true));
    assertEquals(StreamId.MIN, stream.edgeId(false, true));
    assertNull(stream.lastValidId());
  }
}
