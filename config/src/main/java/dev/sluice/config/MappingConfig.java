package dev.sluice.config;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * One entry of {@code mappings:}: which keys it covers and where they live in PostgreSQL. Built and
 * validated by {@link MappingsParser}; immutable.
 *
 * <p>The {@link Kind} follows from the fields given: {@code store: kv} is a {@link Kind#KV kv}
 * mapping, {@code write: append} an {@link Kind#APPEND append} mapping, {@code query:} a {@link
 * Kind#QUERY query} mapping and {@code table:} a {@link Kind#ROW row} mapping. Fields that do not
 * apply to a kind are null (single values) or empty (lists); the others always hold a value, the
 * default when the file gave none. docs/CONFIGURATION.md has the full reference.
 *
 * <p>Table and column names are kept as written; they are checked against the catalog at start-up
 * (dev.sluice.proxy.postgres) and must then always be quoted as identifiers, never pasted.
 *
 * @param name unique name, used by SLUICE commands, metrics and {@code sluice.control}
 * @param path where the mapping was declared, e.g. {@code mappings[2]}, for messages
 * @param kind what kind of mapping this is
 * @param keys the keys it covers
 * @param table row and append mappings: the table, as written ({@code users}, {@code
 *     public.users}); null otherwise
 * @param keyColumns row mappings: the columns that identify a row, one per placeholder of {@code
 *     keys} with the same names; empty otherwise
 * @param query query mappings: the SELECT and its parameters; null otherwise
 * @param shape how a cached value looks: row mappings {@code HASH} or {@code JSON}; query mappings
 *     {@code JSON}, {@code ZSET}, {@code LIST} or {@code SET}; null for kv and append mappings
 * @param memberColumn query mappings with shape zset, list or set: the column that gives the
 *     members; null when not given (list and set then need a one-column result)
 * @param scoreColumn query mappings with shape zset: the column that gives the scores; else null
 * @param dependsOn query mappings: tables whose changes invalidate the cached results
 * @param read {@code THROUGH}: a miss loads from PostgreSQL; {@code NONE}: never loads
 * @param write {@code BACK}: writes go through the journal to PostgreSQL; {@code APPEND}: rows to
 *     insert; {@code NONE}: writes change only the cached copy
 * @param ttl how long a loaded value stays cached; zero means until evicted or invalidated
 * @param negativeTtl how long "no such row" (or an empty result) stays cached; zero: not cached
 * @param invalidate {@code NOTIFY}: a trigger's NOTIFY evicts changed keys; {@code NONE}
 * @param onDelete what DEL does: {@code EVICT} drops the cached copy, {@code DELETE} also deletes
 *     the row (needs write-back)
 */
public record MappingConfig(
    String name,
    String path,
    Kind kind,
    KeyTemplate keys,
    String table,
    List<String> keyColumns,
    NamedQuery query,
    Shape shape,
    String memberColumn,
    String scoreColumn,
    List<String> dependsOn,
    Read read,
    Write write,
    Duration ttl,
    Duration negativeTtl,
    Invalidate invalidate,
    OnDelete onDelete) {

  public static final Duration DEFAULT_TTL = Duration.ofMinutes(10);
  public static final Duration DEFAULT_NEGATIVE_TTL = Duration.ofSeconds(30);

  public MappingConfig {
    keyColumns = List.copyOf(keyColumns);
    dependsOn = List.copyOf(dependsOn);
  }

  /** What a mapping maps keys to. */
  public enum Kind {
    /** One key is one row of a table: {@code user:{id}} → {@code users WHERE id = …}. */
    ROW,
    /** One key is the result of a read-only SELECT whose parameters come from the key. */
    QUERY,
    /** Durable generic keys of any Redis type, stored in {@code sluice.kv}. */
    KV,
    /** One fixed key that takes rows to INSERT (XADD, HTTP ingest). */
    APPEND;

    public String configName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** The Redis type (and layout) of a cached value. */
  public enum Shape {
    HASH,
    JSON,
    ZSET,
    LIST,
    SET;

    public String configName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public enum Read {
    THROUGH,
    NONE;

    public String configName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public enum Write {
    BACK,
    APPEND,
    NONE;

    public String configName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public enum Invalidate {
    NOTIFY,
    NONE;

    public String configName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public enum OnDelete {
    EVICT,
    DELETE;

    public String configName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** "mapping 'users' (mappings[0])", the way messages name a mapping. */
  public String describe() {
    return "mapping '" + name + "' (" + path + ")";
  }
}
