package dev.sluice.proxy.net.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.config.EndpointSettings;
import dev.sluice.config.SluiceConfig;
import dev.sluice.proxy.durable.AppendWriteBack;
import dev.sluice.proxy.net.tls.ServerTls;
import dev.sluice.proxy.postgres.PostgresConnector;
import dev.sluice.proxy.runtime.ServerContext;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP endpoint: ingest, status, metrics and health on {@code http.port}, on the RESP server's
 * bind addresses and event loops (decoding and validation run on the I/O threads like RESP
 * commands). Work that may block — journaling an ingest request's rows, the readiness probe's
 * database round trip — runs on the two {@code sluice-http} threads.
 */
public final class HttpEndpoint implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();

  final SluiceConfig config;
  final ServerContext context;
  final PostgresConnector postgres;
  final AppendWriteBack appends;
  final SluiceMetrics metrics;
  final IdempotencyCache idempotency = new IdempotencyCache();
  final ExecutorService blocking =
      Executors.newFixedThreadPool(2, new DefaultThreadFactory("sluice-http", true));
  final long maxBodySize;
  private final List<Channel> listeners = new ArrayList<>();
  private int port;

  public HttpEndpoint(
      SluiceConfig config,
      ServerContext context,
      PostgresConnector postgres,
      AppendWriteBack appends,
      SluiceMetrics metrics) {
    this.config = config;
    this.context = context;
    this.postgres = postgres;
    this.appends = appends;
    this.metrics = metrics;
    this.maxBodySize = config.get(EndpointSettings.HTTP_MAX_BODY_SIZE);
  }

  /** Listens on every bind address; returns the addresses as host:port. */
  /**
   * @param tls the TLS context for HTTPS, or null for plain HTTP
   */
  public List<String> start(
      EventLoopGroup acceptors,
      EventLoopGroup workers,
      Class<? extends ServerChannel> channelType,
      ServerTls tls)
      throws InterruptedException {
    int maxHeader = (int) (long) config.get(EndpointSettings.HTTP_MAX_HEADER_SIZE);
    long headerTimeoutMillis = config.get(EndpointSettings.HTTP_HEADER_TIMEOUT).toMillis();
    HttpEndpoint endpoint = this;
    ServerBootstrap bootstrap =
        new ServerBootstrap()
            .group(acceptors, workers)
            .channel(channelType)
            .option(ChannelOption.SO_BACKLOG, 511)
            .option(ChannelOption.SO_REUSEADDR, true)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel channel) {
                    if (tls != null) {
                      channel.pipeline().addLast("tls", tls.newHandler(channel));
                    }
                    channel
                        .pipeline()
                        .addLast("http-codec", new HttpServerCodec(4096, maxHeader, 64 * 1024))
                        .addLast("header-timeout", new HeaderTimeout(headerTimeoutMillis))
                        .addLast("keep-alive", new HttpServerKeepAliveHandler())
                        .addLast("http", new HttpHandler(endpoint));
                  }
                });
    int wanted = config.get(EndpointSettings.HTTP_PORT);
    List<String> addresses = new ArrayList<>();
    int p = wanted;
    for (String host : config.bind()) {
      Channel channel = bootstrap.bind(new InetSocketAddress(host, p)).sync().channel();
      listeners.add(channel);
      p = ((InetSocketAddress) channel.localAddress()).getPort();
      addresses.add(host + ":" + p);
    }
    port = p;
    return addresses;
  }

  /** The port bound (useful with http.port 0). */
  public int port() {
    return port;
  }

  @Override
  public void close() {
    listeners.forEach(Channel::close);
    blocking.shutdown();
    try {
      blocking.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
