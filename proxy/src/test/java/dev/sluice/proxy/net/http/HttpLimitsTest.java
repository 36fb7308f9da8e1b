package dev.sluice.proxy.net.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.config.EndpointSettings;
import dev.sluice.proxy.testing.TestServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The HTTP endpoint's header limits, hit by raw sockets while a well-behaved client keeps being
 * served: headers trickled slower than http.header-timeout (slowloris), an idle keep-alive
 * connection, and headers larger than http.max-header-size. The body limit (413) is covered by
 * HttpIngestTest.
 */
class HttpLimitsTest {
  private static final Duration CLOSE_BOUND = Duration.ofSeconds(5);
  private static TestServer server;
  private static final HttpClient CLIENT = HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    server =
        TestServer.start(
            b ->
                b.set(EndpointSettings.HTTP_PORT, 0)
                    .set(EndpointSettings.HTTP_HEADER_TIMEOUT, Duration.ofMillis(500))
                    .set(EndpointSettings.HTTP_MAX_HEADER_SIZE, 1024L));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static Socket raw() throws IOException {
    Socket socket = new Socket("127.0.0.1", server.httpPort());
    socket.setSoTimeout((int) CLOSE_BOUND.toMillis());
    return socket;
  }

  /** Reads until the server closes; true if it did within the bound. */
  private static boolean closedWithin(Socket socket) throws IOException {
    InputStream in = socket.getInputStream();
    try {
      while (in.read() >= 0) {
        // discard what the server sent before closing
      }
      return true;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true; // reset
    }
  }

  private static void assertOthersServed() throws Exception {
    HttpResponse<String> health =
        CLIENT.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + "/healthz"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, health.statusCode());
  }

  @Test
  void headers_trickledSlowerThanHeaderTimeout_connectionClosed() throws Exception {
    ScheduledExecutorService drip = Executors.newSingleThreadScheduledExecutor();
    try (Socket slow = raw()) {
      OutputStream out = slow.getOutputStream();
      out.write("GET /healthz HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
      // one header byte every 100 ms: never a complete request, never idle for a read timeout
      drip.scheduleAtFixedRate(
          () -> {
            try {
              out.write('a');
            } catch (IOException e) {
              // closed by the server: what the test waits for
            }
          },
          0,
          100,
          TimeUnit.MILLISECONDS);
      assertOthersServed();

      assertTrue(closedWithin(slow), "a connection trickling its headers is closed");
    } finally {
      drip.shutdownNow();
    }
  }

  @Test
  void keepAlive_idleAfterAResponse_closedAfterHeaderTimeout() throws Exception {
    try (Socket idle = raw()) {
      idle.getOutputStream()
          .write("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      byte[] head = new byte[12];
      assertEquals(12, idle.getInputStream().readNBytes(head, 0, 12));
      assertEquals("HTTP/1.1 200", new String(head, StandardCharsets.US_ASCII));

      assertTrue(closedWithin(idle), "an idle keep-alive connection is closed");
      assertOthersServed();
    }
  }

  @Test
  void headers_largerThanMaxHeaderSize_431() throws Exception {
    try (Socket big = raw()) {
      big.getOutputStream()
          .write(
              ("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(2000) + "\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      byte[] head = new byte[12];
      assertEquals(12, big.getInputStream().readNBytes(head, 0, 12));

      assertEquals("HTTP/1.1 431", new String(head, StandardCharsets.US_ASCII));
      assertOthersServed();
    }
  }
}
