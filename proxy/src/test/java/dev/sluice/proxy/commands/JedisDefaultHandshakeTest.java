package dev.sluice.proxy.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.proxy.testing.TestServer;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/** A plain {@code new Jedis(host, port)}: no HELLO, so the connection stays on RESP2. */
class JedisDefaultHandshakeTest {
  private static TestServer server;
  private Jedis jedis;

  @BeforeAll
  static void startServer() {
    server = TestServer.start();
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @BeforeEach
  void connect() {
    jedis = new Jedis("127.0.0.1", server.port());
    assertEquals("OK", jedis.flushAll());
  }

  @AfterEach
  void disconnect() {
    jedis.close();
  }

  @Test
  void clientInfo_plainConnection_speaksResp2() {
    String info = jedis.clientInfo();
    assertTrue(info.contains(" resp=2 "), info);
  }

  @Test
  void setGet_plainConnection_roundTripsValue() {
    assertEquals("OK", jedis.set("k", "v"));
    assertEquals("v", jedis.get("k"));
    assertNull(jedis.get("missing"));
  }

  @Test
  void expire_plainConnection_setsTtl() {
    jedis.set("k", "v");
    assertEquals(1, jedis.expire("k", 60));
    assertEquals(60, jedis.ttl("k"));
    assertEquals(0, jedis.expire("missing", 60));
  }

  @Test
  void scan_plainConnection_visitsEveryKey() {
    Set<String> expected = new HashSet<>();
    for (int i = 0; i < 250; i++) {
      jedis.set("key:" + i, "v");
      expected.add("key:" + i);
    }
    Set<String> seen = new HashSet<>();
    String cursor = ScanParams.SCAN_POINTER_START;
    int calls = 0;
    do {
      ScanResult<String> page = jedis.scan(cursor, new ScanParams().count(20));
      seen.addAll(page.getResult());
      cursor = page.getCursor();
      assertTrue(++calls < 1_000, "SCAN did not terminate");
    } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
    assertEquals(expected, seen);
  }

  @Test
  void info_plainConnection_containsRedisVersion() {
    String info = jedis.info();
    assertTrue(info.contains("redis_version:"), info);
    assertTrue(jedis.info("server").startsWith("# Server\r\n"), jedis.info("server"));
  }
}
