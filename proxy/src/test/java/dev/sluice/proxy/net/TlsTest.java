package dev.sluice.proxy.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.config.EndpointSettings;
import dev.sluice.proxy.testing.TestCertificate;
import dev.sluice.proxy.testing.TestServer;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SslOptions;
import io.lettuce.core.SslVerifyMode;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.function.UnaryOperator;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * RESP and HTTP over TLS with certificates made in the test: Jedis, Lettuce and the JDK's
 * HttpClient connect and verify the server; a client CA makes client certificates required; the
 * certificate reloads on CONFIG SET and on the SIGHUP path.
 */
class TlsTest {
  @TempDir Path dir;

  private TestServer start(
      TestCertificate server, UnaryOperator<dev.sluice.config.SluiceConfig.Builder> more) {
    return TestServer.start(
        b ->
            more.apply(
                b.set(EndpointSettings.TLS_PORT, 0)
                    .set(EndpointSettings.TLS_CERT_FILE, server.certFile().toString())
                    .set(EndpointSettings.TLS_KEY_FILE, server.keyFile().toString())));
  }

  private static Jedis jedis(int port, SSLContext tls, RedisProtocol protocol) {
    return new Jedis(
        new HostAndPort("127.0.0.1", port),
        DefaultJedisClientConfig.builder()
            .ssl(true)
            .sslSocketFactory(tls.getSocketFactory())
            .protocol(protocol)
            .timeoutMillis(10_000)
            .build());
  }

  @Test
  void jedis_overTls_verifiesServerAndRunsCommands() {
    TestCertificate cert = TestCertificate.create(dir, "server", "sluice-test");
    try (TestServer server = start(cert, UnaryOperator.identity());
        Jedis jedis =
            jedis(
                server.tlsPort(), TestCertificate.clientContext(cert, null), RedisProtocol.RESP3)) {
      assertEquals("OK", jedis.set("tls:k", "v"));
      assertEquals("v", jedis.get("tls:k"));
      try (Jedis plain = new Jedis("127.0.0.1", server.port())) {
        assertEquals("v", plain.get("tls:k"), "the plain port still serves, same data");
      }
    }
  }

  @Test
  void jedis_trustingAnotherCertificate_failsTheHandshake() throws IOException {
    TestCertificate cert = TestCertificate.create(dir, "server", "sluice-test");
    TestCertificate other = TestCertificate.create(dir, "other", "someone-else");
    try (TestServer server = start(cert, UnaryOperator.identity())) {
      SSLHandshakeException e =
          assertHandshakeFails(server.tlsPort(), TestCertificate.clientContext(other, null));
      assertTrue(e.getMessage().contains("PKIX path building failed"), "the client refused: " + e);
    }
  }

  @Test
  void lettuce_overTls_withPeerVerification_runsCommands() {
    TestCertificate cert = TestCertificate.create(dir, "server", "sluice-test");
    try (TestServer server = start(cert, UnaryOperator.identity())) {
      RedisClient client =
          RedisClient.create(
              RedisURI.builder()
                  .withHost("127.0.0.1")
                  .withPort(server.tlsPort())
                  .withSsl(true)
                  .withVerifyPeer(SslVerifyMode.CA)
                  .build());
      client.setOptions(
          ClientOptions.builder()
              .sslOptions(
                  SslOptions.builder()
                      .jdkSslProvider()
                      .trustManager(cert.certFile().toFile())
                      .build())
              .build());
      try (StatefulRedisConnection<String, String> c = client.connect()) {
        assertEquals("OK", c.sync().set("lettuce:tls", "1"));
        assertEquals(2L, c.sync().incr("lettuce:tls"));
      } finally {
        client.shutdown();
      }
    }
  }

  @Test
  void clientCertificateRequired_withoutOneFails_withOneSignedByTheCaWorks() throws IOException {
    TestCertificate cert = TestCertificate.create(dir, "server", "sluice-test");
    TestCertificate client = TestCertificate.create(dir, "client", "app-client");
    try (TestServer server =
        start(cert, b -> b.set(EndpointSettings.TLS_CA_CERT_FILE, client.certFile().toString()))) {
      SSLHandshakeException e =
          assertHandshakeFails(server.tlsPort(), TestCertificate.clientContext(cert, null));
      // bad_certificate or certificate_required, as the server's TLS implementation words it
      assertTrue(e.getMessage().startsWith("Received fatal alert: "), "the server refused: " + e);
      try (Jedis jedis =
          jedis(
              server.tlsPort(), TestCertificate.clientContext(cert, client), RedisProtocol.RESP2)) {
        assertEquals("PONG", jedis.ping());
      }
    }
  }

