package dev.sluice.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code sluice ingest FILE --mapping m}: streams a CSV or NDJSON file to {@code POST
 * /v1/ingest/{mapping}} of a running Sluice. The file is read in chunks as the HTTP client asks for
 * them, never whole; a progress bar on stderr shows the bytes sent and the rows per second.
 */
@Command(
    name = "ingest",
    mixinStandardHelpOptions = true,
    description = {
      "Streams a CSV (with a header row) or NDJSON file to the HTTP ingest endpoint of a running",
      "Sluice; all rows are accepted (fsynced in the journal) or none."
    },
    footer = {
      "",
      "Environment: SLUICE_HTTP_URL, SLUICE_HTTP_TOKEN (the flags win).",
      "Exit codes: 0 accepted, 1 refused (the server's error is printed) or unreachable,"
          + " 2 bad usage."
    })
public final class IngestCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int CHUNK = 256 * 1024;

  @Spec CommandSpec spec;

  @Parameters(paramLabel = "FILE", description = "A .csv or .ndjson/.jsonl file.")
  Path file;

  @Option(
      names = {"-m", "--mapping"},
      required = true,
      paramLabel = "MAPPING",
      description = "The append mapping to ingest into.")
  String mapping;

  @Option(
      names = "--format",
      paramLabel = "csv|ndjson",
      description = "The file's format; by default from its extension.")
  String format;

  @Option(
      names = "--http-url",
      paramLabel = "URL",
      defaultValue = "${env:SLUICE_HTTP_URL:-http://127.0.0.1:8080}",
      description = "Sluice's HTTP endpoint. Default: $SLUICE_HTTP_URL or http://127.0.0.1:8080.")
  String url;

  @Option(
      names = "--token",
      paramLabel = "TOKEN",
      defaultValue = "${env:SLUICE_HTTP_TOKEN:-}",
      description = "Bearer token (http.token of the server). Default: $SLUICE_HTTP_TOKEN.")
  String token;

  @Option(
      names = "--idempotency-key",
      paramLabel = "KEY",
      description = "Makes a retry of the same request a no-op answering the first answer.")
  String idempotencyKey;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (!Files.isRegularFile(file)) {
      err.println("sluice: no such file: " + file);
      return 2;
    }
    String type = contentType(err);
    if (type == null) {
      return 2;
    }
    URI uri;
    try {
      uri =
          URI.create(
              url.replaceAll("/+$", "")
                  + "/v1/ingest/"
                  + URLEncoder.encode(mapping, StandardCharsets.UTF_8).replace("+", "%20"));
    } catch (IllegalArgumentException e) {
      err.println("sluice: bad --http-url " + url + ": " + e.getMessage());
      return 2;
    }
    long size = Files.size(file);
    Meter meter = new Meter(err, size);
    HttpRequest.BodyPublisher body =
        HttpRequest.BodyPublishers.fromPublisher(
            HttpRequest.BodyPublishers.ofInputStream(
                () -> {
                  try {
                    return new Counting(Files.newInputStream(file), meter);
                  } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                  }
                }),
            size);
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri).header("Content-Type", type).POST(body);
    if (token != null && !token.isEmpty()) {
      request.header("Authorization", "Bearer " + token);
    }
    if (idempotencyKey != null) {
      request.header("Idempotency-Key", idempotencyKey);
    }
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    HttpResponse<String> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (ConnectException e) {
      meter.done();
      err.println(
          "sluice: cannot connect to "
              + url
              + "; is Sluice running with http.port set? Set --http-url or SLUICE_HTTP_URL.");
      return 1;
    } catch (IOException e) {
      meter.done();
      err.println("sluice: sending " + file + " to " + uri + " failed: " + e);
      return 1;
    }
    meter.done();
    double seconds = meter.elapsedSeconds();
    if (response.statusCode() / 100 != 2) {
      err.println(
          "sluice: "
              + uri
              + " refused the file: HTTP "
              + response.statusCode()
              + " "
              + response.body().strip());
      return 1;
    }
    JsonNode answer = JSON.readTree(response.body());
    long accepted = answer.path("accepted").asLong();
    out.printf(
        Locale.ROOT,
        "Accepted %d rows into %s (LSN %s..%s) in %.2f s: %.0f rows/s, %s.%n",
        accepted,
        mapping,
        answer.path("first_lsn").asText(),
        answer.path("last_lsn").asText(),
        seconds,
        accepted / Math.max(seconds, 1e-3),
        Meter.bytes(size));
    return 0;
  }

  private String contentType(PrintWriter err) {
    String name = format != null ? format : file.getFileName().toString();
    String lower = name.toLowerCase(Locale.ROOT);
    if (lower.equals("csv") || lower.endsWith(".csv")) {
      return "text/csv";
    }
    if (lower.equals("ndjson")
        || lower.equals("jsonl")
        || lower.endsWith(".ndjson")
        || lower.endsWith(".jsonl")) {
      return "application/x-ndjson";
    }
    err.println(
        "sluice: cannot tell the format of "
            + (format != null ? "'" + format + "'" : file)
            + ": use a .csv, .ndjson or .jsonl file or --format csv|ndjson");
    return null;
  }

  /** Bytes and lines read so far, drawn as a bar on stderr at most every 200 ms. */
  static final class Meter {
    private final PrintWriter err;
    private final long total;
    private final long start = System.nanoTime();
    private long bytes;
    private long lines;
    private long lastDraw;
    private boolean drawn;

    Meter(PrintWriter err, long total) {
      this.err = err;
      this.total = total;
    }

    synchronized void count(byte[] b, int off, int len) {
      bytes += len;
      for (int i = off; i < off + len; i++) {
        if (b[i] == '\n') {
          lines++;
        }
      }
      long now = System.nanoTime();
      if (now - lastDraw > 200_000_000L || bytes == total) {
        lastDraw = now;
        draw();
      }
    }

    private void draw() {
      int width = 30;
      int filled = total == 0 ? width : (int) (width * bytes / total);
      double seconds = Math.max(elapsedSeconds(), 1e-3);
      err.printf(
          Locale.ROOT,
          "\r[%s%s] %3d%% %s / %s  %.0f rows/s ",
          "#".repeat(filled),
          ".".repeat(width - filled),
          total == 0 ? 100 : bytes * 100 / total,
          bytes(bytes),
          bytes(total),
          lines / seconds);
      err.flush();
      drawn = true;
    }

    synchronized void done() {
      if (drawn) {
        err.println();
        err.flush();
        drawn = false;
      }
    }

    double elapsedSeconds() {
      return (System.nanoTime() - start) / 1e9;
    }

    static String bytes(long n) {
      if (n < 1024) {
        return n + " B";
      }
      if (n < 1024 * 1024) {
        return String.format(Locale.ROOT, "%.1f KiB", n / 1024.0);
      }
      return String.format(Locale.ROOT, "%.1f MiB", n / (1024.0 * 1024));
    }
  }

  /** Reads the file in chunks of at most {@link #CHUNK} bytes and counts them. */
  private static final class Counting extends FilterInputStream {
    private final Meter meter;

    Counting(InputStream in, Meter meter) {
      super(in);
      this.meter = meter;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, Math.min(len, CHUNK));
      if (n > 0) {
        meter.count(b, off, n);
      }
      return n;
    }

    @Override
    public int read() throws IOException {
      int c = super.read();
      if (c >= 0) {
        meter.count(new byte[] {(byte) c}, 0, 1);
      }
      return c;
    }
  }
}
