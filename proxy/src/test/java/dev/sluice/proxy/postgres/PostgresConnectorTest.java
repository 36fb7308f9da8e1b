package dev.sluice.proxy.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.config.ConfigLoader;
import dev.sluice.config.DemoConfiguration;
import dev.sluice.config.MappingConfig;
import dev.sluice.config.SluiceConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One embedded PostgreSQL for the class, started by the connector itself ({@code postgres.url:
 * embedded}); the other tests reach it by its JDBC URL, as an external database.
 */
class PostgresConnectorTest {
  @TempDir static Path dir;

  private static PostgresConnector embedded;
  private static String url;
  private static String password;

  private static final String ACCOUNTS_SCHEMA =
      """
      CREATE TABLE public.accounts (
        id bigint PRIMARY KEY,
        email text NOT NULL UNIQUE,
        nickname text,
        balance numeric(10, 2) NOT NULL DEFAULT 0
      );
      CREATE TABLE public.visits (id bigserial PRIMARY KEY, account_id bigint, path text);
      CREATE VIEW public.rich AS SELECT id, email FROM public.accounts WHERE balance > 100;
      CREATE TABLE public.effects (n int);
      CREATE FUNCTION public.bump() RETURNS int LANGUAGE sql VOLATILE
        AS 'INSERT INTO public.effects VALUES (1) RETURNING n';
      INSERT INTO public.accounts (id, email, nickname, balance) VALUES
        (1, 'ada@example.com', 'ada', 120.50), (2, 'bob@example.com', NULL, 3);
      """;

  private static final String ACCOUNTS =
      """
      mappings:
        - name: accounts
          keys: "account:{id}"
          table: public.accounts
          key-columns: [id]
        - name: visits
          keys: "ingest:visits"
          table: visits
          write: append
      """;

  @BeforeAll
  static void startEmbedded() {
    SluiceConfig config = load(ACCOUNTS, Map.of("postgres.data-dir", dir.resolve("pg").toString()));
    embedded = PostgresConnector.start(config, ACCOUNTS_SCHEMA);
    url = embedded.url();
    password = embedded.embeddedPassword().orElseThrow();
  }

  @AfterAll
  static void stopEmbedded() {
    embedded.close();
  }

  private static SluiceConfig load(String yaml, Map<String, String> flags) {
    return new ConfigLoader(Map.of()).loadText(yaml, "test configuration", flags);
  }

  /** The configuration {@code yaml} pointed at the class's server by JDBC URL. */
  private static SluiceConfig external(String yaml, String... moreFlags) {
    Map<String, String> flags = new LinkedHashMap<>();
    flags.put("postgres.url", url);
    flags.put("postgres.password", password);
    for (int i = 0; i < moreFlags.length; i += 2) {
      flags.put(moreFlags[i], moreFlags[i + 1]);
    }
    return load(yaml, flags);
  }

  private static PostgresException refused(String yaml) {
    return assertThrows(
        PostgresException.class, () -> PostgresConnector.start(external(yaml), null).close());
  }

  private static void assertContains(String text, String... parts) {
    for (String part : parts) {
      assertTrue(text.contains(part), () -> "expected '" + part + "' in: " + text);
    }
  }

  private static List<String> strings(PostgresConnector connector, String sql) throws SQLException {
    try (Connection c = connector.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      List<String> out = new ArrayList<>();
      while (rs.next()) {
        out.add(rs.getString(1));
      }
      return out;
    }
  }

  @Test
  void start_embedded_runsItInTheDataDirectoryAndLogsOutputBesideIt() throws SQLException {
    assertTrue(embedded.embedded());
    assertEquals(dir.resolve("pg").toAbsolutePath(), embedded.dataDirectory().orElseThrow());
    assertTrue(Files.exists(dir.resolve("pg").resolve("PG_VERSION")));
    assertTrue(Files.exists(dir.resolve("pg.log")), "output file beside the data directory");
    assertTrue(url.startsWith("jdbc:postgresql://localhost:"), url);
    assertTrue(embedded.serverVersion().startsWith("17."), embedded.serverVersion());
    assertEquals(List.of("on"), strings(embedded, "SHOW synchronous_commit"));
  }

