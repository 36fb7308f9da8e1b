package dev.sluice.writeback.sink;

import java.util.List;

/**
 * DEL of a key of a row mapping with {@code on-delete: delete}: the row whose key columns have
 * these values (text, from the Redis key, in the mapping's key-column order) is deleted.
 */
public record RowDelete(String mapping, List<String> keyValues) implements WriteRecord {
  public RowDelete {
    keyValues = List.copyOf(keyValues);
  }
}
