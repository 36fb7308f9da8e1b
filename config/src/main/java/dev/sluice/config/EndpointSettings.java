package dev.sluice.config;

import static dev.sluice.config.ValueParsers.duration;
import static dev.sluice.config.ValueParsers.integer;
import static dev.sluice.config.ValueParsers.memory;
import static dev.sluice.config.ValueParsers.oneOf;
import static dev.sluice.config.ValueParsers.string;

import java.time.Duration;

/** The HTTP endpoint's settings (http.*) and TLS for it and for RESP (tls-*). */
public final class EndpointSettings {
  private EndpointSettings() {}

  // HTTP endpoint: ingest, metrics, health.

  public static final Setting<Integer> HTTP_PORT =
      new Setting<>(
          "http.port",
          integer(-1, 65535),
          "-1",
          false,
          "TCP port of the HTTP endpoint (ingest, /metrics, /healthz, /readyz, /v1/status) on the"
              + " same addresses as RESP (bind); -1 disables it, 0 picks a free port (logged).");

  public static final Setting<Long> HTTP_MAX_BODY_SIZE =
      new Setting<>(
          "http.max-body-size",
          memory(1024, Long.MAX_VALUE),
          "1gb",
          false,
          "Largest request body (an ingest request's NDJSON or CSV), checked while it streams in;"
              + " larger bodies get 413.");

  public static final Setting<Long> HTTP_MAX_HEADER_SIZE =
      new Setting<>(
          "http.max-header-size",
          memory(1024, 1024 * 1024),
          "16kb",
          false,
          "Largest HTTP request line plus headers; larger requests get 431.");

  public static final Setting<Duration> HTTP_HEADER_TIMEOUT =
      new Setting<>(
          "http.header-timeout",
          duration(Duration.ofMillis(100), Duration.ofHours(1)),
          "10s",
          false,
          "Longest a connection may take to send a request's line and headers, and longest an"
              + " idle keep-alive connection stays open; then it is closed (slow clients hold no"
              + " thread and little memory meanwhile).");

  public static final Setting<String> HTTP_TOKEN =
      new Setting<>(
          "http.token",
          string(),
          "",
          false,
          "Bearer token of the default user (role dba) for /v1 endpoints and /metrics"
              + " (Authorization: Bearer <token>). With no token at all (this, users' http-token)"
              + " and no password, the endpoint is open; /healthz and /readyz always are.");

  // TLS (see the README's Security section).
  public static final Setting<Integer> TLS_PORT =
      new Setting<>(
          "tls-port",
          integer(-1, 65535),
          "-1",
          false,
          "TCP port of the RESP server over TLS, on the bind addresses beside the plain port; -1"
              + " disables it, 0 picks a free port. Needs tls-cert-file and tls-key-file.");

  public static final Setting<String> TLS_CERT_FILE =
      new Setting<>(
          "tls-cert-file",
          string(),
          "",
          true,
          "PEM file of the server certificate (chain) for tls-port and http.tls; CONFIG SET or"
              + " SIGHUP reloads it.");

  public static final Setting<String> TLS_KEY_FILE =
      new Setting<>(
          "tls-key-file",
          string(),
          "",
          true,
          "PEM file of the private key (PKCS#8, unencrypted) of tls-cert-file.");

  public static final Setting<String> TLS_CA_CERT_FILE =
      new Setting<>(
          "tls-ca-cert-file",
          string(),
          "",
          true,
          "PEM file of the CA certificates that sign client certificates; empty means clients"
              + " are not asked for one.");

  public static final Setting<String> TLS_AUTH_CLIENTS =
      new Setting<>(
          "tls-auth-clients",
          oneOf("yes", "no", "optional"),
          "yes",
          true,
          "With tls-ca-cert-file: 'yes' requires a client certificate signed by that CA,"
              + " 'optional' verifies one when offered, 'no' does not ask.");

  public static final Setting<Boolean> HTTP_TLS =
      new Setting<>(
          "http.tls",
          ValueParsers.yesNo(),
          "no",
          false,
          "Serve the HTTP endpoint over TLS (HTTPS) with the tls-* certificate, key and client"
              + " CA.");
}
