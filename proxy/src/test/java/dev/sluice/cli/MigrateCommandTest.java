package dev.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code sluice migrate}, and {@code sluice serve} refusing a mapping that does not fit, against
 * one embedded PostgreSQL for the class.
 */
class MigrateCommandTest {
  private static EmbeddedPostgres postgres;
  private static String url;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @BeforeAll
  static void startPostgres() throws IOException {
    postgres = EmbeddedPostgres.builder().start();
    url = "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres";
  }

  @AfterAll
  static void stopPostgres() throws IOException {
    postgres.close();
  }

  private int run(String... args) {
    CommandLine commandLine = Main.commandLine();
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    return commandLine.execute(args);
  }

  private static void assertContains(String text, String... parts) {
    for (String part : parts) {
      assertTrue(text.contains(part), () -> "expected '" + part + "' in: " + text);
    }
  }

  @Test
  void migrate_reachableDatabase_exitsZeroAndSaysWhatItDid() throws SQLException {
    try (Connection c = postgres.getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE fresh");
    }
    String fresh = url.replace("/postgres", "/fresh");

    int first = run("migrate", "--postgres.url", fresh);
    String firstOut = out.toString();
    out.getBuffer().setLength(0);
    int second = run("migrate", "--postgres.url", fresh);

    assertEquals(0, first, err.toString());
    assertEquals(0, second, err.toString());
    assertContains(
        firstOut,
        "Applied V1 sluice schema (",
        "Applied V2 notify invalidate (",
        "Applied V3 flow control status (",
        "Applied V3.1 writeback breaker (",
        "Applied V4 notify origin (",
        "Applied V5 function libraries (",
        "Applied V6 replication lineage (",
        "Schema sluice in " + fresh + " is now at version 6.");
    assertContains(out.toString(), "Schema sluice in " + fresh + " is up to date at version 6.");
  }

  @Test
  void migrate_unreachableDatabase_exitsOneNamingUrl() {
    int code =
        run(
            "migrate",
            "--postgres.url",
            "jdbc:postgresql://127.0.0.1:1/app",
            "--postgres.connect-timeout",
            "1s");

    assertEquals(1, code);
    assertContains(
        err.toString(), "sluice: cannot reach PostgreSQL at jdbc:postgresql://127.0.0.1:1/app: ");
  }

  @Test
  void migrate_badUrl_exitsTwo() {
    int code = run("migrate", "--postgres.url", "mysql://db");

    assertEquals(2, code);
    assertContains(err.toString(), "'postgres.url'", "'mysql://db'", "'embedded' or a JDBC URL");
  }

  @Test
  void migrate_serveOnlyFlag_isUnknown() {
    int code = run("migrate", "--maxmemory", "1mb");

    assertEquals(2, code);
    assertContains(err.toString(), "--maxmemory");
  }

  @Test
  void serve_mappingOfMissingTable_exitsOneNamingMappingBeforeListening(@TempDir Path dir)
      throws IOException {
    Path file = dir.resolve("sluice.yaml");
    Files.writeString(
        file,
        """
        port: 0
        postgres:
          url: %s
        mappings:
          - name: users
            keys: "user:{id}"
            table: public.no_such_users
            key-columns: [id]
        """
            .formatted(url));

    int code = run("serve", "--config", file.toString());

    assertEquals(1, code);
    assertContains(
        err.toString(),
        "sluice: the mappings do not fit the database:",
        "mapping 'users' (mappings[0]): table public.no_such_users does not exist");
  }

  @Test
  void help_listsMigrateWithPostgresFlagsOnly() {
    int code = run("migrate", "--help");

    assertEquals(0, code);
    assertContains(out.toString(), "--postgres.url", "--postgres.data-dir", "Exit codes");
    assertTrue(!out.toString().contains("--maxmemory"), out.toString());
  }
}
