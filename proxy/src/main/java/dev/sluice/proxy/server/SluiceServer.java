package dev.sluice.proxy.server;

import dev.sluice.config.Settings;
import dev.sluice.config.SluiceConfig;
import dev.sluice.proxy.command.CommandExecutor;
import dev.sluice.proxy.command.ServerContext;
import dev.sluice.proxy.http.HttpEndpoint;
import dev.sluice.proxy.http.SluiceMetrics;
import dev.sluice.proxy.keyspace.Clock;
import dev.sluice.proxy.lookaside.LookAside;
import dev.sluice.proxy.postgres.PostgresConnector;
import dev.sluice.proxy.resp.RespDecoder;
import dev.sluice.proxy.writeback.AppendWriteBack;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RESP server: binds the configured addresses and wires each connection's pipeline. When the
 * configuration maps keys to PostgreSQL, the caller starts the {@link PostgresConnector} first (the
 * database must be ready before the first client arrives) and hands it over; the server then owns
 * it and closes it after its listeners and threads. With a connector, {@link #start} first installs
 * the look-aside read path ({@link LookAside}: the loader, the SLUICE commands' view, invalidation
 * triggers and the LISTEN connection); {@link #close} stops it before the connector.
 */
public final class SluiceServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SluiceServer.class);

  private final SluiceConfig config;
  private final ServerContext context;
  private final CommandExecutor executor;
  private final PostgresConnector postgres;
  private LookAside lookAside;
  private AppendWriteBack appends;
  private final List<Channel> listeners = new ArrayList<>();
  private EventLoopGroup acceptors;
  private EventLoopGroup workers;
  private ScheduledExecutorService cron;
  private HttpEndpoint http;

  /** A server that does not use PostgreSQL. */
  public SluiceServer(SluiceConfig config, Clock clock) {
    this(config, clock, null);
  }

  /**
   * @param postgres the started connector, or null when the configuration has no mappings; the
   *     server closes it
   */
  public SluiceServer(SluiceConfig config, Clock clock, PostgresConnector postgres) {
    this.config = config;
    this.context = new ServerContext(config, clock);
    this.executor = new CommandExecutor(context);
    this.postgres = postgres;
  }

  /** The PostgreSQL connector, when the configuration maps keys to PostgreSQL. */
  public Optional<PostgresConnector> postgres() {
    return Optional.ofNullable(postgres);
  }

  public ServerContext context() {
    return context;
  }

  /** The HTTP endpoint's port (useful with http.port 0), or -1 when it is off. */
  public int httpPort() {
    return http == null ? -1 : http.port();
  }

  /** The TCP port actually bound (useful with port 0). */
  public int port() {
    return context.tcpPort();
  }

  public SluiceServer start() throws InterruptedException {
    if (postgres != null) {
      // before the listener opens: replay what PostgreSQL has not applied yet
      appends = AppendWriteBack.start(config, postgres);
      context.appends(appends);
      lookAside = LookAside.start(config, postgres, context);
    }
    int threads = config.get(dev.sluice.config.Settings.IO_THREADS);
    if (threads == 0) {
      threads = Runtime.getRuntime().availableProcessors();
    }
    boolean epoll = Epoll.isAvailable();
    acceptors =
        epoll
            ? new EpollEventLoopGroup(1, new DefaultThreadFactory("sluice-accept"))
            : new NioEventLoopGroup(1, new DefaultThreadFactory("sluice-accept"));
    workers =
        epoll
            ? new EpollEventLoopGroup(threads, new DefaultThreadFactory("sluice-io"))
            : new NioEventLoopGroup(threads, new DefaultThreadFactory("sluice-io"));
    ServerBootstrap bootstrap =
        new ServerBootstrap()
            .group(acceptors, workers)
            .channel(epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
            .option(ChannelOption.SO_BACKLOG, 511)
            .option(ChannelOption.SO_REUSEADDR, true)
            .handler(new ClientIdAssigner(context.clients()))
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childOption(ChannelOption.SO_KEEPALIVE, true)
            .childOption(
                ChannelOption.WRITE_BUFFER_WATER_MARK,
                new WriteBufferWaterMark(1024 * 1024, 4 * 1024 * 1024))
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel channel) {
                    ClientHandler client = new ClientHandler(context, executor);
                    channel
                        .pipeline()
                        .addLast(
                            "resp-decoder",
                            new RespDecoder(
                                context::protoMaxBulkLen,
                                context::queryBufferLimit,
                                client::authenticated))
                        .addLast("client", client);
                  }
                });
    int port = config.port();
    List<String> addresses = new ArrayList<>();
    try {
      for (String host : config.bind()) {
        Channel channel = bootstrap.bind(new InetSocketAddress(host, port)).sync().channel();
        listeners.add(channel);
        port = ((InetSocketAddress) channel.localAddress()).getPort();
        addresses.add(host + ":" + port);
      }
    } catch (Exception e) {
      close();
      throw new IllegalStateException(
          "cannot listen on "
              + String.join(" ", config.bind())
              + " port "
              + config.port()
              + ": "
              + e.getMessage(),
          e);
    }
    context.tcpPort(port);
    if (config.get(Settings.HTTP_PORT) >= 0) {
      SluiceMetrics metrics = new SluiceMetrics(context, postgres, lookAside, appends);
      http = new HttpEndpoint(config, context, postgres, appends, metrics);
      try {
        List<String> httpAddresses =
            http.start(
                acceptors,
                workers,
                epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class);
        log.info(
            "HTTP endpoint on {} (POST /v1/ingest/<mapping>,"
                + " /v1/mappings/<mapping>/pause|resume|throttle|flush, GET /v1/status, /metrics,"
                + " /healthz, /readyz{})",
            String.join(", ", httpAddresses),
            config.get(Settings.HTTP_TOKEN).isEmpty() ? "" : "; bearer token required");
      } catch (Exception e) {
        close();
        throw new IllegalStateException(
            "cannot listen for HTTP on "
                + String.join(" ", config.bind())
                + " port "
                + config.get(Settings.HTTP_PORT)
                + ": "
                + e.getMessage(),
            e);
      }
    }
    cron = Executors.newSingleThreadScheduledExecutor(new DefaultThreadFactory("sluice-cron"));
    new ServerCron(context, cron).start();
    log.info(
        "Sluice {} listening on {} (RESP2/RESP3, {} databases, {} I/O threads, {})",
        ServerContext.SLUICE_VERSION,
        String.join(", ", addresses),
        config.databases(),
        threads,
        epoll ? "epoll" : "nio");
    return this;
  }

  /** Blocks until the server is closed. */
  public void awaitClose() throws InterruptedException {
    for (Channel channel : listeners) {
      channel.closeFuture().sync();
    }
  }

  @Override
  public void close() {
    listeners.forEach(Channel::close);
    if (http != null) {
      http.close();
    }
    if (cron != null) {
      cron.shutdownNow();
    }
    if (workers != null) {
      workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
    if (acceptors != null) {
      acceptors.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
    if (lookAside != null) {
      lookAside.close();
    }
    if (appends != null) {
      appends.close();
    }
    if (postgres != null) {
      postgres.close();
    }
  }
}
