package dev.sluice.proxy.testing;

import dev.sluice.config.Settings;
import dev.sluice.config.SluiceConfig;
import dev.sluice.proxy.SluiceServer;
import dev.sluice.proxy.keyspace.Clock;
import dev.sluice.proxy.runtime.ServerContext;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.protocol.ProtocolVersion;
import java.util.List;
import java.util.function.UnaryOperator;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisProtocol;

/**
 * A real Sluice server in the test JVM, on a free loopback port, with a {@link ManualClock} so
 * expiry tests advance time instead of sleeping ({@link #startOnSystemClock} for clients whose own
 * clocks must agree with the server's). Clients connect over real sockets.
 */
public final class TestServer implements AutoCloseable {
  private final SluiceServer server;
  private final Clock clock;

  private TestServer(SluiceServer server, Clock clock) {
    this.server = server;
    this.clock = clock;
  }

  public static TestServer start() {
    return start(UnaryOperator.identity());
  }

  public static TestServer start(UnaryOperator<SluiceConfig.Builder> settings) {
    return start(new ManualClock(), settings);
  }

  /**
   * A server on the system clock, for clients that mix their own timestamps with the server's
   * expiries: BullMQ stamps delayed jobs with the client's time and lets PX locks lapse in real
   * time, which a manual clock that stands still never does.
   */
  public static TestServer startOnSystemClock(UnaryOperator<SluiceConfig.Builder> settings) {
    return start(Clock.SYSTEM, settings);
  }

  private static TestServer start(Clock clock, UnaryOperator<SluiceConfig.Builder> settings) {
    SluiceConfig config =
        settings
            .apply(
                SluiceConfig.builder()
                    .set(Settings.BIND, List.of("127.0.0.1"))
                    .set(Settings.PORT, 0)
                    .set(Settings.IO_THREADS, 2))
            .build();
    try {
      return new TestServer(new SluiceServer(config, clock).start(), clock);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public int port() {
    return server.port();
  }

  /** The RESP-over-TLS port, or -1 when tls-port is off. */
  public int tlsPort() {
    return server.tlsPort();
  }

  /** The HTTP endpoint's port, or -1 when it is off. */
  public int httpPort() {
    return server.httpPort();
  }

  /** Reads the TLS files again, as SIGHUP does. */
  public boolean reloadTls() {
    return server.reloadTls();
  }

  public ManualClock clock() {
    if (clock instanceof ManualClock manual) {
      return manual;
    }
    throw new IllegalStateException(
        "this TestServer runs on the system clock, which a test cannot advance");
  }

  public ServerContext context() {
    return server.context();
  }

  /** A Jedis connection speaking the given protocol (RESP3 makes Jedis send HELLO 3). */
  public Jedis jedis(RedisProtocol protocol) {
    return new Jedis(
        new HostAndPort("127.0.0.1", port()),
        DefaultJedisClientConfig.builder().protocol(protocol).timeoutMillis(10_000).build());
  }

  /** A Lettuce client; by default Lettuce negotiates RESP3 with HELLO 3. */
  public RedisClient lettuceClient(ProtocolVersion protocol) {
    RedisClient client = RedisClient.create(RedisURI.create("127.0.0.1", port()));
    client.setOptions(ClientOptions.builder().protocolVersion(protocol).build());
    return client;
  }

  public StatefulRedisConnection<String, String> lettuce(RedisClient client) {
    return client.connect();
  }

  @Override
  public void close() {
    server.close();
  }
}
