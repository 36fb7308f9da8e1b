package dev.sluice.proxy.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.proxy.testing.Await;
import dev.sluice.proxy.testing.RespStream;
import dev.sluice.proxy.testing.TestServer;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * A Sluice replica whose link breaks in the middle of a command: the test plays the primary on a
 * raw socket, sends a file, one whole command and half of the next, and closes. The replica must
 * have applied the whole command only, come back with PSYNC at the offset after it (the half
 * command does not count), and, continued from there, apply the rest once.
 */
class ReplicaCutMidCommandTest {
  private static final String REPLID = "a".repeat(40);

  private static byte[] command(String... args) {
    return RespStream.encode(args);
  }

  /** An RDB file of no key, written with rdbchecksum no. */
  private static byte[] emptyRdb() {
    byte[] file = new byte[18];
    System.arraycopy("REDIS0010".getBytes(StandardCharsets.US_ASCII), 0, file, 0, 9);
    file[9] = (byte) 0xFF; // EOF, then a CRC-64 of 0
    return file;
  }

  @Test
  void link_cutInsideACommand_psyncFromTheLastWholeOneAndEachCommandAppliedOnce() throws Exception {
    byte[] select = command("SELECT", "0");
    byte[] first = command("INCR", "counter");
    byte[] second = command("INCR", "counter");
    byte[] third = command("SET", "after", "yes");
    long applied = select.length + first.length;
    try (ServerSocket primary = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        TestServer sluice = TestServer.startOnSystemClock(settings -> settings);
        Jedis replica = new Jedis("127.0.0.1", sluice.port())) {
      primary.setSoTimeout(30_000);
      replica.replicaof("127.0.0.1", primary.getLocalPort());

      try (Link link = new Link(primary.accept())) {
        assertEquals("PSYNC", link.handshake().get(0));
        link.write(("+FULLRESYNC " + REPLID + " 0\r\n$18\r\n").getBytes(StandardCharsets.US_ASCII));
        link.write(emptyRdb());
        link.write(select);
        link.write(first);
        link.write(Arrays.copyOf(second, second.length / 2));
        Await.until(
            "the first INCR on the replica",
            Duration.ofSeconds(30),
            () -> "1".equals(replica.get("counter")));
      }

      try (Link link = new Link(primary.accept())) {
        List<String> psync = link.handshake();
        assertEquals(List.of("PSYNC", REPLID, Long.toString(applied + 1)), psync);
        link.write("+CONTINUE\r\n".getBytes(StandardCharsets.US_ASCII));
        link.write(second);
        link.write(third);
        Await.until(
            "the rest of the stream on the replica",
            Duration.ofSeconds(30),
            () -> "yes".equals(replica.get("after")));
        assertEquals("2", replica.get("counter"), "the cut INCR applied once");
        String info = replica.info("replication");
        long offset = applied + second.length + third.length;
        assertTrue(info.contains("master_repl_offset:" + offset), info);
      }
      replica.replicaofNoOne();
    }
  }

  /** The primary's end of one link: answers the handshake, then writes what the test says. */
  private static final class Link implements AutoCloseable {
    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    Link(Socket socket) throws IOException {
      this.socket = socket;
      socket.setSoTimeout(30_000);
      in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
      out = socket.getOutputStream();
    }

    /** Answers PING and REPLCONF until the replica's PSYNC, which it returns. */
    List<String> handshake() throws IOException {
      while (true) {
        List<String> command = RespStream.command(in);
        switch (command.get(0).toUpperCase()) {
          case "PING" -> write("+PONG\r\n".getBytes(StandardCharsets.US_ASCII));
          case "REPLCONF" -> write("+OK\r\n".getBytes(StandardCharsets.US_ASCII));
          case "PSYNC" -> {
            return command;
          }
          default -> throw new AssertionError("unexpected in the handshake: " + command);
        }
      }
    }

    void write(byte[] bytes) throws IOException {
      out.write(bytes);
      out.flush();
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}
