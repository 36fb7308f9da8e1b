package dev.sluice.proxy.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.proxy.testing.Await;
import dev.sluice.proxy.testing.BothProtocols;
import dev.sluice.proxy.testing.RespSocket;
import dev.sluice.proxy.testing.RespSocket.Err;
import dev.sluice.proxy.testing.RespSocket.Nil;
import dev.sluice.proxy.testing.RespSocket.Simple;
import dev.sluice.proxy.testing.TestServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.protocol.ProtocolVersion;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.pubsub.api.sync.RedisPubSubCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
import org.junit.jupiter.params.provider.EnumSource;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.RedisProtocol;

/**
 * SUBSCRIBE, PSUBSCRIBE, their UN- forms, PUBLISH and PUBSUB through Jedis (a JedisPubSub on its
 * own thread), Lettuce (listeners, RESP2 and RESP3 push frames) and raw sockets for exact replies:
 * the RESP2 subscribed context, glob patterns, receiver counts, and the pubsub output buffer limit
 * that disconnects a subscriber which stops reading.
 */
class PubSubTest {
  private static final long WAIT_SECONDS = 5;

  private static TestServer server;
  private static ExecutorService threads;
  private static Jedis publisher;
  private final List<AutoCloseable> opened = new ArrayList<>();

  @BeforeAll
  static void startServer() {
    server = TestServer.start();
    threads = Executors.newCachedThreadPool();
    publisher = server.jedis(RedisProtocol.RESP2);
  }

  @AfterAll
  static void stopServer() {
    publisher.close();
    threads.shutdownNow();
    server.close();
  }

  @BeforeEach
  void flush() {
    assertEquals("OK", publisher.flushAll());
  }

  @AfterEach
  void closeClients() throws Exception {
    for (AutoCloseable c : opened) {
      c.close();
    }
    opened.clear();
    Await.until(
        "no subscribers left", () -> Await.infoLong(publisher, "clients", "pubsub_clients") == 0);
  }

  private RespSocket socket(int protocol) {
    RespSocket socket = RespSocket.connect(server.port());
    opened.add(socket);
    if (protocol == 3) {
      socket.call("HELLO", "3");
    }
    return socket;
  }

  private static String poll(BlockingQueue<String> events) throws InterruptedException {
    String event = events.poll(WAIT_SECONDS, TimeUnit.SECONDS);
    if (event == null) {
      throw new AssertionError("no pub/sub event within " + WAIT_SECONDS + " s");
    }
    return event;
  }

  private static long numsub(String channel) {
    return publisher.pubsubNumSub(channel).get(channel);
  }

  // ---- Jedis ----

  /** Records every callback of a JedisPubSub as one line. */
  private static final class Recorder extends JedisPubSub {
    final BlockingQueue<String> events = new LinkedBlockingQueue<>();

    @Override
    public void onMessage(String channel, String message) {
      events.add("message " + channel + " " + message);
    }

    @Override
    public void onPMessage(String pattern, String channel, String message) {
      events.add("pmessage " + pattern + " " + channel + " " + message);
    }

    @Override
    public void onSubscribe(String channel, int count) {
      events.add("subscribe " + channel + " " + count);
    }

    @Override
    public void onUnsubscribe(String channel, int count) {
      events.add("unsubscribe " + channel + " " + count);
    }

    @Override
    public void onPSubscribe(String pattern, int count) {
      events.add("psubscribe " + pattern + " " + count);
    }

    @Override
    public void onPUnsubscribe(String pattern, int count) {
      events.add("punsubscribe " + pattern + " " + count);
    }
  }

