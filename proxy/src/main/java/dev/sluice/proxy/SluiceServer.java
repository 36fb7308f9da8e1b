package dev.sluice.proxy;

import dev.sluice.config.EndpointSettings;
import dev.sluice.config.SluiceConfig;
import dev.sluice.proxy.conn.ClientHandler;
import dev.sluice.proxy.conn.ClientIdAssigner;
import dev.sluice.proxy.conn.MasterConnector;
import dev.sluice.proxy.durable.AppendWriteBack;
import dev.sluice.proxy.engine.CommandExecutor;
import dev.sluice.proxy.keyspace.Clock;
import dev.sluice.proxy.lookaside.LookAside;
import dev.sluice.proxy.lookaside.MappingRouter;
import dev.sluice.proxy.net.ProtectedMode;
import dev.sluice.proxy.net.http.HttpEndpoint;
import dev.sluice.proxy.net.http.SluiceMetrics;
import dev.sluice.proxy.net.tls.ServerTls;
import dev.sluice.proxy.postgres.FunctionLibraryStore;
import dev.sluice.proxy.postgres.PostgresConnector;
import dev.sluice.proxy.runtime.ServerContext;
import dev.sluice.proxy.runtime.ServerCron;
import dev.sluice.proxy.scripting.Functions;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
  private ServerTls tls;
  private int tlsPort = -1;
  private volatile boolean closed;

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
    this.context = new ServerContext(config, clock, Commands::register);
    // not on an event loop: close() waits for the loops to end
    context.shutdownAction(() -> new Thread(this::close, "sluice-shutdown-command").start());
    this.executor = new CommandExecutor(context.engine());
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

  /**
   * @throws dev.sluice.config.ConfigException when {@link ProtectedMode} forbids listening as
   *     configured
   */
  public SluiceServer start() throws InterruptedException {
    ProtectedMode.check(config);
    loadRdbFile();
    if (postgres != null) {
      // before the listener opens: replay what PostgreSQL has not applied yet
      MappingRouter router = new MappingRouter(config.mappings());
      context
          .replication()
          .journal()
          .ackReplicas(
              "replica".equals(config.get(dev.sluice.config.WriteBackSettings.WRITEBACK_ACK))
                  ? config.get(dev.sluice.config.WriteBackSettings.WRITEBACK_ACK_REPLICAS)
                  : 0);
      appends =
          AppendWriteBack.start(
              config,
              postgres,
              router::indexOf,
              context.replication().journal(),
              context.replication().journal());
      context.appends(appends);
      if (appends != null && appends.mappedWrites() != null) {
        // row write-back and kv keys: the keyspace says which mapped keys a write changed
        context.keyspace().tap(appends.mappedWrites());
      }
      lookAside =
          LookAside.start(
              config, postgres, context.engine(), appends == null ? null : appends.mappedWrites());
      context.mappingAdmin(lookAside.admin());
      keepFunctionsIn(new FunctionLibraryStore(postgres.dataSource()));
    }
    int threads = config.get(dev.sluice.config.Settings.IO_THREADS);
    if (threads == 0) {
      // half the cores: the I/O threads share one keyspace lock, and the other half is left to
      // the clients on the same host, the GC, the journal and the flusher (on 2 cores one thread
      // halved the p99 under redis-benchmark; bench/RESULTS.md)
      threads = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    }
    boolean epoll = Epoll.isAvailable();
    IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    acceptors = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("sluice-accept"), io);
    workers = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory("sluice-io"), io);
    Class<? extends io.netty.channel.ServerChannel> channelType =
        epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    boolean tlsPortOn = config.get(EndpointSettings.TLS_PORT) >= 0;
    if (tlsPortOn || config.get(EndpointSettings.HTTP_TLS)) {
      try {
        tls = new ServerTls(context);
      } catch (IllegalStateException e) {
        close();
        throw e;
      }
      context.tlsReloader(changed -> tls.reload());
    }
    List<String> addresses = new ArrayList<>();
    int port = listen(respBootstrap(channelType, null), config.port(), "", addresses);
    if (tlsPortOn) {
      tlsPort =
          listen(
              respBootstrap(channelType, tls),
              config.get(EndpointSettings.TLS_PORT),
              " (TLS)",
              addresses);
    }
    context.tcpPort(port);
    context
        .replication()
        .connector(
            new MasterConnector(
                context,
                executor,
                workers,
                epoll ? EpollSocketChannel.class : NioSocketChannel.class,
                port));
    if (config.get(EndpointSettings.HTTP_PORT) >= 0) {
      SluiceMetrics metrics = new SluiceMetrics(context, postgres, lookAside, appends);
      http = new HttpEndpoint(config, context, postgres, appends, metrics);
      try {
        List<String> httpAddresses =
            http.start(
                acceptors,
                workers,
                channelType,
                config.get(EndpointSettings.HTTP_TLS) ? tls : null);
        log.info(
            "HTTP endpoint on {} (POST /v1/ingest/<mapping>,"
                + " /v1/mappings/<mapping>/pause|resume|throttle|flush, GET /v1/status, /metrics,"
                + " /healthz, /readyz{})",
            String.join(", ", httpAddresses),
            config.get(EndpointSettings.HTTP_TLS) ? "; HTTPS" : "");
      } catch (Exception e) {
        close();
        throw new IllegalStateException(
            "cannot listen for HTTP on "
                + String.join(" ", config.bind())
                + " port "
                + config.get(EndpointSettings.HTTP_PORT)
                + ": "
                + e.getMessage(),
            e);
      }
    }
    cron = Executors.newSingleThreadScheduledExecutor(new DefaultThreadFactory("sluice-cron"));
    new ServerCron(context, cron).start();
    log.info(
        "Sluice {} listening on {} (RESP2/RESP3, {} databases, {} I/O thread{}, {})",
        ServerContext.SLUICE_VERSION,
        String.join(", ", addresses),
        config.databases(),
        threads,
        threads == 1 ? "" : "s",
        epoll ? "epoll" : "nio");
    return this;
  }

  /**
   * Loads dir/dbfilename before anything serves. Keys of PostgreSQL mappings live in PostgreSQL:
   * never written to the file nor read from it; nor are function libraries when PostgreSQL keeps
   * them.
   */
  private void loadRdbFile() {
    if (!config.mappings().isEmpty()) {
      MappingRouter router = new MappingRouter(config.mappings());
      context.persistence().exclude((db, key) -> db == 0 && router.indexOf(key) >= 0);
    }
    try {
      context.persistence().load(postgres == null);
    } catch (IllegalStateException e) {
      close();
      throw e;
    }
  }

  /**
   * Stops the server as SIGTERM stops Redis: the RDB file is written first when save points are
   * configured (a failure is logged), then everything closes. Nothing is saved once closed.
   */
  public void exit() {
    if (closed) {
      return;
    }
    if (context.persistence().savesOnShutdown()) {
      context.keyspace().lock().lock();
      try {
        context.persistence().saveNow();
      } finally {
        context.keyspace().lock().unlock();
      }
    }
    close();
  }

  /**
   * Loads the function libraries kept in PostgreSQL and writes every later change there before it
   * is acknowledged. Without PostgreSQL, libraries live in memory only and a restart forgets them.
   */
  private void keepFunctionsIn(FunctionLibraryStore store) {
    Functions functions = context.scripts().functions();
    for (String failure : functions.loadStored(store.loadAll())) {
      log.error("A function library kept in PostgreSQL does not load, skipped: {}", failure);
    }
    functions.store(
        (clear, deleted, saved) -> {
          Map<String, Map.Entry<String, byte[]>> rows = new LinkedHashMap<>();
          for (Functions.Library library : saved) {
            rows.put(library.name(), Map.entry(library.engine(), library.code()));
          }
          store.write(clear, deleted, rows);
        });
  }

  private ServerBootstrap respBootstrap(
      Class<? extends io.netty.channel.ServerChannel> channelType, ServerTls withTls) {
    return new ServerBootstrap()
        .group(acceptors, workers)
        .channel(channelType)
        .option(ChannelOption.SO_BACKLOG, 511)
        .option(ChannelOption.SO_REUSEADDR, true)
        .handler(new ClientIdAssigner(context.clients()))
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childOption(ChannelOption.SO_KEEPALIVE, true)
        // Netty 4.2's default, the adaptive allocator, cost 15-20% of pipelined GET and SET
        // throughput against the pooled one of Netty 4.1 (bench/RESULTS.md, 2026-12-07)
        .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
        .childOption(
            ChannelOption.WRITE_BUFFER_WATER_MARK,
            new WriteBufferWaterMark(1024 * 1024, 4 * 1024 * 1024))
        .childHandler(
            new ChannelInitializer<SocketChannel>() {
              @Override
              protected void initChannel(SocketChannel channel) {
                if (withTls != null) {
                  channel.pipeline().addLast("tls", withTls.newHandler(channel));
                }
                ClientHandler.addTo(channel.pipeline(), context, executor);
              }
            });
  }

  /**
   * Binds every bind address on {@code port} (0: the first one picks a free port, the others take
   * the same); adds "host:port" to {@code addresses} and returns the port.
   */
  private int listen(ServerBootstrap bootstrap, int port, String what, List<String> addresses) {
    try {
      for (String host : config.bind()) {
        Channel channel = bootstrap.bind(new InetSocketAddress(host, port)).sync().channel();
        listeners.add(channel);
        port = ((InetSocketAddress) channel.localAddress()).getPort();
        addresses.add(host + ":" + port + what);
      }
      return port;
    } catch (Exception e) {
      close();
      throw new IllegalStateException(
          "cannot listen on "
              + String.join(" ", config.bind())
              + " port "
              + port
              + what
              + ": "
              + e.getMessage(),
          e);
    }
  }

  /** The TLS port actually bound, or -1 when tls-port is off. */
  public int tlsPort() {
    return tlsPort;
  }

  /**
   * Reads the TLS certificate, key and client CA files again (SIGHUP); logs instead of throwing,
   * and keeps the old certificate, when they do not load.
   *
   * @return whether the new files are in use
   */
  public boolean reloadTls() {
    if (tls == null) {
      log.info("TLS is off (no tls-port, http.tls no): nothing to reload");
      return false;
    }
    try {
      tls.reload();
      return true;
    } catch (IllegalStateException e) {
      log.error("TLS reload failed, the previous certificate stays in use: {}", e.getMessage());
      return false;
    }
  }

  /** Blocks until the server is closed. */
  public void awaitClose() throws InterruptedException {
    for (Channel channel : listeners) {
      channel.closeFuture().sync();
    }
  }

  @Override
  public void close() {
    closed = true;
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
