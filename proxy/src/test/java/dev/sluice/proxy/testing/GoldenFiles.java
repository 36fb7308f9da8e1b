package dev.sluice.proxy.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The golden files of redis-server's command table (tools/golden/command-keyspecs.sh): one JSON
 * value a line, after a first line naming the redis-server that answered.
 */
public final class GoldenFiles {
  public static final ObjectMapper JSON = new ObjectMapper();

  /** golden/command-info.jsonl: COMMAND INFO and DOCS of every command and subcommand. */
  public static final List<JsonNode> INFO = read("/golden/command-info.jsonl");

  /** golden/command-getkeys.jsonl: COMMAND GETKEYS and GETKEYSANDFLAGS of each invocation. */
  public static final List<JsonNode> GETKEYS = read("/golden/command-getkeys.jsonl");

  private GoldenFiles() {}

  private static List<JsonNode> read(String resource) {
    try (InputStream in = GoldenFiles.class.getResourceAsStream(resource)) {
      assertNotNull(in, resource + " on the test class path");
      List<JsonNode> lines = new ArrayList<>();
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        lines.add(JSON.readTree(line));
      }
      assertEquals(
          "redis-server 7.0.15",
          lines.get(0).get("source").asText(),
          resource + " of redis 7.0.15");
      return List.copyOf(lines.subList(1, lines.size()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
