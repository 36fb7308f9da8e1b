package dev.sluice.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** Top-level YAML lists of the configuration file ({@code mappings:}, {@code users:}). */
final class YamlLists {
  private YamlLists() {}

  /**
   * The entries of the list under {@code key}: none when the key is absent or null.
   *
   * @throws ConfigException when the value is not a list, naming the key, the source, what was
   *     there and {@code expected}
   */
  static List<JsonNode> entries(JsonNode node, String key, String source, String expected) {
    if (node == null || node.isNull()) {
      return List.of();
    }
    if (!node.isArray()) {
      throw ConfigException.invalidValue(key, source, node, expected);
    }
    List<JsonNode> entries = new ArrayList<>(node.size());
    node.forEach(entries::add);
    return entries;
  }
}
