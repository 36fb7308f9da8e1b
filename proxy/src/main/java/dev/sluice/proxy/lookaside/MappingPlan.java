package dev.sluice.proxy.lookaside;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.config.KeyTemplate;
import dev.sluice.config.MappingConfig;
import dev.sluice.proxy.postgres.Column;
import dev.sluice.proxy.postgres.MappingCatalog;
import dev.sluice.proxy.postgres.QuerySchema;
import dev.sluice.proxy.postgres.SqlErrors;
import dev.sluice.proxy.postgres.TableSchema;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;

/**
 * The SQL of one read-through mapping and how its result becomes a Redis value.
 *
 * <p>Row mappings: {@code SELECT <columns> FROM <table> WHERE <key column> = ? AND …}, names quoted
 * from the catalog ({@link TableSchema#quote}), never from configuration text; each placeholder's
 * value bound with {@code setObject(i, text, Types.OTHER)}, so PostgreSQL converts it to the
 * column's type. Query mappings: {@link dev.sluice.config.NamedQuery#jdbcSql()} with the key's
 * placeholder values bound the same way, in a read-only transaction.
 *
 * <p>Shapes: {@code hash} — columns as fields in PostgreSQL's text form, NULL columns absent;
 * {@code json} — a row as a JSON object (numbers, booleans, json/jsonb as JSON, NULL as null, the
 * rest as strings), a query's result as an array of such objects; {@code zset} — member and score
 * columns; {@code list} and {@code set} — the member column (or the only column). A missing row, or
 * an empty query result, is absent (null).
 */
final class MappingPlan {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String KV_SELECT =
      "SELECT type, value, expire_at FROM sluice.kv WHERE key = ?";
  private static final int BOOL = 16;
  private static final int JSON_OID = 114;
  private static final int JSONB_OID = 3802;

  final int index;
  final MappingConfig mapping;
  private final String sql;

  /** Row mappings: every row ({@code SELECT <columns> FROM <table>}), for WARM; else null. */
  private final String selectAll;

  /** Row mappings: per placeholder of the key template, the 1-based position of its column. */
  private final int[] keyColumnPositions;

  /** Per ? of {@link #sql}: the placeholder index of the key template that gives its value. */
  private final int[] parameterSlots;

  /** Per ? : the column (row) or parameter (query) it fills, for messages. */
  private final String[] parameterNames;

  private final String[] parameterTypes;
  private final List<Column> columns;
  private final int memberColumn;
  private final int scoreColumn;

  MappingPlan(int index, MappingConfig mapping, MappingCatalog catalog) {
    this.index = index;
    this.mapping = mapping;
    KeyTemplate keys = mapping.keys();
    if (mapping.kind() == MappingConfig.Kind.KV) {
      // every kv mapping keeps its keys in sluice.kv, one row per Redis key
      this.columns = List.of();
      this.sql = KV_SELECT;
      this.selectAll = null;
      this.keyColumnPositions = new int[0];
      this.parameterSlots = new int[0];
      this.parameterNames = new String[0];
      this.parameterTypes = new String[0];
      this.memberColumn = -1;
      this.scoreColumn = -1;
    } else if (mapping.kind() == MappingConfig.Kind.ROW) {
      TableSchema table =
          catalog
              .table(mapping)
              .orElseThrow(() -> new IllegalStateException("no catalog entry for " + mapping));
      this.columns = table.columns();
      StringBuilder select = new StringBuilder("SELECT ");
      for (int i = 0; i < columns.size(); i++) {
        select.append(i == 0 ? "" : ", ").append(TableSchema.quote(columns.get(i).name()));
      }
      select.append(" FROM ").append(table.qualifiedName());
      this.selectAll = select.toString();
      select.append(" WHERE ");
      int n = mapping.keyColumns().size();
      keyColumnPositions = new int[keys.placeholders().size()];
      parameterSlots = new int[n];
      parameterNames = new String[n];
      parameterTypes = new String[n];
      for (int i = 0; i < n; i++) {
        Column column = column(table, mapping.keyColumns().get(i));
        select
            .append(i == 0 ? "" : " AND ")
            .append(TableSchema.quote(column.name()))
            .append(" = ?");
        parameterSlots[i] = keys.placeholders().indexOf(mapping.keyColumns().get(i));
        keyColumnPositions[parameterSlots[i]] = columns.indexOf(column) + 1;
        parameterNames[i] = "column " + column.name();
        parameterTypes[i] = column.type();
      }
      this.sql = select.toString();
      this.memberColumn = -1;
      this.scoreColumn = -1;
    } else {
      QuerySchema query =
          catalog
              .query(mapping)
              .orElseThrow(() -> new IllegalStateException("no catalog entry for " + mapping));
      this.columns = query.columns();
      this.sql = mapping.query().jdbcSql();
      this.selectAll = null;
      this.keyColumnPositions = new int[0];
      List<String> parameters = mapping.query().parameters();
      parameterSlots = new int[parameters.size()];
      parameterNames = new String[parameters.size()];
      parameterTypes = new String[parameters.size()];
      for (int i = 0; i < parameters.size(); i++) {
        parameterSlots[i] = keys.placeholders().indexOf(parameters.get(i));
        parameterNames[i] = "parameter :" + parameters.get(i);
        parameterTypes[i] =
            i < query.parameterTypes().size() ? query.parameterTypes().get(i) : "unknown";
      }
      this.memberColumn =
          mapping.memberColumn() == null ? 0 : indexOf(columns, mapping.memberColumn());
      this.scoreColumn =
          mapping.scoreColumn() == null ? -1 : indexOf(columns, mapping.scoreColumn());
    }
  }

