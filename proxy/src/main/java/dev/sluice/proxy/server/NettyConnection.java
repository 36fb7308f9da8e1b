package dev.sluice.proxy.server;

import dev.sluice.proxy.command.Connection;
import io.netty.channel.Channel;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/** A session's view of its Netty channel. */
final class NettyConnection implements Connection {
  private final Channel channel;
  private final String remote;
  private final String local;

  NettyConnection(Channel channel) {
    this.channel = channel;
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
}
