package dev.sluice.proxy.lookaside;

import dev.sluice.config.MappingConfig;
import dev.sluice.proxy.postgres.MappingCatalog;
import dev.sluice.proxy.postgres.TableSchema;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Installs the triggers that make PostgreSQL announce changes on channel {@code sluice_invalidate},
 * calling {@code sluice.notify_invalidate()} (migration V2):
 *
 * <ul>
 *   <li>row mappings: {@code sluice_invalidate_<mapping>}, AFTER INSERT OR UPDATE OR DELETE FOR
 *       EACH ROW with the mapping's name and key columns as arguments (the payload names the
 *       changed keys), and {@code sluice_invalidate_<mapping>_truncate}, AFTER TRUNCATE FOR EACH
 *       STATEMENT (drops every key of the mapping);
 *   <li>query mappings: on each {@code depends-on} table, {@code sluice_invalidate_<mapping>},
 *       AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE FOR EACH STATEMENT (drops every key).
 * </ul>
 *
 * Table and column names come from the catalog and are quoted as identifiers; the arguments are
 * string literals with quotes doubled. {@code CREATE OR REPLACE TRIGGER} makes this idempotent.
 */
final class TriggerInstaller {
  private final DataSource dataSource;
  private final MappingCatalog catalog;

  TriggerInstaller(DataSource dataSource, MappingCatalog catalog) {
    this.dataSource = dataSource;
    this.catalog = catalog;
  }

  /** Whether {@code mapping} can have invalidation triggers. */
  static boolean supports(MappingConfig mapping) {
    return mapping.kind() == MappingConfig.Kind.ROW
        || (mapping.kind() == MappingConfig.Kind.QUERY && !mapping.dependsOn().isEmpty());
  }

  /**
   * Installs (or replaces) the triggers of {@code mapping} in one transaction.
   *
   * @return what was installed, e.g. "sluice_invalidate_users on public.users"
   */
  String install(MappingConfig mapping) throws SQLException {
    Map<String, String> statements = statements(mapping);
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      try (Statement statement = connection.createStatement()) {
        for (String sql : statements.values()) {
          statement.execute(sql);
        }
        connection.commit();
      } catch (SQLException e) {
        connection.rollback();
        throw e;
      } finally {
        connection.setAutoCommit(true);
      }
    }
    return String.join(", ", statements.keySet());
  }

  /** The statements, keyed by "trigger on table" for the reply. */
  Map<String, String> statements(MappingConfig mapping) {
    Map<String, String> out = new LinkedHashMap<>();
    String trigger = "sluice_invalidate_" + mapping.name();
    if (mapping.kind() == MappingConfig.Kind.ROW) {
      TableSchema table =
          catalog
              .table(mapping)
              .orElseThrow(() -> new IllegalArgumentException("no table for " + mapping.name()));
      List<String> arguments = new ArrayList<>();
      arguments.add(mapping.name());
      for (String keyColumn : mapping.keyColumns()) {
        arguments.add(
            table
                .column(keyColumn)
                .or(
                    () ->
                        table.columns().stream()
                            .filter(c -> c.name().equalsIgnoreCase(keyColumn))
                            .findFirst())
                .orElseThrow()
                .name());
      }
      out.put(
          trigger + " on " + table.displayName(),
          create(trigger, "INSERT OR UPDATE OR DELETE", table, "ROW", arguments));
      out.put(
          trigger + "_truncate on " + table.displayName(),
          create(trigger + "_truncate", "TRUNCATE", table, "STATEMENT", List.of(mapping.name())));
    } else {
      for (String dependency : mapping.dependsOn()) {
        TableSchema table = catalog.dependencies().get(dependency);
        if (table == null) {
          throw new IllegalArgumentException("no table " + dependency + " in the catalog");
        }
        out.put(
            trigger + " on " + table.displayName(),
            create(
                trigger,
                "INSERT OR UPDATE OR DELETE OR TRUNCATE",
                table,
                "STATEMENT",
                List.of(mapping.name())));
      }
    }
    return out;
  }

  private static String create(
      String trigger, String events, TableSchema table, String level, List<String> arguments) {
    StringBuilder sql =
        new StringBuilder("CREATE OR REPLACE TRIGGER ")
            .append(TableSchema.quote(trigger))
            .append(" AFTER ")
            .append(events)
            .append(" ON ")
            .append(table.qualifiedName())
            .append(" FOR EACH ")
            .append(level)
            .append(" EXECUTE FUNCTION sluice.notify_invalidate(");
    for (int i = 0; i < arguments.size(); i++) {
      sql.append(i == 0 ? "" : ", ").append(literal(arguments.get(i)));
    }
    return sql.append(')').toString();
  }

  /** A string literal with standard_conforming_strings: quotes doubled. */
  static String literal(String value) {
    return "'" + value.replace("'", "''") + "'";
  }
}