  @Test
  void start_migratesSchemaSluice() throws SQLException {
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
            embedded,
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'sluice'"
                + " ORDER BY 1"));
  }

  @Test
  void start_schemaScript_createdTablesOnce() throws SQLException {
    boolean ranAgain =
        embedded.applyScriptIfAbsent(
            "CREATE TABLE public.accounts (x int)", List.of("public.accounts"));

    assertFalse(ranAgain);
    assertEquals(List.of("2"), strings(embedded, "SELECT count(*) FROM public.accounts"));
  }

  @Test
  void start_rowMapping_recordsTableSchema() {
    MappingConfig accounts = external(ACCOUNTS).mapping("accounts").orElseThrow();

    TableSchema table = embedded.catalog().table(accounts).orElseThrow();

    assertEquals("public", table.schema());
    assertEquals("accounts", table.name());
    assertEquals('r', table.kind());
    assertEquals(List.of("id", "email", "nickname", "balance"), table.columnNames());
    assertEquals(List.of("id"), table.primaryKey());
    assertTrue(table.isUniqueKey(List.of("id")));
    assertTrue(table.isUniqueKey(List.of("email")));
    assertFalse(table.isUniqueKey(List.of("nickname")));
    Column balance = table.column("balance").orElseThrow();
    assertEquals("numeric(10,2)", balance.type());
    assertEquals(Column.NUMERIC, balance.typeOid());
    assertFalse(balance.nullable());
    assertTrue(table.column("nickname").orElseThrow().nullable());
    assertEquals(Column.INT8, table.column("id").orElseThrow().typeOid());
    assertEquals("\"public\".\"accounts\"", table.qualifiedName());
  }

  @Test
  void start_appendMapping_resolvesUnqualifiedTable() {
    MappingConfig visits = external(ACCOUNTS).mapping("visits").orElseThrow();

    TableSchema table = embedded.catalog().table(visits).orElseThrow();

    assertEquals("public.visits", table.displayName());
    assertTrue(table.isTable());
  }

  @Test
  void pool_appliesQueryTimeoutAndApplicationName() throws SQLException {
    try (PostgresConnector connector =
        PostgresConnector.connect(external(ACCOUNTS, "postgres.query-timeout", "300ms"))) {
      assertEquals(List.of("300ms"), strings(connector, "SHOW statement_timeout"));
      assertEquals(List.of("sluice"), strings(connector, "SHOW application_name"));

      long start = System.nanoTime();
      SQLException e =
          assertThrows(SQLException.class, () -> strings(connector, "SELECT pg_sleep(10)"));
      long millis = (System.nanoTime() - start) / 1_000_000;

      assertContains(e.getMessage(), "statement timeout");
      assertTrue(millis < 5_000, "cancelled after " + millis + " ms");
      try (Connection plain = connector.unpooledDataSource().getConnection();
          Statement s = plain.createStatement();
          ResultSet rs = s.executeQuery("SHOW statement_timeout")) {
        rs.next();
        assertEquals("0", rs.getString(1), "unpooled connections have no statement timeout");
      }
    }
  }

  @Test
  void start_unreachableUrl_failsFastWithClearMessage() {
    SluiceConfig config =
        load(
            ACCOUNTS,
            Map.of(
                "postgres.url",
                "jdbc:postgresql://127.0.0.1:1/app?password=secret",
                "postgres.connect-timeout",
                "1s"));
    long start = System.nanoTime();

    PostgresException e =
        assertThrows(PostgresException.class, () -> PostgresConnector.start(config, null));

    long millis = (System.nanoTime() - start) / 1_000_000;
    assertTrue(
        e.getMessage()
            .startsWith(
                "cannot reach PostgreSQL at jdbc:postgresql://127.0.0.1:1/app?password=***: "),
        e.getMessage());
    assertContains(e.getMessage(), "refused");
    assertFalse(e.getMessage().contains("secret"), e.getMessage());
    assertTrue(millis < 3_000, "took " + millis + " ms");
  }

  @Test
  void start_missingDatabase_saysSo() {
    SluiceConfig config =
        load(
            ACCOUNTS,
            Map.of(
                "postgres.url",
                url.replace("/postgres", "/nosuchdb"),
                "postgres.password",
                password));

    PostgresException e =
        assertThrows(PostgresException.class, () -> PostgresConnector.start(config, null));

    assertContains(
        e.getMessage(), "cannot reach PostgreSQL at ", "/nosuchdb", "\"nosuchdb\" does not exist");
  }

  @Test
  void start_missingTable_namesMappingTableAndListsTables() {
    PostgresException e =
        refused(
            """
            mappings:
              - name: users
                keys: "user:{id}"
                table: public.users
                key-columns: [id]
            """);

    assertEquals(
        "the mappings do not fit the database:\n"
            + "  - mapping 'users' (mappings[0]): table public.users does not exist; tables in"
            + " schema public: accounts, effects, rich, visits",
        e.getMessage());
  }

  @Test
  void start_missingSchema_listsSchemas() {
    PostgresException e =
        refused(
            """
            mappings:
              - name: users
                keys: "user:{id}"
                table: app.users
                key-columns: [id]
            """);

    assertContains(
        e.getMessage(),
        "mapping 'users' (mappings[0]): table app.users does not exist; schema app does not"
            + " exist; schemas: public, sluice");
  }

  @Test
  void start_unqualifiedMissingTable_listsTablesOnSearchPath() {
    PostgresException e =
        refused(
            """
            mappings:
              - name: users
                keys: "user:{id}"
                table: users
                key-columns: [id]
            """);

    assertContains(
        e.getMessage(),
        "table users does not exist; tables on the search_path (\"$user\", public):",
        "public.accounts");
  }

  @Test
  void start_missingKeyColumn_namesMappingColumnAndExistingColumns() {
    PostgresException e =
        refused(
            """
            mappings:
              - name: accounts
                keys: "account:{account_id}"
                table: public.accounts
                key-columns: [account_id]
            """);

    assertEquals(
        "the mappings do not fit the database:\n"
            + "  - mapping 'accounts' (mappings[0]): table public.accounts has no column"
            + " account_id (key-columns); its columns: id, email, nickname, balance",
        e.getMessage());
  }

  @Test
  void start_severalProblems_reportsEveryOne() {
    PostgresException e =
        refused(
            """
            mappings:
              - name: a
                keys: "a:{nope}"
                table: accounts
                key-columns: [nope]
              - name: b
                keys: "b:{id}"
                table: missing
                key-columns: [id]
              - name: c
                keys: "c"
                table: public.rich
                write: append
            """);

    assertContains(
        e.getMessage(),
        "mapping 'a' (mappings[0]): table public.accounts has no column nope",
        "mapping 'b' (mappings[1]): table missing does not exist",
        "mapping 'c' (mappings[2]): table public.rich is a view; an append mapping needs a table");
  }

  @Test
  void start_queryMapping_recordsColumnsAndParameterTypes() {
    SluiceConfig config =
        external(
            """
            mappings:
              - name: top
                keys: "top:{min}"
                query: >-
                  SELECT email, balance, id FROM accounts WHERE balance >= :min
                  ORDER BY balance DESC
                shape: zset
                member-column: email
                score-column: balance
                depends-on: [accounts]
            """);

    try (PostgresConnector connector = PostgresConnector.start(config, null)) {
      QuerySchema query = connector.catalog().query(config.mappings().get(0)).orElseThrow();

      assertEquals(List.of("email", "balance", "id"), query.columnNames());
      assertEquals(Column.NUMERIC, query.column("balance").orElseThrow().typeOid());
      assertEquals(Column.INT8, query.column("id").orElseThrow().typeOid());
      assertEquals(List.of("numeric"), query.parameterTypes());
      assertEquals(
          "public.accounts", connector.catalog().dependencies().get("accounts").displayName());
    }
  }

  @Test
  void start_queryWithSideEffects_isDescribedNeverRun() throws SQLException {
    SluiceConfig config =
        external(
            """
            mappings:
              - name: q
                keys: "q:{id}"
                query: SELECT public.bump() AS n, :id::int AS id
            """);

    try (PostgresConnector connector = PostgresConnector.start(config, null)) {
      assertEquals(
          List.of("n", "id"),
          connector.catalog().query(config.mappings().get(0)).orElseThrow().columnNames());
    }

    assertEquals(List.of("0"), strings(embedded, "SELECT count(*) FROM public.effects"));
  }

  @Test
  void start_queryThatDoesNotPrepare_namesMappingAndReason() {
    PostgresException e =
        refused(
            """
            mappings:
              - name: top
                keys: "top:{c}"
                query: SELECT name FROM prodcts WHERE category = :c
            """);

    assertContains(
        e.getMessage(),
        "mapping 'top' (mappings[0]): the query does not prepare: relation \"prodcts\" does not"
            + " exist (at character 18)");
  }

  @Test
  void start_zsetScoreColumnNotNumeric_isRefused() {
    PostgresException e =
        refused(
            """
            mappings:
              - name: top
                keys: "top:{id}"
                query: SELECT email, nickname FROM accounts WHERE id = :id
                shape: zset
                member-column: email
                score-column: nickname
            """);

    assertContains(
        e.getMessage(),
        "mapping 'top' (mappings[0]): score-column nickname is of type text; sorted-set scores"
            + " need a number");
  }

  @Test
  void start_memberColumnNotInResult_listsResultColumns() {
    PostgresException e =
        refused(
            """
            mappings:
              - name: top
                keys: "top:{id}"
                query: SELECT email, balance FROM accounts WHERE id = :id
                shape: zset
                member-column: name
                score-column: balance
            """);

    assertContains(
        e.getMessage(),
        "member-column name is not a column of the query's result; it returns email, balance");
  }

  @Test
  void start_setShapeWithTwoColumnsAndNoMemberColumn_isRefused() {
    PostgresException e =
        refused(
            """
            mappings:
              - name: emails
                keys: "emails:{min}"
                query: SELECT email, id FROM accounts WHERE balance > :min
                shape: set
            """);

    assertContains(e.getMessage(), "shape set without member-column needs a one-column result");
  }

  @Test
  void start_dependsOnMissingTable_isRefused() {
    PostgresException e =
        refused(
            """
            mappings:
              - name: top
                keys: "top:{id}"
                query: SELECT email FROM accounts WHERE id = :id
                depends-on: [accounts, orders]
            """);

    assertContains(e.getMessage(), "mapping 'top' (mappings[0]): depends-on orders does not exist");
  }

  @Test
  void start_demoConfiguration_createsItsTablesAndFitsThem() throws SQLException {
    strings(embedded, "SELECT 1 FROM (SELECT 1) x"); // the pool works before we add a database
    try (Connection c = embedded.dataSource().getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE demo");
    }
    SluiceConfig demo =
        DemoConfiguration.load(
            Map.of(),
            Map.of(
                "postgres.url", url.replace("/postgres", "/demo"), "postgres.password", password));

    try (PostgresConnector connector =
        PostgresConnector.start(demo, DemoConfiguration.schemaSql())) {
      assertEquals(
          List.of("page_views", "products", "users"),
          connector.catalog().tables().values().stream()
              .map(TableSchema::name)
              .distinct()
              .sorted()
              .toList());
      assertEquals(
          List.of("Ada Lovelace"),
          strings(connector, "SELECT name FROM public.users WHERE id = 1"));
      assertTrue(connector.catalog().query(demo.mapping("top_products").orElseThrow()).isPresent());
    }
  }

  @Test
  void redact_masksPasswordParameter() {
    assertEquals(
        "jdbc:postgresql://h/db?user=a&password=***&ssl=true",
        PostgresConnector.redact("jdbc:postgresql://h/db?user=a&password=s3&ssl=true"));
    assertEquals("jdbc:postgresql://h/db", PostgresConnector.redact("jdbc:postgresql://h/db"));
  }
}
