package dev.sluice.proxy.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.proxy.testing.RespSocket;
import dev.sluice.proxy.testing.RespSocket.Simple;
import dev.sluice.proxy.testing.TestServer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * SLOWLOG's entries as redis-server's slowlog.c builds them: id, time, microseconds, the arguments
 * (at most 32, each at most 128 bytes, with Redis's markers), the client's address and name. The
 * log's counts and errors are compared with redis-server in {@code SlowLogGoldenTest}.
 */
class SlowLogTest {
  private static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void get_entries_argumentsTrimmedAsRedis() {
    try (RespSocket c = RespSocket.connect(server.port())) {
      assertEquals(new Simple("OK"), c.call("CLIENT", "SETNAME", "worker-1"));
      assertEquals(new Simple("OK"), c.call("CONFIG", "SET", "slowlog-log-slower-than", "0"));
      assertEquals(new Simple("OK"), c.call("SLOWLOG", "RESET"));
      List<String> many = new ArrayList<>(List.of("RPUSH", "list"));
      for (int i = 0; i < 40; i++) {
        many.add("e" + i);
      }
      c.call(many.toArray(String[]::new));
      c.call("SET", "k", "x".repeat(200));

      List<?> entries = (List<?>) c.call("SLOWLOG", "GET", "2");
      List<?> set = (List<?>) entries.get(0);
      List<?> rpush = (List<?>) entries.get(1);
      assertEquals((Long) rpush.get(0) + 1, set.get(0), "ids grow by one");
      assertEquals(server.clock().millis() / 1000, set.get(1), "the server clock's seconds");
      assertTrue((Long) set.get(2) >= 0);
      assertEquals(List.of("SET", "k", "x".repeat(128) + "... (72 more bytes)"), set.get(3));
      List<?> args = (List<?>) rpush.get(3);
      assertEquals(32, args.size());
      assertEquals("e28", args.get(30)); // RPUSH, list, e0 … e28, then the marker
      assertEquals("... (11 more arguments)", args.get(31));
      assertTrue(((String) set.get(4)).startsWith("127.0.0.1:"), String.valueOf(set.get(4)));
      assertEquals("worker-1", set.get(5));
      assertEquals(new Simple("OK"), c.call("CONFIG", "SET", "slowlog-log-slower-than", "10000"));
    }
  }
}
