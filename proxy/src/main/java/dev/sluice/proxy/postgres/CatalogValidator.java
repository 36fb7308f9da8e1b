package dev.sluice.proxy.postgres;

import dev.sluice.config.MappingConfig;
import dev.sluice.config.MappingConfig.Kind;
import dev.sluice.config.MappingConfig.Shape;
import java.sql.Connection;
import java.sql.ParameterMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.TypeInfo;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks mappings against the catalog of a live database and records what it finds.
 *
 * <ul>
 *   <li>Row and append mappings: the table exists (as {@code to_regclass} resolves the configured
 *       name, search_path included); a row mapping's key columns are columns of it. A warning (not
 *       an error) when the key columns are not a unique key, or an append mapping's table is a
 *       view.
 *   <li>Query mappings: the SQL is described by the server (parsed, analysed and planned, never
 *       executed), takes one parameter per {@code ?} of its JDBC form, and returns the configured
 *       {@code member-column} (and a numeric {@code score-column}); a list or set without
 *       member-column returns one column. {@code depends-on} tables exist.
 * </ul>
 *
 * Every problem of every mapping is collected, so one start-up reports them all.
 */
final class CatalogValidator {
  private static final Logger log = LoggerFactory.getLogger(CatalogValidator.class);
  private static final int LISTED = 30;

  private final Connection connection;
  private final List<String> problems = new ArrayList<>();

  CatalogValidator(Connection connection) {
    this.connection = connection;
  }

  /**
   * @throws PostgresException listing every problem, each naming the mapping, the table or column
   *     and what exists
   */
  MappingCatalog validate(List<MappingConfig> mappings) throws SQLException {
    Map<String, TableSchema> tables = new LinkedHashMap<>();
    Map<String, QuerySchema> queries = new LinkedHashMap<>();
    Map<String, TableSchema> dependencies = new LinkedHashMap<>();
    for (MappingConfig mapping : mappings) {
      if (mapping.kind() == Kind.ROW || mapping.kind() == Kind.APPEND) {
        Optional<TableSchema> table = table(mapping, mapping.table(), "table");
        if (table.isPresent()) {
          tables.put(mapping.name(), table.get());
          if (mapping.kind() == Kind.ROW) {
            checkKeyColumns(mapping, table.get());
          } else if (!table.get().isTable()) {
            problem(
                mapping,
                "table "
                    + table.get().displayName()
                    + " is a view; an append mapping needs a table to insert into");
          }
        }
      } else if (mapping.kind() == Kind.QUERY) {
        describe(mapping).ifPresent(schema -> queries.put(mapping.name(), schema));
        for (String dependency : mapping.dependsOn()) {
          table(mapping, dependency, "depends-on").ifPresent(t -> dependencies.put(dependency, t));
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new PostgresException(
          "the mappings do not fit the database:\n  - " + String.join("\n  - ", problems));
    }
    return new MappingCatalog(tables, queries, dependencies);
  }

  private void problem(MappingConfig mapping, String what) {
    problems.add(mapping.describe() + ": " + what);
  }

  private Optional<TableSchema> table(MappingConfig mapping, String name, String key)
      throws SQLException {
    Long oid = null;
    String schema = null;
    String relname = null;
    char kind = 'r';
    try (PreparedStatement find =
        connection.prepareStatement(
            "SELECT c.oid, n.nspname, c.relname, c.relkind FROM pg_catalog.pg_class c"
                + " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE c.oid = pg_catalog.to_regclass(?)")) {
      find.setString(1, name);
      try (ResultSet rs = find.executeQuery()) {
        if (rs.next()) {
          oid = rs.getLong(1);
          schema = rs.getString(2);
          relname = rs.getString(3);
          kind = rs.getString(4).charAt(0);
        }
      }
    } catch (PSQLException e) {
      problem(mapping, key + " " + name + " is not a usable table name: " + reason(e));
      return Optional.empty();
    }
    if (oid == null) {
      problem(mapping, key + " " + name + " does not exist; " + existingTables(name));
      return Optional.empty();
    }
    if ("rpvmf".indexOf(kind) < 0) {
      problem(mapping, key + " " + name + " is not a table or view");
      return Optional.empty();
    }
    return Optional.of(
        new TableSchema(schema, relname, kind, columns(oid), primaryKey(oid), uniqueKeys(oid)));
  }

  /** "tables in schema public: a, b" or "schema x does not exist; schemas: …". */
  private String existingTables(String name) throws SQLException {
    int dot = lastDotOutsideQuotes(name);
    if (dot < 0) {
      List<String> visible =
          strings(
              "SELECT n.nspname || '.' || c.relname FROM pg_catalog.pg_class c"
                  + " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
                  + " WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f')"
                  + " AND pg_catalog.pg_table_is_visible(c.oid)"
                  + " AND n.nspname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1",
              null);
      return "tables on the search_path ("
          + strings("SELECT pg_catalog.current_setting('search_path')", null).get(0)
          + "): "
          + list(visible);
    }
    String schemaName = name.substring(0, dot);
    List<String> schemas =
        strings(
            "SELECT n.nspname FROM pg_catalog.pg_namespace n"
                + " WHERE n.oid = pg_catalog.to_regnamespace(?)",
            schemaName);
    if (schemas.isEmpty()) {
      return "schema "
          + schemaName
          + " does not exist; schemas: "
          + list(
              strings(
                  "SELECT nspname FROM pg_catalog.pg_namespace WHERE nspname NOT LIKE 'pg\\_%'"
                      + " AND nspname <> 'information_schema' ORDER BY 1",
                  null));
    }
    return "tables in schema "
        + schemas.get(0)
        + ": "
        + list(
            strings(
                "SELECT c.relname FROM pg_catalog.pg_class c"
                    + " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
                    + " WHERE n.nspname = ? AND c.relkind IN ('r', 'p', 'v', 'm', 'f') ORDER BY 1",
                schemas.get(0)));
  }

  private static int lastDotOutsideQuotes(String name) {
    boolean quoted = false;
    int dot = -1;
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '"') {
        quoted = !quoted;
      } else if (c == '.' && !quoted) {
        dot = i;
      }
    }
    return dot;
  }

