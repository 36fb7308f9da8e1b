package dev.sluice.proxy.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.proxy.testing.ListenBackends;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The LISTEN connection's losses as its {@link NotifyListener.ConnectionListener}s hear them: a
 * backend terminated with {@code pg_terminate_backend} is "lost", then "restored" once the listener
 * LISTENs again, both on the listener's own thread.
 */
class NotifyListenerTest {
  private static final String THREAD = "sluice-notify-test";
  private static EmbeddedPostgres postgres;

  @BeforeAll
  static void start() throws IOException {
    postgres = EmbeddedPostgres.builder().start();
  }

  @AfterAll
  static void stop() throws IOException {
    postgres.close();
  }

  @Test
  void listenBackendTerminated_listenersHearLostThenRestoredOnListenerThread() throws Exception {
    BlockingQueue<String> events = new LinkedBlockingQueue<>();
    BlockingQueue<String> payloads = new LinkedBlockingQueue<>();
    AtomicInteger reconnected = new AtomicInteger();
    try (NotifyListener listener =
        new NotifyListener(
            "sluice_test",
            THREAD,
            postgres.getPostgresDatabase(),
            payloads::add,
            reconnected::incrementAndGet)) {
      listener.addConnectionListener(
          new NotifyListener.ConnectionListener() {
            @Override
            public void lost(String reason) {
              events.add("lost on " + Thread.currentThread().getName() + ": " + reason);
            }

            @Override
            public void restored() {
              events.add(
                  "restored on "
                      + Thread.currentThread().getName()
                      + " after "
                      + reconnected.get()
                      + " reconnect");
            }
          });
      listener.start();
      notify("before");
      assertEquals("before", payloads.poll(10, TimeUnit.SECONDS));
      assertNull(events.poll(), "nothing lost yet");

      assertEquals(1, terminateListenBackends());

      String lost = events.poll(10, TimeUnit.SECONDS);
      assertNotNull(lost, "the loss was told");
      assertTrue(lost.startsWith("lost on " + THREAD + ": "), lost);
      assertEquals(
          "restored on " + THREAD + " after 1 reconnect", events.poll(10, TimeUnit.SECONDS));
      assertTrue(listener.listening());
      notify("after");
      assertEquals("after", payloads.poll(10, TimeUnit.SECONDS), "listening again");
      assertNull(events.poll(), "one loss, one restore");
    }
  }

  private static void notify(String payload) throws SQLException {
    try (Connection c = postgres.getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      s.execute("NOTIFY sluice_test, '" + payload + "'");
    }
  }

  private static int terminateListenBackends() throws SQLException {
    try (Connection c = postgres.getPostgresDatabase().getConnection()) {
      return ListenBackends.terminate(c);
    }
  }
}
