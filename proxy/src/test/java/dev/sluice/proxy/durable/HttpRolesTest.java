package dev.sluice.proxy.durable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.config.SluiceConfig;
import dev.sluice.config.UserConfig;
import dev.sluice.config.UserConfig.Role;
import dev.sluice.proxy.SluiceServer;
import dev.sluice.proxy.keyspace.Clock;
import dev.sluice.proxy.postgres.PostgresConnector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTP bearer tokens bound to roles, against a real embedded PostgreSQL: 401 without a token or
 * with a wrong one, 403 with a token whose role may not use the endpoint, and the request served
 * when it may (ingest app+, flow control dba, status and metrics readonly+).
 */
class HttpRolesTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir static Path dir;
  static WriteBackFixture fixture;
  static SluiceServer server;
  static HttpClient http;

  private static UserConfig user(String name, Role role, String token, boolean enabled) {
    return new UserConfig(
        name,
        List.of(UserConfig.sha256Hex(name + "-pw")),
        false,
        role,
        enabled,
        UserConfig.sha256Hex(token),
        "users[0]");
  }

  @BeforeAll
  static void start() throws Exception {
    fixture = WriteBackFixture.start(dir);
    SluiceConfig config =
        WriteBackFixture.load(
                fixture.flags(dir.resolve("journal"), "http-roles", Map.of("http.port", "0")))
            .toBuilder()
            .users(
                List.of(
                    user("reader", Role.READONLY, "reader-token", true),
                    user("app", Role.APP, "app-token", true),
                    user("dba", Role.DBA, "dba-token", true),
                    user("gone", Role.DBA, "gone-token", false)))
            .build();
    server = new SluiceServer(config, Clock.SYSTEM, PostgresConnector.start(config, null)).start();
    http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
    if (fixture != null) {
      fixture.close();
    }
  }

  private static HttpResponse<String> send(String method, String path, String token)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + path))
            .timeout(WAIT)
            .header("Content-Type", "application/x-ndjson")
            .method(
                method,
                method.equals("POST")
                    ? HttpRequest.BodyPublishers.ofString(
                        path.startsWith("/v1/ingest") ? "{\"seq\": 9001}\n" : "")
                    : HttpRequest.BodyPublishers.noBody());
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void noOrWrongOrDisabledToken_is401AndCounted_healthStaysOpen() throws Exception {
    long before = server.context().stats().aclDeniedAuth.sum();
    assertEquals(401, send("GET", "/v1/status", null).statusCode());
    assertEquals(401, send("GET", "/metrics", "wrong").statusCode());
    assertEquals(401, send("POST", "/v1/ingest/events", "gone-token").statusCode());
    assertEquals(before + 3, server.context().stats().aclDeniedAuth.sum());
    String metrics = send("GET", "/metrics", "reader-token").body();
    double exported =
        metrics
            .lines()
            .filter(l -> l.startsWith("sluice_auth_failures_total "))
            .mapToDouble(l -> Double.parseDouble(l.substring(l.indexOf(' ') + 1)))
            .findFirst()
            .orElse(-1);
    assertTrue(exported >= before + 3, metrics);
    assertEquals(200, send("GET", "/healthz", null).statusCode());
    assertEquals(200, send("GET", "/readyz", null).statusCode());
  }

  @Test
  void readonlyToken_readsStatusAndMetrics_butMayNotIngestOrControl() throws Exception {
    assertEquals(200, send("GET", "/v1/status", "reader-token").statusCode());
    assertEquals(200, send("GET", "/metrics", "reader-token").statusCode());
    HttpResponse<String> ingest = send("POST", "/v1/ingest/events", "reader-token");
    assertEquals(403, ingest.statusCode());
    assertTrue(
        ingest.body().contains("user 'reader' (role readonly) may not use /v1/ingest/events"),
        ingest.body());
    assertEquals(403, send("POST", "/v1/mappings/events/pause", "reader-token").statusCode());
  }

  @Test
  void appToken_ingests_butMayNotControlFlushing() throws Exception {
    HttpResponse<String> ingest = send("POST", "/v1/ingest/events", "app-token");
    assertEquals(202, ingest.statusCode(), ingest.body());
    HttpResponse<String> pause = send("POST", "/v1/mappings/events/pause", "app-token");
    assertEquals(403, pause.statusCode());
    assertTrue(pause.body().contains("it needs role dba"), pause.body());
  }

  @Test
  void dbaToken_pausesAndResumes() throws Exception {
    HttpResponse<String> pause = send("POST", "/v1/mappings/events/pause", "dba-token");
    assertEquals(200, pause.statusCode(), pause.body());
    HttpResponse<String> resume = send("POST", "/v1/mappings/events/resume", "dba-token");
    assertEquals(200, resume.statusCode(), resume.body());
    assertEquals(202, send("POST", "/v1/ingest/events", "dba-token").statusCode());
  }
}
