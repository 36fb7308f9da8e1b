package dev.sluice.writeback.sink;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;

/** An append mapping's rows of one batch, written by COPY, as {@link PostgresSink} commits them. */
final class AppendWrites {
  private AppendWrites() {}

  /**
   * One {@code COPY table (columns) FROM STDIN} in text format ({@link CopyText}) per mapping and
   * column list, in the batch's order; counts each COPY in {@code statements}.
   */
  static void write(
      Connection c,
      Map<String, String> tables,
      List<PostgresSink.Entry> batch,
      AtomicLong statements)
      throws SQLException {
    Map<String, List<AppendRow>> groups = new LinkedHashMap<>();
    AppendRow previous = null;
    List<AppendRow> current = null;
    for (PostgresSink.Entry e : batch) {
      if (!(e.record() instanceof AppendRow row)) {
        throw new SQLException(
            "journal holds a "
                + e.record().getClass().getSimpleName()
                + " of mapping '"
                + e.record().mapping()
                + "', which is not configured for it",
            "22023");
      }
      // consecutive rows usually name the same columns (often the very same list): no key needed
      if (previous == null
          || !(row.columns() == previous.columns() || row.columns().equals(previous.columns()))
          || !row.mapping().equals(previous.mapping())) {
        String key = row.mapping() + '\0' + String.join("\0", row.columns());
        current = groups.computeIfAbsent(key, k -> new ArrayList<>());
      }
      current.add(row);
      previous = row;
    }
    CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
    for (List<AppendRow> group : groups.values()) {
      AppendRow first = group.get(0);
      String table = tables.get(first.mapping());
      if (table == null) {
        throw new SQLException(
            "journal holds rows of mapping '" + first.mapping() + "', not configured", "22023");
      }
      StringBuilder sql = new StringBuilder("COPY ").append(table).append(" (");
      for (int i = 0; i < first.columns().size(); i++) {
        sql.append(i == 0 ? "" : ", ").append(PostgresSink.quote(first.columns().get(i)));
      }
      sql.append(") FROM STDIN");
      CopyIn in = copy.copyIn(sql.toString());
      try {
        CopyText text = new CopyText();
        for (AppendRow row : group) {
          text.appendRow(row.values());
          if (text.full()) {
            in.writeToCopy(text.bytes(), 0, text.size());
            text.clear();
          }
        }
        in.writeToCopy(text.bytes(), 0, text.size());
        in.endCopy();
        statements.incrementAndGet();
      } catch (SQLException | RuntimeException e) {
        if (in.isActive()) {
          try {
            in.cancelCopy(); // so the connection is usable for the rollback
          } catch (SQLException cancel) {
            e.addSuppressed(cancel);
          }
        }
        throw e;
      }
    }
  }
}
