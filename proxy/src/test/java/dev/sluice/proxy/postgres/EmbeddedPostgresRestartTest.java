package dev.sluice.proxy.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.config.ConfigLoader;
import dev.sluice.config.SluiceConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded server's data directory outlives it: across restarts and across a crash. */
class EmbeddedPostgresRestartTest {
  @TempDir Path dir;

  private SluiceConfig config() {
    return new ConfigLoader(Map.of())
        .loadText(
            "postgres:\n  data-dir: " + dir.resolve("data") + "\n", "test configuration", Map.of());
  }

  private static List<String> strings(PostgresConnector connector, String sql) throws SQLException {
    try (Connection c = connector.dataSource().getConnection();
        Statement s = c.createStatement()) {
      if (!s.execute(sql)) {
        return List.of();
      }
      List<String> out = new ArrayList<>();
      try (ResultSet rs = s.getResultSet()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
      return out;
    }
  }

  @Test
  void connect_sameDataDirectoryAgain_keepsTheRowsWrittenBefore() throws SQLException {
    try (PostgresConnector first = PostgresConnector.connect(config())) {
      first.migrate();
      strings(first, "CREATE TABLE notes (id int PRIMARY KEY, body text)");
      strings(first, "INSERT INTO notes VALUES (1, 'written before the restart')");
      strings(first, "INSERT INTO sluice.applied VALUES ('node-a', 42)");
    }

    try (PostgresConnector second = PostgresConnector.connect(config())) {
      assertTrue(second.migrate().upToDate(), "schema sluice kept its version");
      assertEquals(
          List.of("written before the restart"), strings(second, "SELECT body FROM notes"));
      assertEquals(List.of("42"), strings(second, "SELECT lsn FROM sluice.applied"));
    }
  }

  @Test
  void connect_directoryInUseByRunningServer_isRefused() {
    try (PostgresConnector running = PostgresConnector.connect(config())) {
      PostgresException e =
          assertThrows(PostgresException.class, () -> PostgresConnector.connect(config()));

      assertTrue(
          e.getMessage().contains("data directory " + dir.resolve("data").toAbsolutePath()),
          e.getMessage());
      assertTrue(e.getMessage().contains("is in use by another running Sluice"), e.getMessage());
    }
  }

  /**
   * A Sluice killed with SIGKILL leaves its PostgreSQL running. Here the first connector stops
   * cleanly, and the test starts the postmaster again by hand on the same directory, as the killed
   * Sluice would have left it; the next start must stop that orphan and carry on.
   */
  @Test
  void connect_postgresLeftRunningOnTheDirectory_stopsItAndStarts()
      throws SQLException, IOException, InterruptedException {
    Path data = dir.resolve("data");
    String postgresBinary;
    int port;
    try (PostgresConnector first = PostgresConnector.connect(config())) {
      strings(first, "CREATE TABLE notes (body text)");
      strings(first, "INSERT INTO notes VALUES ('before the crash')");
      long pid = Long.parseLong(Files.readAllLines(data.resolve("postmaster.pid")).get(0).trim());
      postgresBinary = ProcessHandle.of(pid).orElseThrow().info().command().orElseThrow();
      port = first.embeddedPort().orElseThrow();
    }
    Path pgCtl = Path.of(postgresBinary).resolveSibling("pg_ctl");
    List<String> command = new ArrayList<>();
    if (System.getProperty("user.name").equals("root")) {
      command.addAll(List.of("unshare", "-U")); // as zonky does: PostgreSQL refuses to run as root
    }
    command.addAll(
        List.of(pgCtl.toString(), "-D", data.toString(), "-o", "-p " + port, "-w", "start"));
    Process orphanStart =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("orphan.log").toFile())
            .start();
    assertTrue(orphanStart.waitFor(30, TimeUnit.SECONDS), "pg_ctl start finished");
    assertEquals(0, orphanStart.exitValue(), Files.readString(dir.resolve("orphan.log")));
    long orphanPid =
        Long.parseLong(Files.readAllLines(data.resolve("postmaster.pid")).get(0).trim());
    assertTrue(ProcessHandle.of(orphanPid).map(ProcessHandle::isAlive).orElse(false));

    try (PostgresConnector second = PostgresConnector.connect(config())) {
      assertFalse(
          ProcessHandle.of(orphanPid).map(ProcessHandle::isAlive).orElse(false),
          "the orphan was stopped");
      assertEquals(List.of("before the crash"), strings(second, "SELECT body FROM notes"));
    }
  }
}
