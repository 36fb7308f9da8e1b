package dev.sluice.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.config.MappingConfig.Kind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.function.BinaryOperator;

/**
 * The values of one element of {@code mappings:}, read with {@code ${ENV}} references filled, and
 * the refusals about it: each names the entry ({@code mappings[1]}), the mapping's name once it is
 * known, the key, the value and what was expected.
 */
final class MappingFields {
  private static final ValueParser<Duration> DURATION = ValueParsers.duration();

  private final String source;
  private final BinaryOperator<String> expand;
  private final String path;
  private final JsonNode node;
  private String name;
  private Kind kind;

  /**
   * @param source "configuration file …", for messages
   * @param expand fills {@code ${ENV}} references: (key path, raw text) → text
   * @param index the element's position in the list
   */
  MappingFields(String source, BinaryOperator<String> expand, int index, JsonNode node) {
    this.source = source;
    this.expand = expand;
    this.path = "mappings[" + index + "]";
    this.node = node;
  }

  String path() {
    return path;
  }

  /** The mapping's name, null until {@link #name(String)}. */
  String name() {
    return name;
  }

  /** Names the mapping in later messages. */
  void name(String name) {
    this.name = name;
  }

  /** The mapping's kind, null until {@link #kind(Kind)}. */
  Kind kind() {
    return kind;
  }

  /** The kind that {@link #choice} names in its messages. */
  void kind(Kind kind) {
    this.kind = kind;
  }

  // ---- values

  String scalar(String key) {
    JsonNode value = node.get(key);
    if (value == null || value.isNull()) {
      throw invalid(key, "", "a value");
    }
    if (!value.isValueNode()) {
      throw wrongShape(key, value, "a single value");
    }
    return expand.apply(path + "." + key, value.asText()).trim();
  }

  /** A value of the wrong YAML shape (a list or map where a value belongs, or the reverse). */
  ConfigException wrongShape(String key, JsonNode value, String expected) {
    return invalidValue(key, value.toString(), expected);
  }

  /** A YAML list of names, or one value with names separated by commas or spaces. */
  List<String> names(String key) {
    JsonNode value = node.get(key);
    List<String> names = new ArrayList<>();
    if (value != null && value.isArray()) {
      for (JsonNode element : value) {
        if (!element.isValueNode() || element.isNull()) {
          throw wrongShape(key, value, "a list of names");
        }
        names.add(expand.apply(path + "." + key, element.asText()).trim());
      }
    } else {
      names.addAll(Arrays.asList(scalar(key).split("[\\s,]+")));
    }
    names.removeIf(String::isEmpty);
    if (names.isEmpty()) {
      throw invalid(key, value == null ? "" : value.toString(), "at least one name");
    }
    if (new LinkedHashSet<>(names).size() != names.size()) {
      throw invalid(key, String.join(", ", names), "names without repeats");
    }
    return List.copyOf(names);
  }

  List<String> tables(String key) {
    List<String> tables = names(key);
    for (String table : tables) {
      qualifiedName(key, table);
    }
    return tables;
  }

  String columnName(String key) {
    return scalar(key);
  }

  /**
   * A table name as SQL writes it: {@code name} or {@code schema.name}, each part a plain
   * identifier or a double-quoted one.
   */
  String qualifiedName(String key, String text) {
    int parts = 0;
    int i = 0;
    boolean ok = !text.isEmpty();
    while (ok && i < text.length()) {
      if (text.charAt(i) == '"') {
        int j = i + 1;
        while (true) {
          if (j >= text.length()) {
            ok = false;
            break;
          }
          if (text.charAt(j) == '"') {
            if (j + 1 < text.length() && text.charAt(j + 1) == '"') {
              j += 2;
              continue;
            }
            break;
          }
          j++;
        }
        ok = ok && j > i + 1;
        i = j + 1;
      } else {
        int j = i;
        while (j < text.length() && isIdentifierChar(text.charAt(j), j == i)) {
          j++;
        }
        ok = j > i;
        i = j;
      }
      parts++;
      if (ok && i < text.length()) {
        ok = text.charAt(i) == '.' && i + 1 < text.length();
        i++;
      }
    }
    if (!ok || parts > 2) {
      throw invalid(
          key,
          text,
          "a table name such as users or public.users (quote mixed-case names: \"Users\")");
    }
    return text;
  }

  private static boolean isIdentifierChar(char c, boolean first) {
    boolean letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c > 0x7f;
    return first ? letter : letter || (c >= '0' && c <= '9') || c == '$';
  }

  @SafeVarargs // needs a final method, though the class is final
  final <E extends Enum<E>> E choice(String key, Class<E> type, E fallback, E... allowed) {
    if (!node.has(key)) {
      return fallback;
    }
    String raw = scalar(key);
    for (E option : allowed) {
      if (option.name().equalsIgnoreCase(raw.replace('-', '_'))) {
        return option;
      }
    }
    List<String> words = new ArrayList<>();
    for (E option : allowed) {
      words.add(option.name().toLowerCase(Locale.ROOT));
    }
    String list =
        words.size() == 1
            ? words.get(0)
            : String.join(", ", words.subList(0, words.size() - 1))
                + " or "
                + words.get(words.size() - 1);
    throw invalid(key, raw, list + " for a " + kind.configName() + " mapping");
  }

  Duration duration(String key, Duration fallback) {
    if (!node.has(key)) {
      return fallback;
    }
    String raw = scalar(key);
    try {
      return DURATION.parse(raw);
    } catch (InvalidValueException e) {
      throw invalid(key, raw, e.getMessage());
    }
  }

  // ---- messages

  private String named() {
    return name == null ? "" : " (mapping '" + name + "')";
  }

  String where() {
    return path + named() + " in " + source;
  }

  ConfigException invalid(String key, String got, String expected) {
    return invalidValue(key, "'" + got + "'", expected);
  }

  /** {@code got} as it should be shown: quoted for a scalar, as YAML's JSON for a node. */
  ConfigException invalidValue(String key, String got, String expected) {
    return new ConfigException(
        "invalid value for '"
            + path
            + "."
            + key
            + "'"
            + named()
            + " in "
            + source
            + ": got "
            + got
            + ", expected "
            + expected);
  }

  ConfigException missing(String key, String why) {
    return new ConfigException("missing key '" + key + "' in " + where() + ": " + why);
  }

  ConfigException conflict(String why) {
    return new ConfigException("conflicting options in " + where() + ": " + why);
  }
}
