package dev.sluice.writeback.sink;

import java.nio.charset.StandardCharsets;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.RandomAccess;

/**
 * One row to INSERT into an append mapping's table: the mapping's name and its columns with their
 * values as PostgreSQL text input (the bytes the client sent). A null value is SQL NULL. Columns
 * not named get the column's default.
 */
public record AppendRow(String mapping, List<String> columns, List<byte[]> values)
    implements WriteRecord {
  public AppendRow {
    columns = List.copyOf(columns);
    values = values instanceof Values owned ? owned : new Values(values.toArray(new byte[0][]));
    if (columns.size() != values.size()) {
      throw new IllegalArgumentException(
          columns.size() + " columns but " + values.size() + " values");
    }
  }

  /**
   * A row that takes {@code values} over instead of copying them, for the XADD path, where rows
   * arrive at a million a second: the caller must not change the array afterwards.
   */
  public static AppendRow owning(String mapping, List<String> columns, byte[][] values) {
    return new AppendRow(mapping, columns, new Values(values));
  }

  /** The values, read-only (the arrays themselves are never changed after decoding). */
  private static final class Values extends AbstractList<byte[]> implements RandomAccess {
    private final byte[][] values;

    Values(byte[][] values) {
      this.values = values;
    }

    @Override
    public byte[] get(int index) {
      return values[index];
    }

    @Override
    public int size() {
      return values.length;
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
