package dev.sluice.migrations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/** On a real PostgreSQL: one embedded server for the class, one fresh database per test. */
class SluiceMigrationsTest {
  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static EmbeddedPostgres postgres;

  private DataSource db;

  @BeforeAll
  static void startPostgres() throws IOException {
    postgres = EmbeddedPostgres.builder().start();
  }

  @AfterAll
  static void stopPostgres() throws IOException {
    postgres.close();
  }

  @BeforeEach
  void freshDatabase() throws SQLException {
    String name = "migrations_" + DATABASES.incrementAndGet();
    try (Connection c = postgres.getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    }
    db = postgres.getDatabase("postgres", name);
  }

  private List<String> strings(String sql) throws SQLException {
    try (Connection c = db.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      List<String> out = new ArrayList<>();
      while (rs.next()) {
        out.add(rs.getString(1));
      }
      return out;
    }
  }

  private void execute(String sql) throws SQLException {
    try (Connection c = db.getConnection();
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  @Test
  void migrate_emptyDatabase_appliesEveryVersion() throws SQLException {
    SluiceMigrations.Result result = SluiceMigrations.migrate(db);

    assertNull(result.initialVersion());
    assertEquals("6", result.targetVersion());
    assertEquals(7, result.applied().size());
    assertEquals("1", result.applied().get(0).version());
    assertEquals("sluice schema", result.applied().get(0).description());
    assertEquals("2", result.applied().get(1).version());
    assertEquals("notify invalidate", result.applied().get(1).description());
    assertEquals("flow control status", result.applied().get(2).description());
    assertEquals("3.1", result.applied().get(3).version());
    assertEquals("writeback breaker", result.applied().get(3).description());
    assertEquals("function libraries", result.applied().get(5).description());
    assertEquals("replication lineage", result.applied().get(6).description());
    assertFalse(result.upToDate());
    assertEquals(
        List.of(
            "applied",
            "applied_mapping",
            "control",
            "dead_letter",
            "flyway_schema_history",
            "function_libraries",
            "kv",
            "lineage_owner",
            "status",
            "status_data"),
        strings(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'sluice'"
                + " ORDER BY 1"));
    assertEquals(
        List.of("flush", "notify_invalidate", "pause", "resume", "throttle"),
        strings(
            "SELECT routine_name FROM information_schema.routines"
                + " WHERE routine_schema = 'sluice' ORDER BY 1"));
    assertEquals("6", SluiceMigrations.currentVersion(db));
  }

  @Test
  void migrate_twice_secondRunAppliesNothing() {
    SluiceMigrations.migrate(db);

    SluiceMigrations.Result again = SluiceMigrations.migrate(db);

    assertTrue(again.upToDate());
    assertEquals("6", again.initialVersion());
    assertEquals("6", again.targetVersion());
  }

  @Test
  void migrate_leavesOtherSchemasAlone() throws SQLException {
    execute("CREATE TABLE public.users (id int PRIMARY KEY, name text)");
    execute("INSERT INTO public.users VALUES (1, 'ada')");
    List<String> before =
        strings("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'");

    SluiceMigrations.migrate(db);

    assertEquals(
        before,
        strings("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"));
    assertEquals(List.of("ada"), strings("SELECT name FROM public.users"));
  }

  @Test
  void migrate_foreignTablesInSchemaSluice_refusesNamingTheSchema() throws SQLException {
    execute("CREATE SCHEMA sluice");
    execute("CREATE TABLE sluice.kv (k text)");

    SluiceMigrations.MigrationException e =
        assertThrows(SluiceMigrations.MigrationException.class, () -> SluiceMigrations.migrate(db));

    assertTrue(e.getMessage().startsWith("migrating schema sluice failed: "), e.getMessage());
    assertTrue(e.getMessage().contains("sluice"), e.getMessage());
    assertEquals(
        List.of("k"),
        strings(
            "SELECT column_name FROM information_schema.columns"
                + " WHERE table_schema = 'sluice' AND table_name = 'kv'"));
  }

  @Test
  void kvTable_storesBinaryKeys() throws SQLException {
    SluiceMigrations.migrate(db);
    try (Connection c = db.getConnection();
        var insert =
            c.prepareStatement(
                "INSERT INTO sluice.kv (key, type, value) VALUES (?, 'string', ?)")) {
      insert.setBytes(1, new byte[] {0, (byte) 0xff, ':'});
      insert.setBytes(2, new byte[] {1, 2, 3});
      insert.executeUpdate();
    }

    assertEquals(List.of("\\x00ff3a"), strings("SELECT key::text FROM sluice.kv"));
  }

  /** Calls a control function on a connection that LISTENs, and returns what it was told. */
  private List<String> notificationsOf(String call) throws SQLException {
    try (Connection listener = db.getConnection();
        Statement s = listener.createStatement()) {
      s.execute("LISTEN sluice_control");
      execute(call);
      List<String> payloads = new ArrayList<>();
      PGNotification[] got = listener.unwrap(PGConnection.class).getNotifications(5_000);
      assertNotNull(got, "no notification within 5 s after " + call);
      for (PGNotification n : got) {
        assertEquals("sluice_control", n.getName());
        payloads.add(n.getParameter());
      }
      return payloads;
    }
  }

  private String control(String mapping, String column) throws SQLException {
    List<String> values =
        strings(
            "SELECT " + column + "::text FROM sluice.control WHERE mapping = '" + mapping + "'");
    assertEquals(1, values.size(), "control rows of " + mapping);
    return values.get(0);
  }

  @Test
  void pause_setsPausedAndNotifies() throws SQLException {
    SluiceMigrations.migrate(db);

    List<String> payloads = notificationsOf("SELECT sluice.pause('page_views')");

    assertEquals(List.of("{\"mapping\" : \"page_views\", \"action\" : \"pause\"}"), payloads);
    assertEquals("true", control("page_views", "paused"));
  }

  @Test
  void resume_afterPause_clearsPausedAndNotifies() throws SQLException {
    SluiceMigrations.migrate(db);
    execute("SELECT sluice.pause('page_views')");

    List<String> payloads = notificationsOf("SELECT sluice.resume('page_views')");

    assertEquals(List.of("{\"mapping\" : \"page_views\", \"action\" : \"resume\"}"), payloads);
    assertEquals("false", control("page_views", "paused"));
  }

  @Test
  void throttle_setsRateAndZeroRemovesIt() throws SQLException {
    SluiceMigrations.migrate(db);

    List<String> payloads = notificationsOf("SELECT sluice.throttle('page_views', 500)");

    assertEquals(
        List.of(
            "{\"mapping\" : \"page_views\", \"action\" : \"throttle\", \"rows_per_second\" : 500}"),
        payloads);
    assertEquals("500", control("page_views", "throttle_rows_per_second"));
    assertEquals("false", control("page_views", "paused"), "throttling does not pause");

    execute("SELECT sluice.throttle('page_views', 0)");

    assertNull(control("page_views", "throttle_rows_per_second"));
  }

  @Test
  void throttle_negativeRate_isRefused() throws SQLException {
    SluiceMigrations.migrate(db);

    SQLException e =
        assertThrows(SQLException.class, () -> execute("SELECT sluice.throttle('x', -5)"));

    assertTrue(e.getMessage().contains("rows must be a number of rows per second"), e.getMessage());
    assertEquals(List.of(), strings("SELECT mapping FROM sluice.control"));
  }

  @Test
  void flush_recordsRequestAndNotifies() throws SQLException {
    SluiceMigrations.migrate(db);

    List<String> payloads = notificationsOf("SELECT * FROM sluice.flush('users')");

    assertEquals(List.of("{\"mapping\" : \"users\", \"action\" : \"flush\"}"), payloads);
    assertNotNull(control("users", "flush_requested_at"));
  }

  @Test
  void pause_emptyMappingName_isRefused() throws SQLException {
    SluiceMigrations.migrate(db);

    SQLException e = assertThrows(SQLException.class, () -> execute("SELECT sluice.pause('')"));

    assertTrue(
        e.getMessage().contains("sluice.pause: mapping must name a mapping"), e.getMessage());
  }

  @Test
  void pause_inRolledBackTransaction_neitherChangesNorNotifies() throws SQLException {
    SluiceMigrations.migrate(db);
    try (Connection listener = db.getConnection();
        Statement listen = listener.createStatement();
        Connection caller = db.getConnection();
        Statement call = caller.createStatement()) {
      listen.execute("LISTEN sluice_control");
      caller.setAutoCommit(false);
      call.execute("SELECT sluice.pause('users')");
      caller.rollback();
      call.execute("SELECT sluice.resume('orders')");
      caller.commit();

      PGNotification[] got = listener.unwrap(PGConnection.class).getNotifications(5_000);

      assertEquals(1, got.length);
      assertTrue(got[0].getParameter().contains("\"orders\""), got[0].getParameter());
    }
    assertEquals(List.of("orders"), strings("SELECT mapping FROM sluice.control"));
  }
}
