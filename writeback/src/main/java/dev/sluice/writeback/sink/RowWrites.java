package dev.sluice.writeback.sink;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes one batch of a row mapping's {@link RowUpsert}s and {@link RowDelete}s (LSN order) inside
 * the caller's transaction, coalesced by key.
 *
 * <p>Per key, the batch's records fold into one outcome: upserts merge (a column written twice
 * keeps its last value) and a delete discards what was merged before it. So a key ends as "upsert
 * these columns", "delete", or "delete, then upsert these columns" (DEL then HSET: the new row
 * starts from the table's defaults, not from the deleted row). The batch then runs as: one batched
 * {@code DELETE} of the deleted keys, then per set of columns one multi-row statement that UPDATEs
 * the rows that exist and INSERTs the others ({@code INSERT … ON CONFLICT (key columns) DO UPDATE},
 * see {@link #sql}; chunks of at most 32,000 parameters). Deletes before inserts keeps each key's
 * order; different keys are different rows, so their relative order does not matter. A thousand
 * HSETs of one key in a batch are one row of one statement.
 */
final class RowWrites {
  private static final int MAX_PARAMETERS = 32_000;

  private RowWrites() {}

  private static final class Outcome {
    boolean deleted;
    LinkedHashMap<String, byte[]> set;
  }

  static void write(
      Connection c,
      PostgresSink.RowTable table,
      List<PostgresSink.Entry> batch,
      AtomicLong statements)
      throws SQLException {
    Map<List<String>, Outcome> byKey = new LinkedHashMap<>();
    for (PostgresSink.Entry e : batch) {
      if (e.record() instanceof RowUpsert u) {
        Outcome o = byKey.computeIfAbsent(u.keyValues(), k -> new Outcome());
        if (o.set == null) {
          o.set = new LinkedHashMap<>();
        }
        for (int i = 0; i < u.columns().size(); i++) {
          o.set.put(u.columns().get(i), u.values().get(i));
        }
      } else if (e.record() instanceof RowDelete d) {
        Outcome o = byKey.computeIfAbsent(d.keyValues(), k -> new Outcome());
        o.deleted = true;
        o.set = null;
      } else {
        throw new SQLException(
            "journal holds a "
                + e.record().getClass().getSimpleName()
                + " for row mapping '"
                + e.record().mapping()
                + "'",
            "22023");
      }
    }
    delete(c, table, byKey, statements);
    Map<List<String>, List<Map.Entry<List<String>, Outcome>>> byColumns = new LinkedHashMap<>();
    for (Map.Entry<List<String>, Outcome> e : byKey.entrySet()) {
      if (e.getValue().set != null) {
        List<String> columns = new ArrayList<>(e.getValue().set.keySet());
        java.util.Collections.sort(columns); // HSET a b and HSET b a share one statement
        byColumns.computeIfAbsent(columns, k -> new ArrayList<>()).add(e);
      }
    }
    for (Map.Entry<List<String>, List<Map.Entry<List<String>, Outcome>>> group :
        byColumns.entrySet()) {
      upsert(c, table, group.getKey(), group.getValue(), statements);
    }
  }

  private static void delete(
      Connection c,
      PostgresSink.RowTable table,
      Map<List<String>, Outcome> byKey,
      AtomicLong statements)
      throws SQLException {
    StringBuilder sql = new StringBuilder("DELETE FROM ").append(table.table()).append(" WHERE ");
    for (int i = 0; i < table.keyColumns().size(); i++) {
      sql.append(i == 0 ? "" : " AND ")
          .append(PostgresSink.quote(table.keyColumns().get(i)))
          .append(" = ?");
    }
    PreparedStatement s = null;
    try {
      for (Map.Entry<List<String>, Outcome> e : byKey.entrySet()) {
        if (!e.getValue().deleted) {
          continue;
        }
        if (s == null) {
          s = c.prepareStatement(sql.toString());
        }
        for (int i = 0; i < e.getKey().size(); i++) {
          s.setObject(i + 1, e.getKey().get(i), Types.OTHER);
        }
        s.addBatch();
      }
      if (s != null) {
        s.executeBatch();
        statements.incrementAndGet();
      }
    } finally {
      if (s != null) {
        s.close();
      }
    }
  }

  private static void upsert(
      Connection c,
      PostgresSink.RowTable table,
      List<String> columns,
      List<Map.Entry<List<String>, Outcome>> rows,
      AtomicLong statements)
      throws SQLException {
    int keys = table.keyColumns().size();
    int perRow = keys + columns.size();
    int perStatement = Math.max(1, MAX_PARAMETERS / perRow);
    for (int from = 0; from < rows.size(); from += perStatement) {
      List<Map.Entry<List<String>, Outcome>> chunk =
          rows.subList(from, Math.min(rows.size(), from + perStatement));
      try (PreparedStatement s = c.prepareStatement(sql(table, columns, chunk.size()))) {
        int p = 1;
        for (Map.Entry<List<String>, Outcome> row : chunk) {
          for (String keyValue : row.getKey()) {
            s.setObject(p++, keyValue, Types.OTHER);
          }
          for (String column : columns) {
            byte[] value = row.getValue().set.get(column);
            if (value == null) {
              s.setNull(p++, Types.OTHER);
            } else {
              s.setObject(p++, new String(value, StandardCharsets.UTF_8), Types.OTHER);
            }
          }
        }
        s.executeUpdate();
        statements.incrementAndGet();
      }
    }
  }

  /**
   * One statement for {@code rows} keys that write the same {@code columns}: the rows that exist
   * are UPDATEd (so a table's NOT NULL columns that the write does not name stay as they are — an
   * {@code INSERT … ON CONFLICT} alone would check them on the proposed row first and refuse it),
   * the others INSERTed, with {@code ON CONFLICT DO UPDATE} for a row inserted meanwhile:
   *
   * <pre>
   * WITH v (k, c) AS (VALUES (CAST(? AS type), CAST(? AS type)), …),
   *      u AS (UPDATE table AS t SET c = v.c FROM v WHERE t.k = v.k RETURNING t.k)
   * INSERT INTO table (k, c) SELECT v.k, v.c FROM v
   *   WHERE NOT EXISTS (SELECT 1 FROM u WHERE u.k = v.k)
   * ON CONFLICT (k) DO UPDATE SET c = EXCLUDED.c
   * </pre>
   *
   * Every name is quoted; types are the catalog's.
   */
  private static String sql(PostgresSink.RowTable table, List<String> columns, int rows) {
    List<String> all = new ArrayList<>(table.keyColumns());
    all.addAll(columns);
    List<String> quoted = all.stream().map(PostgresSink::quote).toList();
    List<String> keys = table.keyColumns().stream().map(PostgresSink::quote).toList();
    StringBuilder sql = new StringBuilder("WITH v (").append(String.join(", ", quoted));
    sql.append(") AS (VALUES ");
    for (int r = 0; r < rows; r++) {
      sql.append(r == 0 ? "(" : ", (");
      for (int i = 0; i < all.size(); i++) {
        sql.append(i == 0 ? "" : ", ").append("CAST(? AS ").append(type(table, all.get(i)));
        sql.append(')');
      }
      sql.append(')');
    }
    sql.append(')');
    if (!columns.isEmpty()) {
      sql.append(", u AS (UPDATE ").append(table.table()).append(" AS t SET ");
      for (int i = 0; i < columns.size(); i++) {
        String q = quoted.get(keys.size() + i);
        sql.append(i == 0 ? "" : ", ").append(q).append(" = v.").append(q);
      }
      sql.append(" FROM v WHERE ").append(match("t", "v", keys));
      sql.append(" RETURNING ");
      for (int i = 0; i < keys.size(); i++) {
        sql.append(i == 0 ? "t." : ", t.").append(keys.get(i));
      }
      sql.append(')');
    }
    sql.append(" INSERT INTO ").append(table.table()).append(" (");
    sql.append(String.join(", ", quoted)).append(") SELECT ");
    for (int i = 0; i < quoted.size(); i++) {
      sql.append(i == 0 ? "v." : ", v.").append(quoted.get(i));
    }
    sql.append(" FROM v");
    if (!columns.isEmpty()) {
      sql.append(" WHERE NOT EXISTS (SELECT 1 FROM u WHERE ").append(match("u", "v", keys));
      sql.append(')');
    }
    sql.append(" ON CONFLICT (").append(String.join(", ", keys)).append(") DO ");
    if (columns.isEmpty()) {
      return sql.append("NOTHING").toString();
    }
    sql.append("UPDATE SET ");
    for (int i = 0; i < columns.size(); i++) {
      String q = quoted.get(keys.size() + i);
      sql.append(i == 0 ? "" : ", ").append(q).append(" = EXCLUDED.").append(q);
    }
    return sql.toString();
  }

  private static String match(String left, String right, List<String> keys) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < keys.size(); i++) {
      out.append(i == 0 ? "" : " AND ").append(left).append('.').append(keys.get(i));
      out.append(" = ").append(right).append('.').append(keys.get(i));
    }
    return out.toString();
  }

  private static String type(PostgresSink.RowTable table, String column) {
    String type = table.types().get(column);
    if (type == null) {
      throw new IllegalStateException(
          "column '" + column + "' is not a column of " + table.table() + " in the catalog");
    }
    return type;
  }
}
