package dev.sluice.proxy.net.http;

import static dev.sluice.proxy.net.http.HttpResponses.error;
import static dev.sluice.proxy.net.http.HttpResponses.send;

import dev.sluice.config.UserConfig.Role;
import dev.sluice.proxy.acl.Acl;
import dev.sluice.proxy.acl.AclUser;
import dev.sluice.proxy.engine.MappingAdmin;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One HTTP connection: authenticates and routes each request to its {@link HttpExchange} and, since
 * bodies are never aggregated, hands it the body chunk by chunk. An ingest request's body is parsed
 * and validated as it arrives ({@link IngestExchange}); the DBA's mapping actions are {@link
 * MappingActions}, readiness {@link Readiness}; any other request's body is read and dropped
 * ({@link HttpAnswers}). Health, metrics and status are answered here.
 */
final class HttpHandler extends SimpleChannelInboundHandler<HttpObject> {
  private static final Logger log = LoggerFactory.getLogger(HttpHandler.class);
  private static final String INGEST = IngestExchange.PATH;
  private static final String MAPPINGS = MappingActions.PATH;

  private final HttpEndpoint endpoint;
  private final HttpAnswers answers;
  private final MappingActions mappingActions;
  private HttpExchange exchange;

  HttpHandler(HttpEndpoint endpoint) {
    this.endpoint = endpoint;
    this.answers = new HttpAnswers(endpoint.maxBodySize);
    this.mappingActions = new MappingActions(endpoint, answers);
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
        HttpExchange done = exchange;
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
    if (exchange instanceof IngestExchange ingest) {
      ingest.abandon();
    }
    exchange = null;
  }

  private HttpExchange route(ChannelHandlerContext ctx, HttpRequest request) {
    String path = new QueryStringDecoder(request.uri()).path();
    HttpMethod method = request.method();
    boolean open = path.equals("/healthz") || path.equals("/readyz");
    AclUser caller = open ? null : caller(ctx, request);
    if (!open && caller == null) {
      return answers.answer(
          HttpResponseStatus.UNAUTHORIZED,
          error(
              "missing or wrong bearer token (Authorization: Bearer <token>, the token of"
                  + " http.token or of a user's http-token)"),
          Map.of("WWW-Authenticate", "Bearer"));
    }
    Role needed = open ? null : roleNeeded(path);
    if (needed != null && !mayUse(caller, needed)) {
      return answers.answer(
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
        return method == HttpMethod.GET ? answers.answerText("ok\n") : answers.notAllowed("GET");
      }
      case "/readyz" -> {
        return method == HttpMethod.GET ? new Readiness(endpoint) : answers.notAllowed("GET");
      }
      case "/metrics" -> {
        if (method != HttpMethod.GET) {
          return answers.notAllowed("GET");
        }
        byte[] text = endpoint.metrics.scrape().getBytes(StandardCharsets.UTF_8);
        return answers.answer(
            HttpResponseStatus.OK, text, "text/plain; version=0.0.4; charset=utf-8", Map.of());
      }
      case "/v1/status" -> {
        return method == HttpMethod.GET
            ? answers.answer(HttpResponseStatus.OK, status())
            : answers.notAllowed("GET");
      }
      default -> {
        if (path.startsWith(INGEST) && path.length() > INGEST.length()) {
          if (method != HttpMethod.POST) {
            return answers.notAllowed("POST");
          }
          return IngestExchange.begin(
              endpoint,
              answers,
              request,
              QueryStringDecoder.decodeComponent(path.substring(INGEST.length())));
        }
        if (path.startsWith(MAPPINGS) && path.lastIndexOf('/') > MAPPINGS.length()) {
          if (method != HttpMethod.POST) {
            return answers.notAllowed("POST");
          }
          return mappingActions.exchange(request, path);
        }
        return answers.answer(HttpResponseStatus.NOT_FOUND, error("no such endpoint: " + path));
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
    if (path.startsWith(INGEST)) {
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
}
