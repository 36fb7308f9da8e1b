package dev.sluice.proxy.postgres;

import java.util.List;
import java.util.Optional;

/**
 * What PostgreSQL said about a query mapping's SQL when it was described (prepared, not run) at
 * start-up. Immutable.
 *
 * @param columns the result's columns, in order
 * @param parameterTypes the type PostgreSQL inferred for each {@code ?} of {@link
 *     dev.sluice.config.NamedQuery#jdbcSql()}, in order
 */
public record QuerySchema(List<Column> columns, List<String> parameterTypes) {
  public QuerySchema {
    columns = List.copyOf(columns);
    parameterTypes = List.copyOf(parameterTypes);
  }

  public Optional<Column> column(String name) {
    return columns.stream().filter(c -> c.name().equals(name)).findFirst();
  }

  public List<String> columnNames() {
    return columns.stream().map(Column::name).toList();
  }
}
