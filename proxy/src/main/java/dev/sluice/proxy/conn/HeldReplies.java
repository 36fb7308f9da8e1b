package dev.sluice.proxy.conn;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/**
 * Replies that acknowledge journaled writes, held until the journal's future says they are durable:
 * nothing unacknowledged is ever reported as written. If the journal fails, the connection closes
 * with an error instead.
 */
final class HeldReplies extends Suspension {
  private ByteBuf replies;

  HeldReplies(CompletableFuture<?> durable, ByteBuf replies) {
    super(Kind.DURABLE, durable);
    this.replies = replies;
  }

  @Override
  boolean usesKeyspace() {
    return false;
  }

  @Override
  ByteBuf takeReply() {
    ByteBuf taken = replies;
    replies = null;
    return taken;
  }

  @Override
  Suspension resume() {
    return null; // the replies are written as they are
  }

  /** The journal failed: the client gets this error instead of the held replies, then closes. */
  static void closeWithFailure(io.netty.channel.ChannelHandlerContext ctx, Throwable e) {
    org.slf4j.LoggerFactory.getLogger(HeldReplies.class)
        .error("journal failed; closing connection {}", ctx.channel().remoteAddress(), e);
    ctx.writeAndFlush(failureReply(ctx.alloc(), e))
        .addListener(io.netty.channel.ChannelFutureListener.CLOSE);
  }

  private static ByteBuf failureReply(ByteBufAllocator alloc, Throwable e) {
    String reason = String.valueOf(e.getMessage()).replace('\r', ' ').replace('\n', ' ');
    return alloc
        .buffer()
        .writeBytes(
            ("-ERR journal write failed, writes not acknowledged: " + reason + "\r\n")
                .getBytes(StandardCharsets.UTF_8));
  }
}
