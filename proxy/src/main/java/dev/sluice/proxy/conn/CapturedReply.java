package dev.sluice.proxy.conn;

import io.netty.buffer.ByteBuf;
import java.util.concurrent.CompletableFuture;

/**
 * A suspension whose command runs off the connection's loop — a blocked pop served by the thread
 * that made its key ready, a script on the script thread — into a reply buffer of its own, which
 * completes the future. Resuming writes that reply and picks up what the command left in its
 * context (a load to do, a journal to wait for).
 */
abstract class CapturedReply extends Suspension {
  final ConnectionParts conn;
  final byte[][] args;
  final CompletableFuture<ByteBuf> reply;

  CapturedReply(Kind kind, ConnectionParts conn, byte[][] args) {
    this(kind, conn, args, new CompletableFuture<>());
  }

  private CapturedReply(
      Kind kind, ConnectionParts conn, byte[][] args, CompletableFuture<ByteBuf> reply) {
    super(kind, reply);
    this.conn = conn;
    this.args = args;
    this.reply = reply;
  }

  @Override
  final ByteBuf takeReply() {
    return reply.isCompletedExceptionally() ? null : reply.getNow(null);
  }

  @Override
  Suspension resume() {
    return Suspension.requestedBy(conn, args);
  }
}
