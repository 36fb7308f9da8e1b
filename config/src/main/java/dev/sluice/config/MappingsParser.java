package dev.sluice.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.config.MappingConfig.Invalidate;
import dev.sluice.config.MappingConfig.Kind;
import dev.sluice.config.MappingConfig.OnDelete;
import dev.sluice.config.MappingConfig.Read;
import dev.sluice.config.MappingConfig.Shape;
import dev.sluice.config.MappingConfig.Write;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BinaryOperator;

/**
 * Turns the YAML list under {@code mappings:} into validated {@link MappingConfig}s. Every refusal
 * names the entry ({@code mappings[1]}), the mapping's name when it has one, the key, the value and
 * what was expected; see docs/CONFIGURATION.md for the rules.
 */
final class MappingsParser {
  private static final List<String> COMMON = List.of("name", "keys");
  private static final Map<Kind, List<String>> KEYS_BY_KIND =
      Map.of(
          Kind.ROW,
          List.of(
              "table",
              "key-columns",
              "shape",
              "read",
              "write",
              "ttl",
              "negative-ttl",
              "invalidate",
              "on-delete"),
          Kind.QUERY,
          List.of(
              "query",
              "shape",
              "member-column",
              "score-column",
              "depends-on",
              "read",
              "ttl",
              "negative-ttl",
              "invalidate"),
          Kind.KV,
          List.of("store", "negative-ttl"),
          Kind.APPEND,
          List.of("table", "write"));
  private static final Set<String> ALL_KEYS = allKeys();
  private static final ValueParser<Duration> DURATION = ValueParsers.duration();

  private final String source;
  private final BinaryOperator<String> expand;

  /**
   * @param source "configuration file …", for messages
   * @param expand fills {@code ${ENV}} references: (key path, raw text) → text
   */
  MappingsParser(String source, BinaryOperator<String> expand) {
    this.source = source;
    this.expand = expand;
  }

  private static Set<String> allKeys() {
    Set<String> all = new LinkedHashSet<>(COMMON);
    for (Kind kind : Kind.values()) {
      all.addAll(KEYS_BY_KIND.get(kind));
    }
    return all;
  }

  List<MappingConfig> parse(JsonNode node) {
    List<JsonNode> entries =
        YamlLists.entries(
            node, "mappings", source, "a list of mappings (each with a name and keys)");
    List<MappingConfig> mappings = new ArrayList<>();
    Map<String, MappingConfig> byName = new HashMap<>();
    Map<String, MappingConfig> byShape = new HashMap<>();
    for (int i = 0; i < entries.size(); i++) {
      MappingConfig mapping = new Entry(i, entries.get(i)).parse();
      MappingConfig sameName = byName.putIfAbsent(mapping.name(), mapping);
      if (sameName != null) {
        throw ConfigException.duplicateName(
            "mapping", mapping.name(), mapping.path(), source, sameName.path());
      }
      MappingConfig sameKeys = byShape.putIfAbsent(mapping.keys().shape(), mapping);
      if (sameKeys != null) {
        throw new ConfigException(
            "invalid value for '"
                + mapping.path()
                + ".keys' (mapping '"
                + mapping.name()
                + "') in "
                + source
                + ": got '"
                + mapping.keys().text()
                + "', expected keys no other mapping covers: "
                + sameKeys.describe()
                + " has '"
                + sameKeys.keys().text()
                + "'");
      }
      mappings.add(mapping);
    }
    return List.copyOf(mappings);
  }

  /** One element of the list, parsed with its position and name at hand for messages. */
  private final class Entry {
    private final String path;
    private final JsonNode node;
    private String name;
    private Kind kind;

    Entry(int index, JsonNode node) {
      this.path = "mappings[" + index + "]";
      this.node = node;
    }

