package dev.sluice.proxy.conn;

import dev.sluice.proxy.engine.Session;
import dev.sluice.proxy.runtime.OutputBufferLimits;
import dev.sluice.proxy.runtime.ServerContext;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * After a flush: whether a client's unsent replies pass its class's {@code
 * client-output-buffer-limit} (pubsub with subscriptions, else normal), hard at once or soft for
 * long enough; such a client is disconnected, as Redis does. Only the event loop calls it.
 */
final class OutputBufferGuard {
  private static final Logger log = LoggerFactory.getLogger(OutputBufferGuard.class);

  private final ServerContext server;
  // when unsent replies first passed the soft limit (0: below it)
  private final long[] overSoftLimitSince = new long[1];

  OutputBufferGuard(ServerContext server) {
    this.server = server;
  }

  /** Looks only when the flush left bytes unsent, i.e. the client is slow to read. */
  boolean exceeded(Channel channel, Session session) {
    ChannelOutboundBuffer outbound = channel.unsafe().outboundBuffer();
    long unsent = outbound == null ? 0 : outbound.totalPendingWriteBytes();
    if (unsent == 0) {
      overSoftLimitSince[0] = 0;
      return false;
    }
    String kind = session.subscriptions().total() > 0 ? "pubsub" : "normal";
    if (!OutputBufferLimits.exceeded(
        server.outputLimits().of(kind), unsent, overSoftLimitSince, System.currentTimeMillis())) {
      return false;
    }
    log.warn(
        "closing client id={} addr={}: {} bytes of unsent replies pass the {} class of"
            + " client-output-buffer-limit",
        session.id(),
        channel.remoteAddress(),
        unsent,
        kind);
    return true;
  }
}