  @BothProtocols
  void jedisPubSub_channelsAndPatterns_receiveMessagesAndCounts(RedisProtocol protocol)
      throws Exception {
    Recorder recorder = new Recorder();
    Jedis subscriber = server.jedis(protocol);
    opened.add(subscriber);
    Future<?> loop = threads.submit(() -> subscriber.subscribe(recorder, "ch1", "ch2"));
    assertEquals("subscribe ch1 1", poll(recorder.events));
    assertEquals("subscribe ch2 2", poll(recorder.events));
    recorder.psubscribe("news.*");
    assertEquals("psubscribe news.* 3", poll(recorder.events));

    assertEquals(1, publisher.publish("ch1", "hello"));
    assertEquals("message ch1 hello", poll(recorder.events));
    assertEquals(1, publisher.publish("news.sport", "goal"));
    assertEquals("pmessage news.* news.sport goal", poll(recorder.events));
    assertEquals(0, publisher.publish("nobody", "x"));

    assertEquals(Set.of("ch1", "ch2"), new HashSet<>(publisher.pubsubChannels()));
    assertEquals(List.of("ch2"), publisher.pubsubChannels("*2"));
    assertEquals(Map.of("ch1", 1L, "zz", 0L), publisher.pubsubNumSub("ch1", "zz"));
    assertEquals(1, publisher.pubsubNumPat());

    recorder.unsubscribe("ch1");
    assertEquals("unsubscribe ch1 2", poll(recorder.events));
    assertEquals(0, publisher.publish("ch1", "gone"));
    recorder.punsubscribe();
    assertEquals("punsubscribe news.* 1", poll(recorder.events));
    assertEquals(0, publisher.pubsubNumPat());
    recorder.unsubscribe();
    assertEquals("unsubscribe ch2 0", poll(recorder.events));
    loop.get(WAIT_SECONDS, TimeUnit.SECONDS); // subscribe() returns once nothing is left
    assertEquals(List.of(), publisher.pubsubChannels());
    // the connection left the subscribed context and runs commands again
    assertEquals("PONG", subscriber.ping());
  }

  /** Records every callback of a JedisShardedPubSub as one line. */
  private static final class ShardRecorder extends redis.clients.jedis.JedisShardedPubSub {
    final BlockingQueue<String> events = new LinkedBlockingQueue<>();

    @Override
    public void onSMessage(String channel, String message) {
      events.add("smessage " + channel + " " + message);
    }

    @Override
    public void onSSubscribe(String channel, int count) {
      events.add("ssubscribe " + channel + " " + count);
    }

    @Override
    public void onSUnsubscribe(String channel, int count) {
      events.add("sunsubscribe " + channel + " " + count);
    }
  }

  private static long spublish(String channel, String message) {
    return (Long) publisher.sendCommand(Protocol.Command.SPUBLISH, channel, message);
  }

  @BothProtocols
  void jedisShardedPubSub_shardChannelsApartFromChannels(RedisProtocol protocol) throws Exception {
    ShardRecorder recorder = new ShardRecorder();
    Jedis subscriber = server.jedis(protocol);
    opened.add(subscriber);
    Future<?> loop =
        threads.submit(() -> recorder.proceed(subscriber.getConnection(), "orders", "stock"));
    assertEquals("ssubscribe orders 1", poll(recorder.events));
    assertEquals("ssubscribe stock 2", poll(recorder.events));

    assertEquals(1, spublish("orders", "o-1"));
    assertEquals("smessage orders o-1", poll(recorder.events));
    // a plain channel of the same name and a pattern reach no shard subscriber, and back
    assertEquals(0, publisher.publish("orders", "plain"));
    assertEquals(0, spublish("nobody", "x"));
    assertEquals(Set.of("orders", "stock"), new HashSet<>(publisher.pubsubShardChannels()));
    assertEquals(List.of("stock"), publisher.pubsubShardChannels("s*"));
    assertEquals(Map.of("orders", 1L, "zz", 0L), publisher.pubsubShardNumSub("orders", "zz"));
    assertEquals(List.of(), publisher.pubsubChannels());

    recorder.sunsubscribe("orders");
    assertEquals("sunsubscribe orders 1", poll(recorder.events));
    assertEquals(0, spublish("orders", "gone"));
    recorder.sunsubscribe();
    assertEquals("sunsubscribe stock 0", poll(recorder.events));
    loop.get(WAIT_SECONDS, TimeUnit.SECONDS);
    assertEquals(List.of(), publisher.pubsubShardChannels());
    assertEquals("PONG", subscriber.ping());
  }

