package dev.sluice.cli;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A tiny blocking RESP2 client for the operator commands: sends a command as an array of bulk
 * strings and reads one reply. Simple strings and bulk strings become {@link String}, integers
 * {@link Long}, arrays {@link List}, RESP3 maps {@link Map}, nulls null; an error reply is thrown
 * as {@link ServerError}.
 */
final class RespClient implements AutoCloseable {
  /** An error reply from the server ({@code -ERR ...}). */
  static final class ServerError extends RuntimeException {
    ServerError(String message) {
      super(message);
    }
  }

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  private RespClient(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
    this.out = new BufferedOutputStream(socket.getOutputStream(), 16 * 1024);
  }

  /**
   * Connects, and authenticates when {@code password} is not empty.
   *
   * @param readTimeoutMillis 0 waits for replies without limit
   */
  static RespClient connect(
      String host,
      int port,
      String user,
      String password,
      int connectTimeoutMillis,
      int readTimeoutMillis)
      throws IOException {
    Socket socket = new Socket();
    try {
      socket.connect(new InetSocketAddress(host, port), connectTimeoutMillis);
      socket.setSoTimeout(readTimeoutMillis);
      socket.setTcpNoDelay(true);
      RespClient client = new RespClient(socket);
      if (password != null && !password.isEmpty()) {
        if (user != null && !user.isEmpty()) {
          client.call("AUTH", user, password);
        } else {
          client.call("AUTH", password);
        }
      }
      return client;
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw e;
    }
  }

  /** Sends one command and returns its reply. */
  Object call(String... args) throws IOException {
    out.write(('*' + Integer.toString(args.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
    for (String arg : args) {
      byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
      out.write(
          ('$' + Integer.toString(bytes.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(bytes);
      out.write('\r');
      out.write('\n');
    }
    out.flush();
    Object reply = read();
    if (reply instanceof ServerError e) {
      throw e;
    }
    return reply;
  }

  private Object read() throws IOException {
    int type = in.read();
    if (type < 0) {
      throw new EOFException("the server closed the connection");
    }
    String line = line();
    switch (type) {
      case '+':
        return line;
      case '-', '!':
        return new ServerError(type == '!' ? new String(bulk(line)) : line);
      case ':':
        return Long.parseLong(line);
      case ',':
        return Double.parseDouble(line);
      case '#':
        return line.equals("t");
      case '_':
        return null;
      case '$', '=':
        {
          byte[] bulk = bulk(line);
          return bulk == null ? null : new String(bulk, StandardCharsets.UTF_8);
        }
      case '*', '~', '>':
        {
          int n = Integer.parseInt(line);
          if (n < 0) {
            return null;
          }
          List<Object> items = new ArrayList<>(n);
          for (int i = 0; i < n; i++) {
            items.add(read());
          }
          return items;
        }
      case '%':
        {
          int n = Integer.parseInt(line);
          Map<Object, Object> map = new LinkedHashMap<>();
          for (int i = 0; i < n; i++) {
            map.put(read(), read());
          }
          return map;
        }
      default:
        throw new IOException("not a RESP reply: type byte '" + (char) type + "'");
    }
  }

  private byte[] bulk(String length) throws IOException {
    int n = Integer.parseInt(length);
    if (n < 0) {
      return null;
    }
    byte[] bytes = in.readNBytes(n);
    if (bytes.length < n || in.read() != '\r' || in.read() != '\n') {
      throw new EOFException("the server closed the connection in the middle of a reply");
    }
    return bytes;
  }

  private String line() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    while (true) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("the server closed the connection in the middle of a reply");
      }
      if (b == '\r') {
        if (in.read() != '\n') {
          throw new IOException("malformed RESP line");
        }
        return line.toString(StandardCharsets.UTF_8);
      }
      line.write(b);
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
