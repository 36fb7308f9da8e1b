package dev.sluice.proxy.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.proxy.testing.RespSocket.Simple;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Replays a golden file of redis-server's replies against Sluice: each case of {@code
 * golden/NAME.json} (recorded by {@code tools/golden/record.sh NAME} from {@code NAME.cases.json})
 * runs on a fresh connection after FLUSHALL, and every reply must be redis-server's byte for byte
 * ({@code redis_7_4} where Redis 7.4, which Sluice says it is, answers differently from the 7.0
 * that recorded the file), except for a step marked {@code any_reply} (HELLO, whose reply holds the
 * client id), a step marked {@code unordered} is compared in {@link RespCanonical}'s form, and a
 * step marked {@code no_reply} is sent without reading one (CLIENT REPLY OFF or SKIP: a reply sent
 * anyway would be read by the next step). A step recorded with {@code "dirty": N} must also have
 * raised INFO's rdb_changes_since_last_save by N since the previous such step (or since the case
 * began), as it did in redis-server: over the command, or over a whole MULTI ... EXEC when EXEC is
 * the step. Steps may name a connection ({@code conn}: a client watching another's effects), read
 * what arrives without sending ({@code read}: a push), and keep an integer reply ({@code save}: a
 * CLIENT ID) that later arguments name as {@code ${name}}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class RecordedRepliesTest {
  private static final Pattern DIRTY = Pattern.compile("rdb_changes_since_last_save:(\\d+)");

  protected final JsonNode golden;
  private TestServer server;

  protected RecordedRepliesTest(String name) {
    this.golden = RecordedCases.read(name);
  }

  @BeforeAll
  void start() {
    server = TestServer.start();
  }

  @AfterAll
  void stop() {
    server.close();
  }

  protected Stream<Named<JsonNode>> cases() {
    List<Named<JsonNode>> cases = new ArrayList<>();
    golden.get("cases").forEach(c -> cases.add(Named.of(c.get("name").asText(), c)));
    return cases.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void command_recordedCase_repliesAsRedisServer(JsonNode c) {
    try (RespSocket admin = RespSocket.connect(server.port())) {
      assertEquals(new Simple("OK"), admin.call("FLUSHALL"));
      assertEquals(new Simple("OK"), admin.call("SCRIPT", "FLUSH"));
      for (JsonNode setup : golden.path("setup")) {
        admin.call(RecordedCases.command(setup));
      }
    }
    Map<String, RespSocket> conns = new HashMap<>();
    try {
      boolean countsDirty = false;
      for (JsonNode s : c.get("steps")) {
        countsDirty |= s.has("dirty");
      }
      Map<String, Long> dirty = new HashMap<>();
      Map<String, String> saved = new HashMap<>();
      int step = 0;
      for (JsonNode s : c.get("steps")) {
        String where = "step " + step++ + " " + s.get("cmd");
        String name = s.path("conn").asText("");
        RespSocket conn = conns.get(name);
        if (conn == null) {
          conn = RespSocket.connect(server.port());
          conns.put(name, conn);
          if (countsDirty) {
            dirty.put(name, dirty(conn));
          }
        }
        if (s.path("no_reply").asBoolean()) {
          // no reply is expected; one sent anyway shows up as the next step's reply
          conn.send(RecordedCases.command(s.get("cmd"), saved));
          continue;
        }
        String reply =
            s.path("read").asBoolean()
                ? conn.readRaw()
                : conn.callRaw(RecordedCases.command(s.get("cmd"), saved));
        if (s.has("save")) {
          saved.put(s.get("save").asText(), reply.substring(1).strip());
        }
        if (s.path("unordered").asText().equals("doubles")) {
          String expected = RecordedCases.expectedReply(s);
          assertTrue(
              RespCanonical.closeDoubles(expected, reply),
              where + ": expected " + expected + " within 1e-12 of each number, got " + reply);
        } else if (s.has("unordered")) {
          String mode = s.get("unordered").asText();
          assertEquals(
              RespCanonical.canonical(RecordedCases.expectedReply(s), mode),
              RespCanonical.canonical(reply, mode),
              where + " (" + mode + ", order left open)");
        } else if (!s.path("any_reply").asBoolean()) {
          assertEquals(RecordedCases.expectedReply(s), reply, where);
        }
        if (s.has("dirty")) {
          long now = dirty(conn);
          assertEquals(s.get("dirty").asLong(), now - dirty.get(name), where + ": dirty count");
          dirty.put(name, now);
        }
      }
    } finally {
      conns.values().forEach(RespSocket::close);
    }
  }

  /** INFO persistence's rdb_changes_since_last_save, read on the case's own connection. */
  private static long dirty(RespSocket conn) {
    Matcher m = DIRTY.matcher(String.valueOf(conn.call("INFO", "persistence")));
    assertTrue(m.find(), "rdb_changes_since_last_save in INFO persistence");
    return Long.parseLong(m.group(1));
  }
}