  @Test
  void shardSubscriberDisconnects_subscriptionsForgotten() throws Exception {
    RespSocket s = socket(2);
    assertEquals(List.of("ssubscribe", "gone", 1L), s.call("SSUBSCRIBE", "gone"));
    s.close();
    Await.until(
        "the shard subscription to be dropped",
        () -> publisher.pubsubShardNumSub("gone").get("gone") == 0L);
    assertEquals(0, spublish("gone", "x"));
  }

  // ---- Lettuce ----

  private static final class LettuceRecorder extends RedisPubSubAdapter<String, String> {
    final BlockingQueue<String> events = new LinkedBlockingQueue<>();

    @Override
    public void message(String channel, String message) {
      events.add("message " + channel + " " + message);
    }

    @Override
    public void message(String pattern, String channel, String message) {
      events.add("pmessage " + pattern + " " + channel + " " + message);
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(
      value = ProtocolVersion.class,
      names = {"RESP2", "RESP3"})
  void lettucePubSub_listenerReceivesChannelAndPatternMessages(ProtocolVersion protocol)
      throws Exception {
    RedisClient client = server.lettuceClient(protocol);
    try (StatefulRedisPubSubConnection<String, String> connection = client.connectPubSub()) {
      LettuceRecorder recorder = new LettuceRecorder();
      connection.addListener(recorder);
      RedisPubSubCommands<String, String> pubsub = connection.sync();
      pubsub.subscribe("orders");
      pubsub.psubscribe("h?llo");

      assertEquals(1, publisher.publish("orders", "#1"));
      assertEquals("message orders #1", poll(recorder.events));
      assertEquals(1, publisher.publish("hallo", "welt"));
      assertEquals("pmessage h?llo hallo welt", poll(recorder.events));

      assertEquals(1L, numsub("orders"));
      pubsub.unsubscribe("orders");
      pubsub.punsubscribe("h?llo");
      assertEquals(0L, numsub("orders"));
      assertEquals(0, publisher.publish("hallo", "nobody"));
    } finally {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
  }

  @Test
  void lettuceResp3_subscribedConnection_stillRunsCommandsBetweenPushes() throws Exception {
    RedisClient client = server.lettuceClient(ProtocolVersion.RESP3);
    try (StatefulRedisPubSubConnection<String, String> connection = client.connectPubSub()) {
      LettuceRecorder recorder = new LettuceRecorder();
      connection.addListener(recorder);
      RedisPubSubCommands<String, String> redis = connection.sync();
      redis.subscribe("events");
      publisher.set("k", "v");

      assertEquals("v", redis.get("k"));
      assertEquals(1, publisher.publish("events", "first"));
      assertEquals("message events first", poll(recorder.events));
      assertEquals("OK", redis.set("k2", "from subscriber"));
      assertEquals("from subscriber", publisher.get("k2"));
      // it may even publish to itself
      assertEquals(1L, redis.publish("events", "to myself"));
      assertEquals("message events to myself", poll(recorder.events));
      assertEquals("v", redis.get("k"));
    } finally {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
  }

  // ---- raw RESP ----

  @Test
  void resp2Subscribed_getRefusedPingAnsweredAsPubSubPong() {
    RespSocket s = socket(2);
    assertEquals(List.of("subscribe", "c1", 1L), s.call("SUBSCRIBE", "c1"));
    assertEquals(
        new Err(
            "ERR Can't execute 'get': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET"
                + " are allowed in this context"),
        s.call("GET", "k"));
    assertEquals(List.of("pong", ""), s.call("PING"));
    assertEquals(List.of("pong", "hi"), s.call("PING", "hi"));
    assertEquals(List.of("psubscribe", "p*", 2L), s.call("PSUBSCRIBE", "p*"));
    assertEquals(List.of("unsubscribe", "c1", 1L), s.call("UNSUBSCRIBE"));
    assertEquals(List.of("punsubscribe", "p*", 0L), s.call("PUNSUBSCRIBE"));
    // back in the normal context
    assertEquals(Nil.BULK, s.call("GET", "k"));
    assertEquals(new Simple("PONG"), s.call("PING"));
  }

  @Test
  void resp3Subscribed_commandsAllowedAndPingIsPlain() {
    RespSocket s = socket(3);
    assertEquals(List.of("subscribe", "c1", 1L), s.call("SUBSCRIBE", "c1"));
    assertEquals(new Simple("PONG"), s.call("PING"));
    assertEquals(new Simple("OK"), s.call("SET", "k", "v"));
    assertEquals("v", s.call("GET", "k"));
  }

  @Test
  void unsubscribe_whenNotSubscribed_repliesWithNilChannelAndZero() {
    RespSocket s = socket(2);
    assertEquals(List.of("unsubscribe", Nil.BULK, 0L), s.call("UNSUBSCRIBE"));
    assertEquals(List.of("punsubscribe", Nil.BULK, 0L), s.call("PUNSUBSCRIBE"));
    assertEquals(List.of("unsubscribe", "never", 0L), s.call("UNSUBSCRIBE", "never"));
  }

  @Test
  void subscribe_sameChannelTwice_countedOnce() {
    RespSocket s = socket(2);
    s.send("SUBSCRIBE", "a", "a");
    assertEquals(List.of("subscribe", "a", 1L), s.read());
    assertEquals(List.of("subscribe", "a", 1L), s.read());
    assertEquals(1, publisher.publish("a", "once"));
    assertEquals(List.of("message", "a", "once"), s.read());
  }

  @Test
  void resp3_subscribeAndPublishPipelined_messageFollowsConfirmation() {
    RespSocket s = socket(3);
    s.sendRaw(
        "*2\r\n$9\r\nSUBSCRIBE\r\n$2\r\nch\r\n"
            + "*3\r\n$7\r\nPUBLISH\r\n$2\r\nch\r\n$2\r\nhi\r\n"
            + "*1\r\n$4\r\nPING\r\n");
    // Redis order: the confirmation, the message (pushed while PUBLISH runs), PUBLISH's count
    assertEquals(List.of("subscribe", "ch", 1L), s.read());
    assertEquals(List.of("message", "ch", "hi"), s.read());
    assertEquals(1L, s.read());
    assertEquals(new Simple("PONG"), s.read());
  }

  @Test
  void psubscribe_globPatterns_matchAsRedis() {
    RespSocket s = socket(2);
    List<String> patterns = List.of("h?llo", "h[ae]llo", "h[^e]llo", "h*llo", "news.\\*");
    s.send("PSUBSCRIBE", "h?llo", "h[ae]llo", "h[^e]llo", "h*llo", "news.\\*");
    for (int i = 0; i < patterns.size(); i++) {
      assertEquals(List.of("psubscribe", patterns.get(i), (long) i + 1), s.read());
    }
    assertEquals(4, publisher.publish("hallo", "1")); // h?llo h[ae]llo h[^e]llo h*llo
    assertEquals(3, publisher.publish("hello", "2")); // h?llo h[ae]llo h*llo
    assertEquals(1, publisher.publish("heeeello", "3")); // h*llo
    assertEquals(1, publisher.publish("news.*", "4")); // the escaped star only
    assertEquals(0, publisher.publish("news.today", "5"));
    Set<List<Object>> received = new HashSet<>();
    for (int i = 0; i < 9; i++) {
      @SuppressWarnings("unchecked")
      List<Object> message = (List<Object>) s.read();
      received.add(message);
    }
    assertEquals(
        Set.of(
            List.of("pmessage", "h?llo", "hallo", "1"),
            List.of("pmessage", "h[ae]llo", "hallo", "1"),
            List.of("pmessage", "h[^e]llo", "hallo", "1"),
            List.of("pmessage", "h*llo", "hallo", "1"),
            List.of("pmessage", "h?llo", "hello", "2"),
            List.of("pmessage", "h[ae]llo", "hello", "2"),
            List.of("pmessage", "h*llo", "hello", "2"),
            List.of("pmessage", "h*llo", "heeeello", "3"),
            List.of("pmessage", "news.\\*", "news.*", "4")),
        received);
    assertEquals(5, publisher.pubsubNumPat());
  }

  @Test
  void publish_countsChannelAndPatternReceiversEachDelivery() {
    RespSocket both = socket(2);
    both.call("SUBSCRIBE", "c");
    both.call("PSUBSCRIBE", "c*");
    RespSocket all = socket(3);
    all.call("PSUBSCRIBE", "*");
    RespSocket plain = socket(2);
    plain.call("SUBSCRIBE", "c");

    assertEquals(4, publisher.publish("c", "m")); // both twice, all, plain
    assertEquals(List.of("message", "c", "m"), both.read());
    assertEquals(List.of("pmessage", "c*", "c", "m"), both.read());
    assertEquals(List.of("pmessage", "*", "c", "m"), all.read());
    assertEquals(List.of("message", "c", "m"), plain.read());

    assertEquals(2, publisher.publish("cx", "n")); // c* and *
    assertEquals(1, publisher.publish("other", "o")); // *
    assertEquals(Map.of("c", 2L), publisher.pubsubNumSub("c"));
    assertEquals(2, publisher.pubsubNumPat());
    assertEquals(3, Await.infoLong(publisher, "clients", "pubsub_clients"));
  }

  @Test
  void subscriberDisconnects_subscriptionsForgotten() {
    RespSocket s = RespSocket.connect(server.port());
    s.call("SUBSCRIBE", "gone");
    s.call("PSUBSCRIBE", "gone*");
    assertEquals(2, publisher.publish("gone", "x"));
    s.close();
    Await.until("the subscriber to be forgotten", () -> numsub("gone") == 0);
    assertEquals(0, publisher.pubsubNumPat());
    assertEquals(0, publisher.publish("gone", "y"));
  }

  // ---- output buffer limit ----

  @Test
  void subscriberThatStopsReading_disconnectedPastPubsubOutputBufferLimit() {
    try {
      assertEquals("OK", publisher.configSet("client-output-buffer-limit", "pubsub 1mb 512kb 60"));
      assertEquals(
          "normal 0 0 0 replica 268435456 67108864 60 pubsub 1048576 524288 60",
          publisher.configGet("client-output-buffer-limit").get("client-output-buffer-limit"));
      RespSocket slow = RespSocket.connect(server.port(), 4096);
      opened.add(slow);
      assertEquals(List.of("subscribe", "firehose", 1L), slow.call("SUBSCRIBE", "firehose"));
      RespSocket fine = socket(2);
      fine.call("SUBSCRIBE", "firehose");

      // 64 KiB messages; the socket and kernel buffers take a few MB, then the limit trips
      String payload = "x".repeat(64 * 1024);
      long receivers = 2;
      for (int i = 0; i < 1_000 && receivers == 2; i++) {
        receivers = publisher.publish("firehose", payload);
        assertEquals(List.of("message", "firehose", payload), fine.read());
      }
      assertEquals(1, receivers, "the slow subscriber is no longer counted");
      assertTrue(slow.closedWithin(Duration.ofSeconds(WAIT_SECONDS)), "server closed it");

      // the server and the subscriber that reads carry on
      assertEquals("PONG", publisher.ping());
      assertEquals(1L, numsub("firehose"));
      assertEquals(1, publisher.publish("firehose", "small"));
      assertEquals(List.of("message", "firehose", "small"), fine.read());
    } finally {
      publisher.configSet("client-output-buffer-limit", "pubsub 33554432 8388608 60");
    }
    assertEquals(
        "normal 0 0 0 replica 268435456 67108864 60 pubsub 33554432 8388608 60",
        publisher.configGet("client-output-buffer-limit").get("client-output-buffer-limit"));
    assertNull(publisher.get("firehose"));
  }
}
