package dev.sluice.proxy.testing;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Commands on a raw socket as a replication link carries them: RESP arrays of bulk strings, each
 * argument as ISO-8859-1 text so that a command's bytes survive a round trip (tests that play a
 * replica or a primary).
 */
public final class RespStream {
  private RespStream() {}

  /** A command's bytes. */
  public static byte[] encode(List<String> args) {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    buf.writeBytes(("*" + args.size() + "\r\n").getBytes(StandardCharsets.US_ASCII));
    for (String arg : args) {
      byte[] bytes = arg.getBytes(StandardCharsets.ISO_8859_1);
      buf.writeBytes(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
      buf.writeBytes(bytes);
      buf.writeBytes(new byte[] {'\r', '\n'});
    }
    return buf.toByteArray();
  }

  public static byte[] encode(String... args) {
    return encode(List.of(args));
  }

  /**
   * The next command; fails on anything but an array of bulk strings.
   *
   * @throws IOException when the stream ends first
   */
  public static List<String> command(DataInputStream in) throws IOException {
    String head = line(in);
    if (!head.startsWith("*")) {
      throw new AssertionError("expected an array, got " + head);
    }
    int n = Integer.parseInt(head.substring(1));
    List<String> args = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      String length = line(in);
      if (!length.startsWith("$")) {
        throw new AssertionError("expected a bulk string, got " + length);
      }
      byte[] arg = new byte[Integer.parseInt(length.substring(1))];
      in.readFully(arg);
      if (in.read() != '\r' || in.read() != '\n') {
        throw new AssertionError("a bulk string not followed by CRLF");
      }
      args.add(new String(arg, StandardCharsets.ISO_8859_1));
    }
    return args;
  }

  /** A line without its CRLF. */
  public static String line(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    int b;
    while ((b = in.read()) != '\n') {
      if (b < 0) {
        throw new IOException("the other side closed the link");
      }
      line.append((char) b);
    }
    int end = line.length();
    return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
  }
}
