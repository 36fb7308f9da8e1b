package dev.sluice.proxy.durable;

import dev.sluice.config.MappingConfig;
import dev.sluice.proxy.postgres.Column;
import dev.sluice.proxy.postgres.TableSchema;
import java.util.Map;

/**
 * A row mapping with {@code write: back} and its table's columns, as {@link MappedWrites} writes it
 * back; {@code keySlots} are the key template's placeholders in key-column order.
 */
record RowTarget(
    MappingConfig mapping, TableSchema table, Map<String, Column> columns, int[] keySlots) {
  String name() {
    return mapping.name();
  }

  boolean isKeyColumn(String column) {
    return mapping.keyColumns().contains(column);
  }
}
