package dev.sluice.proxy.testing;

import dev.sluice.config.ConfigLoader;
import dev.sluice.config.SluiceConfig;
import dev.sluice.proxy.SluiceServer;
import dev.sluice.proxy.postgres.PostgresConnector;
import dev.sluice.proxy.runtime.ServerContext;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisProtocol;

/**
 * A real Sluice server with mappings, in the test JVM, in front of a real PostgreSQL: the connector
 * started as {@code sluice serve} starts it (migrations, schema script, catalog check), then the
 * server with the look-aside read path. Time is a {@link ManualClock}.
 */
public final class MappedTestServer implements AutoCloseable {
  private final SluiceServer server;
  private final ManualClock clock;
  private final PostgresConnector connector;

  private MappedTestServer(SluiceServer server, ManualClock clock, PostgresConnector connector) {
    this.server = server;
    this.clock = clock;
    this.connector = connector;
  }

  /**
   * @param yaml the configuration (mappings, postgres.*)
   * @param schemaSql run once when the mappings' tables do not exist yet; may be null
   * @param settings further settings as flags ({@code postgres.data-dir} → value)
   */
  public static MappedTestServer start(
      String yaml, String schemaSql, Map<String, String> settings) {
    Map<String, String> flags = new HashMap<>(settings);
    flags.put("bind", "127.0.0.1");
    flags.put("port", "0");
    flags.put("io-threads", "2");
    // no background saves into the working directory when a test advances the clock by hours
    flags.putIfAbsent("save", "");
    SluiceConfig config = new ConfigLoader(Map.of()).loadText(yaml, "test configuration", flags);
    PostgresConnector connector = PostgresConnector.start(config, schemaSql);
    ManualClock clock = new ManualClock();
    try {
      return new MappedTestServer(
          new SluiceServer(config, clock, connector).start(), clock, connector);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      connector.close();
      throw new IllegalStateException(e);
    }
  }

  public int port() {
    return server.port();
  }

  /** The HTTP endpoint's port, or -1 when {@code http.port} is off. */
  public int httpPort() {
    return server.httpPort();
  }

  public ManualClock clock() {
    return clock;
  }

  public ServerContext context() {
    return server.context();
  }

  public PostgresConnector connector() {
    return connector;
  }

  /** A plain JDBC connection to the same database, outside Sluice's pool. */
  public Connection jdbc() throws SQLException {
    return connector.unpooledDataSource().getConnection();
  }

  public Jedis jedis() {
    return jedis(RedisProtocol.RESP2);
  }

  public Jedis jedis(RedisProtocol protocol) {
    return new Jedis(
        new HostAndPort("127.0.0.1", port()),
        DefaultJedisClientConfig.builder().protocol(protocol).timeoutMillis(20_000).build());
  }

  /** Plain JDBC URL helper for tests that run their own database. */
  public static Connection connect(String url) throws SQLException {
    return DriverManager.getConnection(url, "postgres", "postgres");
  }

  @Override
  public void close() {
    server.close();
  }
}
