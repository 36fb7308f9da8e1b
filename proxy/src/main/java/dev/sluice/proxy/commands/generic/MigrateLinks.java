package dev.sluice.proxy.commands.generic;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * MIGRATE's network side, off the event loops and the keyspace lock: one worker thread ({@code
 * sluice-migrate}) sends the RESTORE commands serialised under the lock and reads the target's
 * replies, as Redis's migrateCommand does between migrateGetSocket and the deletion of the moved
 * keys — with its retry of a cached connection found closed, its replies and its IOERR texts. The
 * connections are cached per host:port (at most 64, one dropped at random beyond) and closed once
 * idle for more than 10 s of the server clock, as Redis's migrateCloseTimedoutSockets does from
 * serverCron; the thread ends 10 s after its last work once no connection is left.
 */
final class MigrateLinks {
  static final int MAX_CACHED = 64;
  static final long IDLE_SECONDS = 10;

  static final String CONNECT_ERROR = "IOERR error or timeout connecting to the client";

  /**
   * What to send: the target ({@code port} as the client wrote it: Redis caches by the text and
   * connects to its atoi), the database to SELECT, the timeout of each step, the credentials
   * (password null: no AUTH; username null: AUTH with the password alone) and one RESTORE command
   * per key, in RESP.
   */
  record Transfer(
      String host,
      String port,
      long db,
      long timeoutMillis,
      byte[] username,
      byte[] password,
      List<byte[]> restores) {}

  /**
   * What came of it: which RESTOREs the target acknowledged, and the error reply for the client
   * (without its "-"), or null for +OK.
   */
  record Outcome(boolean[] acknowledged, String error) {}

  private final LongSupplier clockMillis;
  private final ScheduledThreadPoolExecutor worker;
  // the worker's alone
  private final Map<String, MigrateLink> cached = new HashMap<>();
  private ScheduledFuture<?> sweep;

