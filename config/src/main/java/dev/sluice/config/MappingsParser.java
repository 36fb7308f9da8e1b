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
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BinaryOperator;

/**
 * Turns the YAML list under {@code mappings:} into validated {@link MappingConfig}s. Every refusal
 * names the entry ({@code mappings[1]}), the mapping's name when it has one, the key, the value and
 * what was expected; see docs/CONFIGURATION.md for the rules. This class knows the rules of each
 * kind of mapping; reading an entry's values and wording its refusals is {@link MappingFields}.
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
    private final JsonNode node;
    private final MappingFields fields;
    private final String path;

    Entry(int index, JsonNode node) {
      this.node = node;
      this.fields = new MappingFields(source, expand, index, node);
      this.path = fields.path();
    }

    MappingConfig parse() {
      if (!node.isObject()) {
        throw ConfigException.invalidValue(
            path, source, node, "a mapping with at least name and keys");
      }
      if (!node.has("name")) {
        throw fields.missing("name", "every mapping needs a unique name, e.g. name: users");
      }
      String name = fields.scalar("name");
      fields.name(name);
      if (!name.matches("[A-Za-z0-9_][A-Za-z0-9_.-]{0,62}")) {
        throw fields.invalid(
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
                  + fields.where()
                  + "; known keys: "
                  + String.join(", ", ALL_KEYS));
        }
      }
      Kind kind = kind();
      fields.kind(kind);
      List<String> allowed = new ArrayList<>(COMMON);
      allowed.addAll(KEYS_BY_KIND.get(kind));
      for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
        String key = it.next();
        if (!allowed.contains(key)) {
          throw new ConfigException(
              "key '"
                  + key
                  + "' is not allowed in "
                  + fields.where()
                  + ": a "
                  + kind.configName()
                  + " mapping takes "
                  + String.join(", ", allowed));
        }
      }
      if (!node.has("keys")) {
        throw fields.missing(
            "keys", "every mapping needs the keys it covers, e.g. keys: \"user:{id}\"");
      }
      KeyTemplate keys;
      String keysText = fields.scalar("keys");
      try {
        keys = KeyTemplate.parse(keysText);
      } catch (InvalidValueException e) {
        throw fields.invalid("keys", keysText, e.getMessage());
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
        String value = fields.scalar("store");
        if (!value.equalsIgnoreCase("kv")) {
          throw fields.invalid("store", value, "kv (durable keys of any type in sluice.kv)");
        }
        if (query || table) {
          throw fields.conflict(
              "store: kv keeps keys in sluice.kv and takes no " + (query ? "query" : "table"));
        }
        return Kind.KV;
      }
      if (node.has("write") && fields.scalar("write").equalsIgnoreCase("append")) {
        if (query) {
          throw fields.conflict("write: append inserts rows into a table and takes no query");
        }
        if (!table) {
          throw fields.missing("table", "write: append needs the table rows are inserted into");
        }
        return Kind.APPEND;
      }
      if (query && table) {
        throw fields.conflict(
            "a mapping reads either a table (a row mapping) or a query (a query mapping), not"
                + " both");
      }
      if (query) {
        return Kind.QUERY;
      }
      if (table) {
        return Kind.ROW;
      }
      throw fields.missing(
          "table",
          "cannot tell what the keys map to; give table (a row mapping), query (a query"
              + " mapping), store: kv (durable keys) or table with write: append (rows to"
              + " insert)");
    }

    private MappingConfig row(KeyTemplate keys) {
      String table = fields.qualifiedName("table", fields.scalar("table"));
      if (!node.has("key-columns")) {
        throw fields.missing(
            "key-columns",
            "a row mapping needs the columns that identify a row, one per placeholder of keys,"
                + " e.g. key-columns: [id]");
      }
      List<String> keyColumns = fields.names("key-columns");
      if (keys.hasWildcard()) {
        throw fields.invalid(
            "keys",
            keys.text(),
            "a template whose placeholders name one row, without '*' (e.g. user:{id})");
      }
      Set<String> placeholders = new LinkedHashSet<>(keys.placeholders());
      for (String column : keyColumns) {
        if (!placeholders.contains(column)) {
          throw fields.invalid(
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
          throw fields.invalid(
              "keys",
              keys.text(),
              "only placeholders named after key columns ("
                  + String.join(", ", keyColumns)
                  + "): {"
                  + placeholder
                  + "} is not one");
        }
      }
      Shape shape = fields.choice("shape", Shape.class, Shape.HASH, Shape.HASH, Shape.JSON);
      Read read = fields.choice("read", Read.class, Read.THROUGH, Read.THROUGH, Read.NONE);
      Write write = fields.choice("write", Write.class, Write.NONE, Write.BACK, Write.NONE);
      if (read == Read.NONE && write == Write.NONE) {
        throw fields.conflict("read: none with write: none leaves the mapping nothing to do");
      }
      Invalidate invalidate =
          fields.choice(
              "invalidate", Invalidate.class, Invalidate.NONE, Invalidate.NOTIFY, Invalidate.NONE);
      OnDelete onDelete =
          fields.choice(
              "on-delete", OnDelete.class, OnDelete.EVICT, OnDelete.EVICT, OnDelete.DELETE);
      if (onDelete == OnDelete.DELETE && write != Write.BACK) {
        throw fields.conflict(
            "on-delete: delete deletes rows through write-back and needs write: back");
      }
      return new MappingConfig(
          fields.name(),
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
          fields.duration("ttl", MappingConfig.DEFAULT_TTL),
          fields.duration("negative-ttl", MappingConfig.DEFAULT_NEGATIVE_TTL),
          invalidate,
          onDelete);
    }

    private MappingConfig query(KeyTemplate keys) {
      String sql = fields.scalar("query");
      NamedQuery query;
      try {
        query = NamedQuery.parse(sql);
      } catch (InvalidValueException e) {
        throw fields.invalid("query", sql, e.getMessage());
      }
      if (keys.hasWildcard()) {
        throw fields.invalid(
            "keys",
            keys.text(),
            "a template whose placeholders give the query's parameters, without '*' (e.g."
                + " top:{category})");
      }
      for (String parameter : query.parameterNames()) {
        if (!keys.placeholders().contains(parameter)) {
          throw fields.invalid(
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
          throw fields.invalid(
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
          fields.choice(
              "shape", Shape.class, Shape.JSON, Shape.JSON, Shape.ZSET, Shape.LIST, Shape.SET);
      String member = node.has("member-column") ? fields.columnName("member-column") : null;
      String score = node.has("score-column") ? fields.columnName("score-column") : null;
      if (member != null && shape == Shape.JSON) {
        throw fields.conflict("member-column needs shape: zset, list or set (the shape is json)");
      }
      if (score != null && shape != Shape.ZSET) {
        throw fields.conflict(
            "score-column needs shape: zset (the shape is " + shape.configName() + ")");
      }
      if (shape == Shape.ZSET && member == null) {
        throw fields.missing(
            "member-column", "shape: zset needs the column that gives the members");
      }
      if (shape == Shape.ZSET && score == null) {
        throw fields.missing("score-column", "shape: zset needs the column that gives the scores");
      }
      List<String> dependsOn = node.has("depends-on") ? fields.tables("depends-on") : List.of();
      Invalidate invalidate =
          fields.choice(
              "invalidate",
              Invalidate.class,
              dependsOn.isEmpty() ? Invalidate.NONE : Invalidate.NOTIFY,
              Invalidate.NOTIFY,
              Invalidate.NONE);
      if (invalidate == Invalidate.NOTIFY && dependsOn.isEmpty()) {
        throw fields.missing(
            "depends-on",
            "invalidate: notify on a query mapping needs the tables the query reads, e.g."
                + " depends-on: [products]");
      }
      if (invalidate == Invalidate.NONE && !dependsOn.isEmpty()) {
        throw fields.conflict(
            "depends-on names tables to watch for changes, but invalidate is none (remove one)");
      }
      fields.choice("read", Read.class, Read.THROUGH, Read.THROUGH);
      return new MappingConfig(
          fields.name(),
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
          fields.duration("ttl", MappingConfig.DEFAULT_TTL),
          fields.duration("negative-ttl", MappingConfig.DEFAULT_NEGATIVE_TTL),
          invalidate,
          OnDelete.EVICT);
    }

    private MappingConfig kv(KeyTemplate keys) {
      return new MappingConfig(
          fields.name(),
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
          fields.duration("negative-ttl", MappingConfig.DEFAULT_NEGATIVE_TTL),
          Invalidate.NONE,
          OnDelete.DELETE);
    }

    private MappingConfig append(KeyTemplate keys) {
      if (!keys.isFixed()) {
        throw fields.invalid(
            "keys",
            keys.text(),
            "one fixed key without placeholders or '*' (e.g. ingest:page_views): an append"
                + " mapping is one stream of rows");
      }
      return new MappingConfig(
          fields.name(),
          path,
          Kind.APPEND,
          keys,
          fields.qualifiedName("table", fields.scalar("table")),
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
  }

  /** Every key a mapping may have, sorted, for the reference test. */
  static Set<String> knownKeys() {
    return new TreeSet<>(ALL_KEYS);
  }
}
