package dev.sluice.proxy.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.sluice.proxy.testing.BothProtocols;
import dev.sluice.proxy.testing.RespSocket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.params.SortingParams;

/**
 * SORT and SORT_RO through Jedis 5 (RESP2 and RESP3), and STORE's keyspace notifications over a raw
 * subscriber. The exact replies are {@link SortGoldenTest}'s; this checks that a real client's
 * requests and parsing work, in both protocols.
 */
class SortCommandsTest extends JedisServerTest {

  @BothProtocols
  void sort_numericAlphaDescLimit_onListSetAndSortedSet(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.rpush("l", "3", "10", "1", "2");
    assertEquals(List.of("1", "2", "3", "10"), jedis.sort("l"));
    assertEquals(
        List.of("3", "2", "10"), jedis.sort("l", new SortingParams().alpha().desc().limit(0, 3)));
    jedis.sadd("s", "b", "a", "c");
    assertEquals(List.of("a", "b", "c"), jedis.sortReadonly("s", new SortingParams().alpha()));
    jedis.zadd("z", 1, "20");
    jedis.zadd("z", 2, "10");
    assertEquals(List.of("10", "20"), jedis.sort("z"));
    assertEquals(List.of("20", "10"), jedis.sort("z", new SortingParams().nosort()));
    assertError("ERR One or more scores can't be converted into double", () -> jedis.sort("s"));
    jedis.set("str", "x");
    assertError(
        "WRONGTYPE Operation against a key holding the wrong kind of value",
        () -> jedis.sort("str"));
  }

  @BothProtocols
  void sort_byAndGetPatterns_stringsAndHashFields(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.rpush("ids", "1", "2", "3");
    jedis.mset("w_1", "30", "w_2", "10", "w_3", "20", "name_1", "one", "name_3", "three");
    jedis.hset("h_1", "f", "c");
    jedis.hset("h_2", "f", "a");
    assertEquals(List.of("2", "3", "1"), jedis.sort("ids", new SortingParams().by("w_*")));
    assertEquals(
        Arrays.asList("1", "one", "3", "three", "2", null),
        jedis.sort("ids", new SortingParams().by("w_*").desc().get("#", "name_*")));
    assertEquals(
        Arrays.asList("3", "2", "1"),
        jedis.sort("ids", new SortingParams().by("h_*->f").alpha().get("#")));
  }

  @BothProtocols
  void sort_store_replacesWithListOrDeletes(RedisProtocol protocol) {
    Jedis jedis = jedis(protocol);
    jedis.rpush("l", "b", "a");
    jedis.set("dest", "old");
    assertEquals(2, jedis.sort("l", new SortingParams().alpha(), "dest"));
    assertEquals(List.of("a", "b"), jedis.lrange("dest", 0, -1));
    assertEquals(0, jedis.sort("missing", "dest"));
    assertFalse(jedis.exists("dest"));
  }

  @Test
  void notifications_storeIsSortstore_emptyStoreIsDel() {
    Jedis jedis = jedis(RedisProtocol.RESP2);
    assertEquals("OK", jedis.configSet("notify-keyspace-events", "Elg"));
    try (RespSocket subscriber = RespSocket.connect(server.port())) {
      subscriber.call("PSUBSCRIBE", "__keyevent@0__:*");
      jedis.rpush("src", "2", "1");
      jedis.sort("src", "dest");
      jedis.sort("nothing", "dest");
      List<String> events = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        List<?> message = (List<?>) subscriber.read();
        events.add(message.get(2) + " " + message.get(3));
      }
      assertEquals(
          List.of(
              "__keyevent@0__:rpush src",
              "__keyevent@0__:sortstore dest",
              "__keyevent@0__:del dest"),
          events);
    } finally {
      jedis.configSet("notify-keyspace-events", "");
    }
  }
}
