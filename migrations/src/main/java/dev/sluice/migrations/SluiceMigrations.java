package dev.sluice.migrations;

import java.util.List;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.output.MigrateOutput;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates and upgrades Sluice's own schema {@code sluice} with the Flyway migrations in {@code
 * db/migration/sluice} (on the classpath; {@code V<n>__<description>.sql}).
 *
 * <p>Everything stays inside schema {@code sluice}: Flyway creates it when missing, keeps its
 * history in {@code sluice.flyway_schema_history}, and is never allowed to clean. Other schemas,
 * the application's tables among them, are not touched. Migrating an up-to-date schema does
 * nothing, so this runs at every start-up; concurrent runs from several Sluice processes are
 * serialised by Flyway's advisory lock.
 *
 * <p>The {@link DataSource} should not impose a short {@code statement_timeout}: a migration may
 * take longer than a cache query.
 */
public final class SluiceMigrations {
  /** The schema that holds everything Sluice keeps in PostgreSQL. */
  public static final String SCHEMA = "sluice";

  /** Flyway's history table, in {@link #SCHEMA}. */
  public static final String HISTORY_TABLE = "flyway_schema_history";

  static final String LOCATION = "classpath:db/migration/sluice";

  private static final Logger log = LoggerFactory.getLogger(SluiceMigrations.class);

  private SluiceMigrations() {}

  /** What one run did. */
  public record Result(String initialVersion, String targetVersion, List<Applied> applied) {
    public Result {
      applied = List.copyOf(applied);
    }

    /** Whether the run changed nothing because the schema was up to date. */
    public boolean upToDate() {
      return applied.isEmpty();
    }
  }

  /** One migration a run applied: its version ("1"), description and time taken. */
  public record Applied(String version, String description, long millis) {}

  /**
   * Applies every pending migration.
   *
   * @return what was applied (nothing when the schema was up to date)
   * @throws MigrationException naming the migration and PostgreSQL's reason, when one fails (its
   *     transaction is rolled back; the schema stays at the last version that succeeded)
   */
  public static Result migrate(DataSource dataSource) {
    Flyway flyway = flyway(dataSource);
    MigrationInfo current = flyway.info().current();
    String before = current == null ? null : current.getVersion().getVersion();
    int pending = flyway.info().pending().length;
    if (pending > 0) {
      log.info(
          "Migrating schema {} from {} ({} pending)",
          SCHEMA,
          before == null ? "an empty database" : "version " + before,
          pending);
    }
    MigrateResult result;
    try {
      result = flyway.migrate();
    } catch (FlywayException e) {
      throw new MigrationException("migrating schema " + SCHEMA + " failed: " + e.getMessage(), e);
    }
    List<Applied> applied =
        result.migrations.stream()
            .filter(m -> m.version != null && !m.version.isEmpty())
            .map(SluiceMigrations::applied)
            .toList();
    for (Applied migration : applied) {
      log.info(
          "Applied V{} {} to schema {} in {} ms",
          migration.version(),
          migration.description(),
          SCHEMA,
          migration.millis());
    }
    String after = result.targetSchemaVersion != null ? result.targetSchemaVersion : before;
    if (applied.isEmpty()) {
      log.info("Schema {} is up to date at version {}", SCHEMA, after);
    }
    return new Result(before, after, applied);
  }

  /** The version the database is at, or null for a database Sluice never migrated. */
  public static String currentVersion(DataSource dataSource) {
    MigrationInfo current = flyway(dataSource).info().current();
    return current == null ? null : current.getVersion().getVersion();
  }

  private static Applied applied(MigrateOutput output) {
    return new Applied(output.version, output.description, output.executionTime);
  }

  private static Flyway flyway(DataSource dataSource) {
    return Flyway.configure(SluiceMigrations.class.getClassLoader())
        .dataSource(dataSource)
        .schemas(SCHEMA)
        .defaultSchema(SCHEMA)
        .createSchemas(true)
        .table(HISTORY_TABLE)
        .locations(LOCATION)
        .cleanDisabled(true)
        .baselineOnMigrate(false)
        .validateOnMigrate(true)
        .load();
  }

  /** A migration that could not be applied. */
  public static final class MigrationException extends RuntimeException {
    public MigrationException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
