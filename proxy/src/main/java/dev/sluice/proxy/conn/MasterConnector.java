package dev.sluice.proxy.conn;

import dev.sluice.proxy.engine.CommandExecutor;
import dev.sluice.proxy.replication.MasterLink;
import dev.sluice.proxy.resp.RespDecoder;
import dev.sluice.proxy.runtime.ServerContext;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.AttributeKey;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Opens a replica's link to its primary over Netty, on the server's I/O threads: the handshake and
 * the file first ({@link MasterHandshake}), then the primary's stream runs through the decoder and
 * handler of any client connection, as Redis's master client, marked by {@link #LINK}.
 */
public final class MasterConnector implements MasterLink.Connector {
  /** On the channel of a primary's link: the link it carries. */
  static final AttributeKey<MasterLink> LINK = AttributeKey.valueOf("sluice.primary-link");

  private static final int CONNECT_TIMEOUT_MILLIS = 10_000;

  private final ServerContext server;
  private final CommandExecutor executor;
  private final EventLoopGroup workers;
  private final Class<? extends SocketChannel> channelType;
  private final int listeningPort;
  private final Map<MasterLink, Channel> channels = new ConcurrentHashMap<>();

  public MasterConnector(
      ServerContext server,
      CommandExecutor executor,
      EventLoopGroup workers,
      Class<? extends SocketChannel> channelType,
      int listeningPort) {
    this.server = server;
    this.executor = executor;
    this.workers = workers;
    this.channelType = channelType;
    this.listeningPort = listeningPort;
  }

  @Override
  public void connect(MasterLink link) {
    if (link.closed() || link.state() != MasterLink.State.CONNECT) {
      return;
    }
    link.connecting();
    ChannelFuture connecting =
        new Bootstrap()
            .group(workers)
            .channel(channelType)
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.SO_KEEPALIVE, true)
            .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MILLIS)
            .handler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel channel) {
                    channel
                        .pipeline()
                        .addLast(
                            "handshake",
                            new MasterHandshake(
                                link,
                                server.replication(),
                                listeningPort,
                                () -> startStream(channel, link)));
                  }
                })
            .connect(link.host(), link.port());
    Channel channel = connecting.channel();
    channels.put(link, channel);
    channel
        .closeFuture()
        .addListener(
            closed -> {
              channels.remove(link, channel);
              link.lost(System.currentTimeMillis());
            });
    if (link.closed()) {
      channel.close(); // REPLICAOF changed while this one was being opened
    }
  }

  /** Replaces the handshake with a client connection's decoder and handler. */
  private void startStream(Channel channel, MasterLink link) {
    channel.attr(ClientIdAssigner.CLIENT_ID).set(server.clients().nextId());
    channel.attr(LINK).set(link);
    ClientHandler client = new ClientHandler(server, executor);
    channel
        .pipeline()
        .addAfter(
            "handshake",
            "resp-decoder",
            new RespDecoder(
                server::protoMaxBulkLen, server::queryBufferLimit, client::authenticated))
        .addAfter("resp-decoder", "client", client);
    channel.pipeline().context("handshake").fireChannelActive();
    // the handshake's remaining bytes, the stream's first commands, go on to the decoder
    channel.pipeline().remove("handshake");
  }

  @Override
  public void disconnect(MasterLink link) {
    Channel channel = channels.remove(link);
    if (channel != null) {
      channel.close();
    }
  }
}
