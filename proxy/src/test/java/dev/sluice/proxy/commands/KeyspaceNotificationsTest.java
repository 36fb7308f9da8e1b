package dev.sluice.proxy.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.proxy.testing.RespSocket;
import dev.sluice.proxy.testing.RespSocket.Err;
import dev.sluice.proxy.testing.RespSocket.Simple;
import dev.sluice.proxy.testing.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.RedisProtocol;

/**
 * notify-keyspace-events: the canonical letters CONFIG GET shows, the exact channel names
 * (__keyspace@db__:key and __keyevent@db__:event) and payloads for writes in several databases,
 * expired events from the active expire cycle and from an access (time moved by the ManualClock),
 * evicted events, and the 'n' (new key) class that 'A' does not include.
 */
class KeyspaceNotificationsTest {
  private static final long WAIT_SECONDS = 5;

  private static TestServer server;
  private static ExecutorService threads;
  private static Jedis jedis;
  private final List<AutoCloseable> opened = new ArrayList<>();

  @BeforeAll
  static void startServer() {
    server = TestServer.start();
    threads = Executors.newCachedThreadPool();
    jedis = server.jedis(RedisProtocol.RESP2);
  }

  @AfterAll
  static void stopServer() {
    jedis.close();
    threads.shutdownNow();
    server.close();
  }

  @BeforeEach
  void flush() {
    assertEquals("OK", jedis.configSet("notify-keyspace-events", ""));
    assertEquals("OK", jedis.flushAll());
  }

  @AfterEach
  void restore() throws Exception {
    for (AutoCloseable c : opened) {
      c.close();
    }
    opened.clear();
    jedis.configSet("notify-keyspace-events", "");
    jedis.configSet("maxmemory", "0");
    jedis.configSet("maxmemory-policy", "noeviction");
    jedis.configSet("hz", "10");
    jedis.select(0);
  }

  private static String notifyConfig() {
    return jedis.configGet("notify-keyspace-events").get("notify-keyspace-events");
  }

  /** A raw subscriber to every keyspace and keyevent channel of every database. */
  private RespSocket subscribeAll() {
    RespSocket s = RespSocket.connect(server.port());
    opened.add(s);
    assertEquals(List.of("psubscribe", "__key*__:*", 1L), s.call("PSUBSCRIBE", "__key*__:*"));
    return s;
  }

  /** The next notification as "channel payload". */
  private static String next(RespSocket subscriber) {
    List<?> message = (List<?>) subscriber.read();
    assertEquals("pmessage", message.get(0));
    return message.get(2) + " " + message.get(3);
  }

