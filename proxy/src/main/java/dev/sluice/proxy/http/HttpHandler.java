package dev.sluice.proxy.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.sluice.config.UserConfig.Role;
import dev.sluice.proxy.command.Acl;
import dev.sluice.proxy.command.AclUser;
import dev.sluice.proxy.command.MappingAdmin;
import dev.sluice.proxy.writeback.AppendWriteBack;
import dev.sluice.proxy.writeback.WriteBackControl;
import dev.sluice.writeback.batch.Flusher;
import dev.sluice.writeback.journal.JournalException;
import dev.sluice.writeback.journal.JournalFullException;
import dev.sluice.writeback.journal.JournalOptions;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One HTTP connection: routes each request and, since bodies are never aggregated, receives the
 * body chunk by chunk. An ingest request's body is parsed and validated as it arrives (see {@link
 * Ingest}); any other request's body is read and dropped.
 */
final class HttpHandler extends SimpleChannelInboundHandler<HttpObject> {
  private static final Logger log = LoggerFactory.getLogger(HttpHandler.class);
  private static final String JSON_TYPE = "application/json";
  private static final String PREFIX = "/v1/ingest/";
  private static final String MAPPINGS = "/v1/mappings/";
  private static final long DEFAULT_FLUSH_TIMEOUT_MS = 60_000;

  /** What happens to a request's body and when it is answered. */
  private interface Exchange {
    void content(ChannelHandlerContext ctx, ByteBuf chunk);

    void end(ChannelHandlerContext ctx);
  }

  private final HttpEndpoint endpoint;
  private Exchange exchange;

