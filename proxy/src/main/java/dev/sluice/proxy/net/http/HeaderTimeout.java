package dev.sluice.proxy.net.http;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes an HTTP connection that has not sent a complete request line and headers within {@code
 * http.header-timeout} of opening or of its previous response: a slowloris client that trickles
 * header bytes, or an idle keep-alive connection. A read timeout would not do, since a trickle
 * resets it. The clock stops while a request's body streams and while it is being answered (ingest
 * waits for the journal), and starts again when the response has been written.
 */
final class HeaderTimeout extends ChannelDuplexHandler {
  private static final Logger log = LoggerFactory.getLogger(HeaderTimeout.class);

  private final long timeoutMillis;
  private ScheduledFuture<?> timer;
  // requests whose headers arrived and whose response is not written yet (pipelining: several)
  private int unanswered;

  HeaderTimeout(long timeoutMillis) {
    this.timeoutMillis = timeoutMillis;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    arm(ctx);
    ctx.fireChannelActive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof HttpRequest) {
      unanswered++;
      disarm();
    }
    ctx.fireChannelRead(msg);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (msg instanceof LastHttpContent && --unanswered <= 0) {
      unanswered = 0;
      arm(ctx);
    }
    ctx.write(msg, promise);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    disarm();
    ctx.fireChannelInactive();
  }

  private void arm(ChannelHandlerContext ctx) {
    disarm();
    timer =
        ctx.executor()
            .schedule(
                () -> {
                  log.debug(
                      "closing HTTP connection {}: no complete request headers within {} ms",
                      ctx.channel().remoteAddress(),
                      timeoutMillis);
                  ctx.close();
                },
                timeoutMillis,
                TimeUnit.MILLISECONDS);
  }

  private void disarm() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }
}
