package dev.sluice.proxy.net.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;

/**
 * What happens to one request's body and when it is answered: {@link HttpHandler} routes a request
 * to an exchange, then hands it the body chunk by chunk (bodies are never aggregated) and tells it
 * when the body ends.
 */
interface HttpExchange {
  void content(ChannelHandlerContext ctx, ByteBuf chunk);

  void end(ChannelHandlerContext ctx);
}
