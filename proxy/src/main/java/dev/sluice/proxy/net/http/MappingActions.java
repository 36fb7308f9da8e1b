package dev.sluice.proxy.net.http;

import static dev.sluice.proxy.net.http.HttpResponses.error;
import static dev.sluice.proxy.net.http.HttpResponses.send;

import dev.sluice.proxy.durable.WriteBackControl;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/** The DBA's flow control endpoints: {@code POST /v1/mappings/{mapping}/{action}}. */
final class MappingActions {
  static final String PATH = "/v1/mappings/";
  private static final long DEFAULT_FLUSH_TIMEOUT_MS = 60_000;

  private final HttpEndpoint endpoint;
  private final HttpAnswers answers;

  MappingActions(HttpEndpoint endpoint, HttpAnswers answers) {
    this.endpoint = endpoint;
    this.answers = answers;
  }

  /**
   * {@code POST /v1/mappings/{m}/pause|resume|throttle|flush}: the same {@link WriteBackControl}
   * calls as SLUICE PAUSE/RESUME/THROTTLE/FLUSH. The work (a PostgreSQL round trip, or the wait of
   * a flush) runs on the control's own threads; the answer is written from the event loop when it
   * completes.
   */
  HttpExchange exchange(HttpRequest request, String path) {
    QueryStringDecoder query = new QueryStringDecoder(request.uri());
    int slash = path.lastIndexOf('/');
    String mapping = QueryStringDecoder.decodeComponent(path.substring(PATH.length(), slash));
    String action = path.substring(slash + 1);
    if (!List.of("pause", "resume", "throttle", "flush").contains(action)) {
      return answers.answer(
          HttpResponseStatus.NOT_FOUND,
          error("no such endpoint: " + path + "; mapping actions: pause, resume, throttle, flush"));
    }
    WriteBackControl control = endpoint.appends == null ? null : endpoint.appends.control();
    if (control == null || !control.knows(mapping)) {
      List<String> names = control == null ? List.of() : control.mappings();
      return answers.answer(
          HttpResponseStatus.NOT_FOUND,
          HttpResponses.notAnAppendMapping("unknown append mapping", mapping, names));
    }
    switch (action) {
      case "pause", "resume" -> {
        boolean pause = action.equals("pause");
        return new Control(() -> control.paused(mapping, pause), mapping, action);
      }
      case "throttle" -> {
        String given = parameter(query, "rows_per_second");
        int rate;
        if ("off".equalsIgnoreCase(given)) {
          rate = 0;
        } else {
          long value = positive(given);
          if (value <= 0 || value > Integer.MAX_VALUE) {
            return answers.answer(
                HttpResponseStatus.BAD_REQUEST,
                error(
                    "rows_per_second takes a positive number of rows per second or off, got "
                        + (given == null ? "nothing" : "'" + given + "'")));
          }
          rate = (int) value;
        }
        return new Control(() -> control.throttle(mapping, rate), mapping, action);
      }
      default -> {
        String given = parameter(query, "timeout_ms");
        long timeout = given == null ? DEFAULT_FLUSH_TIMEOUT_MS : positive(given);
        if (timeout <= 0) {
          return answers.answer(
              HttpResponseStatus.BAD_REQUEST,
              error("timeout_ms takes a positive number of milliseconds, got '" + given + "'"));
        }
        return new Control(
            () -> control.flush(mapping, Duration.ofMillis(timeout)), mapping, action);
      }
    }
  }

  private static String parameter(QueryStringDecoder query, String name) {
    List<String> values = query.parameters().get(name);
    return values == null || values.isEmpty() ? null : values.get(values.size() - 1);
  }

  /** The number, or -1 when it is not one. */
  private static long positive(String text) {
    if (text == null) {
      return -1;
    }
    try {
      return Long.parseLong(text.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** A mapping action: started when the (dropped) body ends, answered when its work completes. */
  private final class Control implements HttpExchange {
    private final Supplier<CompletableFuture<Object>> work;
    private final String mapping;
    private final String action;

    Control(Supplier<CompletableFuture<Object>> work, String mapping, String action) {
      this.work = work;
      this.mapping = mapping;
      this.action = action;
    }

    @Override
    public void content(ChannelHandlerContext ctx, ByteBuf chunk) {}

    @Override
    public void end(ChannelHandlerContext ctx) {
      CompletableFuture<Object> future;
      try {
        future = work.get();
      } catch (RuntimeException e) {
        send(ctx, HttpResponseStatus.INTERNAL_SERVER_ERROR, error(e.getMessage()), false);
        return;
      }
      future.whenComplete(
          (outcome, err) -> {
            HttpResponseStatus status;
            Map<String, Object> body;
            if (err != null) {
              Throwable cause =
                  err instanceof CompletionException && err.getCause() != null
                      ? err.getCause()
                      : err;
              String message = String.valueOf(cause.getMessage());
              if (message.startsWith("ERR ")) {
                message = message.substring(4);
              }
              status =
                  action.equals("flush") && message.contains("timed out")
                      ? HttpResponseStatus.GATEWAY_TIMEOUT
                      : HttpResponseStatus.INTERNAL_SERVER_ERROR;
              body = error(message);
              body.put("mapping", mapping);
            } else {
              status = HttpResponseStatus.OK;
              body = new LinkedHashMap<>();
              body.put("mapping", mapping);
              body.put("action", action);
              if (action.equals("flush")) {
                body.put("flushed_rows", outcome);
              }
              Map<String, Object> now = endpoint.appends.control().status().get(mapping);
              if (now != null) {
                body.put("writeback", now.get("writeback"));
                body.put("throttle_rows_per_second", now.get("throttle_rows_per_second"));
                body.put("pending_rows", now.get("pending_rows"));
              }
            }
            ctx.executor().execute(() -> send(ctx, status, body, false));
          });
    }
  }
}
