package dev.sluice.proxy.durable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.proxy.SluiceServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * Hostile text through the write paths (XADD columns and values, HTTP ingest NDJSON and CSV) into a
 * real PostgreSQL: SQL quotes, statement separators, comment markers, placeholders, the COPY text
 * format's own escapes and markers, and long non-ASCII strings arrive as values byte for byte; a
 * NUL (which PostgreSQL text cannot hold) and a column name the table does not have are refused
 * with an error naming the column, before anything is journaled. The read path's hostile keys are
 * in PostgresReadThroughTest.
 */
class SqlSafetyTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(30);

  /** Values that would break SQL built as text, or COPY's text format if not escaped. */
  private static final List<String> HOSTILE =
      List.of(
          "it's",
          "\"double\"",
          "a'; DROP TABLE public.events; --",
          "x' OR '1'='1",
          "/* comment */ SELECT 1",
          "-- line comment",
          "$1",
          "$$ dollar quoted $$",
          "back\\slash",
          "\\N",
          "\\.",
          "tab\there",
          "line\nbreak",
          "carriage\rreturn",
          "ünï€😀 ".repeat(2000),
          "😀".repeat(5000));

  /** Column names that must never reach SQL: the table has no such column. */
  private static final List<String> HOSTILE_COLUMNS =
      List.of(
          "kind; DROP TABLE public.events; --",
          "\"kind\"",
          "kind\" text, \"x",
          "kind /* c */",
          "KIND",
          "$1");

  @TempDir static Path dir;
  private static WriteBackFixture db;
  private static SluiceServer server;
  private static HttpClient http;

  @BeforeAll
  static void start() throws Exception {
    db = WriteBackFixture.start(dir);
    server = db.server(dir.resolve("journal"), "sql-safety", Map.of("http.port", "0"));
    http = HttpClient.newHttpClient();
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
    if (db != null) {
      db.close();
    }
  }

  private static Jedis jedis() {
    return new Jedis("127.0.0.1", server.port(), 30_000);
  }

  /** The kind column of each row with seq in [from, from + n), in seq order. */
  private static List<String> kinds(long from, int n) throws Exception {
    assertTrue(server.context().appends().flusher().flush(WAIT), "flushed within " + WAIT);
    List<String> kinds = new ArrayList<>();
    try (Connection c = db.connect();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT kind FROM public.events WHERE seq >= ? AND seq < ? ORDER BY seq")) {
      s.setLong(1, from);
      s.setLong(2, from + n);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          kinds.add(rs.getString(1));
        }
      }
    }
    return kinds;
  }

  /** Every row of public.events as text, once everything journaled is in PostgreSQL. */
  private static List<String> eventRows() throws Exception {
    assertTrue(server.context().appends().flusher().flush(WAIT), "flushed within " + WAIT);
    List<String> rows = new ArrayList<>();
    try (Connection c = db.connect();
        PreparedStatement s = c.prepareStatement("SELECT e::text FROM public.events e");
        ResultSet rs = s.executeQuery()) {
      while (rs.next()) {
        rows.add(rs.getString(1));
      }
    }
    return rows;
  }

  /**
   * public.events still holds every row of {@code before} unchanged, and {@code added} rows more:
   * nothing in the hostile text dropped, emptied or altered the table.
   */
  private static void assertTableIntact(List<String> before, int added) throws Exception {
    Map<String, Integer> left = new HashMap<>();
    for (String row : eventRows()) {
      left.merge(row, 1, Integer::sum);
    }
    List<String> lost = new ArrayList<>();
    for (String row : before) {
      if (left.merge(row, -1, Integer::sum) < 0) {
        lost.add(row.length() > 200 ? row.substring(0, 200) + "…" : row);
      }
    }
    assertEquals(List.of(), lost, "rows of public.events lost or changed");
    assertEquals(
        added,
        left.values().stream().mapToInt(Integer::intValue).sum(),
        "rows added to public.events");
  }

  private static HttpResponse<String> ingest(String type, String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.httpPort() + "/v1/ingest/events"))
            .timeout(WAIT)
            .header("Content-Type", type)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** XADDs the row, expects an error, checks that nothing was journaled; returns the error. */
  private static String xaddRefused(Map<String, String> row) {
    long before = server.context().appends().journal().lastLsn();
    try (Jedis jedis = jedis()) {
      JedisDataException e =
          assertThrows(
              JedisDataException.class,
              () -> jedis.xadd("ingest:events", StreamEntryID.NEW_ENTRY, row));
      assertEquals(before, server.context().appends().journal().lastLsn(), "nothing journaled");
      return e.getMessage();
    }
  }

  @Test
  void xadd_hostileValues_arriveInPostgresUnchanged() throws Exception {
    List<String> before = eventRows();
    long from = 10_000;
    try (Jedis jedis = jedis()) {
      for (int i = 0; i < HOSTILE.size(); i++) {
        Map<String, String> row = new LinkedHashMap<>();
        row.put("seq", Long.toString(from + i));
        row.put("kind", HOSTILE.get(i));
        jedis.xadd("ingest:events", StreamEntryID.NEW_ENTRY, row);
      }
    }

    assertEquals(HOSTILE, kinds(from, HOSTILE.size()));
    assertTableIntact(before, HOSTILE.size());
  }

  @Test
  void xadd_nulInAValue_refusedNamingTheColumnAndNothingJournaled() {
    String error = xaddRefused(Map.of("seq", "20000", "kind", "before\0after"));

    assertTrue(error.contains("column 'kind'"), error);
    assertTrue(error.contains("NUL"), error);
  }

  @Test
  void xadd_hostileColumnNames_refusedAsUnknownColumns() throws Exception {
    List<String> before = eventRows();
    for (String column : HOSTILE_COLUMNS) {
      String error = xaddRefused(Map.of("seq", "30000", column, "v"));

      assertTrue(error.contains("has no column '" + column + "'"), error);
    }
    assertTableIntact(before, 0);
  }

  @Test
  void ingestNdjson_hostileValues_arriveInPostgresUnchanged() throws Exception {
    long from = 40_000;
    StringBuilder body = new StringBuilder();
    for (int i = 0; i < HOSTILE.size(); i++) {
      body.append(JSON.writeValueAsString(Map.of("seq", from + i, "kind", HOSTILE.get(i))));
      body.append('\n');
    }

    HttpResponse<String> r = ingest("application/x-ndjson", body.toString());

    assertEquals(202, r.statusCode(), r.body());
    assertEquals(HOSTILE, kinds(from, HOSTILE.size()));
  }

  @Test
  void ingestCsv_hostileValues_arriveInPostgresUnchanged() throws Exception {
    long from = 50_000;
    StringBuilder body = new StringBuilder("seq,kind\n");
    for (int i = 0; i < HOSTILE.size(); i++) {
      body.append(from + i)
          .append(",\"")
          .append(HOSTILE.get(i).replace("\"", "\"\""))
          .append("\"\n");
    }

    HttpResponse<String> r = ingest("text/csv", body.toString());

    assertEquals(202, r.statusCode(), r.body());
    assertEquals(HOSTILE, kinds(from, HOSTILE.size()));
  }

  @Test
  void ingestNdjson_nulInAValue_400NamingLineAndColumn() throws Exception {
    HttpResponse<String> r =
        ingest(
            "application/x-ndjson",
            "{\"seq\": 60000, \"kind\": \"fine\"}\n{\"seq\": 60001, \"kind\": \"a\\u0000b\"}\n");

    assertEquals(400, r.statusCode(), r.body());
    JsonNode answer = JSON.readTree(r.body());
    assertEquals(2, answer.get("line").asLong());
    assertEquals("kind", answer.get("column").asText());
    assertTrue(answer.get("error").asText().contains("NUL"), r.body());
    assertEquals(List.of(), kinds(60_000, 2), "nothing of the request was accepted");
  }

  @Test
  void ingest_hostileColumnNames_400UnknownColumn() throws Exception {
    List<String> before = eventRows();
    for (String column : HOSTILE_COLUMNS) {
      HttpResponse<String> ndjson =
          ingest(
              "application/x-ndjson", JSON.writeValueAsString(Map.of("seq", 70000, column, "v")));
      assertEquals(400, ndjson.statusCode(), ndjson.body());
      assertEquals(column, JSON.readTree(ndjson.body()).get("column").asText());

      HttpResponse<String> csv =
          ingest("text/csv", "seq,\"" + column.replace("\"", "\"\"") + "\"\n70001,v\n");
      assertEquals(400, csv.statusCode(), csv.body());
      assertEquals(column, JSON.readTree(csv.body()).get("column").asText());
    }
    assertEquals(List.of(), kinds(70_000, 2));
    assertTableIntact(before, 0);
  }
}
