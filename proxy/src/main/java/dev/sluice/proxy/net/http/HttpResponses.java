package dev.sluice.proxy.net.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The HTTP endpoint's responses: JSON bodies, error bodies, and writing a response out. */
final class HttpResponses {
  private HttpResponses() {}

  static final String JSON_TYPE = "application/json";

  /**
   * The body for a mapping name that is not an append mapping: {@code what} ("no append mapping")
   * and the append mappings there are.
   */
  static Map<String, Object> notAnAppendMapping(String what, String mapping, List<String> names) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put(
        "error",
        what
            + " '"
            + mapping
            + "'"
            + (names.isEmpty()
                ? ": this configuration has none (a mapping with write: append)"
                : "; append mappings: " + String.join(", ", names)));
    body.put("mapping", mapping);
    body.put("append_mappings", names);
    return body;
  }

  static Map<String, Object> error(String message) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error", message);
    return body;
  }

  static byte[] json(Object body) {
    try {
      return HttpEndpoint.JSON.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static void send(
      ChannelHandlerContext ctx,
      HttpResponseStatus status,
      Map<String, Object> body,
      boolean close) {
    send(ctx, status, json(body), JSON_TYPE, Map.of(), close);
  }

  static void send(
      ChannelHandlerContext ctx,
      HttpResponseStatus status,
      byte[] body,
      String type,
      Map<String, String> headers,
      boolean close) {
    FullHttpResponse response =
        new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
    HttpUtil.setContentLength(response, body.length);
    headers.forEach((name, value) -> response.headers().set(name, value));
    if (close) {
      response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    }
    ctx.writeAndFlush(response);
  }
}
