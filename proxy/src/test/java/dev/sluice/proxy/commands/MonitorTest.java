package dev.sluice.proxy.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.proxy.testing.RespSocket;
import dev.sluice.proxy.testing.RespSocket.Simple;
import dev.sluice.proxy.testing.TestServer;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * MONITOR over real sockets: the line each command becomes, as Redis's replicationFeedMonitors
 * writes it (the server's clock, database, client address, arguments quoted as sdscatrepr), a
 * script's commands shown as "lua", admin and skip_monitor commands not shown.
 */
class MonitorTest {
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
  void monitor_feedsEveryCommandAsRedisWritesIt() {
    try (RespSocket monitor = RespSocket.connect(server.port());
        RespSocket client = RespSocket.connect(server.port())) {
      assertEquals(new Simple("OK"), monitor.call("MONITOR"));
      long micros = server.clock().millis() * 1000;
      String time = micros / 1_000_000 + "." + String.format("%06d", micros % 1_000_000);
      String address = "127.0.0.1:\\d+";

      client.call("SELECT", "3");
      client.call("SET", "k", "a \"quoted\"\r\n\u0001");
      client.call("CONFIG", "GET", "maxmemory"); // admin: not shown
      client.call("EVAL", "return redis.call('get', KEYS[1])", "1", "k"); // skip_monitor

      // the database after the command: Redis feeds monitors once the command ran
      assertLine(
          monitor, Pattern.quote(time + " [3 ") + address + Pattern.quote("] \"SELECT\" \"3\""));
      assertLine(
          monitor,
          Pattern.quote(time + " [3 ")
              + address
              + Pattern.quote("] \"SET\" \"k\" \"a \\\"quoted\\\"\\r\\n\\x01\""));
      assertLine(monitor, Pattern.quote(time + " [3 lua] \"get\" \"k\""));
      assertEquals(new Simple("RESET"), monitor.call("RESET")); // leaves monitor mode
      client.call("PING");
      assertEquals(new Simple("PONG"), monitor.call("PING"), "no line for the PING after RESET");
    }
  }

  private static void assertLine(RespSocket monitor, String regex) {
    Object line = monitor.read();
    String text = line instanceof Simple s ? s.text() : String.valueOf(line);
    assertEquals(true, text.matches(regex), text + " does not match " + regex);
  }
}
