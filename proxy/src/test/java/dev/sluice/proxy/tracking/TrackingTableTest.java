package dev.sluice.proxy.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.proxy.testing.Await;
import dev.sluice.proxy.testing.RespSocket;
import dev.sluice.proxy.testing.RespSocket.Simple;
import dev.sluice.proxy.testing.TestServer;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the golden file cannot show, each against a real server over sockets: invalidations from
 * expiry and eviction, a redirect client that went away, the tracking table's cap, SWAPDB, and the
 * counters of INFO and CLIENT LIST.
 */
class TrackingTableTest {
  private TestServer server;

  @BeforeEach
  void start() {
    server = TestServer.start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private RespSocket resp3Tracking(String... options) {
    RespSocket conn = RespSocket.connect(server.port());
    conn.call("HELLO", "3");
    String[] args = new String[3 + options.length];
    args[0] = "CLIENT";
    args[1] = "TRACKING";
    args[2] = "on";
    System.arraycopy(options, 0, args, 3, options.length);
    assertEquals(new Simple("OK"), conn.call(args));
    conn.readTimeout(Duration.ofSeconds(5));
    return conn;
  }

  private static List<?> invalidation(String... keys) {
    return List.of("invalidate", List.of((Object[]) keys));
  }

  @Test
  void expiry_trackedKeyExpires_invalidationSent() {
    try (RespSocket tracking = resp3Tracking();
        RespSocket other = RespSocket.connect(server.port())) {
      other.call("SET", "k", "v", "PX", "100");
      assertEquals("v", tracking.call("GET", "k"));
      server.clock().advance(Duration.ofSeconds(1));
      assertEquals(RespSocket.Nil.BULK, other.call("GET", "k")); // expired on access
      assertEquals(invalidation("k"), tracking.read());
    }
  }

  @Test
  void remember_keyReadAgainAfterEachWrite_invalidatedEachTime() {
    // a key forgotten at its invalidation is remembered again by the next read, every time
    try (RespSocket tracking = resp3Tracking();
        RespSocket other = RespSocket.connect(server.port())) {
      other.call("SET", "k", "v0");
      for (int i = 1; i <= 3; i++) {
        assertEquals("v" + (i - 1), tracking.call("GET", "k"));
        assertEquals("v" + (i - 1), tracking.call("GET", "k"));
        assertEquals(1L, infoField(other, "tracking_total_items"));
        other.call("SET", "k", "v" + i);
        assertEquals(invalidation("k"), tracking.read());
      }
      assertEquals("v3", tracking.call("GET", "k"));
      other.call("FLUSHALL");
      assertEquals(List.of("invalidate", RespSocket.Nil.NULL), tracking.read());
      other.call("SET", "k", "after");
      assertEquals("after", tracking.call("GET", "k"));
      other.call("DEL", "k");
      assertEquals(invalidation("k"), tracking.read());
    }
  }

  @Test
  void slots_clientLeftAndSlotReused_newOwnerToldOnlyOfItsOwnKeys() {
    try (RespSocket other = RespSocket.connect(server.port())) {
      other.call("SET", "k", "v");
      other.call("SET", "mine", "v");
      try (RespSocket leaving = resp3Tracking()) {
        assertEquals("v", leaving.call("GET", "k"));
      }
      Await.until("the first client gone", () -> infoField(other, "tracking_clients") == 0L);
      try (RespSocket next = resp3Tracking()) { // takes the slot the first one left
        assertEquals("v", next.call("GET", "mine"));
        // as Redis: the departed client's entry stays until its key changes
        assertEquals(2L, infoField(other, "tracking_total_items"));
        other.call("SET", "k", "changed"); // read only by the client that left
        assertEquals(1L, infoField(other, "tracking_total_items"));
        other.call("SET", "mine", "changed");
        assertEquals(invalidation("mine"), next.read()); // the first push it gets
      }
    }
  }

  @Test
  void slots_moreTrackingClientsThanSlots_everyOneTold() {
    List<RespSocket> readers = new java.util.ArrayList<>();
    try (RespSocket other = RespSocket.connect(server.port())) {
      other.call("SET", "k", "v");
      for (int i = 0; i < 70; i++) { // 64 slots, then ids
        RespSocket reader = resp3Tracking();
        readers.add(reader);
        assertEquals("v", reader.call("GET", "k"));
      }
      assertEquals(70L, infoField(other, "tracking_total_items"));
      other.call("SET", "k", "changed");
      for (RespSocket reader : readers) {
        assertEquals(invalidation("k"), reader.read());
      }
    } finally {
      readers.forEach(RespSocket::close);
    }
  }

  @Test
  void eviction_trackedKeyEvicted_invalidationSent() {
    try (RespSocket tracking = resp3Tracking();
        RespSocket other = RespSocket.connect(server.port())) {
      other.call("SET", "victim", "x".repeat(1000));
      assertEquals("x".repeat(1000), tracking.call("GET", "victim"));
      other.call("CONFIG", "SET", "maxmemory-policy", "allkeys-random");
      other.call("CONFIG", "SET", "maxmemory", "1");
      other.call("SET", "next", "y"); // evicts every key before it runs
      assertEquals(invalidation("victim"), tracking.read());
      other.call("CONFIG", "SET", "maxmemory", "0");
    }
  }

  @Test
  void redirect_targetGone_brokenRedirectPushedAndShown() {
    try (RespSocket tracking = RespSocket.connect(server.port())) {
      tracking.call("HELLO", "3");
      long targetId;
      try (RespSocket target = RespSocket.connect(server.port())) {
        targetId = (Long) target.call("CLIENT", "ID");
        assertEquals(
            new Simple("OK"),
            tracking.call("CLIENT", "TRACKING", "on", "REDIRECT", Long.toString(targetId)));
      }
      awaitClients(1);
      tracking.call("GET", "k");
      assertEquals(new Simple("OK"), tracking.call("SET", "k", "v"));
      tracking.readTimeout(Duration.ofSeconds(5));
      assertEquals(List.of("tracking-redir-broken", targetId), tracking.read());
      Map<?, ?> info = (Map<?, ?>) tracking.call("CLIENT", "TRACKINGINFO");
      assertEquals(Set.of("on", "broken_redirect"), info.get("flags"));
      assertEquals(targetId, info.get("redirect"));
      String line = ((RespSocket.Verbatim) tracking.call("CLIENT", "INFO")).text();
      assertTrue(line.contains(" flags=tR "), line);
      assertTrue(line.contains(" redir=" + targetId + " "), line);
    }
  }

  private void awaitClients(int count) {
    try (RespSocket admin = RespSocket.connect(server.port())) {
      dev.sluice.proxy.testing.Await.until(
          count + " other client(s)",
          () -> ((String) admin.call("CLIENT", "LIST")).lines().count() == count + 1);
    }
  }

  @Test
  void tableCap_moreKeysThanTheCap_oldKeysInvalidatedBeforeTheNextCommand() {
    try (RespSocket tracking = resp3Tracking();
        RespSocket admin = RespSocket.connect(server.port())) {
      admin.call("CONFIG", "SET", "tracking-table-max-keys", "2");
      tracking.call("MGET", "a", "b", "c", "d");
      // the cap is applied before the next command, INFO here: 2 of the 4 keys go
      assertEquals(2L, infoField(admin, "tracking_total_keys"));
      Set<Object> invalidated = new HashSet<>();
      invalidated.addAll((List<?>) ((List<?>) tracking.read()).get(1));
      invalidated.addAll((List<?>) ((List<?>) tracking.read()).get(1));
      assertEquals(2, invalidated.size(), invalidated.toString());
    }
  }

  @Test
  void remember_clientsThatLeft_theirIdsDroppedBeforeAKeyGrows() {
    try (RespSocket admin = RespSocket.connect(server.port())) {
      for (int i = 0; i < 32; i++) {
        try (RespSocket reader = resp3Tracking()) {
          reader.call("GET", "hot");
        }
        awaitClients(1); // the admin connection
      }
      // each reader found the last one's id gone and took its place
      assertEquals(1L, infoField(admin, "tracking_total_items"));
      try (RespSocket first = resp3Tracking();
          RespSocket second = resp3Tracking()) {
        first.call("GET", "hot");
        second.call("GET", "hot");
        assertEquals(2L, infoField(admin, "tracking_total_items"));
        assertEquals(1L, infoField(admin, "tracking_total_keys"));
      }
    }
  }

  @Test
  void swapdb_trackingClients_toldToDropEverything() {
    try (RespSocket tracking = resp3Tracking();
        RespSocket other = RespSocket.connect(server.port())) {
      other.call("SWAPDB", "0", "1");
      assertEquals(List.of("invalidate", RespSocket.Nil.NULL), tracking.read());
    }
  }

  @Test
  void info_trackingCounters_countClientsKeysItemsAndPrefixes() {
    try (RespSocket first = resp3Tracking();
        RespSocket second = resp3Tracking();
        RespSocket bcast = resp3Tracking("BCAST", "PREFIX", "a:", "PREFIX", "b:");
        RespSocket admin = RespSocket.connect(server.port())) {
      first.call("MGET", "x", "y");
      second.call("GET", "x");
      assertEquals(3L, infoField(admin, "tracking_clients"));
      assertEquals(2L, infoField(admin, "tracking_total_keys"));
      assertEquals(3L, infoField(admin, "tracking_total_items"));
      assertEquals(2L, infoField(admin, "tracking_total_prefixes"));
      assertTrue(
          ((RespSocket.Verbatim) bcast.call("CLIENT", "INFO")).text().contains(" flags=tB "));
      second.call("CLIENT", "TRACKING", "off");
      bcast.call("RESET");
      assertEquals(1L, infoField(admin, "tracking_clients"));
      assertEquals(0L, infoField(admin, "tracking_total_prefixes"));
    }
  }

  private static long infoField(RespSocket conn, String field) {
    for (String line : ((String) conn.call("INFO", "everything")).split("\r\n")) {
      if (line.startsWith(field + ":")) {
        return Long.parseLong(line.substring(field.length() + 1));
      }
    }
    throw new AssertionError("INFO has no " + field);
  }
}
