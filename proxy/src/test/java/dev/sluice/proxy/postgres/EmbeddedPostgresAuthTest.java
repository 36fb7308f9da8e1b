package dev.sluice.proxy.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.config.ConfigLoader;
import dev.sluice.config.SluiceConfig;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded PostgreSQL asks every connection for its password, whoever makes it: over JDBC and,
 * through {@code runuser}, from {@code psql} run as another OS user ({@code nobody}). Only the
 * password kept in the data directory (mode 0600) gets in.
 */
class EmbeddedPostgresAuthTest {
  private static final Path PSQL = Path.of("/usr/bin/psql");

  /** Run as SQL by the would-be intruder: what trust let any local user do. */
  private static final String ATTACK = "COPY (SELECT 1) TO PROGRAM 'id > %s'";

  @TempDir Path dir;

  private SluiceConfig config(String dataDir) {
    return new ConfigLoader(Map.of())
        .loadText(
            "postgres:\n  data-dir: " + dir.resolve(dataDir) + "\n",
            "test configuration",
            Map.of());
  }

  private static String jdbcUrl(PostgresConnector connector) {
    return "jdbc:postgresql://localhost:" + connector.embeddedPort().orElseThrow() + "/postgres";
  }

  private static Properties credentials(String password) {
    Properties properties = new Properties();
    properties.setProperty("user", "postgres");
    if (password != null) {
      properties.setProperty("password", password);
    }
    properties.setProperty("connectTimeout", "5");
    return properties;
  }

