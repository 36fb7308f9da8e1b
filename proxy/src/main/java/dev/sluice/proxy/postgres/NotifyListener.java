package dev.sluice.proxy.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * LISTENs on channel {@code sluice_invalidate} on a dedicated, unpooled connection (thread {@code
 * sluice-notify}) and hands every payload to the invalidation handler.
 *
 * <p>When the connection is lost (the server restarted, {@code pg_terminate_backend}, a network
 * failure) it reconnects with backoff (50 ms doubling to 2 s) and, once listening again, calls
 * {@code onReconnect}: notifications sent while it was away are lost, so every key that depends on
 * them must go.
 *
 * <p>{@link ConnectionListener}s hear the same on the listener's thread: {@code lost} once when the
 * LISTEN connection breaks (or cannot be opened at start), {@code restored} once it LISTENs again,
 * after {@code onReconnect}. Whoever keeps copies that only notifications keep fresh (client-side
 * caching) must drop them on either: between the two, changes go unnoticed.
 */
public final class NotifyListener implements AutoCloseable {
  /** Told, on the listener's thread, when its LISTEN connection is lost and when it is back. */
  public interface ConnectionListener {
    void lost(String reason);

    void restored();
  }

  private static final Logger log = LoggerFactory.getLogger(NotifyListener.class);
  private static final long MIN_BACKOFF_MS = 50;
  private static final long MAX_BACKOFF_MS = 2_000;

  private final String channel;
  private final String threadName;
  private final DataSource dataSource;
  private final Consumer<String> onPayload;
  private final Runnable onReconnect;
  private final List<ConnectionListener> connectionListeners = new CopyOnWriteArrayList<>();
  private final CountDownLatch stop = new CountDownLatch(1);
  private final AtomicLong reconnects = new AtomicLong();
  private final AtomicLong notifications = new AtomicLong();
  private volatile boolean listening;
  private volatile Connection connection;
  private volatile String startFailure; // why start() could not LISTEN, for the thread to report
  private Thread thread;

  /**
   * A listener of {@code channel} (look-aside invalidation uses {@code sluice_invalidate},
   * write-back control {@code sluice_control}) on its own thread called {@code threadName}.
   */
  public NotifyListener(
      String channel,
      String threadName,
      DataSource dataSource,
      Consumer<String> onPayload,
      Runnable onReconnect) {
    this.channel = channel;
    this.threadName = threadName;
    this.dataSource = dataSource;
    this.onPayload = onPayload;
    this.onReconnect = onReconnect;
  }

  /** Adds a listener of the connection's losses and returns; may be called at any time. */
  public void addConnectionListener(ConnectionListener listener) {
    connectionListeners.add(listener);
  }

  /** Connects and LISTENs (so changes made after this returns are seen), then starts the thread. */
  public void start() {
    try {
      connect();
    } catch (SQLException e) {
      startFailure = SqlErrors.reason(e);
      log.warn("Cannot LISTEN {} yet, retrying: {}", channel, startFailure);
    }
    thread = new Thread(this::run, threadName);
    thread.setDaemon(true);
    thread.start();
  }

  private void connect() throws SQLException {
    Connection c = dataSource.getConnection();
    try (Statement statement = c.createStatement()) {
      statement.execute("LISTEN " + channel);
    } catch (SQLException e) {
      c.close();
      throw e;
    }
    connection = c;
    listening = true;
  }

  private void run() {
    long backoff = MIN_BACKOFF_MS;
    boolean lost = false;
    boolean told = false; // whether the connection listeners heard of the loss
    if (startFailure != null) {
      tellLost(startFailure);
      told = true;
    }
    while (stop.getCount() > 0) {
      if (connection == null) {
        try {
          connect();
          backoff = MIN_BACKOFF_MS;
          if (lost) {
            reconnects.incrementAndGet();
            log.info("LISTEN {} again after a lost connection", channel);
            onReconnect.run();
          }
          if (told) {
            told = false;
            tellRestored();
          }
          lost = false;
        } catch (SQLException e) {
          lost = true;
          if (!told) {
            tellLost(SqlErrors.reason(e));
            told = true;
          }
          if (await(backoff)) {
            return;
          }
          backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
          continue;
        }
      }
      try {
        PGNotification[] received = connection.unwrap(PGConnection.class).getNotifications(250);
        if (received != null) {
          for (PGNotification notification : received) {
            notifications.incrementAndGet();
            try {
              onPayload.accept(notification.getParameter());
            } catch (RuntimeException e) {
              log.warn(
                  "Ignoring notification {} on {}: {}",
                  notification.getParameter(),
                  channel,
                  e.toString());
            }
          }
        }
      } catch (SQLException e) {
        if (stop.getCount() == 0) {
          return;
        }
        String reason = SqlErrors.reason(e);
        log.warn("Lost the LISTEN connection: {}; reconnecting", reason);
        listening = false;
        closeConnection();
        lost = true;
        tellLost(reason);
        told = true;
      }
    }
  }

  private void tellLost(String reason) {
    for (ConnectionListener listener : connectionListeners) {
      try {
        listener.lost(reason);
      } catch (RuntimeException e) {
        log.warn("A listener of the lost LISTEN {} connection failed: {}", channel, e.toString());
      }
    }
  }

  private void tellRestored() {
    for (ConnectionListener listener : connectionListeners) {
      try {
        listener.restored();
      } catch (RuntimeException e) {
        log.warn(
            "A listener of the restored LISTEN {} connection failed: {}", channel, e.toString());
      }
    }
  }

  /** Waits up to {@code millis}; returns whether the listener was stopped meanwhile. */
  private boolean await(long millis) {
    try {
      return stop.await(millis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return true;
    }
  }

  private void closeConnection() {
    Connection c = connection;
    connection = null;
    if (c != null) {
      try {
        c.close();
      } catch (SQLException e) {
        // already gone
      }
    }
  }

  public boolean listening() {
    return listening;
  }

  public long reconnects() {
    return reconnects.get();
  }

  public long notifications() {
    return notifications.get();
  }

  @Override
  public void close() {
    stop.countDown();
    if (thread != null) {
      try {
        thread.join(2_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    listening = false;
    closeConnection();
  }
}
