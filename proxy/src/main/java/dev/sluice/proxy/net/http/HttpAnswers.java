package dev.sluice.proxy.net.http;

import static dev.sluice.proxy.net.http.HttpResponses.JSON_TYPE;
import static dev.sluice.proxy.net.http.HttpResponses.error;
import static dev.sluice.proxy.net.http.HttpResponses.json;
import static dev.sluice.proxy.net.http.HttpResponses.send;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Requests answered without looking at their body: the body is read and dropped, and the answer
 * goes out when it ends, or at once (closing the connection) when more than {@link #discardLimit}
 * bytes of it came, so that a refused upload is not read to its end.
 */
final class HttpAnswers {
  private final long maxBodySize;

  /**
   * @param maxBodySize http.max-body-size
   */
  HttpAnswers(long maxBodySize) {
    this.maxBodySize = maxBodySize;
  }

  HttpExchange answer(
      HttpResponseStatus status, byte[] body, String type, Map<String, String> headers) {
    long limit = discardLimit();
    return new HttpExchange() {
      long dropped;

      @Override
      public void content(ChannelHandlerContext ctx, ByteBuf chunk) {
        if (dropped > limit) {
          return; // answered already; the connection closes
        }
        dropped += chunk.readableBytes();
        if (dropped > limit) {
          send(ctx, status, body, type, headers, true);
        }
      }

      @Override
      public void end(ChannelHandlerContext ctx) {
        if (dropped <= limit) {
          send(ctx, status, body, type, headers, false);
        }
      }
    };
  }

  HttpExchange answer(HttpResponseStatus status, Object body) {
    return answer(status, json(body), JSON_TYPE, Map.of());
  }

  HttpExchange answer(HttpResponseStatus status, Object body, Map<String, String> headers) {
    return answer(status, json(body), JSON_TYPE, headers);
  }

  HttpExchange answerText(String text) {
    return answer(
        HttpResponseStatus.OK,
        text.getBytes(StandardCharsets.UTF_8),
        "text/plain; charset=utf-8",
        Map.of());
  }

  HttpExchange notAllowed(String allowed) {
    return answer(
        HttpResponseStatus.METHOD_NOT_ALLOWED,
        json(error("method not allowed; use " + allowed)),
        JSON_TYPE,
        Map.of("Allow", allowed));
  }

  HttpExchange tooLarge() {
    IngestException e = tooLargeFailure();
    return answer(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, e.body);
  }

  IngestException tooLargeFailure() {
    Map<String, Object> body =
        error(
            "request body larger than http.max-body-size ("
                + maxBodySize
                + " bytes); split the file");
    body.put("accepted", 0);
    return new IngestException(413, body);
  }

  /** How much of a refused request's body is read and dropped before answering and closing. */
  long discardLimit() {
    return Math.max(maxBodySize, 16L * 1024 * 1024);
  }
}
