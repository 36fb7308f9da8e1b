package dev.sluice.proxy.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.proxy.testing.TestServer;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Speaks RESP over a plain socket, byte for byte, to check framing, pipelining and errors. */
class RawSocketProtocolTest {
  private static TestServer server;

  @BeforeAll
  static void startServer() {
    server = TestServer.start();
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  // ---- a minimal RESP2 client ----

  /** An error reply, kept apart from simple strings. */
  record Err(String message) {}

  private static final class Client implements AutoCloseable {
    final Socket socket;
    final OutputStream out;
    final InputStream in;

    Client() throws IOException {
      socket = new Socket();
      socket.setTcpNoDelay(true);
      socket.setSoTimeout(10_000);
      socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 5_000);
      out = socket.getOutputStream();
      in = new BufferedInputStream(socket.getInputStream());
    }

    void send(byte[] bytes) throws IOException {
      out.write(bytes);
      out.flush();
    }

    void send(String text) throws IOException {
      send(latin1(text));
    }

    /** Sends one command as a multibulk and reads its reply. */
    Object call(String... args) throws IOException {
      send(command(args));
      return read();
    }

    /** Reads exactly as many bytes as {@code expected} has and compares them. */
    void expectRaw(String expected) throws IOException {
      byte[] actual = in.readNBytes(expected.length());
      assertEquals(expected, new String(actual, StandardCharsets.ISO_8859_1));
    }

    /** Parses one RESP2 reply: String (+), Err (-), Long (:), byte[] ($), List ( * ), or null. */
    Object read() throws IOException {
      String line = readLine();
      char type = line.charAt(0);
      String rest = line.substring(1);
      switch (type) {
        case '+':
          return rest;
        case '-':
          return new Err(rest);
        case ':':
          return Long.parseLong(rest);
        case '$':
          {
            int length = Integer.parseInt(rest);
            if (length < 0) {
              return null;
            }
            byte[] data = in.readNBytes(length);
            if (data.length != length) {
              throw new EOFException("bulk cut short");
            }
            assertEquals("", readLine(), "bulk not followed by CRLF");
            return data;
          }
        case '*':
          {
            int length = Integer.parseInt(rest);
            if (length < 0) {
              return null;
            }
            List<Object> items = new ArrayList<>(length);
            for (int i = 0; i < length; i++) {
              items.add(read());
            }
            return items;
          }
        default:
          throw new IOException("not a RESP type: " + line);
      }
    }

    private String readLine() throws IOException {
      StringBuilder line = new StringBuilder();
      while (true) {
        int b = in.read();
        if (b < 0) {
          throw new EOFException("connection closed after \"" + line + "\"");
        }
        if (b == '\r') {
          int lf = in.read();
          assertEquals('\n', lf, "CR not followed by LF");
          return line.toString();
        }
        line.append((char) b);
      }
    }

    /** Asserts that the server closed the connection (and sent nothing more). */
    void expectClosed() throws IOException {
      try {
        int b = in.read();
        assertEquals(-1, b, "expected the server to close the connection, got byte " + b);
      } catch (SocketException e) {
        // A reset also means the server closed the connection.
        assertTrue(String.valueOf(e.getMessage()).contains("reset"), e.toString());
      }
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  private static byte[] latin1(String text) {
    return text.getBytes(StandardCharsets.ISO_8859_1);
  }

  private static byte[] command(String... args) {
    byte[][] raw = new byte[args.length][];
    for (int i = 0; i < args.length; i++) {
      raw[i] = args[i].getBytes(StandardCharsets.UTF_8);
    }
    return command(raw);
  }

  private static byte[] command(byte[]... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(latin1("*" + args.length + "\r\n"));
    for (byte[] arg : args) {
      out.writeBytes(latin1("$" + arg.length + "\r\n"));
      out.writeBytes(arg);
      out.writeBytes(latin1("\r\n"));
    }
    return out.toByteArray();
  }

  private static String text(Object reply) {
    assertTrue(reply instanceof byte[], "expected a bulk string, got " + describe(reply));
    return new String((byte[]) reply, StandardCharsets.UTF_8);
  }

  private static String describe(Object reply) {
    return reply instanceof byte[] bytes ? "bulk " + Arrays.toString(bytes) : String.valueOf(reply);
  }

  // ---- pipelining ----

  @Test
  void pipeline_thousandMixedCommandsInOneWrite_repliesInOrder() throws IOException {
    ByteArrayOutputStream pipeline = new ByteArrayOutputStream();
    for (int i = 0; i < 1000; i++) {
      switch (i % 3) {
        case 0 -> pipeline.writeBytes(command("SET", "pipe:" + i, "value-" + i));
        case 1 -> pipeline.writeBytes(command("GET", "pipe:" + (i - 1)));
        default -> pipeline.writeBytes(command("INCR", "pipe:counter"));
      }
    }

    try (Client client = new Client()) {
      client.send(pipeline.toByteArray());

      long counter = 0;
      for (int i = 0; i < 1000; i++) {
        Object reply = client.read();
        switch (i % 3) {
          case 0 -> assertEquals("OK", reply, "reply " + i);
          case 1 -> assertEquals("value-" + (i - 1), text(reply), "reply " + i);
          default -> assertEquals(++counter, reply, "reply " + i);
        }
      }
      assertEquals(333L, counter);
      assertEquals("PONG", client.call("PING"), "nothing extra was queued");
    }
  }

  @Test
  void pipeline_commandSentOneBytePerWrite_stillWorks() throws IOException {
    byte[] set = command("SET", "bytewise", "hello world");
    byte[] inlineGet = latin1("GET bytewise\r\n");

    try (Client client = new Client()) {
      for (byte b : set) {
        client.send(new byte[] {b});
      }
      client.expectRaw("+OK\r\n");
      for (byte b : inlineGet) {
        client.send(new byte[] {b});
      }
      client.expectRaw("$11\r\nhello world\r\n");
    }
  }

  // ---- inline commands ----

  @Test
  void inline_ping_repliesPong() throws IOException {
    try (Client client = new Client()) {
      client.send("PING\r\n");
      client.expectRaw("+PONG\r\n");
    }
  }

  @Test
  void inline_quotedArguments_areUnquoted() throws IOException {
    try (Client client = new Client()) {
      client.send("SET inline:q \"a b\\x41\"\r\nGET inline:q\n");
      client.expectRaw("+OK\r\n$4\r\na bA\r\n");
    }
  }

  @Test
  void inline_unbalancedQuotes_repliesProtocolErrorAndCloses() throws IOException {
    try (Client client = new Client()) {
      client.send("PING\r\nSET k \"abc\r\nPING\r\n");
      client.expectRaw("+PONG\r\n-ERR Protocol error: unbalanced quotes in request\r\n");
      client.expectClosed();
    }
  }

  @Test
  void inline_lineOver64KbWithoutNewline_repliesTooBigInlineRequestAndCloses() throws IOException {
    byte[] line = new byte[70 * 1024];
    Arrays.fill(line, (byte) 'a');

    try (Client client = new Client()) {
      client.send(line);
      client.expectRaw("-ERR Protocol error: too big inline request\r\n");
      client.expectClosed();
    }
  }

  // ---- protocol errors ----

  @Test
  void protocolError_negativeBulkLength_answersEarlierCommandsThenErrorsAndCloses()
      throws IOException {
    ByteArrayOutputStream data = new ByteArrayOutputStream();
    data.writeBytes(command("SET", "proto:before", "1"));
    data.writeBytes(latin1("PING\r\n"));
    data.writeBytes(command("GET", "proto:before"));
    data.writeBytes(latin1("*1\r\n$-5\r\n"));
    data.writeBytes(command("SET", "proto:after", "1"));

    try (Client client = new Client()) {
      client.send(data.toByteArray());
      client.expectRaw("+OK\r\n+PONG\r\n$1\r\n1\r\n-ERR Protocol error: invalid bulk length\r\n");
      client.expectClosed();
    }
    try (Client other = new Client()) {
      assertEquals(null, other.call("GET", "proto:after"), "input after the error is discarded");
    }
  }

  @Test
  void protocolError_integerWhereBulkExpected_repliesExpectedDollarAndCloses() throws IOException {
    try (Client client = new Client()) {
      client.send("*2\r\n$4\r\nECHO\r\n");
      client.send(":5\r\n");
      client.expectRaw("-ERR Protocol error: expected '$', got ':'\r\n");
      client.expectClosed();
    }
  }

  @Test
  void protocolError_multibulkCountNotANumber_repliesInvalidMultibulkLengthAndCloses()
      throws IOException {
    try (Client client = new Client()) {
      client.send("*abc\r\n");
      client.expectRaw("-ERR Protocol error: invalid multibulk length\r\n");
      client.expectClosed();
    }
  }

  @Test
  void protocolError_hugeAnnouncedBulkLength_isRefusedWithoutWaiting() throws IOException {
    try (Client client = new Client()) {
      client.send("*2\r\n$3\r\nGET\r\n$2147483647\r\n");
      client.expectRaw("-ERR Protocol error: invalid bulk length\r\n");
      client.expectClosed();
    }
  }

  // ---- binary safety ----

  @Test
  void binary_allByteValuesInKeyAndValue_roundTrip() throws IOException {
    byte[] value = new byte[256 * 2];
    for (int i = 0; i < value.length; i++) {
      value[i] = (byte) i;
    }
    byte[] key = {'b', 'i', 'n', 0, '\r', '\n', (byte) 0xff, '*', '$', '\r'};

    try (Client client = new Client()) {
      // As a command name the binary key yields an unknown-command error whose CR and LF were
      // turned into spaces: it is still one line, and the next reply parses.
      client.send(command(key, value));
      Object unknown = client.read();
      assertTrue(unknown instanceof Err, describe(unknown));
      assertTrue(
          ((Err) unknown).message().startsWith("ERR unknown command 'bin"), describe(unknown));

      client.send(command(latin1("SET"), key, value));
      assertEquals("OK", client.read());
      client.send(command(latin1("GET"), key));
      assertArrayEquals(value, (byte[]) client.read());
      client.send(command(latin1("STRLEN"), key));
      assertEquals(512L, client.read());
      client.send(command(latin1("EXISTS"), Arrays.copyOf(key, 4)));
      assertEquals(0L, client.read(), "the key does not end at the NUL byte");
    }
  }

  @Test
  void binary_emptyValue_roundTrips() throws IOException {
    try (Client client = new Client()) {
      client.send(command("SET", "empty", ""));
      client.send(command("GET", "empty"));
      client.expectRaw("+OK\r\n$0\r\n\r\n");
    }
  }

  // ---- error replies ----

  @Test
  void unknownCommand_withArgs_repliesRedisMessageExactly() throws IOException {
    try (Client client = new Client()) {
      client.send(command("foo", "a", "b"));
      client.expectRaw("-ERR unknown command 'foo', with args beginning with: 'a' 'b' \r\n");
      client.send("foo\r\n");
      client.expectRaw("-ERR unknown command 'foo', with args beginning with: \r\n");
    }
  }

  @Test
  void unknownCommand_longArgument_isCutAt128Characters() throws IOException {
    try (Client client = new Client()) {
      client.send(command("foo", "x".repeat(200), "y"));
      client.expectRaw(
          "-ERR unknown command 'foo', with args beginning with: '" + "x".repeat(128) + "' \r\n");
    }
  }

  @Test
  void wrongArity_get_repliesRedisMessageExactly() throws IOException {
    try (Client client = new Client()) {
      client.send(command("get"));
      client.expectRaw("-ERR wrong number of arguments for 'get' command\r\n");
      client.send(command("GET", "a", "b"));
      client.expectRaw("-ERR wrong number of arguments for 'get' command\r\n");
      client.send("PING\r\n");
      client.expectRaw("+PONG\r\n");
    }
  }

  @Test
  void quit_repliesOkThenCloses() throws IOException {
    try (Client client = new Client()) {
      client.send("QUIT\r\nPING\r\n");
      client.expectRaw("+OK\r\n");
      client.expectClosed();
    }
  }

  // ---- a client that never reads ----

  @Test
  void slowReader_pipeliningWithoutReading_doesNotBlockOtherClients() throws Exception {
    try (Client setup = new Client()) {
      assertEquals("OK", setup.call("SET", "slow:big", "v".repeat(2048)));
    }
    byte[] gets;
    {
      ByteArrayOutputStream chunk = new ByteArrayOutputStream();
      byte[] get = command("GET", "slow:big");
      while (chunk.size() < 64 * 1024) {
        chunk.writeBytes(get);
      }
      gets = chunk.toByteArray();
    }
    long total = 20L * 1024 * 1024;
    AtomicLong written = new AtomicLong();
    CountDownLatch started = new CountDownLatch(1);
    Client greedy = new Client();
    Thread writer =
        new Thread(
            () -> {
              try {
                while (written.get() < total) {
                  greedy.out.write(gets);
                  if (written.addAndGet(gets.length) >= 256 * 1024) {
                    started.countDown();
                  }
                }
              } catch (IOException expected) {
                // The test closes the socket while this write is blocked.
              }
            },
            "greedy-writer");
    writer.setDaemon(true);
    writer.start();
    try {
      // 256 KB of GETs ask for about 20 MB of replies that the greedy client never reads.
      assertTrue(started.await(10, TimeUnit.SECONDS), "the greedy client could not pipeline");

      try (Client other = new Client()) {
        for (int i = 0; i < 3; i++) {
          assertEquals("PONG", other.call("PING"));
          assertEquals("OK", other.call("SET", "slow:other", "v" + i));
          assertEquals("v" + i, text(other.call("GET", "slow:other")));
        }
      }
    } finally {
      greedy.close();
      writer.join(10_000);
    }
    assertFalse(writer.isAlive(), "the writer stays blocked after its socket closed");

    try (Client after = new Client()) {
      assertEquals("PONG", after.call("PING"));
    }
  }

  @Test
  void connection_manyClientsAtOnce_eachGetsOwnReplies() throws IOException {
    List<Client> clients = new ArrayList<>();
    try {
      for (int i = 0; i < 20; i++) {
        clients.add(new Client());
      }
      for (int i = 0; i < clients.size(); i++) {
        clients.get(i).send(command("ECHO", "client-" + i));
      }
      for (int i = clients.size() - 1; i >= 0; i--) {
        assertEquals("client-" + i, text(clients.get(i).read()));
      }
    } finally {
      for (Client c : clients) {
        c.close();
      }
    }
  }
}
