package dev.sluice.writeback.sink;

import java.util.List;

/**
 * Changed columns of one row of a {@code write: back} row mapping: the row is found by its key
 * columns' values (text, from the Redis key), the named columns get the values (PostgreSQL text
 * input; null is SQL NULL). Written as {@code INSERT … ON CONFLICT (key columns) DO UPDATE SET} the
 * named columns, so columns not named keep their value (or get their default in a new row).
 */
public record RowUpsert(
    String mapping, List<String> keyValues, List<String> columns, List<byte[]> values)
    implements WriteRecord {
  public RowUpsert {
    keyValues = List.copyOf(keyValues);
    columns = List.copyOf(columns);
    values = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(values));
    if (columns.size() != values.size()) {
      throw new IllegalArgumentException(
          columns.size() + " columns but " + values.size() + " values");
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RowUpsert other
        && mapping.equals(other.mapping)
        && keyValues.equals(other.keyValues)
        && columns.equals(other.columns)
        && ByteValues.equal(values, other.values);
  }

  @Override
  public int hashCode() {
    return ByteValues.hash(
        (mapping.hashCode() * 31 + keyValues.hashCode()) * 31 + columns.hashCode(), values);
  }
}
