package dev.sluice.proxy.conn;

import dev.sluice.proxy.engine.Connection;
import dev.sluice.proxy.resp.Reply;
import dev.sluice.proxy.resp.RespWriter;
import dev.sluice.proxy.runtime.OutputBufferLimits;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A session's view of its Netty channel. */
final class NettyConnection implements Connection {
  private static final Logger log = LoggerFactory.getLogger(NettyConnection.class);

  private final Channel channel;
  private final OutputBufferLimits limits;
  // the connection's own reply writer; it has a target while its replies are being written
  private final RespWriter replies;
  private final String remote;
  private final String local;
  // when unsent pushes first passed the soft limit; guarded by the keyspace lock like publishing
  private final long[] overSoftLimitSince = new long[1];

  NettyConnection(Channel channel, OutputBufferLimits limits, RespWriter replies) {
    this.channel = channel;
    this.limits = limits;
    this.replies = replies;
    this.remote = format(channel.remoteAddress());
    this.local = format(channel.localAddress());
  }

  private static String format(SocketAddress address) {
    if (address instanceof InetSocketAddress inet) {
      return inet.getAddress().getHostAddress() + ":" + inet.getPort();
    }
    return String.valueOf(address);
  }

  @Override
  public String remoteAddress() {
    return remote;
  }

  @Override
  public String localAddress() {
    return local;
  }

  @Override
  public void close() {
    channel.close();
  }

  @Override
  public void pushBytes(byte[] bytes) {
    push("replica", writer -> writer.raw(bytes), bytes.length);
  }

  @Override
  public void push(int protocol, Consumer<Reply> message) {
    push(
        "pubsub",
        writer -> {
          writer.useProtocol(protocol);
          message.accept(writer);
        },
        64);
  }

  private void push(String limitClass, Consumer<RespWriter> message, int sizeHint) {
    if (!channel.isActive()) {
      return;
    }
    if (replies.hasTarget()) {
      // Pushes happen under the keyspace lock, as does all use of the reply writer: this
      // connection's own command published to it or changed a key it listens to. The message
      // goes in line with its replies, after those of earlier commands, as Redis appends it to
      // the client's reply buffer.
      message.accept(replies);
      return;
    }
    ByteBuf buffer = channel.alloc().ioBuffer(sizeHint);
    RespWriter writer = new RespWriter();
    writer.target(buffer);
    message.accept(writer);
    ChannelOutboundBuffer outbound = channel.unsafe().outboundBuffer();
    long pending =
        (outbound == null ? 0 : outbound.totalPendingWriteBytes()) + buffer.readableBytes();
    if (OutputBufferLimits.exceeded(
        limits.of(limitClass), pending, overSoftLimitSince, System.currentTimeMillis())) {
      buffer.release();
      log.warn(
          "closing client {}: {} bytes of unsent {} output passed client-output-buffer-limit",
          remote,
          pending,
          limitClass);
      channel.close();
      return;
    }
    if (limitClass.equals("replica")) {
      // always through the event loop's queue, even from its own thread: the stream is fed under
      // the keyspace lock by every I/O thread, and a write made at once by the replica's own
      // thread would overtake what the others queued before it. One flush per event-loop turn
      // sends a burst's commands together, as Redis writes a replica's buffer once per loop.
      channel
          .eventLoop()
          .execute(
              () -> {
                channel.write(buffer, channel.voidPromise());
                if (flushScheduled.compareAndSet(false, true)) {
                  channel
                      .eventLoop()
                      .execute(
                          () -> {
                            flushScheduled.set(false);
                            channel.flush();
                          });
                }
              });
      return;
    }
    channel.writeAndFlush(buffer, channel.voidPromise());
  }

  private final java.util.concurrent.atomic.AtomicBoolean flushScheduled =
      new java.util.concurrent.atomic.AtomicBoolean();
}