  MigrateLinks(LongSupplier clockMillis) {
    this.clockMillis = clockMillis;
    this.worker =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "sluice-migrate");
              t.setDaemon(true);
              return t;
            });
    worker.setKeepAliveTime(IDLE_SECONDS, TimeUnit.SECONDS);
    worker.allowCoreThreadTimeOut(true);
    worker.setRemoveOnCancelPolicy(true);
  }

  /**
   * Runs {@code transfer} on the worker, then {@code then} with its outcome, still on the worker;
   * the future completes with what {@code then} returns.
   */
  <T> CompletableFuture<T> submit(Transfer transfer, Function<Outcome, T> then) {
    CompletableFuture<T> done = new CompletableFuture<>();
    worker.execute(
        () -> {
          try {
            done.complete(then.apply(run(transfer)));
          } catch (RuntimeException | Error e) {
            done.completeExceptionally(e);
          }
        });
    return done;
  }

  /** migrateCommand from its label try_again on, as Redis runs it. */
  private Outcome run(Transfer t) {
    int keys = t.restores().size();
    boolean mayRetry = true;
    while (true) {
      MigrateLink link = link(t);
      if (link == null) {
        return new Outcome(new boolean[keys], CONNECT_ERROR);
      }
      boolean select = link.lastDb != t.db();
      boolean writing = true;
      boolean timedOut;
      try {
        link.write(commands(t, select), t.timeoutMillis());
        writing = false;
        String auth = t.password() != null ? link.readLine(t.timeoutMillis()) : null;
        String selected = select ? link.readLine(t.timeoutMillis()) : null;
        Outcome outcome = restores(t, link, auth, selected);
        if (outcome != null) {
          return outcome;
        }
        timedOut = false; // the first RESTORE reply failed: worth another connection
      } catch (IOException e) {
        timedOut = e instanceof SocketTimeoutException;
      }
      close(t);
      if (timedOut || !mayRetry) {
        return new Outcome(
            new boolean[keys],
            "IOERR error or timeout " + (writing ? "writing" : "reading") + " to target instance");
      }
      mayRetry = false;
    }
  }

  /**
   * Reads the RESTOREs' replies; null when the first could not be read for another reason than a
   * timeout, which Redis answers by trying once more on a new connection.
   */
  private Outcome restores(Transfer t, MigrateLink link, String auth, String selected) {
    boolean[] acknowledged = new boolean[t.restores().size()];
    String error = null;
    boolean socketError = false;
    boolean timedOut = false;
    int j = 0;
    for (; j < acknowledged.length; j++) {
      String reply;
      try {
        reply = link.readLine(t.timeoutMillis());
      } catch (IOException e) {
        socketError = true;
        timedOut = e instanceof SocketTimeoutException;
        break;
      }
      String failed =
          auth != null && auth.startsWith("-")
              ? auth
              : selected != null && selected.startsWith("-")
                  ? selected
                  : reply.startsWith("-") ? reply : null;
      if (failed == null) {
        acknowledged[j] = true;
      } else if (error == null) {
        link.lastDb = -1;
        error = "ERR Target instance replied with error: " + failed.substring(1);
      }
    }
    if (error == null && socketError && j == 0 && !timedOut) {
      return null;
    }
    if (socketError || link.desynchronised) {
      close(t);
    }
    if (error == null && socketError) {
      return new Outcome(acknowledged, "IOERR error or timeout reading to target instance");
    }
    if (error == null) {
      link.lastDb = t.db();
    }
    return new Outcome(acknowledged, error);
  }

  /** AUTH and SELECT when needed, then the RESTOREs. */
  private static byte[] commands(Transfer t, boolean select) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (t.password() != null) {
      List<byte[]> auth = new ArrayList<>(List.of(ascii("AUTH")));
      if (t.username() != null) {
        auth.add(t.username());
      }
      auth.add(t.password());
      writeCommand(out, auth);
    }
    if (select) {
      writeCommand(out, List.of(ascii("SELECT"), ascii(Long.toString(t.db()))));
    }
    for (byte[] restore : t.restores()) {
      out.writeBytes(restore);
    }
    return out.toByteArray();
  }

  /** A command in RESP: its argument count, then each argument as a bulk string. */
  static void writeCommand(ByteArrayOutputStream out, List<byte[]> args) {
    out.writeBytes(ascii("*" + args.size() + "\r\n"));
    for (byte[] arg : args) {
      out.writeBytes(ascii("$" + arg.length + "\r\n"));
      out.writeBytes(arg);
      out.writeBytes(new byte[] {'\r', '\n'});
    }
  }

  static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  /** migrateGetSocket: the cached connection, or a new one; null when it cannot be made. */
  private MigrateLink link(Transfer t) {
    String name = t.host() + ":" + t.port();
    long now = seconds();
    MigrateLink link = cached.get(name);
    if (link != null) {
      link.lastUseSeconds = now;
      return link;
    }
    if (cached.size() == MAX_CACHED) {
      List<String> names = new ArrayList<>(cached.keySet());
      cached.remove(names.get(ThreadLocalRandom.current().nextInt(names.size()))).close();
    }
    try {
      link = MigrateLink.connect(t.host(), atoi(t.port()), t.timeoutMillis());
    } catch (IOException e) {
      return null;
    }
    link.lastUseSeconds = now;
    cached.put(name, link);
    if (sweep == null) {
      sweep = worker.scheduleWithFixedDelay(this::closeIdle, 1, 1, TimeUnit.SECONDS);
    }
    return link;
  }

  private void close(Transfer t) {
    MigrateLink link = cached.remove(t.host() + ":" + t.port());
    if (link != null) {
      link.close();
    }
    stopSweepIfEmpty();
  }

  /** migrateCloseTimedoutSockets, once a second while connections are cached. */
  private void closeIdle() {
    long now = seconds();
    cached
        .values()
        .removeIf(
            link -> {
              if (now - link.lastUseSeconds > IDLE_SECONDS) {
                link.close();
                return true;
              }
              return false;
            });
    stopSweepIfEmpty();
  }

  private void stopSweepIfEmpty() {
    if (cached.isEmpty() && sweep != null) {
      sweep.cancel(false);
      sweep = null;
    }
  }

  private long seconds() {
    return clockMillis.getAsLong() / 1000;
  }

  /** C's atoi, as Redis reads the port: leading blanks, a sign, digits up to anything else. */
  static int atoi(String text) {
    int i = 0;
    while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
      i++;
    }
    boolean negative = i < text.length() && text.charAt(i) == '-';
    if (i < text.length() && (text.charAt(i) == '-' || text.charAt(i) == '+')) {
      i++;
    }
    long value = 0;
    for (; i < text.length() && text.charAt(i) >= '0' && text.charAt(i) <= '9'; i++) {
      value = Math.min(value * 10 + (text.charAt(i) - '0'), Integer.MAX_VALUE);
    }
    return (int) (negative ? -value : value);
  }
}