  private static Column column(TableSchema table, String name) {
    return table
        .column(name)
        .or(() -> table.columns().stream().filter(c -> c.name().equalsIgnoreCase(name)).findFirst())
        .orElseThrow(
            () -> new IllegalStateException("no column " + name + " in " + table.displayName()));
  }

  private static int indexOf(List<Column> columns, String name) {
    for (int i = 0; i < columns.size(); i++) {
      if (columns.get(i).name().equals(name)) {
        return i;
      }
    }
    for (int i = 0; i < columns.size(); i++) {
      if (columns.get(i).name().equalsIgnoreCase(name)) {
        return i;
      }
    }
    throw new IllegalStateException("no result column " + name);
  }

  boolean isQuery() {
    return mapping.kind() == MappingConfig.Kind.QUERY;
  }

  long ttlMillis() {
    return mapping.ttl().toMillis();
  }

  long negativeTtlMillis() {
    return mapping.negativeTtl().toMillis();
  }

  /**
   * Runs the mapping's SQL for {@code key} on {@code connection} and shapes the result.
   *
   * @return the value, or null when there is no row (or the query returned none)
   * @throws KeyMismatchException when a placeholder's value does not fit its column or parameter
   */
  LoadedValue fetch(Connection connection, byte[] key) throws SQLException {
    if (mapping.kind() == MappingConfig.Kind.KV) {
      try (PreparedStatement statement = connection.prepareStatement(sql)) {
        statement.setBytes(1, key);
        try (ResultSet rs = statement.executeQuery()) {
          if (!rs.next()) {
            return null;
          }
          java.sql.Timestamp expireAt = rs.getTimestamp(3);
          return new LoadedValue.Kv(
              rs.getString(1), rs.getBytes(2), expireAt == null ? 0 : expireAt.getTime());
        }
      }
    }
    KeyTemplate.Match match = mapping.keys().match(key);
    if (match == null) {
      throw new IllegalStateException("key does not belong to " + mapping.name());
    }
    String[] values = new String[parameterSlots.length];
    for (int i = 0; i < values.length; i++) {
      String value;
      try {
        value = match.value(parameterSlots[i]);
      } catch (KeyTemplate.MalformedKeyException e) {
        throw new KeyMismatchException(
            "ERR mapping '"
                + mapping.name()
                + "': key '"
                + printable(key)
                + "' does not fit "
                + parameterNames[i]
                + ": its value is not valid UTF-8");
      }
      if (value.indexOf('\0') >= 0) {
        return null; // PostgreSQL text cannot hold NUL: no row can have this key
      }
      values[i] = value;
    }
    if (isQuery()) {
      boolean autoCommit = connection.getAutoCommit();
      connection.setAutoCommit(false);
      connection.setReadOnly(true);
      try {
        LoadedValue value = run(connection, key, values);
        connection.commit();
        return value;
      } finally {
        if (!connection.getAutoCommit()) {
          connection.rollback();
        }
        connection.setReadOnly(false);
        connection.setAutoCommit(autoCommit);
      }
    }
    return run(connection, key, values);
  }

