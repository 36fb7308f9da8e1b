package dev.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.config.ConfigLoader;
import dev.sluice.config.SluiceConfig;
import dev.sluice.proxy.SluiceServer;
import dev.sluice.proxy.keyspace.Clock;
import dev.sluice.proxy.postgres.PostgresConnector;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

/**
 * The operator commands run in-process against a live Sluice (RESP and HTTP) in front of an
 * embedded PostgreSQL: status, invalidate, warm, the flush controls, ingest and config check.
 */
class RemoteCommandsTest {
  static final String YAML =
      """
      mappings:
        - name: users
          keys: "user:{id}"
          table: public.users
          key-columns: [id]
          shape: hash
        - name: page_views
          keys: "ingest:page_views"
          table: public.page_views
          write: append
      """;
  static final String SCHEMA =
      """
      CREATE TABLE public.users (id bigint PRIMARY KEY, name text NOT NULL);
      INSERT INTO public.users SELECT g, 'user ' || g FROM generate_series(1, 5) g;
      CREATE TABLE public.page_views (user_id bigint NOT NULL, path text NOT NULL);
      """;

  @TempDir static Path dir;
  static PostgresConnector connector;
  static SluiceServer server;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @BeforeAll
  static void start() throws Exception {
    SluiceConfig config =
        new ConfigLoader(Map.of())
            .loadText(
                YAML,
                "test configuration",
                Map.of(
                    "postgres.url", "embedded",
                    "postgres.data-dir", dir.resolve("pg").toString(),
                    "bind", "127.0.0.1",
                    "port", "0",
                    "io-threads", "2",
                    "http.port", "0",
                    "journal.dir", dir.resolve("journal").toString()));
    connector = PostgresConnector.start(config, SCHEMA);
    server = new SluiceServer(config, Clock.SYSTEM, connector).start();
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
    if (connector != null) {
      connector.close();
    }
  }

  private int run(String... args) {
    CommandLine commandLine = Main.commandLine();
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    return commandLine.execute(args);
  }

  private int remote(String... args) {
    String[] all = new String[args.length + 2];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--port";
    all[args.length + 1] = Integer.toString(server.port());
    return run(all);
  }

  private static Jedis jedis() {
    return new Jedis(
        new HostAndPort("127.0.0.1", server.port()),
        DefaultJedisClientConfig.builder().timeoutMillis(20_000).build());
  }

  private static void assertContains(String text, String... parts) {
    for (String part : parts) {
      assertTrue(text.contains(part), () -> "expected '" + part + "' in: " + text);
    }
  }