  @Test
  void https_healthAndStatus_overTlsWithTheJdkClient() throws Exception {
    TestCertificate cert = TestCertificate.create(dir, "server", "sluice-test");
    try (TestServer server =
        start(
            cert, b -> b.set(EndpointSettings.HTTP_PORT, 0).set(EndpointSettings.HTTP_TLS, true))) {
      HttpClient http =
          HttpClient.newBuilder()
              .sslContext(TestCertificate.clientContext(cert, null))
              .connectTimeout(Duration.ofSeconds(5))
              .build();
      HttpResponse<String> health =
          http.send(
              HttpRequest.newBuilder(
                      URI.create("https://127.0.0.1:" + server.httpPort() + "/healthz"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(200, health.statusCode());
      assertEquals("ok\n", health.body());
      HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
      assertThrows(
          IOException.class,
          () ->
              plain.send(
                  HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + server.httpPort() + "/healthz"))
                      .timeout(Duration.ofSeconds(5))
                      .build(),
                  HttpResponse.BodyHandlers.ofString()));
    }
  }

  @Test
  void configSetCertificate_newConnectionsGetTheNewOne_badFilesKeepTheOld() throws Exception {
    TestCertificate first = TestCertificate.create(dir, "first", "first");
    TestCertificate second = TestCertificate.create(dir, "second", "second");
    try (TestServer server = start(first, UnaryOperator.identity());
        Jedis admin = new Jedis("127.0.0.1", server.port())) {
      assertEquals(first.certificate(), peerCertificate(server.tlsPort()));
      assertEquals(
          "OK",
          admin.configSet(
              "tls-cert-file",
              second.certFile().toString(),
              "tls-key-file",
              second.keyFile().toString()));
      assertEquals(second.certificate(), peerCertificate(server.tlsPort()));
      Path missing = dir.resolve("missing.crt");
      var refused =
          assertThrows(
              redis.clients.jedis.exceptions.JedisDataException.class,
              () -> admin.configSet("tls-cert-file", missing.toString()));
      assertTrue(
          refused
              .getMessage()
              .startsWith(
                  "ERR CONFIG SET failed (possibly related to argument 'tls-cert-file') - Unable to"
                      + " update TLS configuration: cannot read the TLS certificate"),
          refused.getMessage());
      assertEquals(
          second.certFile().toString(), admin.configGet("tls-cert-file").get("tls-cert-file"));
      assertEquals(second.certificate(), peerCertificate(server.tlsPort()));
    }
  }

  @Test
  void reloadTls_afterFilesReplacedInPlace_servesTheNewCertificate() throws Exception {
    TestCertificate first = TestCertificate.create(dir, "live", "first");
    Path renewed = Files.createDirectory(dir.resolve("renewed"));
    TestCertificate second = TestCertificate.create(renewed, "live", "second");
    try (TestServer server = start(first, UnaryOperator.identity())) {
      assertEquals(first.certificate(), peerCertificate(server.tlsPort()));
      Files.copy(second.certFile(), first.certFile(), StandardCopyOption.REPLACE_EXISTING);
      Files.copy(second.keyFile(), first.keyFile(), StandardCopyOption.REPLACE_EXISTING);
      assertTrue(server.reloadTls()); // what SIGHUP calls
      assertEquals(second.certificate(), peerCertificate(server.tlsPort()));
    }
  }

  /**
   * A connection to {@code port} with {@code tls} fails in the TLS handshake, with an {@link
   * SSLHandshakeException} (not any connection error: a refusal, a timeout), and a Jedis client
   * with {@code tls} gets no command through; returns the handshake's exception.
   */
  private static SSLHandshakeException assertHandshakeFails(int port, SSLContext tls)
      throws IOException {
    SSLHandshakeException failure;
    try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      failure =
          assertThrows(
              SSLHandshakeException.class,
              () -> {
                socket.startHandshake();
                // in TLS 1.3 the client's part of the handshake ends before the server has checked
                // the client's certificate: a refusal arrives as an alert on the first read
                socket.getInputStream().read();
              });
    }
    assertThrows(
        JedisConnectionException.class,
        () -> {
          try (Jedis jedis = jedis(port, tls, RedisProtocol.RESP2)) {
            jedis.ping();
          }
        });
    return failure;
  }

  /** The certificate the server presents to a new connection. */
  private static Certificate peerCertificate(int port) throws Exception {
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, new TrustManager[] {new AcceptAny()}, null);
    try (SSLSocket socket =
        (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      socket.startHandshake();
      return socket.getSession().getPeerCertificates()[0];
    }
  }

  /** Only for reading which certificate is presented; never used to send data. */
  private static final class AcceptAny implements X509TrustManager {
    @Override
    public void checkClientTrusted(java.security.cert.X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(java.security.cert.X509Certificate[] chain, String authType) {}

    @Override
    public java.security.cert.X509Certificate[] getAcceptedIssuers() {
      return new java.security.cert.X509Certificate[0];
    }
  }
}
