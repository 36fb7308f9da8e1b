package dev.sluice.proxy.conn;

import dev.sluice.proxy.engine.CommandExecutor;
import dev.sluice.proxy.engine.Errors;
import dev.sluice.proxy.engine.Session;
import dev.sluice.proxy.resp.QueryBufferLimitReached;
import dev.sluice.proxy.resp.RespDecoder;
import dev.sluice.proxy.resp.RespWriter;
import dev.sluice.proxy.runtime.ServerContext;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection's Netty handler: admits the client (maxclients), hands decoded requests to
 * its {@link ConnectionStateMachine}, which runs them, and keeps the input side in check. A client
 * that stops reading makes the channel unwritable; reading from it pauses until its replies drain,
 * so a pipelining client cannot grow the server's memory without bound. What a client sends while
 * its connection is suspended stays queued; those bytes plus the decoder's incomplete command are
 * held against {@code client-query-buffer-limit}, and a client past it is disconnected, as Redis
 * does.
 */
public final class ClientHandler extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(ClientHandler.class);

  private final ServerContext server;
  private final CommandExecutor executor;
  private ConnectionParts parts;
  private ConnectionStateMachine connection;
  private RespDecoder decoder;
  private boolean rejected;

  public ClientHandler(ServerContext server, CommandExecutor executor) {
    this.server = server;
    this.executor = executor;
  }

  /** Adds a client connection's RESP decoder and its handler to the end of {@code pipeline}. */
  public static ClientHandler addTo(
      ChannelPipeline pipeline, ServerContext server, CommandExecutor executor) {
    ClientHandler client = new ClientHandler(server, executor);
    pipeline
        .addLast(
            "resp-decoder",
            new RespDecoder(
                server::protoMaxBulkLen, server::queryBufferLimit, client::authenticated))
        .addLast("client", client);
    return client;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    server.stats().connectionsReceived.increment();
    if (server.clients().count() >= server.maxclients()) {
      server.stats().rejectedConnections.increment();
      rejected = true;
      ctx.writeAndFlush(
              ctx.alloc()
                  .buffer()
                  .writeBytes(("-" + Errors.MAX_CLIENTS + "\r\n").getBytes(StandardCharsets.UTF_8)))
          .addListener(ChannelFutureListener.CLOSE);
      return;
    }
    RespWriter writer = new RespWriter();
    boolean primaryLink = ctx.channel().hasAttr(MasterConnector.LINK);
    Session session =
        new Session(
            ctx.channel().attr(ClientIdAssigner.CLIENT_ID).get(),
            new NettyConnection(ctx.channel(), server.outputLimits(), writer),
            System.currentTimeMillis(),
            server.acl().defaultUser(),
            primaryLink || !server.acl().authRequired());
    if (primaryLink) {
      // Redis's master client: obeyed without authentication or ACL, never answered
      session.primaryLink(true);
      session.repliesOff();
      ctx.channel().attr(MasterConnector.LINK).get().session(session);
    }
    parts = new ConnectionParts(server, executor, ctx, session, writer);
    connection = new ConnectionStateMachine(parts);
    decoder = ctx.pipeline().get(RespDecoder.class);
    server.clients().add(session);
    ctx.fireChannelActive();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (connection != null) {
      connection.closed();
      server.clients().remove(parts.session());
    }
    ctx.fireChannelInactive();
  }

  /** Whether the connection may send large commands (the decoder's unauthenticated limits). */
  public boolean authenticated() {
    ConnectionParts p = parts;
    return p != null && p.session().authenticated();
  }

  /** The connection's state machine (null before it is active, or when it was refused). */
  ConnectionStateMachine connection() {
    return connection;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (rejected || connection == null || !connection.acceptsInput()) {
      return;
    }
    if (msg instanceof QueryBufferLimitReached reached) {
      queryBufferLimitReached(reached.held(), reached.limit());
      return;
    }
    long queued = connection.enqueue(msg);
    if (queued > 0) {
      long held = queued + (decoder == null ? 0 : decoder.bufferedBytes());
      long limit = server.queryBufferLimit();
      if (held > limit) {
        queryBufferLimitReached(held, limit);
      }
    }
  }

  /** As Redis: no reply (the client is mid-command or not reading), a warning, a disconnect. */
  private void queryBufferLimitReached(long held, long limit) {
    log.warn(
        "closing client id={} addr={}: {} bytes of unprocessed input exceed"
            + " client-query-buffer-limit {}",
        parts.session().id(),
        parts.ctx().channel().remoteAddress(),
        held,
        limit);
    connection.close();
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    if (connection != null) {
      connection.drain();
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    boolean writable = ctx.channel().isWritable();
    ctx.channel().config().setAutoRead(writable);
    if (writable && connection != null) {
      connection.drain();
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("closing connection {} after an error", ctx.channel().remoteAddress(), cause);
    ctx.close();
  }
}
