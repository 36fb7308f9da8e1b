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
 * {@code DELETE} of the deleted keys, then per set of columns one multi-row {@code INSERT … VALUES
 * (…), (…) ON CONFLICT (key columns) DO UPDATE SET} each column {@code = EXCLUDED.}column (chunks
 * of at most 32,000 parameters). Deletes before inserts keeps each key's order; different keys are
 * different rows, so their relative order does not matter. A thousand HSETs of one key in a batch
 * are one row of one statement.
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
      sql.append(i == 0 ? "" : " AND ").append(table.keyColumns().get(i)).append(" = ?");
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

  private static String sql(PostgresSink.RowTable table, List<String> columns, int rows) {
    StringBuilder sql = new StringBuilder("INSERT INTO ").append(table.table()).append(" (");
    String keyList = String.join(", ", table.keyColumns());
    sql.append(keyList);
    for (String column : columns) {
      sql.append(", ").append(PostgresSink.quote(column));
    }
    sql.append(") VALUES ");
    int perRow = table.keyColumns().size() + columns.size();
    for (int r = 0; r < rows; r++) {
      sql.append(r == 0 ? "(" : ", (");
      for (int i = 0; i < perRow; i++) {
        sql.append(i == 0 ? "?" : ", ?");
      }
      sql.append(')');
    }
    sql.append(" ON CONFLICT (").append(keyList).append(") DO ");
    if (columns.isEmpty()) {
      return sql.append("NOTHING").toString();
    }
    sql.append("UPDATE SET ");
    for (int i = 0; i < columns.size(); i++) {
      String q = PostgresSink.quote(columns.get(i));
      sql.append(i == 0 ? "" : ", ").append(q).append(" = EXCLUDED.").append(q);
    }
    return sql.toString();
  }
}
