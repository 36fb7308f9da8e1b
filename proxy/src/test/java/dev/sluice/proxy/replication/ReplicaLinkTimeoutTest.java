package dev.sluice.proxy.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.proxy.testing.Await;
import dev.sluice.proxy.testing.TestServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * repl-timeout: a primary that completes the synchronisation and then goes silent (no stream, no
 * PING: a partition) makes the replica drop the link and connect again, which the fake primary here
 * counts.
 */
class ReplicaLinkTimeoutTest {
  // "REDIS0010", the end of file, a zero checksum (not checked): an empty data set
  private static final byte[] EMPTY_RDB = {
    'R', 'E', 'D', 'I', 'S', '0', '0', '1', '0', (byte) 0xFF, 0, 0, 0, 0, 0, 0, 0, 0
  };

  @Test
  void replTimeout_primarySilentAfterSync_replicaReconnects() throws Exception {
    AtomicInteger connections = new AtomicInteger();
    List<Socket> accepted = new CopyOnWriteArrayList<>();
    try (ServerSocket silentPrimary = new ServerSocket(0);
        TestServer sluice = TestServer.startOnSystemClock(settings -> settings);
        Jedis replica = new Jedis("127.0.0.1", sluice.port())) {
      Thread primary =
          new Thread(
              () -> {
                while (!silentPrimary.isClosed()) {
                  try {
                    Socket socket = silentPrimary.accept();
                    accepted.add(socket);
                    connections.incrementAndGet();
                    synchronise(socket);
                  } catch (IOException closed) {
                    return;
                  }
                }
              });
      primary.setDaemon(true);
      primary.start();

      assertEquals("OK", replica.configSet("repl-timeout", "1"));
      assertEquals("OK", replica.replicaof("127.0.0.1", silentPrimary.getLocalPort()));
      Await.until(
          "the link up", () -> replica.info("replication").contains("master_link_status:up"));
      Await.until(
          "a second connection after the silence",
          Duration.ofSeconds(10),
          () -> connections.get() >= 2);
      replica.replicaofNoOne();
    } finally {
      for (Socket socket : accepted) {
        socket.close();
      }
    }
  }

  /** Answers the handshake and sends an empty file, then nothing more. */
  private static void synchronise(Socket socket) throws IOException {
    BufferedReader in =
        new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
    OutputStream out = socket.getOutputStream();
    for (String reply : new String[] {"+PONG", "+OK", "+OK"}) {
      readCommand(in);
      out.write((reply + "\r\n").getBytes(StandardCharsets.US_ASCII));
    }
    readCommand(in); // PSYNC
    out.write(
        ("+FULLRESYNC " + "a".repeat(40) + " 0\r\n$" + EMPTY_RDB.length + "\r\n")
            .getBytes(StandardCharsets.US_ASCII));
    out.write(EMPTY_RDB);
    out.flush();
  }

  private static void readCommand(BufferedReader in) throws IOException {
    String header = in.readLine(); // *N
    int args = Integer.parseInt(header.substring(1));
    for (int i = 0; i < 2 * args; i++) {
      in.readLine();
    }
  }
}
