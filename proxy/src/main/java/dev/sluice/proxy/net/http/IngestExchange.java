package dev.sluice.proxy.net.http;

import static dev.sluice.proxy.net.http.HttpResponses.JSON_TYPE;
import static dev.sluice.proxy.net.http.HttpResponses.error;
import static dev.sluice.proxy.net.http.HttpResponses.json;
import static dev.sluice.proxy.net.http.HttpResponses.send;

import dev.sluice.proxy.durable.AppendWriteBack;
import dev.sluice.writeback.batch.Flusher;
import dev.sluice.writeback.journal.JournalException;
import dev.sluice.writeback.journal.JournalFullException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An ingest request: rows are parsed and validated as chunks arrive and spooled ({@link Spool}); at
 * the end of the body, if every row was good, they are journaled as one unit on a {@code
 * sluice-http} thread and the answer goes out once the last one is durable.
 *
 * <p>The endpoint is {@code POST /v1/ingest/{mapping}}; see docs/ARCHITECTURE.md, "The path of an
 * ingest request (HTTP)".
 */
final class IngestExchange implements HttpExchange {
  static final String PATH = "/v1/ingest/";

  private final HttpEndpoint endpoint;
  private final HttpAnswers answers;
  private final AppendWriteBack.Target target;
  private final String key;
  private final RowParser parser;
  private final Spool spool = new Spool();
  private long received;
  private IngestException failure;
  private boolean abandoned;

  private IngestExchange(
      HttpEndpoint endpoint,
      HttpAnswers answers,
      AppendWriteBack.Target target,
      boolean csv,
      String key) {
    this.endpoint = endpoint;
    this.answers = answers;
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
      if (received > answers.discardLimit()) {
        finish(ctx, failure.status, failure.body, true);
        abandon();
      }
      return;
    }
    if (received > endpoint.maxBodySize) {
      fail(answers.tooLargeFailure());
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

  /**
   * The exchange for {@code POST /v1/ingest/{mapping}}: an ingest when the mapping, the content
   * type, the length and the idempotency key allow one, else the answer that refuses it (or replays
   * an idempotent request's earlier answer).
   */
  static HttpExchange begin(
      HttpEndpoint endpoint, HttpAnswers answers, HttpRequest request, String mapping) {
    AppendWriteBack appends = endpoint.appends;
    AppendWriteBack.Target target = appends == null ? null : appends.targetNamed(mapping);
    if (target == null) {
      List<String> names = appends == null ? List.of() : appends.mappingNames();
      return answers.answer(
          HttpResponseStatus.NOT_FOUND,
          HttpResponses.notAnAppendMapping("no append mapping", mapping, names));
    }
    String type = request.headers().get(HttpHeaderNames.CONTENT_TYPE, "");
    String mime = type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    boolean csv = mime.equals("text/csv");
    if (!csv && !mime.equals("application/x-ndjson")) {
      return answers.answer(
          HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE,
          error(
              "Content-Type '"
                  + type
                  + "' is not accepted: send application/x-ndjson (one JSON object per line) or"
                  + " text/csv (a header row naming the columns)"));
    }
    long length = HttpUtil.getContentLength(request, -1L);
    if (length > endpoint.maxBodySize) {
      return answers.tooLarge();
    }
    String key = request.headers().get("Idempotency-Key");
    if (key != null) {
      IdempotencyCache.Answer previous = endpoint.idempotency.begin(mapping, key);
      if (previous == IdempotencyCache.IN_FLIGHT) {
        return answers.answer(
            HttpResponseStatus.CONFLICT,
            error("a request with Idempotency-Key '" + key + "' is still running"));
      }
      if (previous != null) {
        return answers.answer(
            HttpResponseStatus.valueOf(previous.status()),
            previous.body(),
            JSON_TYPE,
            Map.of("Idempotent-Replayed", "true"));
      }
    }
    return new IngestExchange(endpoint, answers, target, csv, key);
  }

  private static Map<String, Object> accepted(long rows, Long first, Long last) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("accepted", rows);
    body.put("first_lsn", first);
    body.put("last_lsn", last);
    return body;
  }
}
