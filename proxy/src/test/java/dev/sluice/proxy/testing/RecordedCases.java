package dev.sluice.proxy.testing;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;

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
    return command(args, Map.of());
  }

  /** A step's command, each {@code ${name}} in a text argument replaced by a saved value. */
  public static byte[][] command(JsonNode args, Map<String, String> saved) {
    byte[][] out = new byte[args.size()][];
    for (int i = 0; i < out.length; i++) {
      JsonNode arg = args.get(i);
      String text = arg.asText();
      for (Map.Entry<String, String> value : saved.entrySet()) {
        text = text.replace("${" + value.getKey() + "}", value.getValue());
      }
      out[i] =
          arg.has("hex")
              ? HexFormat.of().parseHex(arg.get("hex").asText())
              : text.getBytes(StandardCharsets.UTF_8);
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
}
