package dev.sluice.proxy.types.stream;

import static dev.sluice.proxy.types.stream.StreamTestSupport.add;
import static dev.sluice.proxy.types.stream.StreamTestSupport.b;
import static dev.sluice.proxy.types.stream.StreamTestSupport.fv;
import static dev.sluice.proxy.types.stream.StreamTestSupport.id;
import static dev.sluice.proxy.types.stream.StreamTestSupport.render;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class StreamAddTest {
  private static final long U64_MAX = -1L;

  private static void assertError(String text, Runnable action) {
    StreamException e = assertThrows(StreamException.class, action::run);
    assertEquals(text, e.redisError());
  }

  @Test
  void newStream_typeEncodingAndMetadata_areRedisDefaults() {
    RedisStream stream = new RedisStream();
    assertEquals("stream", stream.typeName());
    assertEquals("stream", stream.encoding());
    assertFalse(stream.isEmpty());
    assertEquals(0, stream.length());
    assertEquals(StreamId.MIN, stream.lastId());
    assertEquals(StreamId.MIN, stream.firstId());
    assertEquals(StreamId.MIN, stream.maxDeletedId());
    assertEquals(0, stream.entriesAdded());
    assertEquals(0, stream.radixTreeKeys());
    assertEquals(1, stream.radixTreeNodes());
  }

  @Test
  void add_autoId_usesClockThenSequenceWhenClockIsNotAhead() {
    RedisStream stream = new RedisStream();
    assertEquals(new StreamId(1000, 0), stream.add(StreamAddId.AUTO, fv("f", "v"), 1000));
    assertEquals(new StreamId(1000, 1), stream.add(StreamAddId.AUTO, fv("f", "v"), 1000));
    assertEquals(new StreamId(1000, 2), stream.add(StreamAddId.AUTO, fv("f", "v"), 999)); // behind
    assertEquals(new StreamId(1001, 0), stream.add(StreamAddId.AUTO, fv("f", "v"), 1001));
  }

  @Test
  void add_autoIdAtLargestSequence_carriesIntoNextMs() {
    RedisStream stream = new RedisStream();
    add(stream, "5-18446744073709551615", "f", "v");
    assertEquals(new StreamId(6, 0), stream.add(StreamAddId.AUTO, fv("f", "v"), 3));
  }

  @Test
  void add_partialId_generatesSequence() {
    RedisStream stream = new RedisStream();
    assertEquals(id("0-1"), add(stream, "0-*", "f", "v")); // 0-0 is never an entry
    assertEquals(id("0-2"), add(stream, "0-*", "f", "v"));
    assertEquals(id("7-0"), add(stream, "7-*", "f", "v"));
    assertEquals(id("7-1"), add(stream, "7-*", "f", "v"));
    assertError(StreamException.XADD_ID_TOO_SMALL, () -> add(stream, "6-*", "f", "v"));
  }

  /** redis-server 7.0 says "Elements are too large to be stored" here; 7.4 fixed the errno. */
  @Test
  void add_partialIdWithSequenceExhausted_isEqualOrSmaller() {
    RedisStream stream = new RedisStream();
    add(stream, "5-18446744073709551615", "f", "v");
    assertError(StreamException.XADD_ID_TOO_SMALL, () -> add(stream, "5-*", "f", "v"));
  }

  @Test
  void add_explicitIdNotAboveLast_fails() {
    RedisStream stream = new RedisStream();
    add(stream, "5-5", "f", "v");
    assertError(StreamException.XADD_ID_TOO_SMALL, () -> add(stream, "5-5", "f", "v"));
    assertError(StreamException.XADD_ID_TOO_SMALL, () -> add(stream, "5", "f", "v"));
    assertError(StreamException.XADD_ID_TOO_SMALL, () -> add(stream, "4-9", "f", "v"));
    assertEquals(id("5-6"), add(stream, "5-6", "f", "v"));
    assertEquals(2, stream.length());
  }

  @Test
  void add_zeroId_failsEvenOnNewStream() {
    RedisStream stream = new RedisStream();
    assertError(StreamException.XADD_ID_ZERO, () -> add(stream, "0-0", "f", "v"));
    assertError(StreamException.XADD_ID_ZERO, () -> add(stream, "0", "f", "v"));
    assertEquals(0, stream.entriesAdded());
  }

  @Test
  void add_afterLargestId_streamIsExhausted() {
    RedisStream stream = new RedisStream();
    add(stream, "18446744073709551615-18446744073709551614", "f", "v");
    assertEquals(StreamId.MAX, add(stream, "18446744073709551615-*", "f", "v"));
    assertError(StreamException.EXHAUSTED, () -> add(stream, "18446744073709551615-*", "f", "v"));
    assertError(
        StreamException.EXHAUSTED, () -> stream.add(StreamAddId.AUTO, fv("f", "v"), U64_MAX));
  }

  @Test
  void add_idsWithHighBitSet_orderUnsigned() {
    RedisStream stream = new RedisStream();
    add(stream, "9223372036854775807-0", "f", "a");
    add(stream, "9223372036854775808-0", "f", "b"); // would be negative as a signed long
    assertEquals(
        List.of("9223372036854775807-0 f a", "9223372036854775808-0 f b"),
        render(StreamTestSupport.all(stream)));
  }

  @Test
  void add_metadata_tracksLengthFirstLastAndAdded() {
    RedisStream stream = new RedisStream();
    add(stream, "3-0", "f", "v");
    add(stream, "4-0", "f", "v");
    assertEquals(2, stream.length());
    assertEquals(2, stream.entriesAdded());
    assertEquals(id("3-0"), stream.firstId());
    assertEquals(id("4-0"), stream.lastId());
  }

  @Test
  void add_fieldsAndValues_areCopiedAndReturnedBinarySafe() {
    RedisStream stream = new RedisStream();
    byte[][] pairs = {b("f\0\u00ff"), b(""), b("g"), b("-12"), b("h"), b("007")};
    add(stream, "1-0", "f", "v");
    stream.add(StreamAddId.parse(b("2-0")), pairs, 0);
    pairs[1] = b("changed");
    assertEquals(
        List.of("2-0 f\0\u00ff  g -12 h 007"),
        render(stream.range(id("2-0"), id("2-0"), false, 0)));
  }

  @Test
  void add_oddOrNoFieldsValues_rejected() {
    RedisStream stream = new RedisStream();
    assertThrows(IllegalArgumentException.class, () -> stream.add(StreamAddId.AUTO, fv(), 1));
    assertThrows(IllegalArgumentException.class, () -> stream.add(StreamAddId.AUTO, fv("f"), 1));
  }

  /** Node counts redis-server 7.0.15 reported (radix-tree-keys / -nodes) for the same adds. */
  @Test
  void add_nodeBoundaries_matchRedisByEntriesAndListpackBytes() {
    assertNodes("x".repeat(1000), 20, 5, 12);
    assertNodes("x".repeat(60), 100, 2, 6);
    assertNodes("x".repeat(62), 100, 2, 6);
    assertNodes("123456", 250, 3, 8);
    assertNodes("x".repeat(4100), 3, 3, 8);
  }

  private static void assertNodes(String value, int entries, int keys, long raxNodes) {
    RedisStream stream = new RedisStream();
    for (int i = 1; i <= entries; i++) {
      add(stream, i + "-0", "f", value);
    }
    assertEquals(keys, stream.radixTreeKeys(), value.length() + "-byte values");
    assertEquals(raxNodes, stream.radixTreeNodes(), value.length() + "-byte values");
  }

  /** Redis's rax node counts for 1-0 .. n-0 (one key per 100 entries), recorded from 7.0.15. */
  @Test
  void radixTreeNodes_sequentialIds_matchRedis() {
    int[][] cases = {{1, 2}, {100, 2}, {101, 6}, {250, 8}, {1000, 26}, {5000, 121}};
    for (int[] c : cases) {
      RedisStream stream = StreamTestSupport.streamOf(c[0]);
      assertEquals(c[1], stream.radixTreeNodes(), c[0] + " entries");
    }
  }

  /** Texts and outcomes checked on redis-server 7.0.15, but for the 7.4-only max-deleted check. */
  @Test
  void setId_checksAgainstTopItemLengthAndMaxDeleted() {
    RedisStream stream = StreamTestSupport.streamOf(3);
    assertError(StreamException.XSETID_BELOW_TOP, () -> stream.setId(id("2-0"), -1, null));
    assertError(
        StreamException.XSETID_ENTRIES_ADDED_BELOW_LENGTH, () -> stream.setId(id("5-0"), 2, null));
    stream.setId(id("5-0"), 10, id("4-0"));
    assertEquals(id("5-0"), stream.lastId());
    assertEquals(10, stream.entriesAdded());
    assertEquals(id("4-0"), stream.maxDeletedId());
    stream.delete(List.of(id("3-0")));
    // 7.0 accepted this; 7.4 refuses an ID below max-deleted-entry-id
    assertError(StreamException.XSETID_BELOW_MAX_DELETED, () -> stream.setId(id("2-0"), -1, null));
    assertError(StreamException.XADD_ID_TOO_SMALL, () -> add(stream, "5-0", "f", "v"));
    assertEquals(id("5-1"), add(stream, "5-*", "f", "v"));
  }

  @Test
  void setId_emptyStream_acceptsAnyIdAtOrAboveMaxDeleted() {
    RedisStream stream = new RedisStream();
    stream.setId(id("0-0"), -1, null);
    stream.setId(id("100-0"), 0, StreamId.MIN);
    assertEquals(id("100-0"), stream.lastId());
    assertEquals(StreamId.MIN, stream.maxDeletedId()); // 0-0 means "not given"
  }
}
