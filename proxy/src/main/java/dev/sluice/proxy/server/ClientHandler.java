package dev.sluice.proxy.server;

import dev.sluice.proxy.command.CommandContext;
import dev.sluice.proxy.command.CommandExecutor;
import dev.sluice.proxy.command.Errors;
import dev.sluice.proxy.command.ServerContext;
import dev.sluice.proxy.command.Session;
import dev.sluice.proxy.resp.ProtocolError;
import dev.sluice.proxy.resp.Request;
import dev.sluice.proxy.resp.RespWriter;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection. Requests decoded from a read burst are queued; when the burst ends they
 * run in order under a single acquisition of the keyspace lock, their replies go into one buffer,
 * and that buffer is flushed once. Pipelined commands therefore cost one lock and one syscall per
 * burst, and replies stay in request order.
 *
 * <p>A client that stops reading makes the channel unwritable; reading from it pauses until its
 * replies drain, so a pipelining client cannot grow the server's memory without bound.
 */
final class ClientHandler extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(ClientHandler.class);

  /** Replies buffered before a flush; bounds what one burst of pipelined reads can allocate. */
  private static final int MAX_REPLY_CHUNK = 256 * 1024;

  private final ServerContext server;
  private final CommandExecutor executor;
  private final ReentrantLock lock;
  private final RespWriter writer = new RespWriter();
  private final ArrayDeque<Object> pending = new ArrayDeque<>();
  private Session session;
  private CommandContext context;
  private boolean closing;

  ClientHandler(ServerContext server, CommandExecutor executor) {
    this.server = server;
    this.executor = executor;
    this.lock = server.keyspace().lock();
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    server.stats().connectionsReceived.increment();
    if (server.clients().count() >= server.maxclients()) {
      server.stats().rejectedConnections.increment();
      closing = true;
      ctx.writeAndFlush(
              ctx.alloc()
                  .buffer()
                  .writeBytes(("-" + Errors.MAX_CLIENTS + "\r\n").getBytes(StandardCharsets.UTF_8)))
          .addListener(ChannelFutureListener.CLOSE);
      return;
    }
    session =
        new Session(
            ctx.channel().attr(ClientIdAssigner.CLIENT_ID).get(),
            new NettyConnection(ctx.channel()),
            System.currentTimeMillis(),
            server.requirepass().isEmpty());
    context = new CommandContext(server, session, writer);
    server.clients().add(session);
    ctx.fireChannelActive();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (session != null) {
      server.clients().remove(session);
    }
    pending.clear();
    ctx.fireChannelInactive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!closing) {
      pending.add(msg);
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    drain(ctx);
  }

  /**
   * Runs queued requests in chunks of at most {@link #MAX_REPLY_CHUNK} bytes of replies, flushing
   * after each. When the client is not reading and the channel becomes unwritable, the rest waits
   * in the queue until {@link #channelWritabilityChanged} says it drained.
   */
  private void drain(ChannelHandlerContext ctx) {
    while (!pending.isEmpty() && session != null && ctx.channel().isWritable()) {
      ByteBuf out = ctx.alloc().ioBuffer();
      writer.target(out);
      writer.useProtocol(session.protocol());
      lock.lock();
      try {
        Object msg;
        while (out.readableBytes() < MAX_REPLY_CHUNK && (msg = pending.poll()) != null) {
          if (msg instanceof Request request) {
            executor.execute(context, request.args());
            closing = session.closeAfterReply();
          } else {
            writer.error(((ProtocolError) msg).message());
            closing = true;
          }
          if (closing) {
            pending.clear();
          }
        }
      } finally {
        lock.unlock();
      }
      writer.target(null);
      if (closing) {
        ctx.writeAndFlush(out).addListener(ChannelFutureListener.CLOSE);
        return;
      }
      ctx.writeAndFlush(out, ctx.voidPromise());
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    boolean writable = ctx.channel().isWritable();
    ctx.channel().config().setAutoRead(writable);
    if (writable) {
      drain(ctx);
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("closing connection {} after an error", ctx.channel().remoteAddress(), cause);
    ctx.close();
  }
}