  private static List<String> next(RespSocket subscriber, int count) {
    List<String> events = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      events.add(next(subscriber));
    }
    return events;
  }

  // ---- the setting ----

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "KEA|AKE",
        "Ex|xE",
        "E$|$E",
        "Kg|gK",
        "Elg$|g$lE",
        "Ksm|sKm",
        "g$lshzxetdKE|AKE",
        "KEAn|AKEn",
        "AKEm|AKEm",
        "''|''"
      })
  void configSet_eventClasses_configGetShowsCanonicalLetters(String set, String shown) {
    assertEquals("OK", jedis.configSet("notify-keyspace-events", set));
    assertEquals(shown, notifyConfig());
  }

  @Test
  void configSet_unknownLetter_refusedAndValueKept() {
    jedis.configSet("notify-keyspace-events", "Kg");
    try (RespSocket c = RespSocket.connect(server.port())) {
      Object reply = c.call("CONFIG", "SET", "notify-keyspace-events", "KEQ");
      assertInstanceOf(Err.class, reply);
      assertTrue(
          ((Err) reply)
              .message()
              .startsWith(
                  "ERR CONFIG SET failed (possibly related to argument 'notify-keyspace-events')"),
          reply.toString());
    }
    assertEquals("gK", notifyConfig());
  }

  @Test
  void notifications_off_nothingPublished() {
    RespSocket s = subscribeAll();
    jedis.set("quiet", "1");
    jedis.configSet("notify-keyspace-events", "E$");
    jedis.set("loud", "1");
    assertEquals("__keyevent@0__:set loud", next(s)); // nothing came before it
  }

  // ---- channels and events ----

  @Test
  void writes_db0AndDb3_exactChannelsAndPayloadsInOrder() {
    jedis.configSet("notify-keyspace-events", "KEA");
    RespSocket s = subscribeAll();

    jedis.set("k", "v");
    jedis.expire("k", 100);
    jedis.rename("k", "k2");
    jedis.del("k2");
    jedis.lpush("l", "a");
    jedis.rpop("l");
    jedis.incr("n");
    try (Jedis db3 = server.jedis(RedisProtocol.RESP3)) {
      db3.select(3);
      db3.set("x", "1");
      db3.pexpire("x", 5000);
      db3.persist("x");
      db3.append("x", "2");
    }

    assertEquals(
        List.of(
            "__keyspace@0__:k set",
            "__keyevent@0__:set k",
            "__keyspace@0__:k expire",
            "__keyevent@0__:expire k",
            "__keyspace@0__:k rename_from",
            "__keyevent@0__:rename_from k",
            "__keyspace@0__:k2 rename_to",
            "__keyevent@0__:rename_to k2",
            "__keyspace@0__:k2 del",
            "__keyevent@0__:del k2",
            "__keyspace@0__:l lpush",
            "__keyevent@0__:lpush l",
            "__keyspace@0__:l rpop",
            "__keyevent@0__:rpop l",
            "__keyspace@0__:l del",
            "__keyevent@0__:del l",
            "__keyspace@0__:n incrby",
            "__keyevent@0__:incrby n",
            "__keyspace@3__:x set",
            "__keyevent@3__:set x",
            "__keyspace@3__:x expire",
            "__keyevent@3__:expire x",
            "__keyspace@3__:x persist",
            "__keyevent@3__:persist x",
            "__keyspace@3__:x append",
            "__keyevent@3__:append x"),
        next(s, 26));
  }

  @Test
  void keyspaceOnly_andKeyeventOnly_publishOnTheirChannel() {
    RespSocket s = subscribeAll();
    jedis.configSet("notify-keyspace-events", "K$");
    jedis.set("a", "1");
    jedis.configSet("notify-keyspace-events", "Eg");
    jedis.set("b", "1"); // no string events any more
    jedis.del("a");
    assertEquals(List.of("__keyspace@0__:a set", "__keyevent@0__:del a"), next(s, 2));
  }

  @Test
  void subscriberOnOneKeyspaceChannel_receivesOnlyThatKeysEvents() throws Exception {
    jedis.configSet("notify-keyspace-events", "KA");
    RespSocket s = RespSocket.connect(server.port());
    opened.add(s);
    s.call("SUBSCRIBE", "__keyspace@0__:watched");
    jedis.set("other", "1");
    jedis.set("watched", "1");
    jedis.lpush("other2", "x");
    jedis.del("watched");
    assertEquals(List.of("message", "__keyspace@0__:watched", "set"), s.read());
    assertEquals(List.of("message", "__keyspace@0__:watched", "del"), s.read());
  }

  @Test
  void resp3SubscriberChangingItsOwnKey_messageBeforeTheCommandsReply() {
    jedis.configSet("notify-keyspace-events", "E$");
    RespSocket s = RespSocket.connect(server.port());
    opened.add(s);
    s.call("HELLO", "3");
    s.call("SUBSCRIBE", "__keyevent@0__:set");
    s.sendRaw("SET k v\r\nGET k\r\nSET j v\r\n");
    // as Redis: the push is written while SET runs, before its +OK and after earlier replies
    assertEquals(List.of("message", "__keyevent@0__:set", "k"), s.read());
    assertEquals(new Simple("OK"), s.read());
    assertEquals("v", s.read());
    assertEquals(List.of("message", "__keyevent@0__:set", "j"), s.read());
    assertEquals(new Simple("OK"), s.read());
  }

  // ---- expired: the session-store flow ----

  /** A JedisPubSub on its own thread, subscribed to one channel, collecting messages. */
  private BlockingQueue<String> jedisSubscriber(String channel) throws Exception {
    BlockingQueue<String> messages = new LinkedBlockingQueue<>();
    BlockingQueue<String> subscribed = new LinkedBlockingQueue<>();
    Jedis subscriber = server.jedis(RedisProtocol.RESP3);
    JedisPubSub listener =
        new JedisPubSub() {
          @Override
          public void onSubscribe(String ch, int count) {
            subscribed.add(ch);
          }

          @Override
          public void onMessage(String ch, String message) {
            messages.add(ch + " " + message);
          }
        };
    Future<?> loop = threads.submit(() -> subscriber.subscribe(listener, channel));
    opened.add(
        () -> {
          listener.unsubscribe();
          loop.get(WAIT_SECONDS, TimeUnit.SECONDS);
          subscriber.close();
        });
    assertEquals(channel, subscribed.poll(WAIT_SECONDS, TimeUnit.SECONDS));
    return messages;
  }

  @Test
  void sessionExpires_activeExpireCycle_expiredEventReceived() throws Exception {
    jedis.configSet("notify-keyspace-events", "Ex");
    BlockingQueue<String> expired = jedisSubscriber("__keyevent@0__:expired");

    jedis.hset("session:abc", Map.of("user", "42", "cart", "3 items"));
    jedis.pexpire("session:abc", 30_000);
    server.clock().advance(Duration.ofMillis(30_001));

    // nobody touches the key: the cron (every 100 ms of real time) reclaims it
    assertEquals(
        "__keyevent@0__:expired session:abc", expired.poll(WAIT_SECONDS, TimeUnit.SECONDS));
    assertEquals(0, jedis.dbSize());
    assertNull(expired.poll(0, TimeUnit.SECONDS), "one event only");
  }

  @Test
  void sessionExpires_accessAfterTtl_expiredEventReceivedOnce() throws Exception {
    jedis.configSet("hz", "1"); // make the access, not the cron, the likely reclaimer
    jedis.configSet("notify-keyspace-events", "Ex");
    BlockingQueue<String> expired = jedisSubscriber("__keyevent@0__:expired");

    jedis.hset("session:xyz", "user", "7");
    jedis.pexpire("session:xyz", 1_000);
    server.clock().advance(Duration.ofMillis(1_001));

    assertEquals(Map.of(), jedis.hgetAll("session:xyz"));
    assertEquals(
        "__keyevent@0__:expired session:xyz", expired.poll(WAIT_SECONDS, TimeUnit.SECONDS));
    assertEquals(Map.of(), jedis.hgetAll("session:xyz"));
    jedis.set("marker", "1");
    jedis.pexpire("marker", 1);
    server.clock().advance(Duration.ofMillis(2));
    assertNull(jedis.get("marker"));
    // the next event is the marker's: the session key expired exactly once
    assertEquals("__keyevent@0__:expired marker", expired.poll(WAIT_SECONDS, TimeUnit.SECONDS));
  }

  @Test
  void expired_inAnotherDatabase_channelNamesThatDatabase() {
    jedis.configSet("notify-keyspace-events", "KEx");
    RespSocket s = subscribeAll();
    jedis.select(7);
    jedis.set("t", "1");
    jedis.pexpire("t", 10);
    server.clock().advance(Duration.ofMillis(11));
    assertNull(jedis.get("t"));
    assertEquals(List.of("__keyspace@7__:t expired", "__keyevent@7__:expired t"), next(s, 2));
  }

  // ---- evicted ----

  @Test
  void eviction_allkeysLru_evictedEvent() {
    jedis.configSet("notify-keyspace-events", "KEe");
    RespSocket s = subscribeAll();
    jedis.configSet("maxmemory-policy", "allkeys-lru");
    jedis.set("big", "x".repeat(10_000));
    jedis.configSet("maxmemory", "1");
    assertNull(jedis.get("big")); // the command's memory check evicted the only key
    jedis.configSet("maxmemory", "0");
    assertEquals(List.of("__keyspace@0__:big evicted", "__keyevent@0__:evicted big"), next(s, 2));
  }

  // ---- 'n': new keys ----

  @Test
  void newClass_eventsOnlyForKeysThatDidNotExist() {
    jedis.configSet("notify-keyspace-events", "En");
    RespSocket s = subscribeAll();
    jedis.set("a", "1");
    jedis.set("a", "2"); // exists: no event
    jedis.lpush("l", "x");
    jedis.lpush("l", "y"); // exists
    jedis.set("b", "1");
    jedis.rename("b", "b2");
    jedis.copy("a", "a2", false);
    jedis.incr("n");
    assertEquals(
        List.of(
            "__keyevent@0__:new a",
            "__keyevent@0__:new l",
            "__keyevent@0__:new b",
            "__keyevent@0__:new b2",
            "__keyevent@0__:new a2",
            "__keyevent@0__:new n"),
        next(s, 6));
  }

  @Test
  void aliasA_doesNotIncludeNewClass() {
    jedis.configSet("notify-keyspace-events", "EA");
    RespSocket s = subscribeAll();
    jedis.set("fresh", "1");
    jedis.configSet("notify-keyspace-events", "EAn");
    jedis.set("fresh2", "1");
    assertEquals(
        List.of(
            "__keyevent@0__:set fresh", "__keyevent@0__:new fresh2", "__keyevent@0__:set fresh2"),
        next(s, 3));
  }
}
