package dev.sluice.writeback.sink;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * One row to INSERT into an append mapping's table: the mapping's name and its columns with their
 * values as PostgreSQL text input (the bytes the client sent). A null value is SQL NULL. Columns
 * not named get the column's default.
 */
public record AppendRow(String mapping, List<String> columns, List<byte[]> values)
    implements WriteRecord {
  public AppendRow {
    columns = List.copyOf(columns);
    values = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(values));
    if (columns.size() != values.size()) {
      throw new IllegalArgumentException(
          columns.size() + " columns but " + values.size() + " values");
    }
  }

  /** The value of column {@code i} as UTF-8 text (null for NULL), for messages. */
  public String text(int i) {
    byte[] v = values.get(i);
    return v == null ? null : new String(v, StandardCharsets.UTF_8);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof AppendRow other)) {
      return false;
    }
    if (!mapping.equals(other.mapping) || !columns.equals(other.columns)) {
      return false;
    }
    for (int i = 0; i < values.size(); i++) {
      if (!Arrays.equals(values.get(i), other.values.get(i))) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    int h = mapping.hashCode() * 31 + columns.hashCode();
    for (byte[] v : values) {
      h = h * 31 + Arrays.hashCode(v);
    }
    return h;
  }
}
