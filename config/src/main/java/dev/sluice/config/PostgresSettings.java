package dev.sluice.config;

import static dev.sluice.config.ValueParsers.duration;
import static dev.sluice.config.ValueParsers.integer;
import static dev.sluice.config.ValueParsers.string;

import java.time.Duration;

/**
 * The PostgreSQL settings (postgres.*): the database behind mapped keys, embedded when none is
 * configured.
 */
public final class PostgresSettings {
  private PostgresSettings() {}

  // PostgreSQL. Used only when the configuration has mappings: a plain-Redis configuration never
  // connects to a database.

  public static final Setting<String> POSTGRES_URL =
      new Setting<>(
          "postgres.url",
          ValueParsers.postgresUrl(),
          "embedded",
          false,
          "The database: 'embedded' runs a PostgreSQL inside Sluice (data in postgres.data-dir);"
              + " otherwise a JDBC URL such as jdbc:postgresql://db:5432/app.");

  public static final Setting<String> POSTGRES_USER =
      new Setting<>(
          "postgres.user",
          ValueParsers.nonEmpty("a user name"),
          "postgres",
          false,
          "User Sluice connects as.");

  public static final Setting<String> POSTGRES_PASSWORD =
      new Setting<>(
          "postgres.password",
          string(),
          "postgres",
          false,
          "Password of postgres.user (the embedded server has its own, kept in"
              + " <postgres.data-dir>/sluice.pgpass).");

  public static final Setting<Integer> POSTGRES_POOL_SIZE =
      new Setting<>(
          "postgres.pool-size",
          integer(1, 200),
          "8",
          false,
          "Most connections Sluice holds open to PostgreSQL at once.");

  public static final Setting<Duration> POSTGRES_CONNECT_TIMEOUT =
      new Setting<>(
          "postgres.connect-timeout",
          duration(Duration.ofMillis(250), Duration.ofMinutes(10)),
          "5s",
          false,
          "How long to wait for a new connection, or for a free one from the pool.");

  public static final Setting<Duration> POSTGRES_QUERY_TIMEOUT =
      new Setting<>(
          "postgres.query-timeout",
          duration(Duration.ofMillis(1), Duration.ofHours(1)),
          "2s",
          false,
          "Longest a query may run (statement_timeout of Sluice's connections).");

  public static final Setting<Integer> POSTGRES_MAX_QUEUED_LOADS =
      new Setting<>(
          "postgres.max-queued-loads",
          integer(1, 1_000_000),
          "1000",
          false,
          "Look-aside loads that may wait for one of the postgres.pool-size running ones; a miss"
              + " beyond that is answered at once with 'ERR PostgreSQL is busy for mapping ...'.");

  public static final Setting<String> POSTGRES_DATA_DIR =
      new Setting<>(
          "postgres.data-dir",
          ValueParsers.nonEmpty("a directory"),
          "./data/postgres",
          false,
          "Where the embedded PostgreSQL keeps its data between runs.");

  public static final Setting<Integer> POSTGRES_PORT =
      new Setting<>(
          "postgres.port",
          integer(0, 65535),
          "0",
          false,
          "TCP port of the embedded PostgreSQL (localhost only); 0 picks a free port.");
}
