package dev.sluice.proxy.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.proxy.testing.RespSocket;
import dev.sluice.proxy.testing.RespSocket.Simple;
import dev.sluice.proxy.testing.SharedServerTest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * CLIENT NO-TOUCH with the server's manual clock, as Redis's introspection-2.tcl checks it: a
 * NO-TOUCH client's reads and writes leave OBJECT IDLETIME (and, under an LFU policy, OBJECT FREQ)
 * alone, TOUCH still touches, another client's reads touch, and OFF or RESET ends it.
 */
class ClientNoTouchTest extends SharedServerTest {

  @AfterEach
  void closeAndFlush() {
    closeClients();
    admin.configSet("maxmemory-policy", "noeviction");
    admin.flushAll();
  }

  private RespSocket noTouchClient() {
    RespSocket c = client();
    assertEquals(new Simple("OK"), c.call("CLIENT", "NO-TOUCH", "ON"));
    return c;
  }

  private static long idle(String key) {
    return admin.objectIdletime(key);
  }

  @Test
  void noTouch_readsAndWrites_leaveIdleTime() {
    admin.set("k", "v");
    admin.rpush("l", "a");
    server.clock().advance(Duration.ofSeconds(10));
    RespSocket client = noTouchClient();

    client.call("GET", "k");
    client.call("APPEND", "k", "w");
    client.call("LRANGE", "l", "0", "-1");
    client.call("RPUSH", "l", "b");

    assertEquals(10, idle("k"));
    assertEquals(10, idle("l"));
  }

  @Test
  void noTouch_setOverAnExistingKey_leavesIdleTime() {
    admin.set("k", "v");
    server.clock().advance(Duration.ofSeconds(10));
    RespSocket client = noTouchClient();

    assertEquals(new Simple("OK"), client.call("SET", "k", "w"));

    assertEquals(10, idle("k"));
    assertEquals("w", admin.get("k"));
  }

  @Test
  void noTouch_touchCommand_stillTouches() {
    admin.set("k", "v");
    server.clock().advance(Duration.ofSeconds(10));
    RespSocket client = noTouchClient();

    assertEquals(1L, client.call("TOUCH", "k"));

    assertEquals(0, idle("k"));
  }

  @Test
  void noTouch_insideMultiExec_leavesIdleTime() {
    admin.set("k", "v");
    server.clock().advance(Duration.ofSeconds(10));
    RespSocket client = noTouchClient();

    client.call("MULTI");
    client.call("GET", "k");
    assertEquals(List.of("v"), client.call("EXEC"));

    assertEquals(10, idle("k"));
  }

  @Test
  void noTouch_otherClientsRead_touches() {
    admin.set("k", "v");
    server.clock().advance(Duration.ofSeconds(10));
    noTouchClient();

    admin.get("k");

    assertEquals(0, idle("k"));
  }

  @Test
  void noTouch_off_readsTouchAgain() {
    admin.set("k", "v");
    server.clock().advance(Duration.ofSeconds(10));
    RespSocket client = noTouchClient();

    assertEquals(new Simple("OK"), client.call("CLIENT", "NO-TOUCH", "OFF"));
    client.call("GET", "k");

    assertEquals(0, idle("k"));
  }

  @Test
  void noTouch_reset_endsNoTouch() {
    admin.set("k", "v");
    server.clock().advance(Duration.ofSeconds(10));
    RespSocket client = noTouchClient();

    assertEquals(new Simple("RESET"), client.call("RESET"));
    client.call("GET", "k");

    assertEquals(0, idle("k"));
  }

  @Test
  void noTouch_lfuPolicy_readsLeaveFrequency() {
    admin.configSet("maxmemory-policy", "allkeys-lfu");
    admin.set("k", "v");
    long initial = admin.objectFreq("k");
    RespSocket client = noTouchClient();

    client.call("GET", "k");
    assertEquals(initial, admin.objectFreq("k"));

    admin.get("k");
    assertTrue(admin.objectFreq("k") > initial, "a read without NO-TOUCH raises the counter");
  }

  @Test
  void noTouch_clientList_showsFlagT() {
    noTouchClient().call("CLIENT", "SETNAME", "nt");

    String line =
        admin.clientList().lines().filter(l -> l.contains("name=nt ")).findFirst().orElseThrow();

    assertTrue(line.contains(" flags=T "), line);
  }
}
