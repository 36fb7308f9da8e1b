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
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
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
  private final Path dir;

  private TestServer(SluiceServer server, Clock clock, Path dir) {
    this.server = server;
    this.clock = clock;
    this.dir = dir;
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
    // a directory of its own for dump.rdb, so that no server loads another's file or the
    // working directory's (a test that means to share one sets dir)
    Path dir;
    try {
      dir = Files.createTempDirectory("sluice-test-rdb");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    SluiceConfig config =
        settings
            .apply(
                SluiceConfig.builder()
                    .set(Settings.BIND, List.of("127.0.0.1"))
                    .set(Settings.PORT, 0)
                    .set(Settings.IO_THREADS, 2)
                    .set(Settings.DIR, dir.toString()))
            .build();
    try {
      return new TestServer(new SluiceServer(config, clock).start(), clock, dir);
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

  /** Stops the server as SIGTERM does: saving first when save points are configured. */
  public void exit() {
    server.exit();
    deleteDir();
  }

  @Override
  public void close() {
    server.close();
    deleteDir();
  }

  private void deleteDir() {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException e) {
      // a background save may still be writing into it: the OS's temp cleanup will do
    }
  }
}
