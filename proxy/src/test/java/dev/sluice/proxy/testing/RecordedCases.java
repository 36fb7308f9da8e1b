package dev.sluice.proxy.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;

/**
 * Golden files of redis-server's replies to scripted cases, as {@code tools/golden/record.sh NAME}
 * writes them from {@code golden/NAME.cases.json}: each case's steps, each with the command sent
 * and the reply's exact bytes (one char a byte).
 */
public final class RecordedCases {
  private RecordedCases() {}

  /** golden/NAME.json. */
  public static JsonNode read(String name) {
    String resource = "/golden/" + name + ".json";
    try (InputStream in = RecordedCases.class.getResourceAsStream(resource)) {
      assertNotNull(in, resource + " on the test class path");
      return new ObjectMapper().readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A command's arguments: strings as UTF-8, {"hex": "…"} as those bytes. */
  public static byte[][] command(JsonNode args) {
    byte[][] out = new byte[args.size()][];
    for (int i = 0; i < out.length; i++) {
      JsonNode arg = args.get(i);
      out[i] =
          arg.has("hex")
              ? HexFormat.of().parseHex(arg.get("hex").asText())
              : arg.asText().getBytes(StandardCharsets.UTF_8);
    }
    return out;
  }

  /**
   * The reply Sluice must give to a step: the recorded one, or the one of Redis 7.4 where that
   * words or formats it differently from the 7.0 that recorded it ({@code redis_7_4}): Sluice
   * answers as the 7.4.0 it says it is.
   */
  public static String expectedReply(JsonNode step) {
    return (step.has("redis_7_4") ? step.get("redis_7_4") : step.get("reply")).asText();
  }

  private static final Pattern DIRTY = Pattern.compile("rdb_changes_since_last_save:(\\d+)");

  /** The cases of a golden file, named for JUnit's parameterized tests. */
  public static Stream<Named<JsonNode>> named(JsonNode golden) {
    List<Named<JsonNode>> cases = new ArrayList<>();
    golden.get("cases").forEach(c -> cases.add(Named.of(c.get("name").asText(), c)));
    return cases.stream();
  }

  /**
   * Runs one recorded case against the server at {@code port} as the recorder ran it against
   * redis-server: FLUSHALL, SCRIPT FLUSH and the setup on one connection, then the steps on a fresh
   * one. Every reply must be the expected one byte for byte ({@link #expectedReply}), except for a
   * step marked {@code any_reply}; a step recorded with {@code "dirty": N} must have raised INFO's
   * rdb_changes_since_last_save by N since the previous such step (or since the case began).
   */
  public static void replay(int port, JsonNode golden, JsonNode c) {
    try (RespSocket admin = RespSocket.connect(port)) {
      assertEquals(new RespSocket.Simple("OK"), admin.call("FLUSHALL"));
      assertEquals(new RespSocket.Simple("OK"), admin.call("SCRIPT", "FLUSH"));
      for (JsonNode setup : golden.path("setup")) {
        admin.call(command(setup));
      }
    }
    try (RespSocket conn = RespSocket.connect(port)) {
      boolean countsDirty = false;
      for (JsonNode s : c.get("steps")) {
        countsDirty |= s.has("dirty");
      }
      long dirty = countsDirty ? dirty(conn) : 0;
      int step = 0;
      for (JsonNode s : c.get("steps")) {
        String where = "step " + step++ + " " + s.get("cmd");
        String reply = conn.callRaw(command(s.get("cmd")));
        if (!s.path("any_reply").asBoolean()) {
          assertEquals(expectedReply(s), reply, where);
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
}
