package dev.sluice.proxy.postgres;

import java.util.List;
import java.util.Optional;

/**
 * A table (or view) as the catalog described it at start-up: enough to build SQL for a mapping
 * without asking the catalog again. Immutable.
 *
 * <p>Names are exactly as the catalog spells them; always write them with {@link #quote(String)} or
 * {@link #qualifiedName()}, never paste configuration text into SQL.
 *
 * @param schema the table's schema ({@code public})
 * @param name the table's name ({@code users})
 * @param kind {@code pg_class.relkind}: {@code r} table, {@code p} partitioned table, {@code v}
 *     view, {@code m} materialised view, {@code f} foreign table
 * @param columns every column, in table order
 * @param primaryKey the primary key's columns in key order; empty when there is none
 * @param uniqueKeys the column lists of every unique index without expressions or predicate (the
 *     primary key among them): the candidates for {@code ON CONFLICT}
 */
public record TableSchema(
    String schema,
    String name,
    char kind,
    List<Column> columns,
    List<String> primaryKey,
    List<List<String>> uniqueKeys) {

  public TableSchema {
    columns = List.copyOf(columns);
    primaryKey = List.copyOf(primaryKey);
    uniqueKeys = uniqueKeys.stream().map(List::copyOf).toList();
  }

  /** The column called {@code name} (exact spelling). */
  public Optional<Column> column(String name) {
    return columns.stream().filter(c -> c.name().equals(name)).findFirst();
  }

  /** Column names in table order. */
  public List<String> columnNames() {
    return columns.stream().map(Column::name).toList();
  }

  /** Whether {@code columns} (in any order) are exactly the columns of a unique index. */
  public boolean isUniqueKey(List<String> columns) {
    return uniqueKeys.stream()
        .anyMatch(key -> key.size() == columns.size() && key.containsAll(columns));
  }

  /** Whether rows can be inserted into it (a table, not a view). */
  public boolean isTable() {
    return kind == 'r' || kind == 'p' || kind == 'f';
  }

  /** {@code "schema"."name"}, quoted for SQL. */
  public String qualifiedName() {
    return quote(schema) + "." + quote(name);
  }

  /** {@code schema.name} for messages. */
  public String displayName() {
    return schema + "." + name;
  }

  /** An identifier quoted for SQL: {@code a"b} becomes {@code "a""b"}. */
  public static String quote(String identifier) {
    return '"' + identifier.replace("\"", "\"\"") + '"';
  }
}