  HttpHandler(HttpEndpoint endpoint) {
    this.endpoint = endpoint;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
    if (msg instanceof HttpRequest request) {
      if (request.decoderResult().isFailure()) {
        Throwable cause = request.decoderResult().cause();
        HttpResponseStatus status =
            cause instanceof TooLongFrameException
                ? HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE
                : HttpResponseStatus.BAD_REQUEST;
        exchange = null;
        send(ctx, status, error("bad request: " + cause.getMessage()), true);
        return;
      }
      exchange = route(ctx, request);
    }
    if (msg instanceof HttpContent content && exchange != null) {
      exchange.content(ctx, content.content());
      if (msg instanceof LastHttpContent) {
        Exchange done = exchange;
        exchange = null;
        done.end(ctx);
      }
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("HTTP connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
    ctx.close();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (exchange instanceof Ingest ingest) {
      ingest.abandon();
    }
    exchange = null;
  }

  private Exchange route(ChannelHandlerContext ctx, HttpRequest request) {
    String path = new QueryStringDecoder(request.uri()).path();
    HttpMethod method = request.method();
    boolean open = path.equals("/healthz") || path.equals("/readyz");
    AclUser caller = open ? null : caller(ctx, request);
    if (!open && caller == null) {
      return answer(
          HttpResponseStatus.UNAUTHORIZED,
          error(
              "missing or wrong bearer token (Authorization: Bearer <token>, the token of"
                  + " http.token or of a user's http-token)"),
          Map.of("WWW-Authenticate", "Bearer"));
    }
    Role needed = open ? null : roleNeeded(path);
    if (needed != null && !mayUse(caller, needed)) {
      return answer(
          HttpResponseStatus.FORBIDDEN,
          error(
              "user '"
                  + caller.name()
                  + "' (role "
                  + roleName(caller.state().role())
                  + ") may not use "
                  + path
                  + "; it needs role "
                  + (needed == Role.DBA
                      ? "dba"
                      : needed == Role.APP ? "app or dba" : "readonly," + " app or dba")));
    }
    switch (path) {
      case "/healthz" -> {
        return method == HttpMethod.GET ? answerText("ok\n") : notAllowed("GET");
      }
      case "/readyz" -> {
        return method == HttpMethod.GET ? new Readiness() : notAllowed("GET");
      }
      case "/metrics" -> {
        if (method != HttpMethod.GET) {
          return notAllowed("GET");
        }
        byte[] text = endpoint.metrics.scrape().getBytes(StandardCharsets.UTF_8);
        return answer(
            HttpResponseStatus.OK, text, "text/plain; version=0.0.4; charset=utf-8", Map.of());
      }
      case "/v1/status" -> {
        return method == HttpMethod.GET
            ? answer(HttpResponseStatus.OK, status())
            : notAllowed("GET");
      }
      default -> {
        if (path.startsWith(PREFIX) && path.length() > PREFIX.length()) {
          if (method != HttpMethod.POST) {
            return notAllowed("POST");
          }
          return ingest(
              request, QueryStringDecoder.decodeComponent(path.substring(PREFIX.length())));
        }
        if (path.startsWith(MAPPINGS) && path.lastIndexOf('/') > MAPPINGS.length()) {
          if (method != HttpMethod.POST) {
            return notAllowed("POST");
          }
          return control(request, path);
        }
        return answer(HttpResponseStatus.NOT_FOUND, error("no such endpoint: " + path));
      }
    }
  }

  /**
   * The user the request's bearer token stands for; the default user when no token and no password
   * is configured at all (the endpoint is then open); null when a token is needed and none or a
   * wrong one came, which is counted and logged like a failed AUTH.
   */
  private AclUser caller(ChannelHandlerContext ctx, HttpRequest request) {
    Acl acl = endpoint.context.acl();
    if (!acl.authRequired() && !acl.anyHttpToken()) {
      return acl.defaultUser();
    }
    String header = request.headers().get(HttpHeaderNames.AUTHORIZATION);
    AclUser user = null;
    if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      user = acl.httpUser(header.substring(7).trim().getBytes(StandardCharsets.UTF_8));
    }
    if (user == null) {
      endpoint.context.stats().aclDeniedAuth.increment();
      acl.loginFailed(
          header == null ? "an HTTP request without a bearer token" : "an HTTP bearer token",
          String.valueOf(ctx.channel().remoteAddress()));
    }
    return user;
  }

  /** The least role an endpoint needs: ingest app, flow control dba, the rest readonly. */
  private static Role roleNeeded(String path) {
    if (path.startsWith(PREFIX)) {
      return Role.APP;
    }
    if (path.startsWith(MAPPINGS)) {
      return Role.DBA;
    }
    return Role.READONLY;
  }

  private static boolean mayUse(AclUser user, Role needed) {
    Role role = user.state().role();
    return role != null && role.includes(needed);
  }

  private static String roleName(Role role) {
    return role == null ? "none" : role.configName();
  }

  /**
   * SLUICE STATUS's figures, from the same calls: the mappings' (under the keyspace lock as the
   * command runs) with each append mapping's write-back figures merged in.
   */
  private Map<String, Map<String, Object>> status() {
    MappingAdmin admin = endpoint.context.mappingAdmin();
    if (admin == null) {
      return Map.of();
    }
    Map<String, Map<String, Object>> status;
    ReentrantLock lock = endpoint.context.keyspace().lock();
    lock.lock();
    try {
      status = new LinkedHashMap<>(admin.status());
    } finally {
      lock.unlock();
    }
    return endpoint.appends == null ? status : endpoint.appends.control().statusWith(status);
  }

  /**
   * {@code POST /v1/mappings/{m}/pause|resume|throttle|flush}: the same {@link WriteBackControl}
   * calls as SLUICE PAUSE/RESUME/THROTTLE/FLUSH. The work (a PostgreSQL round trip, or the wait of
   * a flush) runs on the control's own threads; the answer is written from the event loop when it
   * completes.
   */
  private Exchange control(HttpRequest request, String path) {
    QueryStringDecoder query = new QueryStringDecoder(request.uri());
    int slash = path.lastIndexOf('/');
    String mapping = QueryStringDecoder.decodeComponent(path.substring(MAPPINGS.length(), slash));
    String action = path.substring(slash + 1);
    if (!List.of("pause", "resume", "throttle", "flush").contains(action)) {
      return answer(
          HttpResponseStatus.NOT_FOUND,
          error("no such endpoint: " + path + "; mapping actions: pause, resume, throttle, flush"));
    }
    WriteBackControl control = endpoint.appends == null ? null : endpoint.appends.control();
    if (control == null || !control.knows(mapping)) {
      List<String> names = control == null ? List.of() : control.mappings();
      Map<String, Object> body = new LinkedHashMap<>();
      body.put(
          "error",
          "unknown append mapping '"
              + mapping
              + "'"
              + (names.isEmpty()
                  ? ": this configuration has none (a mapping with write: append)"
                  : "; append mappings: " + String.join(", ", names)));
      body.put("mapping", mapping);
      body.put("append_mappings", names);
      return answer(HttpResponseStatus.NOT_FOUND, body);
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
            return answer(
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
          return answer(
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
  private final class Control implements Exchange {
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

  private Exchange ingest(HttpRequest request, String mapping) {
    AppendWriteBack appends = endpoint.appends;
    AppendWriteBack.Target target = appends == null ? null : appends.targetNamed(mapping);
    if (target == null) {
      List<String> names = appends == null ? List.of() : appends.mappingNames();
      Map<String, Object> body = new LinkedHashMap<>();
      body.put(
          "error",
          "no append mapping '"
              + mapping
              + "'"
              + (names.isEmpty()
                  ? ": this configuration has none (a mapping with write: append)"
                  : "; append mappings: " + String.join(", ", names)));
      body.put("mapping", mapping);
      body.put("append_mappings", names);
      return answer(HttpResponseStatus.NOT_FOUND, body);
    }
    String type = request.headers().get(HttpHeaderNames.CONTENT_TYPE, "");
    String mime = type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    boolean csv = mime.equals("text/csv");
    if (!csv && !mime.equals("application/x-ndjson")) {
      return answer(
          HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE,
          error(
              "Content-Type '"
                  + type
                  + "' is not accepted: send application/x-ndjson (one JSON object per line) or"
                  + " text/csv (a header row naming the columns)"));
    }
    long length = HttpUtil.getContentLength(request, -1L);
    if (length > endpoint.maxBodySize) {
      return tooLarge();
    }
    String key = request.headers().get("Idempotency-Key");
    if (key != null) {
      IdempotencyCache.Answer previous = endpoint.idempotency.begin(mapping, key);
      if (previous == IdempotencyCache.IN_FLIGHT) {
        return answer(
            HttpResponseStatus.CONFLICT,
            error("a request with Idempotency-Key '" + key + "' is still running"));
      }
      if (previous != null) {
        return answer(
            HttpResponseStatus.valueOf(previous.status()),
            previous.body(),
            JSON_TYPE,
            Map.of("Idempotent-Replayed", "true"));
      }
    }
    return new Ingest(target, csv, key);
  }

  /**
   * An ingest request: rows are parsed and validated as chunks arrive and spooled ({@link Spool});
   * at the end of the body, if every row was good, they are journaled as one unit on a {@code
   * sluice-http} thread and the answer goes out once the last one is durable.
   */
  private final class Ingest implements Exchange {
    private final AppendWriteBack.Target target;
    private final String key;
    private final RowParser parser;
    private final Spool spool = new Spool();
    private long received;
    private IngestException failure;
    private boolean abandoned;

    Ingest(AppendWriteBack.Target target, boolean csv, String key) {
      this.target = target;
      this.key = key;
      RowParser.Rows rows = this::row;
      this.parser = csv ? new CsvParser(rows) : new NdjsonParser(rows);
    }

    private void row(long line, List<byte[]> columnsAndValues) {
      try {
        spool.add(AppendWriteBack.row(target, columnsAndValues));
      } catch (AppendWriteBack.BadValueException e) {
        throw IngestException.badRow(line, e.column(), e.value(), e.getMessage());
      } catch (IllegalArgumentException e) {
        throw IngestException.badRow(line, null, null, e.getMessage());
      }
    }

    @Override
    public void content(ChannelHandlerContext ctx, ByteBuf chunk) {
      if (abandoned) {
        return;
      }
      received += chunk.readableBytes();
      if (failure != null) {
        if (received > discardLimit()) {
          finish(ctx, failure.status, failure.body, true);
          abandon();
        }
        return;
      }
      if (received > endpoint.maxBodySize) {
        fail(tooLargeFailure());
        return;
      }
      try {
        parser.feed(chunk);
      } catch (IngestException e) {
        fail(e);
      } catch (UncheckedIOException e) {
        fail(new IngestException(500, error(e.getMessage())));
      }
    }

    private void fail(IngestException e) {
      failure = e;
      spool.close();
    }

    void abandon() {
      abandoned = true;
      spool.close();
      if (key != null && failure == null) {
        endpoint.idempotency.finish(target.mapping().name(), key, 503, null);
      }
    }

    @Override
    public void end(ChannelHandlerContext ctx) {
      if (abandoned) {
        return;
      }
      if (failure == null) {
        try {
          parser.finish();
        } catch (IngestException e) {
          fail(e);
        }
      }
      if (failure != null) {
        finish(ctx, failure.status, failure.body, false);
        return;
      }
      if (spool.rows() == 0) {
        spool.close();
        finish(ctx, 202, accepted(0, null, null), false);
        return;
      }
      endpoint.blocking.execute(() -> journal(ctx));
    }

    private void journal(ChannelHandlerContext ctx) {
      Flusher flusher = endpoint.appends.flusher();
      Flusher.Unit unit;
      try {
        unit = flusher.appendAll(spool.read(), spool.recordBytes());
      } catch (JournalFullException e) {
        Map<String, Object> body = error("journal full: " + e.getMessage() + "; retry later");
        body.put("accepted", 0);
        ctx.executor().execute(() -> finish(ctx, 503, body, false));
        return;
      } catch (JournalException | IOException | UncheckedIOException e) {
        Map<String, Object> body = error("journal unavailable: " + e.getMessage());
        ctx.executor().execute(() -> finish(ctx, 503, body, false));
        return;
      } finally {
        spool.close();
      }
      long rows = spool.rows();
      unit.last()
          .durable()
          .whenComplete(
              (lsn, err) ->
                  ctx.executor()
                      .execute(
                          () -> {
                            if (err != null) {
                              finish(ctx, 503, error("journal failed: " + err.getMessage()), false);
                            } else {
                              endpoint.metrics.ingested(rows);
                              finish(
                                  ctx,
                                  202,
                                  accepted(rows, unit.firstLsn(), unit.last().lsn()),
                                  false);
                            }
                          }));
    }

    private void finish(
        ChannelHandlerContext ctx, int status, Map<String, Object> body, boolean close) {
      byte[] bytes = json(body);
      if (key != null) {
        endpoint.idempotency.finish(target.mapping().name(), key, status, bytes);
      }
      Map<String, String> headers = status == 503 ? Map.of("Retry-After", "1") : Map.of();
      send(ctx, HttpResponseStatus.valueOf(status), bytes, JSON_TYPE, headers, close);
    }
  }

  private static Map<String, Object> accepted(long rows, Long first, Long last) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("accepted", rows);
    body.put("first_lsn", first);
    body.put("last_lsn", last);
    return body;
  }

  /** Readiness: the database answers and the journal directory takes a file. */
  private final class Readiness implements Exchange {
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

  /** Answers once the body (read and dropped) ends. */
  private Exchange answer(
      HttpResponseStatus status, byte[] body, String type, Map<String, String> headers) {
    return new Exchange() {
      long dropped;

      @Override
      public void content(ChannelHandlerContext ctx, ByteBuf chunk) {
        dropped += chunk.readableBytes();
        if (dropped > discardLimit() && exchange != null) {
          exchange = null;
          send(ctx, status, body, type, headers, true);
        }
      }

      @Override
      public void end(ChannelHandlerContext ctx) {
        if (dropped <= discardLimit()) {
          send(ctx, status, body, type, headers, false);
        }
      }
    };
  }

  private Exchange answer(HttpResponseStatus status, Object body) {
    return answer(status, json(body), JSON_TYPE, Map.of());
  }

  private Exchange answer(HttpResponseStatus status, Object body, Map<String, String> headers) {
    return answer(status, json(body), JSON_TYPE, headers);
  }

  private Exchange answerText(String text) {
    return answer(
        HttpResponseStatus.OK,
        text.getBytes(StandardCharsets.UTF_8),
        "text/plain; charset=utf-8",
        Map.of());
  }

  private Exchange notAllowed(String allowed) {
    return answer(
        HttpResponseStatus.METHOD_NOT_ALLOWED,
        json(error("method not allowed; use " + allowed)),
        JSON_TYPE,
        Map.of("Allow", allowed));
  }

  private Exchange tooLarge() {
    IngestException e = tooLargeFailure();
    return answer(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, e.body);
  }

  private IngestException tooLargeFailure() {
    Map<String, Object> body =
        error(
            "request body larger than http.max-body-size ("
                + endpoint.maxBodySize
                + " bytes); split the file");
    body.put("accepted", 0);
    return new IngestException(413, body);
  }

  /** How much of a refused request's body is read and dropped before answering and closing. */
  private long discardLimit() {
    return Math.max(endpoint.maxBodySize, 16L * 1024 * 1024);
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

  private static void send(
      ChannelHandlerContext ctx,
      HttpResponseStatus status,
      Map<String, Object> body,
      boolean close) {
    send(ctx, status, json(body), JSON_TYPE, Map.of(), close);
  }

  private static void send(
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