  private void checkKeyColumns(MappingConfig mapping, TableSchema table) {
    for (String column : mapping.keyColumns()) {
      if (table.column(column).isEmpty()) {
        problem(
            mapping,
            "table "
                + table.displayName()
                + " has no column "
                + column
                + " (key-columns); its columns: "
                + list(table.columnNames()));
      }
    }
    if (table.column(mapping.keyColumns().get(0)).isPresent()
        && mapping.keyColumns().stream().allMatch(c -> table.column(c).isPresent())
        && !table.isUniqueKey(mapping.keyColumns())) {
      if (mapping.write() == MappingConfig.Write.BACK) {
        // write-back upserts with ON CONFLICT (key columns), which needs a unique index on them
        problem(
            mapping,
            "write: back needs key columns "
                + mapping.keyColumns()
                + " to be the primary key or a unique key of "
                + table.displayName()
                + " (INSERT … ON CONFLICT on them); add a unique index on exactly these columns");
        return;
      }
      log.warn(
          "{}: key columns {} are not a unique key of {}; a key may match several rows",
          mapping.describe(),
          mapping.keyColumns(),
          table.displayName());
    }
  }

  private Optional<QuerySchema> describe(MappingConfig mapping) throws SQLException {
    String sql = mapping.query().jdbcSql();
    List<Column> columns = new ArrayList<>();
    List<String> parameterTypes = new ArrayList<>();
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      // pgjdbc describes a statement that has not run: Parse + Describe, no Execute.
      ResultSetMetaData result = statement.getMetaData();
      ParameterMetaData parameters = statement.getParameterMetaData();
      for (int i = 1; i <= parameters.getParameterCount(); i++) {
        parameterTypes.add(parameters.getParameterTypeName(i));
      }
      if (result != null) {
        TypeInfo types = connection.unwrap(BaseConnection.class).getTypeInfo();
        for (int i = 1; i <= result.getColumnCount(); i++) {
          // pgjdbc calls an int column with a nextval() default "serial"; undo that.
          String type =
              switch (result.getColumnTypeName(i)) {
                case "smallserial" -> "int2";
                case "serial" -> "int4";
                case "bigserial" -> "int8";
                default -> result.getColumnTypeName(i);
              };
          columns.add(new Column(result.getColumnLabel(i), type, types.getPGType(type), true));
        }
      }
    } catch (PSQLException e) {
      problem(mapping, "the query does not prepare: " + reason(e));
      return Optional.empty();
    }
    int expected = mapping.query().parameters().size();
    if (parameterTypes.size() != expected) {
      problem(
          mapping,
          "the query takes "
              + parameterTypes.size()
              + " parameters, but its text has "
              + expected
              + " (:"
              + String.join(", :", mapping.query().parameters())
              + ")");
      return Optional.empty();
    }
    QuerySchema schema = new QuerySchema(columns, parameterTypes);
    if (columns.isEmpty()) {
      problem(mapping, "the query returns no columns");
      return Optional.empty();
    }
    checkResultColumn(mapping, schema, mapping.memberColumn(), "member-column");
    if (mapping.scoreColumn() != null) {
      checkResultColumn(mapping, schema, mapping.scoreColumn(), "score-column");
      schema
          .column(mapping.scoreColumn())
          .filter(c -> !c.isNumeric())
          .ifPresent(
              c ->
                  problem(
                      mapping,
                      "score-column "
                          + c.name()
                          + " is of type "
                          + c.type()
                          + "; sorted-set scores need a number (cast it, e.g. "
                          + c.name()
                          + "::float8)"));
    }
    boolean oneColumnShape = mapping.shape() == Shape.LIST || mapping.shape() == Shape.SET;
    if (oneColumnShape && mapping.memberColumn() == null && columns.size() != 1) {
      problem(
          mapping,
          "shape "
              + mapping.shape().configName()
              + " without member-column needs a one-column result; the query returns "
              + list(schema.columnNames()));
    }
    return Optional.of(schema);
  }

  private void checkResultColumn(
      MappingConfig mapping, QuerySchema schema, String column, String key) {
    if (column != null && schema.column(column).isEmpty()) {
      problem(
          mapping,
          key
              + " "
              + column
              + " is not a column of the query's result; it returns "
              + list(schema.columnNames()));
    }
  }

  private List<Column> columns(long oid) throws SQLException {
    List<Column> columns = new ArrayList<>();
    try (PreparedStatement statement =
        connection.prepareStatement(
            "SELECT a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod), a.atttypid,"
                + " NOT a.attnotnull FROM pg_catalog.pg_attribute a"
                + " WHERE a.attrelid = ? AND a.attnum > 0 AND NOT a.attisdropped"
                + " ORDER BY a.attnum")) {
      statement.setLong(1, oid);
      try (ResultSet rs = statement.executeQuery()) {
        while (rs.next()) {
          columns.add(new Column(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getBoolean(4)));
        }
      }
    }
    return columns;
  }

  private List<String> primaryKey(long oid) throws SQLException {
    List<List<String>> keys = indexKeys(oid, "i.indisprimary");
    return keys.isEmpty() ? List.of() : keys.get(0);
  }

  private List<List<String>> uniqueKeys(long oid) throws SQLException {
    return indexKeys(oid, "i.indisunique AND i.indpred IS NULL AND i.indexprs IS NULL");
  }

  /** Column lists of the table's indexes that satisfy {@code condition}, in key order. */
  private List<List<String>> indexKeys(long oid, String condition) throws SQLException {
    List<List<String>> keys = new ArrayList<>();
    try (PreparedStatement statement =
        connection.prepareStatement(
            "SELECT i.indexrelid, a.attname FROM pg_catalog.pg_index i"
                + " CROSS JOIN LATERAL pg_catalog.unnest(i.indkey::int2[]) WITH ORDINALITY"
                + " AS k(attnum, position)"
                + " JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid"
                + " AND a.attnum = k.attnum"
                + " WHERE i.indrelid = ? AND "
                + condition
                + " ORDER BY i.indexrelid, k.position")) {
      statement.setLong(1, oid);
      try (ResultSet rs = statement.executeQuery()) {
        long current = -1;
        List<String> key = null;
        while (rs.next()) {
          if (rs.getLong(1) != current) {
            current = rs.getLong(1);
            key = new ArrayList<>();
            keys.add(key);
          }
          key.add(rs.getString(2));
        }
      }
    }
    return keys;
  }

  private List<String> strings(String sql, String parameter) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      if (parameter != null) {
        statement.setString(1, parameter);
      }
      List<String> out = new ArrayList<>();
      try (ResultSet rs = statement.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
      return out;
    }
  }

  private static String list(List<String> names) {
    if (names.isEmpty()) {
      return "(none)";
    }
    if (names.size() > LISTED) {
      return String.join(", ", names.subList(0, LISTED))
          + " and "
          + (names.size() - LISTED)
          + " more";
    }
    return String.join(", ", names);
  }

  /** PostgreSQL's message, without the driver's decoration: "relation "x" does not exist". */
  static String reason(PSQLException e) {
    ServerErrorMessage server = e.getServerErrorMessage();
    if (server == null || server.getMessage() == null) {
      return e.getMessage();
    }
    String reason = server.getMessage();
    if (server.getPosition() > 0) {
      reason += " (at character " + server.getPosition() + ")";
    }
    return reason;
  }
}
