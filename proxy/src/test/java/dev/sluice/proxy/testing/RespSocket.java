package dev.sluice.proxy.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A bare RESP connection for what client libraries hide: the exact reply type (RESP2 null bulk vs
 * null array, RESP3 map vs flat array, verbatim strings), exact error texts, and whether the server
 * closed the socket. Replies decode to Java values: {@link Simple}, {@link Err}, {@link Long},
 * {@link String} (bulk, UTF-8), {@link List}, {@link Map}, {@link Set}, {@link Verbatim}, {@link
 * Nil}, {@link Double}, {@link Boolean}.
 */
public final class RespSocket implements AutoCloseable {
  public record Simple(String text) {}

  public record Err(String message) {}

  public record Verbatim(String format, String text) {}

  public enum Nil {
    /** {@code $-1} */
    BULK,
    /** {@code *-1} */
    ARRAY,
    /** RESP3 {@code _} */
    NULL
  }

  private final Socket socket;
  private final Recording in;
  private final OutputStream out;

  private RespSocket(Socket socket) throws IOException {
    this.socket = socket;
    socket.setSoTimeout(10_000);
    this.in = new Recording(new BufferedInputStream(socket.getInputStream()));
    this.out = socket.getOutputStream();
  }

  /**
   * A connection with a small socket receive buffer, so that a test that stops reading makes the
   * server's unsent output pile up quickly.
   */
  public static RespSocket connect(int port, int receiveBufferBytes) {
    try {
      Socket socket = new Socket();
      socket.setReceiveBufferSize(receiveBufferBytes);
      socket.connect(new java.net.InetSocketAddress("127.0.0.1", port));
      return new RespSocket(socket);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static RespSocket connect(int port) {
    try {
      return new RespSocket(new Socket("127.0.0.1", port));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Sends a command and reads its reply. */
  public Object call(String... args) {
    send(args);
    return read();
  }

  /** Sends a command with binary arguments and reads its reply. */
  public Object call(byte[]... args) {
    send(args);
    return read();
  }

  public void send(String... args) {
    byte[][] bytes = new byte[args.length][];
    for (int i = 0; i < args.length; i++) {
      bytes[i] = args[i].getBytes(StandardCharsets.UTF_8);
    }
    send(bytes);
  }

  public void send(byte[]... args) {
    ByteArrayOutputStream frame = new ByteArrayOutputStream();
    frame.writeBytes(("*" + args.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
    for (byte[] arg : args) {
      frame.writeBytes(("$" + arg.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
      frame.writeBytes(arg);
      frame.writeBytes(new byte[] {'\r', '\n'});
    }
    write(frame.toByteArray());
  }

  /** Sends bytes as they are: inline commands, several commands in one write. */
  public void sendRaw(String bytes) {
    write(bytes.getBytes(StandardCharsets.UTF_8));
  }

  /** Changes how long a read may wait before failing with a timeout. */
  public void readTimeout(Duration timeout) {
    try {
      socket.setSoTimeout((int) timeout.toMillis());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void write(byte[] bytes) {
    try {
      out.write(bytes);
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Object read() {
    try {
      return readValue();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Sends a command and returns its reply exactly as the server wrote it, each byte as one char
   * (ISO-8859-1), to compare with replies recorded from redis-server.
   */
  public String callRaw(String... args) {
    send(args);
    return readRaw();
  }

  /** As {@link #callRaw(String...)}, with binary arguments. */
  public String callRaw(byte[]... args) {
    send(args);
    return readRaw();
  }

  /** Reads one reply and returns its exact bytes, each byte as one char (ISO-8859-1). */
  public String readRaw() {
    in.recording = new ByteArrayOutputStream();
    try {
      read();
      return in.recording.toString(StandardCharsets.ISO_8859_1);
    } finally {
      in.recording = null;
    }
  }

  /** The socket's input, copying what is read to {@link #recording} while that is set. */
  private static final class Recording extends java.io.FilterInputStream {
    ByteArrayOutputStream recording;

    public Recording(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0 && recording != null) {
        recording.write(b);
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0 && recording != null) {
        recording.write(b, off, n);
      }
      return n;
    }
  }

  /**
   * Waits at most {@code bound} for the server to close the connection; true if it did (end of
   * stream or reset), false if it is still open when the bound passes. Bytes sent meanwhile are
   * discarded.
   */
  public boolean closedWithin(Duration bound) {
    long deadline = System.nanoTime() + bound.toNanos();
    try {
      while (System.nanoTime() < deadline) {
        socket.setSoTimeout((int) Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        try {
          if (in.read() < 0) {
            return true;
          }
        } catch (SocketTimeoutException e) {
          return false;
        }
      }
      return false;
    } catch (IOException e) {
      return true; // connection reset
    }
  }

  private Object readValue() throws IOException {
    int type = in.read();
    if (type < 0) {
      throw new EOFException("connection closed by server");
    }
    String line = readLine();
    switch (type) {
      case '+':
        return new Simple(line);
      case '-':
        return new Err(line);
      case ':':
        return Long.parseLong(line);
      case '$':
        {
          int length = Integer.parseInt(line);
          return length < 0 ? Nil.BULK : new String(readBytes(length), StandardCharsets.UTF_8);
        }
      case '=':
        {
          String text = new String(readBytes(Integer.parseInt(line)), StandardCharsets.UTF_8);
          return new Verbatim(text.substring(0, 3), text.substring(4));
        }
      case '*':
      case '>':
        {
          int length = Integer.parseInt(line);
          if (length < 0) {
            return Nil.ARRAY;
          }
          List<Object> list = new ArrayList<>();
          for (int i = 0; i < length; i++) {
            list.add(readValue());
          }
          return list;
        }
      case '~':
        {
          Set<Object> set = new LinkedHashSet<>();
          int length = Integer.parseInt(line);
          for (int i = 0; i < length; i++) {
            set.add(readValue());
          }
          return set;
        }
      case '%':
        {
          Map<Object, Object> map = new LinkedHashMap<>();
          int length = Integer.parseInt(line);
          for (int i = 0; i < length; i++) {
            map.put(readValue(), readValue());
          }
          return map;
        }
      case '_':
        return Nil.NULL;
      case ',':
        return switch (line) {
          case "inf" -> Double.POSITIVE_INFINITY;
          case "-inf" -> Double.NEGATIVE_INFINITY;
          case "nan", "-nan" -> Double.NaN;
          default -> Double.parseDouble(line);
        };
      case '#':
        return line.equals("t");
      default:
        throw new IOException("unexpected RESP type '" + (char) type + "' " + line);
    }
  }

  private byte[] readBytes(int length) throws IOException {
    byte[] bytes = in.readNBytes(length);
    if (bytes.length != length || in.read() != '\r' || in.read() != '\n') {
      throw new EOFException("truncated bulk string");
    }
    return bytes;
  }

  private String readLine() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != '\r') {
      if (b < 0) {
        throw new EOFException("connection closed mid-line");
      }
      line.write(b);
    }
    if (in.read() != '\n') {
      throw new IOException("CR without LF");
    }
    return line.toString(StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      // closing anyway
    }
  }
}