  private static long query(String sql) throws Exception {
    try (Connection c = connector.unpooledDataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void status_liveServer_printsTableWithMappingsAcross() {
    try (Jedis jedis = jedis()) {
      jedis.hgetAll("user:1");
    }
    int code = remote("status");

    assertEquals(0, code, err.toString());
    String[] lines = out.toString().split("\n");
    assertEquals(List.of("users", "page_views"), List.of(lines[0].trim().split("\\s+")));
    assertTrue(
        out.toString().lines().anyMatch(l -> l.matches("misses\\s+[1-9][0-9]*\\b.*")),
        out.toString());
  }

  @Test
  void status_json_printsTheFiguresByMapping() throws Exception {
    try (Jedis jedis = jedis()) {
      jedis.hgetAll("user:2");
    }
    int code = remote("status", "--json");

    assertEquals(0, code, err.toString());
    JsonNode json = new ObjectMapper().readTree(out.toString());
    assertTrue(json.path("users").path("keys").asLong() >= 1, out.toString());
    assertEquals("closed", json.path("users").path("breaker").asText(), out.toString());
  }

  @Test
  void invalidate_cachedKey_printsCountAndEvicts() {
    try (Jedis jedis = jedis()) {
      jedis.hgetAll("user:3");
      int code = remote("invalidate", "user:3");

      assertEquals(0, code, err.toString());
      assertEquals("Invalidated 1 keys (user:3).\n", out.toString());
      assertTrue(!jedis.keys("user:*").contains("user:3"), "user:3 still cached");
    }
  }

  @Test
  void warm_rowMappingWithLimit_storesThatManyKeys() {
    remote("invalidate", "users");
    out.getBuffer().setLength(0);
    int all = remote("warm", "users");
    String allOut = out.toString();
    out.getBuffer().setLength(0);
    remote("invalidate", "users");
    out.getBuffer().setLength(0);
    int limited = remote("warm", "users", "--limit", "2");

    assertEquals(0, all, err.toString());
    assertEquals(0, limited, err.toString());
    assertContains(allOut, "Warmed users: stored 5 keys in ");
    assertContains(out.toString(), "Warmed users: stored 2 keys in ");
  }

  @Test
  void warm_unknownMapping_exitsOneWithServersError() {
    int code = remote("warm", "nope");

    assertEquals(1, code);
    assertContains(err.toString(), "sluice: 127.0.0.1:" + server.port() + " answered: ERR", "nope");
  }

  @Test
  void pause_unknownMapping_exitsOneWithServersError() {
    // Whether or not this server has SLUICE PAUSE yet, the error is the server's, on stderr.
    int code = remote("pause", "no_such_mapping");

    assertEquals(1, code);
    assertEquals("", out.toString());
    assertContains(err.toString(), "sluice: 127.0.0.1:" + server.port() + " answered: ERR");
  }

  @Test
  void pauseThenResume_appendMapping_statusShowsTheStateAndBothExitZero() throws Exception {
    assertEquals(0, remote("pause", "page_views"), err.toString());
    out.getBuffer().setLength(0);
    assertEquals(0, remote("status", "--json"), err.toString());
    JsonNode paused = new ObjectMapper().readTree(out.toString()).path("page_views");
    assertEquals("paused", paused.path("writeback").asText(), out.toString());

    assertEquals(0, remote("resume", "page_views"), err.toString());
    out.getBuffer().setLength(0);
    assertEquals(0, remote("status", "--json"), err.toString());
    JsonNode resumed = new ObjectMapper().readTree(out.toString()).path("page_views");
    assertEquals("running", resumed.path("writeback").asText(), out.toString());
  }

  @Test
  void throttleThenFlush_appendMapping_statusShowsTheRateAndFlushAnswersWithRows()
      throws Exception {
    try {
      assertEquals(0, remote("throttle", "page_views", "250"), err.toString());
      out.getBuffer().setLength(0);
      assertEquals(0, remote("status", "--json"), err.toString());
      JsonNode throttled = new ObjectMapper().readTree(out.toString()).path("page_views");
      assertEquals("throttled", throttled.path("writeback").asText(), out.toString());

      out.getBuffer().setLength(0);
      assertEquals(0, remote("flush", "page_views", "--timeout", "10000"), err.toString());
      assertTrue(out.toString().matches("(?s).*\\d+.*"), "flush reports a row count: " + out);
    } finally {
      remote("throttle", "page_views", "off");
    }
  }

  @Test
  void throttle_badRate_exitsTwoWithoutAsking() {
    int code = remote("throttle", "page_views", "fast");

    assertEquals(2, code);
    assertContains(err.toString(), "positive number of rows per second or off, got fast");
  }

  @Test
  void flush_zeroTimeout_exitsTwo() {
    assertEquals(2, remote("flush", "--timeout", "0"));
  }

  @Test
  void status_nothingListening_exitsOneSayingSo() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    int code = run("status", "--port", Integer.toString(port));

    assertEquals(1, code);
    assertContains(err.toString(), "cannot connect to Sluice at 127.0.0.1:" + port, "serve");
  }

  @Test
  void help_everyRemoteCommand_namesHostFlagAndEnvironment() {
    for (String command :
        new String[] {"status", "invalidate", "warm", "pause", "resume", "throttle", "flush"}) {
      out.getBuffer().setLength(0);
      assertEquals(0, run(command, "--help"), command);
      assertContains(out.toString(), "-h, --host", "SLUICE_PASSWORD", "Exit codes");
    }
  }

  @Test
  void ingest_csvFile_rowsReachPostgres() throws Exception {
    Path csv = dir.resolve("views.csv");
    StringBuilder body = new StringBuilder("user_id,path\n");
    for (int i = 0; i < 1000; i++) {
      body.append(100_000 + i).append(",/p/").append(i).append('\n');
    }
    Files.writeString(csv, body);

    int code = run("ingest", csv.toString(), "--mapping", "page_views", "--http-url", httpUrl());

    assertEquals(0, code, err.toString());
    assertTrue(
        out.toString().matches("(?s)Accepted 1000 rows into page_views \\(LSN \\d+\\.\\.\\d+\\).*"),
        out.toString());
    assertContains(err.toString(), "100%", "rows/s");
    assertTrue(
        server.context().appends().flusher().awaitApplied(lastLsn(), Duration.ofSeconds(20)));
    assertEquals(
        1000,
        query("SELECT count(*) FROM public.page_views WHERE user_id BETWEEN 100000 AND 100999"));
  }

  private long lastLsn() {
    String text = out.toString();
    return Long.parseLong(text.substring(text.indexOf("..") + 2, text.indexOf(')')));
  }

  @Test
  void ingest_ndjsonBadRow_exitsOneWithServersLineAndColumn() throws Exception {
    Path ndjson = dir.resolve("bad.ndjson");
    Files.writeString(
        ndjson, "{\"user_id\": 1, \"path\": \"/a\"}\n{\"user_id\": \"x\", \"path\": \"/b\"}\n");

    int code = run("ingest", ndjson.toString(), "-m", "page_views", "--http-url", httpUrl());

    assertEquals(1, code);
    assertContains(err.toString(), "HTTP 400", "\"line\":2", "\"column\":\"user_id\"");
  }

  @Test
  void ingest_unknownFormat_exitsTwo() throws Exception {
    Path txt = dir.resolve("rows.txt");
    Files.writeString(txt, "x");

    assertEquals(2, run("ingest", txt.toString(), "-m", "page_views", "--http-url", httpUrl()));
    assertContains(err.toString(), "--format csv|ndjson");
  }

  @Test
  void ingest_unknownMapping_exitsOneWith404() throws Exception {
    Path csv = dir.resolve("one.csv");
    Files.writeString(csv, "user_id,path\n1,/x\n");

    assertEquals(1, run("ingest", csv.toString(), "-m", "nope", "--http-url", httpUrl()));
    assertContains(err.toString(), "HTTP 404");
  }

  private static String httpUrl() {
    return "http://127.0.0.1:" + server.httpPort();
  }

  private Path configFile(String name, String mappings) throws Exception {
    Path file = dir.resolve(name);
    Files.writeString(
        file,
        "postgres:\n  url: "
            + connector.url()
            + "\n  password: "
            + connector.embeddedPassword().orElseThrow()
            + "\n"
            + mappings);
    return file;
  }

  @Test
  void configCheck_fittingMappings_printsOneLinePerMapping() throws Exception {
    Path file = configFile("good.yaml", YAML);

    int code = run("config", "check", file.toString());

    assertEquals(0, code, err.toString());
    assertContains(
        out.toString(),
        "Configuration " + file + " is valid.",
        "The 2 mappings fit ",
        "  users (user:{id}): rows of public.users by id as hash, read through",
        "  page_views (ingest:page_views): rows appended to public.page_views");
  }

  @Test
  void configCheck_missingTable_exitsOneNamingMapping() throws Exception {
    Path file =
        configFile(
            "missing.yaml",
            """
            mappings:
              - name: orders
                keys: "order:{id}"
                table: public.no_orders
                key-columns: [id]
            """);

    int code = run("config", "check", file.toString());

    assertEquals(1, code);
    assertContains(err.toString(), "mapping 'orders'", "public.no_orders does not exist");
  }

  @Test
  void configCheck_badValue_exitsTwo() throws Exception {
    Path file = dir.resolve("bad.yaml");
    Files.writeString(file, "maxmemory: lots\n");

    assertEquals(2, run("config", "check", file.toString()));
    assertContains(err.toString(), "maxmemory", "lots");
  }
}
