package dev.sluice.proxy.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import dev.sluice.config.MappingConfig;
import dev.sluice.config.PostgresSettings;
import dev.sluice.config.SluiceConfig;
import dev.sluice.config.ValueParsers;
import dev.sluice.migrations.SluiceMigrations;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;
import org.postgresql.util.PSQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sluice's way into PostgreSQL: where the database is, the connection pool, Sluice's own schema,
 * and what each mapping's tables and queries look like.
 *
 * <p>{@link #start} does everything {@code sluice serve} needs, in this order, and stops at the
 * first step that fails with a {@link PostgresException} whose message is meant for the operator:
 *
 * <ol>
 *   <li>{@link #connect}: for {@code postgres.url: embedded}, start the {@link
 *       EmbeddedPostgresServer} in {@code postgres.data-dir} (Sluice then connects as its user
 *       {@code postgres} with its password, whatever {@code postgres.user} and {@code
 *       postgres.password} say); then open one plain connection (fails fast: {@code cannot reach
 *       PostgreSQL at <url>: <reason>}) and build the HikariCP pool;
 *   <li>{@link #migrate}: apply Sluice's migrations to schema {@code sluice};
 *   <li>optionally {@link #applyScriptIfAbsent}: create the demo's tables on its first run;
 *   <li>{@link #validate}: check every mapping against the catalog, keep the {@link
 *       MappingCatalog}.
 * </ol>
 *
 * <h2>The pool</h2>
 *
 * {@link #dataSource()} is a HikariCP pool of at most {@code postgres.pool-size} connections. A
 * caller waits at most {@code postgres.connect-timeout} for a connection. Each connection runs with
 * {@code statement_timeout = postgres.query-timeout}, so the server cancels a long query; the
 * socket times out 10 s after that, in case the server cannot answer at all. Connections announce
 * themselves as {@code application_name = sluice}. Every connection attempt of the pool is reported
 * to {@link #reachability()} ({@link ObservedDataSource}), so that "the database is gone" is known
 * from the first refused attempt rather than after each caller's wait. Bind key values as
 * parameters ({@code setObject(i, value, Types.OTHER)} lets PostgreSQL convert text to the column's
 * type), never as SQL text. A caller that needs a longer statement (a warm-up) can {@code SET LOCAL
 * statement_timeout} inside its transaction.
 *
 * <p>Migrations run on a separate, unpooled connection without that timeout; {@link
 * #unpooledDataSource()} gives such connections to others (a LISTEN connection).
 *
 * <h2>Closing</h2>
 *
 * {@link #close()} closes the pool (waiting for borrowed connections to come back), then stops the
 * embedded server if there is one. It is idempotent.
 */
public final class PostgresConnector implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PostgresConnector.class);
  private static final Pattern PASSWORD_PARAMETER =
      Pattern.compile("([?&]password=)[^&]*", Pattern.CASE_INSENSITIVE);

  private final SluiceConfig config;
  private final EmbeddedPostgresServer embedded;
  private final String url;
  private final Credentials credentials;
  private final HikariDataSource pool;
  private final PostgresReachability reachability;
  private final String serverVersion;
  private volatile MappingCatalog catalog = MappingCatalog.empty();
  private volatile boolean closed;

  private PostgresConnector(
      SluiceConfig config,
      EmbeddedPostgresServer embedded,
      String url,
      Credentials credentials,
      HikariDataSource pool,
      PostgresReachability reachability,
      String serverVersion) {
    this.config = config;
    this.embedded = embedded;
    this.url = url;
    this.credentials = credentials;
    this.pool = pool;
    this.reachability = reachability;
    this.serverVersion = serverVersion;
  }

  /**
   * Connects, migrates, optionally applies {@code schemaScript} and validates the mappings, as
   * {@code sluice serve} does before it listens. On failure everything started is closed again.
   *
   * @param schemaScript SQL that creates the mappings' tables, run only when none of the tables of
   *     the row and append mappings exists yet (the demo's first run); null for none
   * @throws PostgresException saying what failed
   */
  public static PostgresConnector start(SluiceConfig config, String schemaScript) {
    PostgresConnector connector = connect(config);
    try {
      connector.migrate();
      if (schemaScript != null) {
        connector.applyScriptIfAbsent(schemaScript, tablesOf(config.mappings()));
      }
      connector.validate(config.mappings());
      return connector;
    } catch (RuntimeException e) {
      connector.close();
      throw e;
    }
  }

  /**
   * Starts the embedded server when configured, checks that the database answers, and builds the
   * pool. Does not migrate or validate.
   *
   * @throws PostgresException when the server does not start or cannot be reached
   */
  public static PostgresConnector connect(SluiceConfig config) {
    String configuredUrl = config.get(PostgresSettings.POSTGRES_URL);
    EmbeddedPostgresServer embedded = null;
    String url = configuredUrl;
    Credentials credentials =
        new Credentials(
            config.get(PostgresSettings.POSTGRES_USER),
            config.get(PostgresSettings.POSTGRES_PASSWORD));
    if (configuredUrl.equals("embedded")) {
      embedded =
          EmbeddedPostgresServer.start(
              Path.of(config.get(PostgresSettings.POSTGRES_DATA_DIR)),
              config.get(PostgresSettings.POSTGRES_PORT));
      url = embedded.jdbcUrl();
      credentials = new Credentials(EmbeddedPostgresServer.USER, embedded.password());
    }
    try {
      String version = probe(config, url, credentials);
      PostgresReachability reachability = new PostgresReachability();
      HikariDataSource pool;
      try {
        pool = pool(config, url, credentials, reachability);
      } catch (RuntimeException e) {
        reachability.close();
        throw e;
      }
      PostgresConnector connector =
          new PostgresConnector(config, embedded, url, credentials, pool, reachability, version);
      connector.logConnected();
      return connector;
    } catch (RuntimeException e) {
      if (embedded != null) {
        embedded.close();
      }
      throw e;
    }
  }

  /** Who Sluice connects as. */
  private record Credentials(String user, String password) {}

  /** Opens one plain connection, so an unreachable database fails at once with its reason. */
  private static String probe(SluiceConfig config, String url, Credentials credentials) {
    Properties properties = connectionProperties(config, credentials);
    try (Connection connection = DriverManager.getConnection(url, properties);
        Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery("SHOW server_version")) {
      rs.next();
      return rs.getString(1);
    } catch (SQLException e) {
      throw new PostgresException(
          "cannot reach PostgreSQL at " + redact(url) + ": " + reason(e), e);
    }
  }

  private static String reason(SQLException e) {
    String reason = e instanceof PSQLException p ? CatalogValidator.reason(p) : e.getMessage();
    if (reason == null || reason.isBlank()) {
      reason = e.toString();
    }
    Throwable cause = e.getCause();
    if (cause != null && cause.getMessage() != null && !reason.contains(cause.getMessage())) {
      reason += " (" + cause.getMessage() + ")";
    }
    return reason;
  }

  /** Properties of every connection Sluice opens, the pool's and the migrations'. */
  private static Properties connectionProperties(SluiceConfig config, Credentials credentials) {
    Properties properties = new Properties();
    properties.setProperty("user", credentials.user());
    properties.setProperty("password", credentials.password());
    int connectSeconds = ceilSeconds(config.get(PostgresSettings.POSTGRES_CONNECT_TIMEOUT));
    properties.setProperty("connectTimeout", Integer.toString(connectSeconds));
    properties.setProperty("loginTimeout", Integer.toString(connectSeconds));
    properties.setProperty("tcpKeepAlive", "true");
    properties.setProperty("ApplicationName", "sluice");
    return properties;
  }

  private static HikariDataSource pool(
      SluiceConfig config, String url, Credentials credentials, PostgresReachability reachability) {
    Duration connectTimeout = config.get(PostgresSettings.POSTGRES_CONNECT_TIMEOUT);
    Duration queryTimeout = config.get(PostgresSettings.POSTGRES_QUERY_TIMEOUT);
    Properties properties = connectionProperties(config, credentials);
    properties.setProperty("options", "-c statement_timeout=" + queryTimeout.toMillis());
    properties.setProperty("socketTimeout", Integer.toString(ceilSeconds(queryTimeout) + 10));
    HikariConfig hikari = new HikariConfig();
    hikari.setPoolName("sluice-postgres");
    hikari.setDataSource(new ObservedDataSource(url, properties, reachability));
    hikari.setMaximumPoolSize(config.get(PostgresSettings.POSTGRES_POOL_SIZE));
    hikari.setConnectionTimeout(connectTimeout.toMillis());
    hikari.setValidationTimeout(Math.max(250, Math.min(5_000, connectTimeout.toMillis())));
    hikari.setInitializationFailTimeout(connectTimeout.toMillis());
    try {
      return new HikariDataSource(hikari);
    } catch (HikariPool.PoolInitializationException e) {
      Throwable cause = e.getCause() instanceof SQLException sql ? sql : e;
      throw new PostgresException(
          "cannot reach PostgreSQL at "
              + redact(url)
              + ": "
              + (cause instanceof SQLException sql ? reason(sql) : cause.getMessage()),
          e);
    }
  }

  private static int ceilSeconds(Duration duration) {
    return (int) Math.max(1, (duration.toMillis() + 999) / 1000);
  }

  private void logConnected() {
    if (embedded != null) {
      log.info(
          "Using the embedded PostgreSQL {} on localhost:{}: data in {}, its output in {}; user"
              + " postgres, its password in {} (PGPASSFILE={} psql -h 127.0.0.1 -p {} -U"
              + " postgres)",
          serverVersion,
          embedded.port(),
          embedded.dataDirectory(),
          embedded.logFile(),
          embedded.passwordFile(),
          embedded.passwordFile(),
          embedded.port());
    }
    log.info(
        "Connected to PostgreSQL {} at {} as {} (pool of {}, connect timeout {}, query timeout"
            + " {})",
        serverVersion,
        redact(url),
        credentials.user(),
        config.get(PostgresSettings.POSTGRES_POOL_SIZE),
        ValueParsers.formatDuration(config.get(PostgresSettings.POSTGRES_CONNECT_TIMEOUT)),
        ValueParsers.formatDuration(config.get(PostgresSettings.POSTGRES_QUERY_TIMEOUT)));
  }

  /**
   * Creates or upgrades schema {@code sluice}.
   *
   * @throws PostgresException when a migration fails
   */
  public SluiceMigrations.Result migrate() {
    try {
      return SluiceMigrations.migrate(unpooledDataSource());
    } catch (SluiceMigrations.MigrationException e) {
      throw new PostgresException(e.getMessage() + " (database " + redact(url) + ")", e);
    }
  }

  /**
   * A data source of plain, unpooled connections to the same database with the same credentials,
   * without the pool's {@code statement_timeout}: for a dedicated {@code LISTEN} connection and for
   * long-running work such as migrations. Callers close what they open.
   */
  public DataSource unpooledDataSource() {
    PGSimpleDataSource dataSource = new PGSimpleDataSource();
    dataSource.setURL(url);
    Properties properties = connectionProperties(config, credentials);
    dataSource.setUser(properties.getProperty("user"));
    dataSource.setPassword(properties.getProperty("password"));
    dataSource.setConnectTimeout(Integer.parseInt(properties.getProperty("connectTimeout")));
    dataSource.setLoginTimeout(Integer.parseInt(properties.getProperty("loginTimeout")));
    dataSource.setTcpKeepAlive(true);
    dataSource.setApplicationName("sluice");
    return dataSource;
  }

  /**
   * Runs {@code script} in one transaction when none of {@code tables} exists, as for the demo's
   * first run. Tables that exist are never touched.
   *
   * @return whether the script ran
   */
  public boolean applyScriptIfAbsent(String script, Collection<String> tables) {
    try (Connection connection = unpooledDataSource().getConnection()) {
      List<String> existing = existingTables(connection, tables);
      if (!existing.isEmpty()) {
        if (existing.size() < tables.size()) {
          log.info(
              "Not running the schema script: {} of its {} tables exist already ({})",
              existing.size(),
              tables.size(),
              String.join(", ", existing));
        }
        return false;
      }
      connection.setAutoCommit(false);
      try (Statement statement = connection.createStatement()) {
        statement.execute(script);
        connection.commit();
      } catch (SQLException e) {
        connection.rollback();
        throw e;
      }
      log.info("Ran the schema script for {}", String.join(", ", tables));
      return true;
    } catch (SQLException e) {
      throw new PostgresException(
          "cannot create the tables " + String.join(", ", tables) + ": " + reason(e), e);
    }
  }

  private static List<String> existingTables(Connection connection, Collection<String> tables)
      throws SQLException {
    List<String> existing = new ArrayList<>();
    try (PreparedStatement find =
        connection.prepareStatement("SELECT pg_catalog.to_regclass(?) IS NOT NULL")) {
      for (String table : tables) {
        find.setString(1, table);
        try (ResultSet rs = find.executeQuery()) {
          rs.next();
          if (rs.getBoolean(1)) {
            existing.add(table);
          }
        }
      }
    }
    return existing;
  }

  /** The tables named by row and append mappings. */
  static Set<String> tablesOf(List<MappingConfig> mappings) {
    Set<String> tables = new LinkedHashSet<>();
    for (MappingConfig mapping : mappings) {
      if (mapping.table() != null) {
        tables.add(mapping.table());
      }
    }
    return tables;
  }

  /**
   * Checks every mapping against the catalog and keeps what it found ({@link #catalog()}).
   *
   * @throws PostgresException listing every mapping that does not fit
   */
  public MappingCatalog validate(List<MappingConfig> mappings) {
    try (Connection connection = pool.getConnection()) {
      catalog = new CatalogValidator(connection).validate(mappings);
    } catch (SQLException e) {
      throw new PostgresException(
          "cannot read the catalog of " + redact(url) + ": " + reason(e), e);
    }
    for (MappingConfig mapping : mappings) {
      log.info("Mapping {}", describe(mapping));
    }
    return catalog;
  }

  /** One line saying what a mapping does, as logged at start-up; call after {@link #validate}. */
  public String describe(MappingConfig mapping) {
    String keys = mapping.name() + " (" + mapping.keys().text() + ")";
    return switch (mapping.kind()) {
      case ROW ->
          keys
              + ": rows of "
              + catalog.table(mapping).map(TableSchema::displayName).orElse(mapping.table())
              + " by "
              + String.join(", ", mapping.keyColumns())
              + " as "
              + mapping.shape().configName()
              + ", read "
              + mapping.read().configName()
              + ", write "
              + mapping.write().configName()
              + ", ttl "
              + ValueParsers.formatDuration(mapping.ttl())
              + ", invalidate "
              + mapping.invalidate().configName();
      case QUERY ->
          keys
              + ": query as "
              + mapping.shape().configName()
              + ", ttl "
              + ValueParsers.formatDuration(mapping.ttl())
              + (mapping.dependsOn().isEmpty()
                  ? ""
                  : ", dropped on changes to " + String.join(", ", mapping.dependsOn()));
      case KV -> keys + ": durable keys in sluice.kv";
      case APPEND ->
          keys
              + ": rows appended to "
              + catalog.table(mapping).map(TableSchema::displayName).orElse(mapping.table());
    };
  }

  /** The pool. Borrow briefly, and never while holding the keyspace lock. */
  public DataSource dataSource() {
    return pool;
  }

  /**
   * Whether PostgreSQL is known to be unreachable, as the pool's connection attempts found; readers
   * that can fail fail at once while it is, instead of waiting for a connection.
   */
  public PostgresReachability reachability() {
    return reachability;
  }

  /** What the start-up check found for each mapping (empty before {@link #validate}). */
  public MappingCatalog catalog() {
    return catalog;
  }

  /** The JDBC URL in use (for the embedded server, its localhost URL), password removed. */
  public String url() {
    return redact(url);
  }

  /** PostgreSQL's {@code server_version}, e.g. "17.2". */
  public String serverVersion() {
    return serverVersion;
  }

  /** Whether Sluice runs the database itself. */
  public boolean embedded() {
    return embedded != null;
  }

  /** The embedded server's data directory. */
  public Optional<Path> dataDirectory() {
    return Optional.ofNullable(embedded).map(EmbeddedPostgresServer::dataDirectory);
  }

  /** The embedded server's port. */
  public Optional<Integer> embeddedPort() {
    return Optional.ofNullable(embedded).map(EmbeddedPostgresServer::port);
  }

  /** The embedded server's password file (mode 0600, libpq's format, for {@code PGPASSFILE}). */
  public Optional<Path> embeddedPasswordFile() {
    return Optional.ofNullable(embedded).map(EmbeddedPostgresServer::passwordFile);
  }

  /**
   * The password of the embedded server's user {@code postgres}, for whatever in this JVM reaches
   * that server by its JDBC URL (tests, tools that run Sluice in-process).
   */
  public Optional<String> embeddedPassword() {
    return Optional.ofNullable(embedded).map(EmbeddedPostgresServer::password);
  }

  /** A JDBC URL with any {@code password=} parameter masked, for messages and logs. */
  static String redact(String url) {
    return PASSWORD_PARAMETER.matcher(url).replaceAll("$1***");
  }

  /** Closes the pool, then stops the embedded server. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    reachability.close();
    pool.close();
    if (embedded != null) {
      embedded.close();
      log.info("Stopped the embedded PostgreSQL (data kept in {})", embedded.dataDirectory());
    }
  }
}
