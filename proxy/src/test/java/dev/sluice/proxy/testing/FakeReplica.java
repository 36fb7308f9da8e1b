package dev.sluice.proxy.testing;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.util.List;

/**
 * A replica on a raw socket, for tests that look at what a primary (Sluice or redis-server) sends:
 * it synchronises with PSYNC ? -1 (without capa eof, so the RDB file comes with its length), then
 * reads the stream command by command, counting its offset, and acknowledges what the test says.
 */
public final class FakeReplica implements AutoCloseable {
  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;
  private long offset;
  private String replid;

  private FakeReplica(int port) throws IOException {
    socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(10_000);
    in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
    out = socket.getOutputStream();
  }

  /** Connects to the primary on {@code port} and takes a full synchronisation. */
  public static FakeReplica sync(int port) {
    try {
      FakeReplica replica = new FakeReplica(port);
      replica.fullSync();
      return replica;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void fullSync() throws IOException {
    send("REPLCONF", "listening-port", "7777");
    expectLine("+OK");
    send("PSYNC", "?", "-1");
    String answer = line();
    if (!answer.startsWith("+FULLRESYNC ")) {
      throw new AssertionError("PSYNC answered " + answer);
    }
    String[] parts = answer.split(" ");
    replid = parts[1];
    offset = Long.parseLong(parts[2]);
    String length = line();
    while (length.isEmpty()) { // a primary preparing the file sends newlines to keep the link
      length = line();
    }
    byte[] rdb = new byte[Integer.parseInt(length.substring(1))];
    in.readFully(rdb);
  }

  public String replid() {
    return replid;
  }

  /** The offset of the stream read so far. */
  public long offset() {
    return offset;
  }

  /** The next command of the stream (blocking up to the socket's timeout). */
  public List<String> next() {
    try {
      List<String> args = RespStream.command(in);
      offset += RespStream.encode(args).length;
      return args;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads commands until one named {@code name} (case-insensitive) and returns it. */
  public List<String> nextNamed(String name) {
    List<String> command;
    do {
      command = next();
    } while (!command.get(0).equalsIgnoreCase(name));
    return command;
  }

  /** REPLCONF ACK {@code ackOffset}, with FACK {@code aofOffset} when not negative. */
  public void ack(long ackOffset, long aofOffset) {
    if (aofOffset < 0) {
      send("REPLCONF", "ACK", Long.toString(ackOffset));
    } else {
      send("REPLCONF", "ACK", Long.toString(ackOffset), "FACK", Long.toString(aofOffset));
    }
  }

  public void send(String... args) {
    try {
      out.write(RespStream.encode(args));
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void expectLine(String expected) throws IOException {
    String got = line();
    if (!got.equals(expected)) {
      throw new AssertionError("expected " + expected + ", got " + got);
    }
  }

  private String line() throws IOException {
    return RespStream.line(in);
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
