package dev.sluice.proxy.postgres;

import dev.sluice.config.MappingConfig;
import java.util.Map;
import java.util.Optional;

/**
 * The database side of each mapping, as checked at start-up: the {@link TableSchema} of every row
 * and append mapping and the {@link QuerySchema} of every query mapping (kv mappings use {@code
 * sluice.kv} and have neither). Immutable; built by {@link CatalogValidator}.
 */
public final class MappingCatalog {
  private final Map<String, TableSchema> tables;
  private final Map<String, QuerySchema> queries;
  private final Map<String, TableSchema> dependencies;

  MappingCatalog(
      Map<String, TableSchema> tables,
      Map<String, QuerySchema> queries,
      Map<String, TableSchema> dependencies) {
    this.tables = Map.copyOf(tables);
    this.queries = Map.copyOf(queries);
    this.dependencies = Map.copyOf(dependencies);
  }

  static MappingCatalog empty() {
    return new MappingCatalog(Map.of(), Map.of(), Map.of());
  }

  /** The table of a row or append mapping. */
  public Optional<TableSchema> table(MappingConfig mapping) {
    return Optional.ofNullable(tables.get(mapping.name()));
  }

  /** The described SQL of a query mapping. */
  public Optional<QuerySchema> query(MappingConfig mapping) {
    return Optional.ofNullable(queries.get(mapping.name()));
  }

  /**
   * The tables named by query mappings' {@code depends-on}, by the text written there (so {@code
   * products} and {@code public.products} may both appear, resolving to one table).
   */
  public Map<String, TableSchema> dependencies() {
    return dependencies;
  }

  /** Table schemas by mapping name. */
  public Map<String, TableSchema> tables() {
    return tables;
  }
}
