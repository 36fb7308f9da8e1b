package dev.sluice.proxy.commands.generic;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * One connection to a MIGRATE target (Redis's migrateCachedSocket), used only by the migrate
 * worker: every operation waits at most its timeout, as Redis's connBlockingConnect, connSyncWrite
 * and connSyncReadLine do, and a line is read up to Redis's 1,023 bytes, never more.
 */
final class MigrateLink implements AutoCloseable {
  /** Redis reads the target's replies into 1,024-byte buffers, the last for the NUL. */
  static final int MAX_LINE = 1023;

  /** Redis writes the commands in 64 KiB chunks, each with its own timeout. */
  private static final int CHUNK = 64 * 1024;

  private final SocketChannel channel;
  private final Selector selector;
  private final SelectionKey key;
  private final ByteBuffer in = ByteBuffer.allocate(4 * 1024).flip();

  /** The database the target's connection has selected, -1 when unknown (Redis's last_dbid). */
  long lastDb = -1;

  /** The clock's seconds at the last use (Redis's last_use_time). */
  long lastUseSeconds;

  /** Why connecting failed, thrown by the first write (see {@link #connect}). */
  private IOException failure;

  /** A reply line was longer than {@link #MAX_LINE}: what follows it cannot be told apart. */
  boolean desynchronised;

  private MigrateLink(SocketChannel channel, Selector selector) throws IOException {
    this.channel = channel;
    this.selector = selector;
    this.key = channel.register(selector, 0);
  }

  /**
   * Connects as Redis's connBlockingConnect: within {@code timeoutMillis}, else a {@link
   * SocketTimeoutException} (Redis 7.4's answer; 7.0 went on and timed out writing). A connection
   * that is refused is no failure yet: Redis only waits for the socket to become writable, so the
   * refusal shows when it writes, which it then retries once. A port past 65535 is taken modulo
   * 65536, as getaddrinfo takes Redis's.
   *
   * @throws IOException the host does not resolve or the port is negative: Redis's connect error
   */
  static MigrateLink connect(String host, int port, long timeoutMillis) throws IOException {
    if (host.isEmpty() || port < 0) {
      throw new IOException("no address for host '" + host + "' and port " + port);
    }
    long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
    InetSocketAddress address = new InetSocketAddress(host, port & 0xffff);
    if (address.isUnresolved()) {
      throw new IOException("host " + host + " does not resolve");
    }
    SocketChannel channel = SocketChannel.open();
    MigrateLink link;
    try {
      channel.configureBlocking(false);
      channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
      link = new MigrateLink(channel, Selector.open());
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
    try {
      if (!channel.connect(address)) {
        while (!channel.finishConnect()) {
          link.await(SelectionKey.OP_CONNECT, deadline);
        }
      }
    } catch (SocketTimeoutException e) {
      link.close();
      throw e;
    } catch (IOException e) {
      link.failure = e;
    }
    return link;
  }

  /** Writes all of {@code bytes}, each 64 KiB chunk within {@code timeoutMillis}. */
  void write(byte[] bytes, long timeoutMillis) throws IOException {
    if (failure != null) {
      throw failure;
    }
    for (int pos = 0; pos < bytes.length; pos += CHUNK) {
      ByteBuffer chunk = ByteBuffer.wrap(bytes, pos, Math.min(CHUNK, bytes.length - pos));
      long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
      while (chunk.hasRemaining()) {
        if (channel.write(chunk) == 0) {
          await(SelectionKey.OP_WRITE, deadline);
        }
      }
    }
  }

  /**
   * The next reply line without its CRLF, read within {@code timeoutMillis}: at most {@link
   * #MAX_LINE} bytes; a longer line is cut there, as Redis's syncReadLine cuts it, and the link is
   * then {@link #desynchronised}.
   *
   * @throws SocketTimeoutException when the line did not arrive in time
   * @throws IOException when the connection failed or ended, or the line is empty (Redis's
   *     syncReadLine returning 0 is a failure too)
   */
  String readLine(long timeoutMillis) throws IOException {
    long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
    int scanned = 0;
    while (true) {
      int limit = Math.min(in.remaining(), MAX_LINE);
      for (int i = scanned; i < limit; i++) {
        if (in.get(in.position() + i) == '\n') {
          int length = i > 0 && in.get(in.position() + i - 1) == '\r' ? i - 1 : i;
          String line = take(length, i + 1);
          if (line.isEmpty()) {
            throw new IOException("the target sent an empty line");
          }
          return line;
        }
      }
      if (limit == MAX_LINE) {
        desynchronised = true;
        return take(MAX_LINE, MAX_LINE);
      }
      scanned = limit;
      in.compact();
      int read;
      try {
        read = channel.read(in);
      } finally {
        in.flip();
      }
      if (read < 0) {
        throw new EOFException("the target closed the connection");
      } else if (read == 0) {
        await(SelectionKey.OP_READ, deadline);
      }
    }
  }

  private String take(int length, int consumed) {
    byte[] bytes = new byte[length];
    in.get(in.position(), bytes);
    in.position(in.position() + consumed);
    return new String(bytes, StandardCharsets.UTF_8);
  }

  private void await(int op, long deadline) throws IOException {
    long remaining = (deadline - System.nanoTime()) / 1_000_000L;
    if (remaining <= 0) {
      throw new SocketTimeoutException("timed out");
    }
    key.interestOps(op);
    try {
      selector.select(remaining);
    } finally {
      key.interestOps(0);
      selector.selectedKeys().clear();
    }
  }

  @Override
  public void close() {
    try {
      selector.close();
    } catch (IOException ignored) {
      // nothing more to do with a link being dropped
    }
    try {
      channel.close();
    } catch (IOException ignored) {
      // as above
    }
  }
}
