package dev.sluice.proxy.conn;

import dev.sluice.proxy.runtime.Clients;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;

/**
 * Numbers connections on the accepting thread, so client ids grow in accept order as in Redis;
 * assigned later, on the I/O threads, two connections could get their ids in either order.
 */
@Sharable
public final class ClientIdAssigner extends ChannelInboundHandlerAdapter {
  static final AttributeKey<Long> CLIENT_ID = AttributeKey.valueOf("sluice.client-id");

  private final Clients clients;

  public ClientIdAssigner(Clients clients) {
    this.clients = clients;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof Channel child) {
      child.attr(CLIENT_ID).set(clients.nextId());
    }
    ctx.fireChannelRead(msg);
  }
}