    MappingConfig parse() {
      if (!node.isObject()) {
        throw ConfigException.invalidValue(
            path, source, node, "a mapping with at least name and keys");
      }
      if (!node.has("name")) {
        throw missing("name", "every mapping needs a unique name, e.g. name: users");
      }
      name = scalar("name");
      if (!name.matches("[A-Za-z0-9_][A-Za-z0-9_.-]{0,62}")) {
        throw invalid(
            "name",
            name,
            "a name of letters, digits, '_', '.' and '-' (at most 63, not starting with '.' or"
                + " '-')");
      }
      for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
        String key = it.next();
        if (!ALL_KEYS.contains(key)) {
          throw new ConfigException(
              "unknown key '"
                  + key
                  + "' in "
                  + where()
                  + "; known keys: "
                  + String.join(", ", ALL_KEYS));
        }
      }
      kind = kind();
      List<String> allowed = new ArrayList<>(COMMON);
      allowed.addAll(KEYS_BY_KIND.get(kind));
      for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
        String key = it.next();
        if (!allowed.contains(key)) {
          throw new ConfigException(
              "key '"
                  + key
                  + "' is not allowed in "
                  + where()
                  + ": a "
                  + kind.configName()
                  + " mapping takes "
                  + String.join(", ", allowed));
        }
      }
      if (!node.has("keys")) {
        throw missing("keys", "every mapping needs the keys it covers, e.g. keys: \"user:{id}\"");
      }
      KeyTemplate keys;
      String keysText = scalar("keys");
      try {
        keys = KeyTemplate.parse(keysText);
      } catch (InvalidValueException e) {
        throw invalid("keys", keysText, e.getMessage());
      }
      return switch (kind) {
        case ROW -> row(keys);
        case QUERY -> query(keys);
        case KV -> kv(keys);
        case APPEND -> append(keys);
      };
    }

    private Kind kind() {
      boolean store = node.has("store");
      boolean query = node.has("query");
      boolean table = node.has("table");
      if (store) {
        String value = scalar("store");
        if (!value.equalsIgnoreCase("kv")) {
          throw invalid("store", value, "kv (durable keys of any type in sluice.kv)");
        }
        if (query || table) {
          throw conflict(
              "store: kv keeps keys in sluice.kv and takes no " + (query ? "query" : "table"));
        }
        return Kind.KV;
      }
      if (node.has("write") && scalar("write").equalsIgnoreCase("append")) {
        if (query) {
          throw conflict("write: append inserts rows into a table and takes no query");
        }
        if (!table) {
          throw missing("table", "write: append needs the table rows are inserted into");
        }
        return Kind.APPEND;
      }
      if (query && table) {
        throw conflict(
            "a mapping reads either a table (a row mapping) or a query (a query mapping), not"
                + " both");
      }
      if (query) {
        return Kind.QUERY;
      }
      if (table) {
        return Kind.ROW;
      }
      throw missing(
          "table",
          "cannot tell what the keys map to; give table (a row mapping), query (a query"
              + " mapping), store: kv (durable keys) or table with write: append (rows to"
              + " insert)");
    }

    private MappingConfig row(KeyTemplate keys) {
      String table = qualifiedName("table", scalar("table"));
      if (!node.has("key-columns")) {
        throw missing(
            "key-columns",
            "a row mapping needs the columns that identify a row, one per placeholder of keys,"
                + " e.g. key-columns: [id]");
      }
      List<String> keyColumns = names("key-columns");
      if (keys.hasWildcard()) {
        throw invalid(
            "keys",
            keys.text(),
            "a template whose placeholders name one row, without '*' (e.g. user:{id})");
      }
      Set<String> placeholders = new LinkedHashSet<>(keys.placeholders());
      for (String column : keyColumns) {
        if (!placeholders.contains(column)) {
          throw invalid(
              "keys",
              keys.text(),
              "a placeholder for every key column: key column "
                  + column
                  + " has no {"
                  + column
                  + "}");
        }
      }
      for (String placeholder : placeholders) {
        if (!keyColumns.contains(placeholder)) {
          throw invalid(
              "keys",
              keys.text(),
              "only placeholders named after key columns ("
                  + String.join(", ", keyColumns)
                  + "): {"
                  + placeholder
                  + "} is not one");
        }
      }
      Shape shape = choice("shape", Shape.class, Shape.HASH, Shape.HASH, Shape.JSON);
      Read read = choice("read", Read.class, Read.THROUGH, Read.THROUGH, Read.NONE);
      Write write = choice("write", Write.class, Write.NONE, Write.BACK, Write.NONE);
      if (read == Read.NONE && write == Write.NONE) {
        throw conflict("read: none with write: none leaves the mapping nothing to do");
      }
      Invalidate invalidate =
          choice(
              "invalidate", Invalidate.class, Invalidate.NONE, Invalidate.NOTIFY, Invalidate.NONE);
      OnDelete onDelete =
          choice("on-delete", OnDelete.class, OnDelete.EVICT, OnDelete.EVICT, OnDelete.DELETE);
      if (onDelete == OnDelete.DELETE && write != Write.BACK) {
        throw conflict("on-delete: delete deletes rows through write-back and needs write: back");
      }
      return new MappingConfig(
          name,
          path,
          Kind.ROW,
          keys,
          table,
          keyColumns,
          null,
          shape,
          null,
          null,
          List.of(),
          read,
          write,
          duration("ttl", MappingConfig.DEFAULT_TTL),
          duration("negative-ttl", MappingConfig.DEFAULT_NEGATIVE_TTL),
          invalidate,
          onDelete);
    }

    private MappingConfig query(KeyTemplate keys) {
      String sql = scalar("query");
      NamedQuery query;
      try {
        query = NamedQuery.parse(sql);
      } catch (InvalidValueException e) {
        throw invalid("query", sql, e.getMessage());
      }
      if (keys.hasWildcard()) {
        throw invalid(
            "keys",
            keys.text(),
            "a template whose placeholders give the query's parameters, without '*' (e.g."
                + " top:{category})");
      }
      for (String parameter : query.parameterNames()) {
        if (!keys.placeholders().contains(parameter)) {
          throw invalid(
              "query",
              sql,
              "only parameters that are placeholders of keys '"
                  + keys.text()
                  + "': :"
                  + parameter
                  + " is not one");
        }
      }
      for (String placeholder : keys.placeholders()) {
        if (!query.parameterNames().contains(placeholder)) {
          throw invalid(
              "query",
              sql,
              "a parameter for every placeholder of keys '"
                  + keys.text()
                  + "' (else two keys would get the same result): :"
                  + placeholder
                  + " is missing");
        }
      }
      Shape shape =
          choice("shape", Shape.class, Shape.JSON, Shape.JSON, Shape.ZSET, Shape.LIST, Shape.SET);
      String member = node.has("member-column") ? columnName("member-column") : null;
      String score = node.has("score-column") ? columnName("score-column") : null;
      if (member != null && shape == Shape.JSON) {
        throw conflict("member-column needs shape: zset, list or set (the shape is json)");
      }
      if (score != null && shape != Shape.ZSET) {
        throw conflict("score-column needs shape: zset (the shape is " + shape.configName() + ")");
      }
      if (shape == Shape.ZSET && member == null) {
        throw missing("member-column", "shape: zset needs the column that gives the members");
      }
      if (shape == Shape.ZSET && score == null) {
        throw missing("score-column", "shape: zset needs the column that gives the scores");
      }
      List<String> dependsOn = node.has("depends-on") ? tables("depends-on") : List.of();
      Invalidate invalidate =
          choice(
              "invalidate",
              Invalidate.class,
              dependsOn.isEmpty() ? Invalidate.NONE : Invalidate.NOTIFY,
              Invalidate.NOTIFY,
              Invalidate.NONE);
      if (invalidate == Invalidate.NOTIFY && dependsOn.isEmpty()) {
        throw missing(
            "depends-on",
            "invalidate: notify on a query mapping needs the tables the query reads, e.g."
                + " depends-on: [products]");
      }
      if (invalidate == Invalidate.NONE && !dependsOn.isEmpty()) {
        throw conflict(
            "depends-on names tables to watch for changes, but invalidate is none (remove one)");
      }
      choice("read", Read.class, Read.THROUGH, Read.THROUGH);
      return new MappingConfig(
          name,
          path,
          Kind.QUERY,
          keys,
          null,
          List.of(),
          query,
          shape,
          member,
          score,
          dependsOn,
          Read.THROUGH,
          Write.NONE,
          duration("ttl", MappingConfig.DEFAULT_TTL),
          duration("negative-ttl", MappingConfig.DEFAULT_NEGATIVE_TTL),
          invalidate,
          OnDelete.EVICT);
    }

    private MappingConfig kv(KeyTemplate keys) {
      return new MappingConfig(
          name,
          path,
          Kind.KV,
          keys,
          null,
          List.of(),
          null,
          null,
          null,
          null,
          List.of(),
          Read.THROUGH,
          Write.BACK,
          Duration.ZERO,
          duration("negative-ttl", MappingConfig.DEFAULT_NEGATIVE_TTL),
          Invalidate.NONE,
          OnDelete.DELETE);
    }

    private MappingConfig append(KeyTemplate keys) {
      if (!keys.isFixed()) {
        throw invalid(
            "keys",
            keys.text(),
            "one fixed key without placeholders or '*' (e.g. ingest:page_views): an append"
                + " mapping is one stream of rows");
      }
      return new MappingConfig(
          name,
          path,
          Kind.APPEND,
          keys,
          qualifiedName("table", scalar("table")),
          List.of(),
          null,
          null,
          null,
          null,
          List.of(),
          Read.NONE,
          Write.APPEND,
          Duration.ZERO,
          Duration.ZERO,
          Invalidate.NONE,
          OnDelete.EVICT);
    }

    // ---- values

    private String scalar(String key) {
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
    private ConfigException wrongShape(String key, JsonNode value, String expected) {
      return invalidValue(key, value.toString(), expected);
    }

    /** A YAML list of names, or one value with names separated by commas or spaces. */
    private List<String> names(String key) {
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

    private List<String> tables(String key) {
      List<String> tables = names(key);
      for (String table : tables) {
        qualifiedName(key, table);
      }
      return tables;
    }

    private String columnName(String key) {
      return scalar(key);
    }

    /**
     * A table name as SQL writes it: {@code name} or {@code schema.name}, each part a plain
     * identifier or a double-quoted one.
     */
    private String qualifiedName(String key, String text) {
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

    @SafeVarargs
    private <E extends Enum<E>> E choice(String key, Class<E> type, E fallback, E... allowed) {
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

    private Duration duration(String key, Duration fallback) {
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

    private String where() {
      return path + named() + " in " + source;
    }

    private ConfigException invalid(String key, String got, String expected) {
      return invalidValue(key, "'" + got + "'", expected);
    }

    /** {@code got} as it should be shown: quoted for a scalar, as YAML's JSON for a node. */
    private ConfigException invalidValue(String key, String got, String expected) {
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

    private ConfigException missing(String key, String why) {
      return new ConfigException("missing key '" + key + "' in " + where() + ": " + why);
    }

    private ConfigException conflict(String why) {
      return new ConfigException("conflicting options in " + where() + ": " + why);
    }
  }

  /** Every key a mapping may have, sorted, for the reference test. */
  static Set<String> knownKeys() {
    return new TreeSet<>(ALL_KEYS);
  }
}
