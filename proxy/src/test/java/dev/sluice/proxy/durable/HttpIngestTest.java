package dev.sluice.proxy.durable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.config.ConfigLoader;
import dev.sluice.config.SluiceConfig;
import dev.sluice.proxy.SluiceServer;
import dev.sluice.proxy.keyspace.Clock;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * The HTTP endpoint over a real socket with java.net.http.HttpClient, in front of a real embedded
 * PostgreSQL: ingest end to end, every error status, health and metrics.
 */
class HttpIngestTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String TOKEN = "s3cret-token";

  @TempDir static Path dir;
  static WriteBackFixture fixture;
  static SluiceServer server;
  static SluiceServer guarded; // http.token and a 64kb journal budget
  static HttpClient http;

  @BeforeAll
  static void start() throws Exception {
    fixture = WriteBackFixture.start(dir);
    server =
        fixture.server(
            dir.resolve("journal-a"),
            "http-a",
            Map.of("http.port", "0", "http.max-body-size", "64kb"));
    guarded =
        fixture.server(
            dir.resolve("journal-b"),
            "http-b",
            Map.of("http.port", "0", "http.token", TOKEN, "journal.budget", "64kb"));
    http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  @AfterAll
  static void stop() {
    if (guarded != null) {
      guarded.close();
    }
    if (server != null) {
      server.close();
    }
    if (fixture != null) {
      fixture.close();
    }
  }

  private static URI uri(SluiceServer s, String path) {
    return URI.create("http://127.0.0.1:" + s.httpPort() + path);
  }

  private static HttpResponse<String> post(
      SluiceServer s, String path, String type, HttpRequest.BodyPublisher body, String... headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(uri(s, path)).timeout(WAIT).header("Content-Type", type).POST(body);
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> get(SluiceServer s, String path, String... headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(s, path)).timeout(WAIT).GET();
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpRequest.BodyPublisher text(String body) {
    return HttpRequest.BodyPublishers.ofString(body);
  }

  private static long rowsBetween(long from, long to) throws Exception {
    return fixture.queryLong(
        "SELECT count(*) FROM public.events WHERE seq BETWEEN " + from + " AND " + to);
  }

  /** Waits (bounded) until the flusher applied the answer's last LSN, then counts the rows. */
  private static void awaitApplied(SluiceServer s, JsonNode answer) throws InterruptedException {
    long last = answer.get("last_lsn").asLong();
    assertTrue(
        s.context().appends().flusher().awaitApplied(last, WAIT),
        "LSN " + last + " applied within " + WAIT);
  }

  @Test
  void ingest_ndjsonRows_reachPostgres() throws Exception {
    String body =
        """
        {"seq": 1001, "kind": "view", "amount": 12.5, "ok": true, "doc": {"a": [1, 2]}}
        {"seq": 1002, "kind": null, "n": 7, "at": "2024-05-01T10:00:00Z"}

        {"seq": 1003, "id": "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"}
        """;
    HttpResponse<String> r = post(server, "/v1/ingest/events", "application/x-ndjson", text(body));
    assertEquals(202, r.statusCode(), r.body());
    JsonNode answer = JSON.readTree(r.body());
    assertEquals(3, answer.get("accepted").asLong());
    assertEquals(2, answer.get("last_lsn").asLong() - answer.get("first_lsn").asLong());
    awaitApplied(server, answer);
    assertEquals(3, rowsBetween(1001, 1003));
    assertEquals(
        1,
        fixture.queryLong("SELECT count(*) FROM public.events WHERE seq = 1002 AND kind IS NULL"));
    assertEquals(
        1, fixture.queryLong("SELECT count(*) FROM public.events WHERE doc = '{\"a\": [1, 2]}'"));
  }

  @Test
  void ingest_csvWithHeader_reachPostgres() throws Exception {
    String body =
        "seq,kind,amount,n\r\n"
            + "2001,\"comma, and \"\"quote\"\"\",1.25,\r\n"
            + "2002,\"two\nlines\",,3\n"
            + "2003,\"\",0,4";
    HttpResponse<String> r =
        post(server, "/v1/ingest/events", "text/csv; charset=utf-8", text(body));
    assertEquals(202, r.statusCode(), r.body());
    JsonNode answer = JSON.readTree(r.body());
    assertEquals(3, answer.get("accepted").asLong());
    awaitApplied(server, answer);
    assertEquals(3, rowsBetween(2001, 2003));
    assertEquals(
        1,
        fixture.queryLong(
            "SELECT count(*) FROM public.events WHERE seq = 2001 AND kind = 'comma, and \"quote\"'"
                + " AND n IS NULL"));
    assertEquals(
        1,
        fixture.queryLong(
            "SELECT count(*) FROM public.events WHERE seq = 2002 AND kind = E'two\\nlines'"
                + " AND amount IS NULL"));
    assertEquals(
        1, fixture.queryLong("SELECT count(*) FROM public.events WHERE seq = 2003 AND kind = ''"));
  }

  @Test
  void ingest_chunkedBodyLargerThanMemorySpool_reachesPostgres() throws Exception {
    int rows = 20_000;
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < rows; i++) {
      sb.append("{\"seq\":")
          .append(100_000 + i)
          .append(",\"kind\":\"chunked-row-with-some-padding-to-pass-the-in-memory-spool\"}\n");
    }
    byte[] bytes = sb.toString().getBytes(StandardCharsets.UTF_8);
    // ofInputStream has no length: HttpClient sends it with Transfer-Encoding: chunked
    HttpResponse<String> r =
        post(
            guardedFree(),
            "/v1/ingest/events",
            "application/x-ndjson",
            HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes)));
    assertEquals(202, r.statusCode(), r.body());
    JsonNode answer = JSON.readTree(r.body());
    assertEquals(rows, answer.get("accepted").asLong());
    awaitApplied(chunkServer, answer);
    assertEquals(rows, rowsBetween(100_000, 100_000 + rows - 1));
  }

  static SluiceServer chunkServer;

  /** A third server without the small body limit and budget, started on first use. */
  private static synchronized SluiceServer guardedFree() throws InterruptedException {
    if (chunkServer == null) {
      chunkServer = fixture.server(dir.resolve("journal-c"), "http-c", Map.of("http.port", "0"));
    }
    return chunkServer;
  }

  @AfterAll
  static void stopChunkServer() {
    if (chunkServer != null) {
      chunkServer.close();
    }
  }

  @Test
  void ingest_sameIdempotencyKey_returnsFirstAnswerAndAddsNoRows() throws Exception {
    String body = "{\"seq\": 3001}\n{\"seq\": 3002}\n";
    HttpResponse<String> first =
        post(
            server,
            "/v1/ingest/events",
            "application/x-ndjson",
            text(body),
            "Idempotency-Key",
            "batch-3000");
    assertEquals(202, first.statusCode(), first.body());
    HttpResponse<String> again =
        post(
            server,
            "/v1/ingest/events",
            "application/x-ndjson",
            text(body),
            "Idempotency-Key",
            "batch-3000");
    assertEquals(202, again.statusCode());
    assertEquals(first.body(), again.body());
    assertEquals("true", again.headers().firstValue("Idempotent-Replayed").orElse(null));
    awaitApplied(server, JSON.readTree(first.body()));
    assertTrue(server.context().appends().flusher().flush(WAIT));
    assertEquals(2, rowsBetween(3001, 3002));
  }

  @Test
  void ingest_badValueOnLineThree_400NamesLineColumnValueAndAcceptsNothing() throws Exception {
    String body =
        "{\"seq\": 4001}\n{\"seq\": 4002}\n{\"seq\": 4003, \"n\": \"abc\"}\n{\"seq\": 4004}\n";
    HttpResponse<String> r = post(server, "/v1/ingest/events", "application/x-ndjson", text(body));
    assertEquals(400, r.statusCode(), r.body());
    JsonNode answer = JSON.readTree(r.body());
    assertEquals(3, answer.get("line").asLong());
    assertEquals("n", answer.get("column").asText());
    assertEquals("abc", answer.get("value").asText());
    assertEquals(0, answer.get("accepted").asLong());
    assertTrue(server.context().appends().flusher().flush(WAIT));
    assertEquals(0, rowsBetween(4001, 4004));
  }

  @Test
  void ingest_unknownCsvColumn_400NamesIt() throws Exception {
    HttpResponse<String> r =
        post(server, "/v1/ingest/events", "text/csv", text("seq,colour\n5001,red\n"));
    assertEquals(400, r.statusCode(), r.body());
    JsonNode answer = JSON.readTree(r.body());
    assertEquals(2, answer.get("line").asLong());
    assertEquals("colour", answer.get("column").asText());
    assertEquals("red", answer.get("value").asText());
  }

  @Test
  void ingest_unknownMapping_404ListsAppendMappings() throws Exception {
    HttpResponse<String> r =
        post(server, "/v1/ingest/nosuch", "application/x-ndjson", text("{\"seq\": 1}\n"));
    assertEquals(404, r.statusCode());
    JsonNode answer = JSON.readTree(r.body());
    assertTrue(answer.get("error").asText().contains("nosuch"), r.body());
    assertEquals("[\"crash_rows\",\"events\"]", answer.get("append_mappings").toString());
  }

  @Test
  void ingest_bodyPastMaxBodySize_413WithAndWithoutContentLength() throws Exception {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; sb.length() <= 80 * 1024; i++) {
      sb.append("{\"seq\": ").append(6000 + (i % 100)).append("}\n");
    }
    byte[] bytes = sb.toString().getBytes(StandardCharsets.UTF_8);
    HttpResponse<String> sized =
        post(
            server,
            "/v1/ingest/events",
            "application/x-ndjson",
            HttpRequest.BodyPublishers.ofByteArray(bytes));
    assertEquals(413, sized.statusCode(), sized.body());
    HttpResponse<String> chunked =
        post(
            server,
            "/v1/ingest/events",
            "application/x-ndjson",
            HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes)));
    assertEquals(413, chunked.statusCode(), chunked.body());
    assertTrue(server.context().appends().flusher().flush(WAIT));
    assertEquals(0, rowsBetween(6000, 6099));
  }

  @Test
  void ingest_otherContentType_415() throws Exception {
    HttpResponse<String> r =
        post(server, "/v1/ingest/events", "application/json", text("[{\"seq\": 1}]"));
    assertEquals(415, r.statusCode());
    assertTrue(r.body().contains("application/x-ndjson"), r.body());
  }

  @Test
  void ingest_rowsPastJournalBudget_503WithRetryAfterAndNothingJournaled() throws Exception {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 2000; i++) {
      sb.append("{\"seq\": ").append(7000 + (i % 500)).append(", \"kind\": \"fill\"}\n");
    }
    long lsnBefore = guarded.context().appends().journal().lastLsn();
    HttpResponse<String> r =
        post(
            guarded,
            "/v1/ingest/events",
            "application/x-ndjson",
            text(sb.toString()),
            "Authorization",
            "Bearer " + TOKEN);
    assertEquals(503, r.statusCode(), r.body());
    assertEquals("1", r.headers().firstValue("Retry-After").orElse(null));
    assertTrue(r.body().contains("journal full"), r.body());
    assertEquals(lsnBefore, guarded.context().appends().journal().lastLsn());
  }

  @Test
  void token_missingOrWrong_401_rightOne_passes_healthStaysOpen() throws Exception {
    String body = "{\"seq\": 8001}\n";
    assertEquals(
        401, post(guarded, "/v1/ingest/events", "application/x-ndjson", text(body)).statusCode());
    assertEquals(
        401,
        post(
                guarded,
                "/v1/ingest/events",
                "application/x-ndjson",
                text(body),
                "Authorization",
                "Bearer wrong")
            .statusCode());
    assertEquals(401, get(guarded, "/metrics").statusCode());
    assertEquals(401, get(guarded, "/v1/status").statusCode());
    assertEquals(200, get(guarded, "/healthz").statusCode());
    assertEquals(200, get(guarded, "/readyz").statusCode());
    assertEquals(200, get(guarded, "/metrics", "Authorization", "Bearer " + TOKEN).statusCode());
    HttpResponse<String> ok =
        post(
            guarded,
            "/v1/ingest/events",
            "application/x-ndjson",
            text(body),
            "Authorization",
            "Bearer " + TOKEN);
    assertEquals(202, ok.statusCode(), ok.body());
  }

  @Test
  void healthAndReadiness_withMappings_200() throws Exception {
    HttpResponse<String> health = get(server, "/healthz");
    assertEquals(200, health.statusCode());
    assertEquals("ok\n", health.body());
    HttpResponse<String> ready = get(server, "/readyz");
    assertEquals(200, ready.statusCode(), ready.body());
    assertEquals("ready", JSON.readTree(ready.body()).get("status").asText());
    HttpResponse<String> status = get(server, "/v1/status");
    assertEquals(200, status.statusCode());
    assertTrue(JSON.readTree(status.body()).isObject());
  }

  @Test
  void readiness_withoutMappings_readyWhenListening() throws Exception {
    SluiceConfig config =
        new ConfigLoader(Map.of())
            .loadText("", "plain", Map.of("bind", "127.0.0.1", "port", "0", "http.port", "0"));
    try (SluiceServer plain = new SluiceServer(config, Clock.SYSTEM).start()) {
      assertEquals(200, get(plain, "/readyz").statusCode());
      assertEquals(404, get(plain, "/nosuch").statusCode());
      HttpResponse<String> r =
          post(plain, "/v1/ingest/events", "application/x-ndjson", text("{}\n"));
      assertEquals(404, r.statusCode());
      assertTrue(r.body().contains("has none"), r.body());
    }
  }

  private static final Pattern SAMPLE =
      Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*(\\{[^}]*\\})?) ([-+0-9.eE]+|NaN|\\+Inf)$");

  /** Parses the Prometheus text format into series → value. */
  private static Map<String, Double> scrape(SluiceServer s) throws Exception {
    HttpResponse<String> r = get(s, "/metrics");
    assertEquals(200, r.statusCode());
    assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
    Map<String, Double> series = new HashMap<>();
    for (String line : r.body().split("\n")) {
      if (line.startsWith("#") || line.isBlank()) {
        continue;
      }
      Matcher m = SAMPLE.matcher(line);
      assertTrue(m.matches(), "a sample line: " + line);
      series.put(m.group(1), Double.parseDouble(m.group(3)));
    }
    return series;
  }

  private static double value(Map<String, Double> series, String prefix) {
    return series.entrySet().stream()
        .filter(e -> e.getKey().startsWith(prefix))
        .mapToDouble(Map.Entry::getValue)
        .findFirst()
        .orElseThrow(() -> new AssertionError("no series " + prefix + " in " + series.keySet()));
  }

  @Test
  void metrics_scraped_namedSeriesPresentAndMoving() throws Exception {
    Map<String, Double> before = scrape(server);
    for (String name :
        new String[] {
          "sluice_commands_seconds_count{command=\"get\"",
          "sluice_clients_connected",
          "sluice_journal_pending_bytes",
          "sluice_journal_fsync_seconds_count",
          "sluice_journal_fsync_seconds_sum",
          "sluice_writeback_pending_rows",
          "sluice_writeback_oldest_pending_seconds",
          "sluice_writeback_rows_total",
          "sluice_writeback_transactions_total",
          "sluice_writeback_dead_letters_total",
          "sluice_http_ingest_rows_total",
          "hikaricp_connections",
        }) {
      assertNotNull(value(before, name), name);
    }
    assertEquals(1.0, value(before, "sluice_writeback_breaker_state{state=\"closed\""));
    assertEquals(0.0, value(before, "sluice_writeback_breaker_state{state=\"open\""));
    try (Jedis jedis = new Jedis("127.0.0.1", server.port())) {
      jedis.get("plain-key");
      HttpResponse<String> r =
          post(server, "/v1/ingest/events", "application/x-ndjson", text("{\"seq\": 9001}\n"));
      assertEquals(202, r.statusCode(), r.body());
      awaitApplied(server, JSON.readTree(r.body()));
      Map<String, Double> after = scrape(server);
      assertEquals(
          value(before, "sluice_commands_seconds_count{command=\"get\"") + 1,
          value(after, "sluice_commands_seconds_count{command=\"get\""));
      assertTrue(
          value(after, "sluice_commands_seconds_sum{command=\"get\"")
              > value(before, "sluice_commands_seconds_sum{command=\"get\""));
      assertEquals(1, value(after, "sluice_clients_connected"));
      assertEquals(
          value(before, "sluice_http_ingest_rows_total") + 1,
          value(after, "sluice_http_ingest_rows_total"));
      assertTrue(
          value(after, "sluice_journal_fsync_seconds_count")
              > value(before, "sluice_journal_fsync_seconds_count"));
      assertTrue(
          value(after, "sluice_writeback_rows_total")
              > value(before, "sluice_writeback_rows_total"));
      assertFalse(after.isEmpty());
    }
  }

  private static JsonNode mappingStatus(SluiceServer s, String mapping) throws Exception {
    HttpResponse<String> r = get(s, "/v1/status");
    assertEquals(200, r.statusCode(), r.body());
    JsonNode m = JSON.readTree(r.body()).get(mapping);
    assertNotNull(m, r.body());
    return m;
  }

  private static HttpResponse<String> admin(SluiceServer s, String path, String... headers)
      throws IOException, InterruptedException {
    return post(s, path, "application/json", HttpRequest.BodyPublishers.noBody(), headers);
  }

  @Test
  void adminPause_statusShowsPaused_resume_running() throws Exception {
    try {
      HttpResponse<String> paused = admin(server, "/v1/mappings/events/pause");
      assertEquals(200, paused.statusCode(), paused.body());
      assertEquals("paused", JSON.readTree(paused.body()).get("writeback").asText());
      assertEquals("paused", mappingStatus(server, "events").get("writeback").asText());
      assertEquals(
          1,
          fixture.queryLong(
              "SELECT count(*) FROM sluice.control WHERE mapping = 'events' AND paused"));
    } finally {
      HttpResponse<String> resumed = admin(server, "/v1/mappings/events/resume");
      assertEquals(200, resumed.statusCode(), resumed.body());
      assertEquals("running", JSON.readTree(resumed.body()).get("writeback").asText());
    }
    assertEquals("running", mappingStatus(server, "events").get("writeback").asText());
  }

  @Test
  void adminFlush_whilePaused_returnsRowCountAndRowsReachPostgres() throws Exception {
    try {
      assertEquals(200, admin(server, "/v1/mappings/events/pause").statusCode());
      StringBuilder body = new StringBuilder();
      for (int i = 0; i < 10; i++) {
        body.append("{\"seq\": ").append(9501 + i).append("}\n");
      }
      HttpResponse<String> r =
          post(server, "/v1/ingest/events", "application/x-ndjson", text(body.toString()));
      assertEquals(202, r.statusCode(), r.body());
      HttpResponse<String> flushed = admin(server, "/v1/mappings/events/flush?timeout_ms=20000");
      assertEquals(200, flushed.statusCode(), flushed.body());
      JsonNode answer = JSON.readTree(flushed.body());
      assertEquals(10, answer.get("flushed_rows").asLong(), flushed.body());
      assertEquals(10, rowsBetween(9501, 9510));
    } finally {
      assertEquals(200, admin(server, "/v1/mappings/events/resume").statusCode());
    }
  }

  @Test
  void adminThrottle_setAndOff_badValue400() throws Exception {
    try {
      HttpResponse<String> set = admin(server, "/v1/mappings/events/throttle?rows_per_second=5000");
      assertEquals(200, set.statusCode(), set.body());
      JsonNode status = mappingStatus(server, "events");
      assertEquals("throttled", status.get("writeback").asText());
      assertEquals(5000, status.get("throttle_rows_per_second").asLong());
    } finally {
      HttpResponse<String> off = admin(server, "/v1/mappings/events/throttle?rows_per_second=off");
      assertEquals(200, off.statusCode(), off.body());
    }
    assertEquals("running", mappingStatus(server, "events").get("writeback").asText());
    for (String bad :
        new String[] {"?rows_per_second=fast", "?rows_per_second=0", "?rows_per_second=-3", ""}) {
      HttpResponse<String> r = admin(server, "/v1/mappings/events/throttle" + bad);
      assertEquals(400, r.statusCode(), bad + ": " + r.body());
      assertTrue(JSON.readTree(r.body()).get("error").asText().contains("rows_per_second"));
    }
    HttpResponse<String> badTimeout = admin(server, "/v1/mappings/events/flush?timeout_ms=soon");
    assertEquals(400, badTimeout.statusCode(), badTimeout.body());
  }

  @Test
  void adminAction_unknownMapping_404NamesIt() throws Exception {
    for (String action : new String[] {"pause", "resume", "flush", "throttle?rows_per_second=1"}) {
      HttpResponse<String> r = admin(server, "/v1/mappings/nosuch/" + action);
      assertEquals(404, r.statusCode(), r.body());
      JsonNode answer = JSON.readTree(r.body());
      assertTrue(answer.get("error").asText().contains("'nosuch'"), r.body());
      assertEquals("nosuch", answer.get("mapping").asText());
    }
    assertEquals(404, admin(server, "/v1/mappings/events/explode").statusCode());
    assertEquals(405, get(server, "/v1/mappings/events/pause").statusCode());
  }

  @Test
  void adminAction_withoutToken_401_withToken_200() throws Exception {
    assertEquals(401, admin(guarded, "/v1/mappings/events/pause").statusCode());
    assertEquals(
        "running", guarded.context().appends().control().status().get("events").get("writeback"));
    HttpResponse<String> r =
        admin(guarded, "/v1/mappings/events/resume", "Authorization", "Bearer " + TOKEN);
    assertEquals(200, r.statusCode(), r.body());
  }
}
