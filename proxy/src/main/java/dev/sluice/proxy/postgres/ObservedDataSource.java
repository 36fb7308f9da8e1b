package dev.sluice.proxy.postgres;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Properties;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The connections HikariCP pools, opened with the driver as HikariCP would open them, each attempt
 * reported to {@link PostgresReachability}: the pool's attempts are where a database that went away
 * shows first, while the callers waiting for a connection would learn it only after {@code
 * connectionTimeout}.
 */
final class ObservedDataSource implements DataSource {
  private final String url;
  private final Properties properties;
  private final PostgresReachability reachability;
  private volatile int loginTimeoutSeconds;

  ObservedDataSource(String url, Properties properties, PostgresReachability reachability) {
    this.url = url;
    this.properties = properties;
    this.reachability = reachability;
    reachability.probeWith(this::probe);
  }

  @Override
  public Connection getConnection() throws SQLException {
    return open(properties);
  }

  @Override
  public Connection getConnection(String user, String password) throws SQLException {
    Properties withUser = new Properties();
    withUser.putAll(properties);
    withUser.setProperty("user", user);
    withUser.setProperty("password", password);
    return open(withUser);
  }

  private Connection open(Properties with) throws SQLException {
    long start = System.nanoTime();
    try {
      Connection connection = DriverManager.getConnection(url, with);
      reachability.attemptSucceeded(start);
      return connection;
    } catch (SQLException e) {
      reachability.attemptFailed(start, e);
      throw e;
    }
  }

  /** The probe: a connection that opens and answers, closed at once. */
  private void probe() {
    long start = System.nanoTime();
    try (Connection connection = DriverManager.getConnection(url, properties)) {
      if (connection.isValid(Math.max(1, loginTimeoutSeconds))) {
        reachability.attemptSucceeded(start);
      } else {
        reachability.attemptFailed(
            start, new SQLException("the connection did not answer a validation query", "08006"));
      }
    } catch (SQLException e) {
      reachability.attemptFailed(start, e);
    }
  }

  @Override
  public PrintWriter getLogWriter() {
    return DriverManager.getLogWriter();
  }

  @Override
  public void setLogWriter(PrintWriter out) {
    // the driver logs through java.util.logging; nothing to set per data source
  }

  @Override
  public void setLoginTimeout(int seconds) {
    loginTimeoutSeconds = seconds;
  }

  @Override
  public int getLoginTimeout() {
    return loginTimeoutSeconds;
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    throw new SQLFeatureNotSupportedException("ObservedDataSource has no parent logger");
  }

  @Override
  public <T> T unwrap(Class<T> type) throws SQLException {
    if (type.isInstance(this)) {
      return type.cast(this);
    }
    throw new SQLException("ObservedDataSource is not a " + type.getName());
  }

  @Override
  public boolean isWrapperFor(Class<?> type) {
    return type.isInstance(this);
  }
}
