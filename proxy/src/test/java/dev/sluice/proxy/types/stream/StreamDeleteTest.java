package dev.sluice.proxy.types.stream;

import static dev.sluice.proxy.types.stream.StreamTestSupport.add;
import static dev.sluice.proxy.types.stream.StreamTestSupport.id;
import static dev.sluice.proxy.types.stream.StreamTestSupport.ids;
import static dev.sluice.proxy.types.stream.StreamTestSupport.streamOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StreamDeleteTest {
  @Test
  void delete_liveAndMissingIds_countsLiveOnly() {
    RedisStream stream = streamOf(5);
    assertEquals(2, stream.delete(List.of(id("2"), id("2"), id("4"), id("9"))));
    assertEquals(3, stream.length());
    assertEquals(List.of("1-0", "3-0", "5-0"), ids(StreamTestSupport.all(stream)));
  }

  @Test
  void delete_updatesMaxDeletedIdUpwardsOnly() {
    RedisStream stream = streamOf(5);
    stream.delete(List.of(id("4")));
    assertEquals(id("4"), stream.maxDeletedId());
    stream.delete(List.of(id("2")));
    assertEquals(id("4"), stream.maxDeletedId());
    stream.delete(List.of(id("7"))); // not there: no change
    assertEquals(id("4"), stream.maxDeletedId());
  }

  @Test
  void delete_firstEntry_movesRecordedFirstId() {
    RedisStream stream = streamOf(5);
    stream.delete(List.of(id("1"), id("2")));
    assertEquals(id("3"), stream.firstId());
    stream.delete(List.of(id("4")));
    assertEquals(id("3"), stream.firstId());
  }

  @Test
  void delete_everything_keepsLastIdAndAddedAndZeroesFirstId() {
    RedisStream stream = streamOf(3);
    stream.delete(List.of(id("1"), id("2"), id("3")));
    assertEquals(0, stream.length());
    assertEquals(StreamId.MIN, stream.firstId());
    assertEquals(id("3"), stream.lastId());
    assertEquals(id("3"), stream.maxDeletedId());
    assertEquals(3, stream.entriesAdded());
    assertFalse(stream.isEmpty()); // the key stays, as in Redis
    assertEquals(0, stream.radixTreeKeys());
    assertEquals(1, stream.radixTreeNodes());
  }

  @Test
  void delete_lastLiveEntryOfANode_removesTheNode() {
    RedisStream stream = streamOf(250);
    List<StreamId> middle = new ArrayList<>();
    for (int i = 101; i <= 200; i++) {
      middle.add(id(Integer.toString(i)));
    }
    stream.delete(middle.subList(0, 99));
    assertEquals(3, stream.radixTreeKeys()); // one live entry left in the middle node
    stream.delete(middle.subList(99, 100));
    assertEquals(2, stream.radixTreeKeys());
    assertEquals(150, stream.length());
    assertEquals(List.of("100-0", "201-0"), ids(stream.range(id("100"), id("201"), false, 0)));
  }

  @Test
  void delete_thenAdd_appendsAfterLastIdNotAfterLastLiveEntry() {
    RedisStream stream = streamOf(3);
    stream.delete(List.of(id("3")));
    StreamException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            StreamException.class, () -> add(stream, "3-0", "f", "v"));
    assertEquals(StreamException.XADD_ID_TOO_SMALL, e.redisError());
    add(stream, "3-1", "f", "v");
    assertEquals(List.of("1-0", "2-0", "3-1"), ids(StreamTestSupport.all(stream)));
  }

  /** Node keys left by XDEL of whole nodes: Redis's rax node counts, recorded from 7.0.15. */
  @Test
  void radixTreeNodes_afterWholeNodeDeletes_matchRedis() {
    RedisStream stream = streamOf(1000);
    List<StreamId> doomed = new ArrayList<>();
    for (int node : new int[] {0, 3, 4, 9}) {
      for (int i = node * 100 + 1; i <= node * 100 + 100; i++) {
        doomed.add(id(Integer.toString(i)));
      }
    }
    stream.delete(doomed);
    assertEquals(6, stream.radixTreeKeys());
    assertEquals(16, stream.radixTreeNodes());
  }
}