  private LoadedValue run(Connection connection, byte[] key, String[] values) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      for (int i = 0; i < values.length; i++) {
        statement.setObject(i + 1, values[i], Types.OTHER);
      }
      ResultSet rs;
      try {
        rs = statement.executeQuery();
      } catch (SQLException e) {
        if (SqlErrors.isDataError(e)) {
          throw mismatch(key, values, e);
        }
        throw e;
      }
      try (rs) {
        return isQuery() ? shapeRows(rs) : shapeRow(rs);
      }
    }
  }

  private KeyMismatchException mismatch(byte[] key, String[] values, SQLException e) {
    String detail = SqlErrors.reason(e);
    // name the column whose value the message quotes, else the only one
    int which = values.length == 1 ? 0 : -1;
    for (int i = 0; i < values.length && which < 0; i++) {
      if (detail.contains("\"" + values[i] + "\"")) {
        which = i;
      }
    }
    String target =
        which < 0 ? "its columns" : parameterNames[which] + " (" + parameterTypes[which] + ")";
    return new KeyMismatchException(
        "ERR mapping '"
            + mapping.name()
            + "': key '"
            + printable(key)
            + "' does not fit "
            + target
            + ": "
            + detail);
  }

  /** The key for messages: control characters escaped, at most 200 characters. */
  static String printable(byte[] key) {
    String text = new String(key, StandardCharsets.UTF_8);
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < text.length() && out.length() < 200; i++) {
      char c = text.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        out.append(String.format("\\x%02x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private LoadedValue shapeRow(ResultSet rs) throws SQLException {
    return rs.next() ? shapeCurrentRow(rs) : null;
  }

  /** The value of the row {@code rs} stands on (row mappings). */
  LoadedValue shapeCurrentRow(ResultSet rs) throws SQLException {
    ResultSetMetaData meta = rs.getMetaData();
    if (mapping.shape() == MappingConfig.Shape.JSON) {
      return new LoadedValue.Text(jsonBytes(rowObject(rs, meta)));
    }
    List<byte[]> fields = new ArrayList<>();
    List<byte[]> values = new ArrayList<>();
    for (int i = 1; i <= meta.getColumnCount(); i++) {
      String value = rs.getString(i);
      if (value != null) {
        fields.add(meta.getColumnLabel(i).getBytes(StandardCharsets.UTF_8));
        values.add(value.getBytes(StandardCharsets.UTF_8));
      }
    }
    return new LoadedValue.Hash(fields, values);
  }

  private LoadedValue shapeRows(ResultSet rs) throws SQLException {
    ResultSetMetaData meta = rs.getMetaData();
    switch (mapping.shape()) {
      case ZSET -> {
        List<byte[]> members = new ArrayList<>();
        List<Double> scores = new ArrayList<>();
        while (rs.next()) {
          String member = rs.getString(memberColumn + 1);
          double score = rs.getDouble(scoreColumn + 1);
          if (member != null && !rs.wasNull()) {
            members.add(member.getBytes(StandardCharsets.UTF_8));
            scores.add(score);
          }
        }
        if (members.isEmpty()) {
          return null;
        }
        return new LoadedValue.SortedSet(
            members, scores.stream().mapToDouble(Double::doubleValue).toArray());
      }
      case LIST, SET -> {
        List<byte[]> members = new ArrayList<>();
        while (rs.next()) {
          String member = rs.getString(memberColumn + 1);
          if (member != null) {
            members.add(member.getBytes(StandardCharsets.UTF_8));
          }
        }
        if (members.isEmpty()) {
          return null;
        }
        return mapping.shape() == MappingConfig.Shape.LIST
            ? new LoadedValue.ListValue(members)
            : new LoadedValue.SetValue(members);
      }
      default -> {
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        while (rs.next()) {
          array.add(rowObject(rs, meta));
        }
        return array.isEmpty() ? null : new LoadedValue.Text(jsonBytes(array));
      }
    }
  }

  private ObjectNode rowObject(ResultSet rs, ResultSetMetaData meta) throws SQLException {
    ObjectNode row = JsonNodeFactory.instance.objectNode();
    for (int i = 1; i <= meta.getColumnCount(); i++) {
      String name = meta.getColumnLabel(i);
      int oid = i - 1 < columns.size() ? columns.get(i - 1).typeOid() : 0;
      String text = rs.getString(i);
      if (text == null) {
        row.putNull(name);
        continue;
      }
      switch (oid) {
        case Column.INT2, Column.INT4, Column.INT8 -> row.put(name, rs.getLong(i));
        case Column.NUMERIC -> row.put(name, new BigDecimal(text));
        case Column.FLOAT4, Column.FLOAT8 -> {
          double d = rs.getDouble(i);
          if (Double.isFinite(d)) {
            row.put(name, d);
          } else {
            row.put(name, text);
          }
        }
        case BOOL -> row.put(name, rs.getBoolean(i));
        case JSON_OID, JSONB_OID -> row.set(name, parse(text));
        default -> row.put(name, text);
      }
    }
    return row;
  }

  private static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      return JsonNodeFactory.instance.textNode(json);
    }
  }

  private static byte[] jsonBytes(JsonNode node) {
    try {
      return JSON.writeValueAsBytes(node);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Row mappings: the SQL that reads every row, for WARM. */
  String selectAll() {
    return selectAll;
  }

  /**
   * The key of the row {@code rs} stands on (row mappings), or null when its key values cannot form
   * a key of the template (empty, or containing a separator).
   */
  byte[] keyOf(ResultSet rs) throws SQLException {
    List<String> values = new ArrayList<>(keyColumnPositions.length);
    for (int position : keyColumnPositions) {
      values.add(rs.getString(position));
    }
    try {
      return mapping.keys().expand(values).getBytes(StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
