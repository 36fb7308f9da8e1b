package dev.sluice.proxy.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.proxy.testing.RecordedCases;
import dev.sluice.proxy.testing.RespSocket;
import dev.sluice.proxy.testing.RespSocket.Simple;
import dev.sluice.proxy.testing.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The geo commands against redis-server's own replies: each case of {@code golden/geo.json}
 * (recorded by {@code tools/golden/record.sh geo} from {@code geo.cases.json}) runs on a fresh
 * connection after FLUSHALL, and every reply must be redis-server's byte for byte ({@code
 * redis_7_4} where Redis 7.4 answers differently from the 7.0 that recorded the file). A step
 * recorded with {@code "dirty": N} must also have raised INFO's rdb_changes_since_last_save by N
 * since the previous such step, as it did in redis-server.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GeoGoldenTest {
  private static final JsonNode GOLDEN = RecordedCases.read("geo");
  private static final Pattern DIRTY = Pattern.compile("rdb_changes_since_last_save:(\\d+)");

  private TestServer server;

  @BeforeAll
  void start() {
    server = TestServer.start();
  }

  @AfterAll
  void stop() {
    server.close();
  }

  static Stream<Named<JsonNode>> cases() {
    List<Named<JsonNode>> cases = new ArrayList<>();
    GOLDEN.get("cases").forEach(c -> cases.add(Named.of(c.get("name").asText(), c)));
    return cases.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void command_recordedCase_repliesAsRedisServer(JsonNode c) {
    try (RespSocket admin = RespSocket.connect(server.port())) {
      assertEquals(new Simple("OK"), admin.call("FLUSHALL"));
      assertEquals(new Simple("OK"), admin.call("SCRIPT", "FLUSH"));
      for (JsonNode setup : GOLDEN.path("setup")) {
        admin.call(RecordedCases.command(setup));
      }
    }
    try (RespSocket conn = RespSocket.connect(server.port())) {
      boolean countsDirty = false;
      for (JsonNode s : c.get("steps")) {
        countsDirty |= s.has("dirty");
      }
      long dirty = countsDirty ? dirty(conn) : 0;
      int step = 0;
      for (JsonNode s : c.get("steps")) {
        String where = "step " + step++ + " " + s.get("cmd");
        String reply = conn.callRaw(RecordedCases.command(s.get("cmd")));
        if (!s.path("any_reply").asBoolean()) {
          assertEquals(RecordedCases.expectedReply(s), reply, where);
        }
        if (s.has("dirty")) {
          long now = dirty(conn);
          assertEquals(s.get("dirty").asLong(), now - dirty, where + ": dirty count");
          dirty = now;
        }
      }
    }
  }

  /** INFO persistence's rdb_changes_since_last_save, read on the case's own connection. */
  private static long dirty(RespSocket conn) {
    Matcher m = DIRTY.matcher(String.valueOf(conn.call("INFO", "persistence")));
    assertTrue(m.find(), "rdb_changes_since_last_save in INFO persistence");
    return Long.parseLong(m.group(1));
  }

  /** The golden file is redis-server's, and holds cases for every geo command. */
  @Test
  void golden_recordedFromRedis_coversEveryGeoCommand() {
    assertTrue(GOLDEN.get("recorded_from").asText().startsWith("redis-server 7."));
    List<String> sent = new ArrayList<>();
    GOLDEN
        .get("cases")
        .forEach(c -> c.get("steps").forEach(s -> sent.add(s.get("cmd").get(0).asText())));
    for (String command :
        List.of(
            "GEOADD",
            "GEOPOS",
            "GEODIST",
            "GEOHASH",
            "GEOSEARCH",
            "GEOSEARCHSTORE",
            "GEORADIUS",
            "GEORADIUS_RO",
            "GEORADIUSBYMEMBER",
            "GEORADIUSBYMEMBER_RO")) {
      assertTrue(sent.contains(command), command + " in the golden file");
    }
  }
}
