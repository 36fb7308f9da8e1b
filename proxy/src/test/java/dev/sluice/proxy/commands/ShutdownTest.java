package dev.sluice.proxy.commands;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.proxy.testing.Await;
import dev.sluice.proxy.testing.RespSocket;
import dev.sluice.proxy.testing.TestServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ShutdownTest {
  @ParameterizedTest
  @ValueSource(strings = {"", "NOSAVE", "SAVE", "NOW", "NOSAVE NOW FORCE"})
  void shutdown_anyValidArguments_closesTheConnectionAndStopsListening(String arguments) {
    try (TestServer server = TestServer.start()) {
      int port = server.port();
      try (RespSocket c = RespSocket.connect(port)) {
        String[] args = ("SHUTDOWN " + arguments).trim().split(" ");
        c.send(args);
        assertTrue(c.closedWithin(Duration.ofSeconds(10)), "the connection closes, no reply");
      }
      Await.until("the port to stop listening", () -> !listening(port));
      assertThrows(UncheckedIOException.class, () -> RespSocket.connect(port).close());
    }
  }

  private static boolean listening(int port) {
    try (Socket s = new Socket("127.0.0.1", port)) {
      return true;
    } catch (IOException refused) {
      return false;
    }
  }
}
