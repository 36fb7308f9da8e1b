package dev.sluice.proxy.net.tls;

import dev.sluice.proxy.runtime.ServerContext;
import io.netty.channel.Channel;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import java.io.File;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TLS server context of the RESP TLS port and the HTTPS endpoint, built from PEM files with the
 * JDK's TLS provider. {@link #reload} builds a new context from the files the settings name now
 * ({@code CONFIG SET tls-cert-file …}, SIGHUP); new connections get it, open ones keep theirs, and
 * a context that does not build leaves the old one in place.
 */
public final class ServerTls {
  private static final Logger log = LoggerFactory.getLogger(ServerTls.class);

  private final ServerContext context;
  private volatile SslContext current;

  /**
   * @throws IllegalStateException naming the setting and file when the context cannot be built
   */
  public ServerTls(ServerContext context) {
    this.context = context;
    this.current = build();
  }

  /** A handler for a newly accepted channel; it goes first in the pipeline. */
  public SslHandler newHandler(Channel channel) {
    return current.newHandler(channel.alloc());
  }

  /**
   * Reads the certificate, key and client CA files again.
   *
   * @throws IllegalStateException when they do not build a context; the old one stays
   */
  public synchronized void reload() {
    current = build();
    log.info("TLS certificate reloaded from {}", context.tlsCertFile());
  }

  private SslContext build() {
    String cert = context.tlsCertFile();
    String key = context.tlsKeyFile();
    if (cert.isEmpty() || key.isEmpty()) {
      throw new IllegalStateException(
          "TLS needs tls-cert-file and tls-key-file (PEM files), got tls-cert-file '"
              + cert
              + "' and tls-key-file '"
              + key
              + "'");
    }
    SslContextBuilder builder;
    try {
      builder = SslContextBuilder.forServer(new File(cert), new File(key));
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(
          "cannot read the TLS certificate tls-cert-file '"
              + cert
              + "' or its key tls-key-file '"
              + key
              + "' (PEM; the key unencrypted PKCS#8, BEGIN PRIVATE KEY): "
              + rootMessage(e),
          e);
    }
    builder.sslProvider(SslProvider.JDK);
    String ca = context.tlsCaCertFile();
    if (!ca.isEmpty()) {
      try {
        builder.trustManager(new File(ca));
      } catch (IllegalArgumentException e) {
        throw new IllegalStateException(
            "cannot read the client CA certificates tls-ca-cert-file '"
                + ca
                + "': "
                + rootMessage(e),
            e);
      }
      builder.clientAuth(
          switch (context.tlsAuthClients()) {
            case "yes" -> ClientAuth.REQUIRE;
            case "optional" -> ClientAuth.OPTIONAL;
            default -> ClientAuth.NONE;
          });
    }
    try {
      return builder.build();
    } catch (Exception e) {
      throw new IllegalStateException(
          "cannot use the TLS certificate tls-cert-file '"
              + cert
              + "' with the key tls-key-file '"
              + key
              + "': "
              + rootMessage(e),
          e);
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + t + ")";
  }
}
