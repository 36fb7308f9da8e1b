package dev.sluice.proxy.commands.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.proxy.testing.RespSocket;
import dev.sluice.proxy.testing.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the golden file of redis-server's replies cannot pin, because its replies hold clock times:
 * XINFO STREAM FULL, XINFO CONSUMERS and XPENDING's idle times in Redis 7.4's form, on the test
 * server's manual clock; and the keyspace notifications of every stream command, in order.
 */
class StreamCommandsTest {
  private static TestServer server;
  private static RespSocket client;

  @BeforeAll
  static void start() {
    server = TestServer.start();
    client = RespSocket.connect(server.port());
  }

  @AfterAll
  static void stop() {
    client.close();
    server.close();
  }

  @BeforeEach
  void flush() {
    client.call("CONFIG", "SET", "notify-keyspace-events", "");
    client.call("FLUSHALL");
    server.clock().set(1_000_000);
  }

  @Test
  void xinfoAndXpending_consumerReadThenIdle_timesFromTheClock() {
    client.call("XADD", "s", "1-1", "a", "1");
    client.call("XGROUP", "CREATE", "s", "g", "0");
    client.call("XGROUP", "CREATECONSUMER", "s", "g", "bob"); // seen, never active
    client.call("XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", ">");
    server.clock().advance(Duration.ofMillis(250));

    assertEquals(
        "*1\r\n*4\r\n$3\r\n1-1\r\n$5\r\nalice\r\n:250\r\n:1\r\n",
        client.callRaw("XPENDING", "s", "g", "-", "+", "10"));
    assertEquals(
        "*2\r\n"
            + "*8\r\n$4\r\nname\r\n$5\r\nalice\r\n$7\r\npending\r\n:1\r\n"
            + "$4\r\nidle\r\n:250\r\n$8\r\ninactive\r\n:250\r\n"
            + "*8\r\n$4\r\nname\r\n$3\r\nbob\r\n$7\r\npending\r\n:0\r\n"
            + "$4\r\nidle\r\n:250\r\n$8\r\ninactive\r\n:-1\r\n",
        client.callRaw("XINFO", "CONSUMERS", "s", "g"));
    assertEquals(
        "*18\r\n"
            + "$6\r\nlength\r\n:1\r\n$15\r\nradix-tree-keys\r\n:1\r\n"
            + "$16\r\nradix-tree-nodes\r\n:2\r\n$17\r\nlast-generated-id\r\n$3\r\n1-1\r\n"
            + "$20\r\nmax-deleted-entry-id\r\n$3\r\n0-0\r\n$13\r\nentries-added\r\n:1\r\n"
            + "$23\r\nrecorded-first-entry-id\r\n$3\r\n1-1\r\n"
            + "$7\r\nentries\r\n*1\r\n*2\r\n$3\r\n1-1\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n"
            + "$6\r\ngroups\r\n*1\r\n*14\r\n"
            + "$4\r\nname\r\n$1\r\ng\r\n$17\r\nlast-delivered-id\r\n$3\r\n1-1\r\n"
            + "$12\r\nentries-read\r\n:1\r\n$3\r\nlag\r\n:0\r\n$9\r\npel-count\r\n:1\r\n"
            + "$7\r\npending\r\n*1\r\n*4\r\n$3\r\n1-1\r\n$5\r\nalice\r\n:1000000\r\n:1\r\n"
            + "$9\r\nconsumers\r\n*2\r\n"
            + "*10\r\n$4\r\nname\r\n$5\r\nalice\r\n$9\r\nseen-time\r\n:1000000\r\n"
            + "$11\r\nactive-time\r\n:1000000\r\n$9\r\npel-count\r\n:1\r\n"
            + "$7\r\npending\r\n*1\r\n*3\r\n$3\r\n1-1\r\n:1000000\r\n:1\r\n"
            + "*10\r\n$4\r\nname\r\n$3\r\nbob\r\n$9\r\nseen-time\r\n:1000000\r\n"
            + "$11\r\nactive-time\r\n:-1\r\n$9\r\npel-count\r\n:0\r\n$7\r\npending\r\n*0\r\n",
        client.callRaw("XINFO", "STREAM", "s", "FULL"));
  }

  @Test
  void streamCommands_notifyKeyspaceEvents_inOrder() {
    client.call("CONFIG", "SET", "notify-keyspace-events", "Et");
    try (RespSocket subscriber = RespSocket.connect(server.port())) {
      subscriber.call("PSUBSCRIBE", "__keyevent@0__:*");
      client.call("XADD", "s", "1-1", "a", "1");
      client.call("XADD", "s", "MAXLEN", "1", "2-1", "a", "2");
      client.call("XDEL", "s", "2-1");
      client.call("XDEL", "s", "2-1"); // nothing deleted: no event
      client.call("XADD", "s", "3-1", "a", "3");
      client.call("XTRIM", "s", "MAXLEN", "0");
      client.call("XSETID", "s", "9-9");
      client.call("XGROUP", "CREATE", "s", "g", "$");
      client.call("XGROUP", "CREATECONSUMER", "s", "g", "c");
      client.call("XREADGROUP", "GROUP", "g", "d", "STREAMS", "s", ">");
      client.call("XGROUP", "SETID", "s", "g", "0");
      client.call("XGROUP", "DELCONSUMER", "s", "g", "c");
      client.call("XGROUP", "DESTROY", "s", "g");
      List<String> events = new ArrayList<>();
      for (int i = 0; i < 13; i++) {
        List<?> message = (List<?>) subscriber.read();
        events.add(message.get(2) + " " + message.get(3));
      }
      String e = "__keyevent@0__:";
      assertEquals(
          List.of(
              e + "xadd s",
              e + "xadd s",
              e + "xtrim s",
              e + "xdel s",
              e + "xadd s",
              e + "xtrim s",
              e + "xsetid s",
              e + "xgroup-create s",
              e + "xgroup-createconsumer s",
              e + "xgroup-createconsumer s",
              e + "xgroup-setid s",
              e + "xgroup-delconsumer s",
              e + "xgroup-destroy s"),
          events);
    }
  }
}
