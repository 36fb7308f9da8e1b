package dev.sluice.proxy.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.config.Settings;
import dev.sluice.config.UserConfig.Role;
import dev.sluice.proxy.testing.RespSocket;
import dev.sluice.proxy.testing.RespSocket.Err;
import dev.sluice.proxy.testing.RespSocket.Simple;
import dev.sluice.proxy.testing.TestServer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * ACL LOG's entries over real sockets, with the server's manual clock: failed AUTH and HELLO AUTH
 * (reason auth, the command as typed), refused commands (reason command) at top level and inside
 * MULTI, every field of Redis 7.4's entries, the grouping of like events within 60 seconds, RESET,
 * the count argument and acllog-max-len. The arguments' errors are {@code
 * ClientAclLogGoldenTest}'s.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AclLogTest {
  private TestServer server;
  private RespSocket admin;

  @BeforeAll
  void start() {
    server =
        TestServer.start(
            b ->
                b.set(Settings.REQUIREPASS, "rootpw")
                    .users(
                        List.of(
                            AclTest.user("reader", "r-pw", Role.READONLY, true),
                            AclTest.user("app", "a-pw", Role.APP, true))));
    admin = RespSocket.connect(server.port());
    assertEquals(new Simple("OK"), admin.call("AUTH", "rootpw"));
  }

  @AfterAll
  void stop() {
    admin.close();
    server.close();
  }

  @BeforeEach
  void resetLog() {
    assertEquals(new Simple("OK"), admin.call("ACL", "LOG", "RESET"));
  }

  @AfterEach
  void restoreMaxLen() {
    admin.call("CONFIG", "SET", "acllog-max-len", "128");
  }

  /** ACL LOG's entries (RESP2: flat arrays) as maps, newest first. */
  @SuppressWarnings("unchecked")
  private List<Map<String, Object>> log(String... count) {
    String[] args =
        count.length == 0 ? new String[] {"ACL", "LOG"} : new String[] {"ACL", "LOG", count[0]};
    List<Object> entries = (List<Object>) admin.call(args);
    return entries.stream()
        .map(
            e -> {
              List<Object> flat = (List<Object>) e;
              Map<String, Object> m = new LinkedHashMap<>();
              for (int i = 0; i < flat.size(); i += 2) {
                m.put((String) flat.get(i), flat.get(i + 1));
              }
              return m;
            })
        .toList();
  }

  private RespSocket reader() {
    RespSocket c = RespSocket.connect(server.port());
    assertEquals(new Simple("OK"), c.call("AUTH", "reader", "r-pw"));
    return c;
  }

  @Test
  void log_failedAuth_entryWithEveryField() {
    long now = server.clock().millis();
    try (RespSocket c = RespSocket.connect(server.port())) {
      assertTrue(c.call("auth", "nosuch", "wrong") instanceof Err);
    }
    server.clock().advance(Duration.ofMillis(2500));

    List<Map<String, Object>> log = log();

    assertEquals(1, log.size());
    Map<String, Object> e = log.get(0);
    assertEquals(
        List.of(
            "count",
            "reason",
            "context",
            "object",
            "username",
            "age-seconds",
            "client-info",
            "entry-id",
            "timestamp-created",
            "timestamp-last-updated"),
        List.copyOf(e.keySet()));
    assertEquals(1L, e.get("count"));
    assertEquals("auth", e.get("reason"));
    assertEquals("toplevel", e.get("context"));
    assertEquals("auth", e.get("object"));
    assertEquals("nosuch", e.get("username"));
    assertEquals("2.5", e.get("age-seconds"));
    String info = (String) e.get("client-info");
    assertTrue(info.startsWith("id=") && info.contains(" flags=N "), info);
    assertTrue(info.contains(" cmd=auth ") && info.contains(" user=default "), info);
    assertEquals(now, e.get("timestamp-created"));
    assertEquals(now, e.get("timestamp-last-updated"));
  }

  @Test
  void log_deniedCommand_reasonCommandWithFullName() {
    try (RespSocket c = reader()) {
      assertTrue(c.call("SET", "k", "v") instanceof Err);
      assertTrue(c.call("CONFIG", "GET", "x") instanceof Err);
    }

    List<Map<String, Object>> log = log();

    assertEquals(2, log.size());
    assertEquals("command", log.get(0).get("reason"));
    assertEquals("config|get", log.get(0).get("object"));
    assertEquals("reader", log.get(0).get("username"));
    assertEquals("set", log.get(1).get("object"));
    assertEquals("toplevel", log.get(1).get("context"));
  }

  @Test
  void log_deniedInsideMulti_contextMulti() {
    try (RespSocket c = reader()) {
      assertEquals(new Simple("OK"), c.call("MULTI"));
      assertTrue(c.call("SET", "k", "v") instanceof Err);
    }

    Map<String, Object> e = log().get(0);

    assertEquals("multi", e.get("context"));
    assertEquals("set", e.get("object"));
  }

  @Test
  void log_deniedInsideScript_contextLua() {
    try (RespSocket c = RespSocket.connect(server.port())) {
      assertEquals(new Simple("OK"), c.call("AUTH", "app", "a-pw"));
      Object reply = c.call("EVAL", "return redis.pcall('FLUSHALL')", "0");
      assertTrue(reply instanceof Err, String.valueOf(reply));
    }

    Map<String, Object> e = log().get(0);

    assertEquals("lua", e.get("context"));
    assertEquals("flushall", e.get("object"));
    assertEquals("app", e.get("username"));
  }

  @Test
  void log_failedAuthRunByExec_contextMulti() {
    try (RespSocket c = reader()) {
      assertEquals(new Simple("OK"), c.call("MULTI"));
      assertEquals(new Simple("QUEUED"), c.call("AUTH", "nosuch", "wrong"));
      List<?> results = (List<?>) c.call("EXEC");
      assertTrue(results.get(0) instanceof Err, String.valueOf(results));
    }

    Map<String, Object> e = log().get(0);

    assertEquals("auth", e.get("reason"));
    assertEquals("multi", e.get("context"));
  }

  @Test
  void log_helloAuthFailure_objectIsHello() {
    try (RespSocket c = RespSocket.connect(server.port())) {
      assertTrue(c.call("HELLO", "2", "AUTH", "reader", "bad") instanceof Err);
    }

    Map<String, Object> e = log().get(0);

    assertEquals("auth", e.get("reason"));
    assertEquals("HELLO", e.get("object"));
    assertEquals("reader", e.get("username"));
  }

  @Test
  void log_likeEventsWithin60Seconds_groupedIntoOneEntry() {
    long first = server.clock().millis();
    try (RespSocket c = reader()) {
      c.call("SET", "k", "v");
      server.clock().advance(Duration.ofSeconds(60));
      c.call("SET", "k", "v");
    }

    List<Map<String, Object>> log = log();

    assertEquals(1, log.size());
    assertEquals(2L, log.get(0).get("count"));
    assertEquals(first, log.get(0).get("timestamp-created"));
    assertEquals(first + 60_000, log.get(0).get("timestamp-last-updated"));
    assertEquals("0", log.get(0).get("age-seconds"));
  }

  @Test
  void log_likeEventsMoreThan60SecondsApart_newEntryFirstWithHigherId() {
    try (RespSocket c = reader()) {
      c.call("SET", "k", "v");
      server.clock().advance(Duration.ofMillis(60_001));
      c.call("SET", "k", "v");
    }

    List<Map<String, Object>> log = log();

    assertEquals(2, log.size());
    assertEquals(1L, log.get(0).get("count"));
    assertEquals((Long) log.get(1).get("entry-id") + 1, log.get(0).get("entry-id"));
  }

  @Test
  void log_olderLikeEntry_movesToTheFrontWhenBumped() {
    try (RespSocket c = reader()) {
      c.call("SET", "k", "v");
      c.call("DEL", "k");
      c.call("SET", "k", "v");
    }

    List<Map<String, Object>> log = log();

    assertEquals(List.of("set", "del"), log.stream().map(e -> e.get("object")).toList());
    assertEquals(2L, log.get(0).get("count"));
  }

  @Test
  void log_countAndReset_newestOnlyThenEmptyAndIdsGoOn() {
    try (RespSocket c = reader()) {
      c.call("SET", "k", "v");
      c.call("DEL", "k");
    }
    long lastId = (Long) log().get(0).get("entry-id");

    assertEquals(List.of("del"), log("1").stream().map(e -> e.get("object")).toList());
    assertEquals(List.of(), log("0"));
    assertEquals(new Simple("OK"), admin.call("ACL", "LOG", "RESET"));
    assertEquals(List.of(), log());
    try (RespSocket c = reader()) {
      c.call("SET", "k", "v");
    }
    assertEquals(lastId + 1, log().get(0).get("entry-id"));
  }

  @Test
  void log_maxLen_keepsTheNewestAndZeroKeepsNone() {
    assertEquals(new Simple("OK"), admin.call("CONFIG", "SET", "acllog-max-len", "2"));
    try (RespSocket c = reader()) {
      c.call("SET", "k", "v");
      c.call("DEL", "k");
      c.call("INCR", "k");
    }
    assertEquals(List.of("incr", "del"), log().stream().map(e -> e.get("object")).toList());

    assertEquals(new Simple("OK"), admin.call("CONFIG", "SET", "acllog-max-len", "0"));
    try (RespSocket c = reader()) {
      c.call("DECR", "k");
    }
    assertEquals(List.of(), log());
  }

  @Test
  @SuppressWarnings("unchecked")
  void log_resp3_mapsWithDoubleAge() {
    try (RespSocket c = reader()) {
      c.call("SET", "k", "v");
    }
    server.clock().advance(Duration.ofMillis(1500));
    try (RespSocket r3 = RespSocket.connect(server.port())) {
      r3.call("HELLO", "3", "AUTH", "default", "rootpw");

      List<Object> log = (List<Object>) r3.call("ACL", "LOG");

      Map<Object, Object> e = (Map<Object, Object>) log.get(0);
      assertEquals(1.5, e.get("age-seconds"));
      assertEquals("set", e.get("object"));
    }
  }
}