  private static String currentUser(String url, String password) throws SQLException {
    try (Connection c = DriverManager.getConnection(url, credentials(password));
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT current_user")) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static List<String> passwordLines(Path passwordFile) throws IOException {
    List<String> lines = new ArrayList<>();
    for (String line : Files.readAllLines(passwordFile)) {
      if (!line.startsWith("#") && !line.isBlank()) {
        lines.add(line);
      }
    }
    return lines;
  }

  /** The active lines of pg_hba.conf, comments and blank lines left out. */
  private static List<String> hbaLines(Path dataDir) throws IOException {
    List<String> lines = new ArrayList<>();
    for (String line : Files.readAllLines(dataDir.resolve("pg_hba.conf"))) {
      String content = line.replaceAll("#.*", "").trim();
      if (!content.isEmpty()) {
        lines.add(content);
      }
    }
    return lines;
  }

  private record Result(int exitCode, String output) {}

  /** Runs {@code command} with only {@code environment} (and PATH), from /, for at most 30 s. */
  private static Result run(List<String> command) throws IOException, InterruptedException {
    Process process =
        new ProcessBuilder(command)
            .directory(Path.of("/").toFile())
            .redirectErrorStream(true)
            .start();
    process.getOutputStream().close();
    byte[] output = process.getInputStream().readAllBytes();
    assertTrue(process.waitFor(30, TimeUnit.SECONDS), "psql finished: " + command);
    return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
  }

  /** psql as OS user {@code nobody}, with a clean environment plus {@code environment}. */
  private static Result psqlAsNobody(String host, int port, String sql, String... environment)
      throws IOException, InterruptedException {
    List<String> command =
        new ArrayList<>(
            List.of("runuser", "-u", "nobody", "--", "env", "-i", "PATH=/usr/bin:/bin"));
    command.addAll(List.of(environment));
    command.addAll(
        List.of(
            PSQL.toString(),
            "-w", // never prompt: no password is no password
            "-X",
            "-h",
            host,
            "-p",
            Integer.toString(port),
            "-U",
            "postgres",
            "-d",
            "postgres",
            "-c",
            sql));
    return run(command);
  }

  @Test
  void start_firstRun_makesAPasswordOwnerOnlyAndPgHbaAsksForItEverywhere()
      throws IOException, SQLException {
    Path data = dir.resolve("data");
    try (PostgresConnector connector = PostgresConnector.connect(config("data"))) {
      Path passwordFile = connector.embeddedPasswordFile().orElseThrow();
      String password = connector.embeddedPassword().orElseThrow();

      assertEquals(data.resolve("sluice.pgpass").toAbsolutePath(), passwordFile);
      assertEquals(
          "rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(passwordFile)));
      assertTrue(password.length() >= 32, password.length() + " characters");
      assertEquals(
          List.of(
              "localhost:*:*:postgres:" + password,
              "127.0.0.1:*:*:postgres:" + password,
              "\\:\\:1:*:*:postgres:" + password),
          passwordLines(passwordFile));
      assertEquals("postgres", currentUser(jdbcUrl(connector), password));

      List<String> hba = hbaLines(data);
      assertTrue(hba.stream().anyMatch(l -> l.startsWith("local ")), hba.toString());
      assertTrue(hba.stream().anyMatch(l -> l.startsWith("host ")), hba.toString());
      for (String line : hba) {
        assertTrue(line.endsWith(" scram-sha-256"), line);
      }
    }
  }

  @Test
  void connect_overJdbcWithoutOrWithAWrongPassword_isRefused() throws SQLException {
    try (PostgresConnector connector = PostgresConnector.connect(config("data"))) {
      String url = jdbcUrl(connector);

      SQLException none = assertThrows(SQLException.class, () -> currentUser(url, null));
      SQLException wrong = assertThrows(SQLException.class, () -> currentUser(url, "postgres"));

      assertTrue(
          none.getMessage().contains("SCRAM-based authentication, but no password was provided"),
          none.getMessage());
      assertEquals("28P01", wrong.getSQLState(), wrong.getMessage()); // invalid_password
      assertTrue(
          wrong.getMessage().contains("password authentication failed for user \"postgres\""),
          wrong.getMessage());
      assertEquals(
          "postgres",
          currentUser(url, connector.embeddedPassword().orElseThrow()),
          "and the right");
    }
  }

  /**
   * The hole this closes: with {@code trust}, any OS user could run {@code psql -U postgres} and
   * COPY TO PROGRAM as the server's user. Here {@code nobody} tries over TCP and over the Unix
   * socket, without a password, with a wrong one, and with the password file it cannot read.
   */
  @Test
  void psql_asAnotherOsUserWithoutTheRightPassword_isRefused()
      throws IOException, InterruptedException, SQLException {
    assertEquals(
        "root",
        System.getProperty("user.name"),
        "runs psql as nobody through runuser, which needs root (as CI and the development"
            + " machines run)");
    assertTrue(
        Files.isExecutable(PSQL), PSQL + " is missing: install postgresql-client (.ci/run does)");
    try (PostgresConnector connector = PostgresConnector.connect(config("data"))) {
      int port = connector.embeddedPort().orElseThrow();
      Path passwordFile = connector.embeddedPasswordFile().orElseThrow();
      Path intruded = dir.resolve("intruded");
      String attack = String.format(ATTACK, intruded);
      String socketDirectory;
      try (Connection c =
              DriverManager.getConnection(
                  jdbcUrl(connector), credentials(connector.embeddedPassword().orElseThrow()));
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SHOW unix_socket_directories")) {
        rs.next();
        socketDirectory = rs.getString(1).split(",")[0].trim();
      }
      assertFalse(socketDirectory.isEmpty(), "the server has a Unix socket to try too");

      for (String host : List.of("127.0.0.1", "localhost", socketDirectory)) {
        Result none = psqlAsNobody(host, port, attack);
        Result wrong = psqlAsNobody(host, port, attack, "PGPASSWORD=postgres");
        Result unreadable =
            psqlAsNobody(host, port, attack, "PGPASSFILE=" + passwordFile.toAbsolutePath());

        assertEquals(2, none.exitCode(), host + ": " + none.output());
        assertTrue(none.output().contains("fe_sendauth: no password supplied"), none.output());
        assertEquals(2, wrong.exitCode(), host + ": " + wrong.output());
        assertTrue(
            wrong.output().contains("password authentication failed for user \"postgres\""),
            wrong.output());
        assertEquals(2, unreadable.exitCode(), host + ": " + unreadable.output());
        assertTrue(
            unreadable.output().contains("no password supplied")
                || unreadable.output().contains("password authentication failed"),
            unreadable.output());
      }
      assertFalse(Files.exists(intruded), "COPY TO PROGRAM ran");

      // the owner (root here) gets in with the password file named by PGPASSFILE
      Result owner =
          run(
              List.of(
                  "env",
                  "-i",
                  "PATH=/usr/bin:/bin",
                  "PGPASSFILE=" + passwordFile.toAbsolutePath(),
                  PSQL.toString(),
                  "-w",
                  "-X",
                  "-At",
                  "-h",
                  "127.0.0.1",
                  "-p",
                  Integer.toString(port),
                  "-U",
                  "postgres",
                  "-c",
                  "SELECT current_user"));
      assertEquals(0, owner.exitCode(), owner.output());
      assertEquals("postgres", owner.output().trim());
    }
  }

  @Test
  void connect_sameDataDirectoryAgain_reusesItsPassword() throws SQLException, IOException {
    String first;
    try (PostgresConnector connector = PostgresConnector.connect(config("data"))) {
      first = connector.embeddedPassword().orElseThrow();
    }
    String other;
    try (PostgresConnector connector = PostgresConnector.connect(config("other"))) {
      other = connector.embeddedPassword().orElseThrow();
    }

    try (PostgresConnector again = PostgresConnector.connect(config("data"))) {
      assertEquals(first, again.embeddedPassword().orElseThrow());
      assertEquals("postgres", currentUser(jdbcUrl(again), first));
      assertEquals(
          "rw-------",
          PosixFilePermissions.toString(
              Files.getPosixFilePermissions(again.embeddedPasswordFile().orElseThrow())));
    }
    assertNotEquals(first, other, "each database its own random password");
  }

  /**
   * A data directory made by an older Sluice: zonky's initdb with {@code -A trust}, no password, no
   * password file. The next start gives it a password and leaves no trust line.
   */
  @Test
  void connect_dataDirectoryThatTrustedEveryone_getsAPasswordAndStopsTrusting()
      throws IOException, SQLException {
    Path data = dir.resolve("data");
    try (EmbeddedPostgres old =
            EmbeddedPostgres.builder()
                .setDataDirectory(data)
                .setCleanDataDirectory(false)
                .setRegisterShutdownHook(false)
                .start();
        Connection c = old.getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE notes (body text)");
      s.execute("INSERT INTO notes VALUES ('written while it trusted everyone')");
    }
    assertTrue(hbaLines(data).stream().anyMatch(l -> l.endsWith(" trust")), "it trusted");
    assertFalse(Files.exists(data.resolve("sluice.pgpass")));

    String password;
    try (PostgresConnector connector = PostgresConnector.connect(config("data"))) {
      password = connector.embeddedPassword().orElseThrow();
      String url = jdbcUrl(connector);

      assertThrows(SQLException.class, () -> currentUser(url, null));
      assertThrows(SQLException.class, () -> currentUser(url, "postgres"));
      try (Connection c = DriverManager.getConnection(url, credentials(password));
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT body FROM notes")) {
        assertTrue(rs.next());
        assertEquals("written while it trusted everyone", rs.getString(1));
      }
    }
    for (String line : hbaLines(data)) {
      assertTrue(line.endsWith(" scram-sha-256"), line);
    }
    assertEquals(
        List.of(
            "localhost:*:*:postgres:" + password,
            "127.0.0.1:*:*:postgres:" + password,
            "\\:\\:1:*:*:postgres:" + password),
        passwordLines(data.resolve("sluice.pgpass")));

    try (PostgresConnector again = PostgresConnector.connect(config("data"))) {
      assertEquals(password, again.embeddedPassword().orElseThrow());
      assertThrows(SQLException.class, () -> currentUser(jdbcUrl(again), null));
    }
  }

  @Test
  void connect_passwordFileGone_saysWhichFileIsMissing() throws IOException {
    Path data = dir.resolve("data");
    try (PostgresConnector connector = PostgresConnector.connect(config("data"))) {
      assertTrue(Files.exists(connector.embeddedPasswordFile().orElseThrow()));
    }
    Files.delete(data.resolve("sluice.pgpass"));

    PostgresException e =
        assertThrows(PostgresException.class, () -> PostgresConnector.connect(config("data")));

    assertTrue(e.getMessage().contains("asks for a password"), e.getMessage());
    assertTrue(
        e.getMessage().contains(data.resolve("sluice.pgpass").toAbsolutePath() + " is missing"),
        e.getMessage());
  }
}
