package dev.sluice.proxy.net.http;

import static dev.sluice.proxy.net.http.HttpResponses.JSON_TYPE;
import static dev.sluice.proxy.net.http.HttpResponses.json;
import static dev.sluice.proxy.net.http.HttpResponses.send;

import dev.sluice.writeback.journal.JournalOptions;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /readyz}: ready when the database answers and the journal directory takes a file; the
 * checks may block, so they run on a {@code sluice-http} thread.
 */
final class Readiness implements HttpExchange {
  private final HttpEndpoint endpoint;

  Readiness(HttpEndpoint endpoint) {
    this.endpoint = endpoint;
  }

  @Override
  public void content(ChannelHandlerContext ctx, ByteBuf chunk) {}

  @Override
  public void end(ChannelHandlerContext ctx) {
    endpoint.blocking.execute(
        () -> {
          String reason = notReadyBecause();
          Map<String, Object> body = new LinkedHashMap<>();
          body.put("status", reason == null ? "ready" : "not ready");
          if (reason != null) {
            body.put("reason", reason);
          }
          ctx.executor()
              .execute(
                  () ->
                      send(
                          ctx,
                          reason == null
                              ? HttpResponseStatus.OK
                              : HttpResponseStatus.SERVICE_UNAVAILABLE,
                          json(body),
                          JSON_TYPE,
                          Map.of(),
                          false));
        });
  }

  private String notReadyBecause() {
    if (endpoint.postgres != null) {
      try (Connection c = endpoint.postgres.dataSource().getConnection()) {
        if (!c.isValid(2)) {
          return "database: connection not valid";
        }
      } catch (Exception e) {
        return "database unreachable: " + e.getMessage();
      }
    }
    if (endpoint.appends != null) {
      Path dir = JournalOptions.from(endpoint.config).dir();
      try {
        Files.delete(Files.createTempFile(dir, ".ready-", ".probe"));
      } catch (IOException | RuntimeException e) {
        return "journal not writable in " + dir + ": " + e;
      }
    }
    return null;
  }
}
