import dev.sluice.config.ConfigLoader;
import dev.sluice.config.SluiceConfig;
import dev.sluice.proxy.keyspace.Clock;
import dev.sluice.proxy.postgres.PostgresConnector;
import dev.sluice.proxy.SluiceServer;
import java.io.BufferedWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * HTTP ingest benchmark, one run, one embedded PostgreSQL: the same CSV file of N rows (default
 * 1,000,000, with a header row) is (1) loaded with {@code psql \copy} into a plain table and (2)
 * streamed by {@code sluice ingest FILE --mapping bench_events --http-url …} (the CLI, a separate
 * JVM, {@code java -jar sluice.jar}) to the HTTP endpoint of a Sluice with an append mapping on
 * the same kind of table, timed until the last row is committed in PostgreSQL (the wait is {@code
 * POST /v1/mappings/bench_events/flush}). Run with {@code bench/ingest.sh}.
 */
public final class IngestBench {
  private static final String COLUMNS = "seq bigint NOT NULL, kind text, amount numeric(10,2),"
      + " user_id integer, note text";

  public static void main(String[] args) throws Exception {
    int rows = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    Path jar = Path.of(args.length > 1 ? args[1] : "proxy/target/sluice.jar").toAbsolutePath();
    Path work = Files.createTempDirectory("sluice-ingest-bench");
    Path yaml = work.resolve("bench.yaml");
    Files.writeString(
        yaml,
        "port: 0\n"
            + "save: \"\"\n" // no RDB file: the reference runs without persistence too
            + "http:\n  port: 0\n"
            + "postgres:\n  url: embedded\n  data-dir: " + work.resolve("pg") + "\n"
            + "journal:\n  dir: " + work.resolve("journal") + "\n"
            + "writeback:\n  node: bench\n"
            + "mappings:\n"
            + "  - name: bench_events\n    keys: \"bench:events\"\n    table: public.bench_events\n"
            + "    write: append\n");
    String schema =
        "CREATE TABLE public.bench_events (" + COLUMNS + ");\n"
            + "CREATE TABLE public.bench_copy (" + COLUMNS + ");\n";
    SluiceConfig config = new ConfigLoader(System.getenv()).load(yaml, Map.of());
    PostgresConnector postgres = PostgresConnector.start(config, schema);
    SluiceServer server = new SluiceServer(config, Clock.SYSTEM, postgres).start();
    try {
      // the embedded server's user postgres and password (base64url: nothing to escape)
      String psqlUrl = "postgresql://postgres:" + postgres.embeddedPassword().orElseThrow()
          + "@localhost:" + postgres.embeddedPort().orElseThrow() + "/postgres";
      String httpUrl = "http://127.0.0.1:" + server.httpPort();

      // one file for both
      Path csv = work.resolve("rows.csv");
      try (BufferedWriter w = Files.newBufferedWriter(csv)) {
        w.write("seq,kind,amount,user_id,note\n");
        for (int i = 0; i < rows; i++) {
          w.write(String.join(",", row(i)));
          w.write('\n');
        }
      }
      long bytes = Files.size(csv);

      // (1) psql \copy
      long t0 = System.nanoTime();
      run(List.of(
          "psql", psqlUrl, "-v", "ON_ERROR_STOP=1", "-q", "-c",
          "\\copy public.bench_copy FROM '" + csv + "' WITH (FORMAT csv, HEADER true)"));
      double copySeconds = (System.nanoTime() - t0) / 1e9;
      check(postgres, "bench_copy", rows);

      // (2) sluice ingest, until committed in PostgreSQL
      List<String> ingest = new ArrayList<>(List.of(
          "java", "-jar", jar.toString(), "ingest", csv.toString(), "--mapping", "bench_events",
          "--http-url", httpUrl));
      System.err.println("running: " + String.join(" ", ingest));
      long t1 = System.nanoTime();
      run(ingest);
      double ackSeconds = (System.nanoTime() - t1) / 1e9;
      HttpResponse<String> flushed =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create(httpUrl + "/v1/mappings/bench_events/flush?timeout_ms=600000"))
                      .timeout(Duration.ofMinutes(11))
                      .POST(HttpRequest.BodyPublishers.noBody())
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      if (flushed.statusCode() != 200) {
        throw new IllegalStateException("flush answered " + flushed.statusCode() + " " + flushed.body());
      }
      double ingestSeconds = (System.nanoTime() - t1) / 1e9;
      check(postgres, "bench_events", rows);

      double copyRate = rows / copySeconds;
      double ingestRate = rows / ingestSeconds;
      System.out.println("| method | rows | seconds | rows/s | ratio to \\copy |");
      System.out.println("|---|---|---|---|---|");
      System.out.printf(
          "| `sluice ingest` (CLI → HTTP, CSV), until committed in PostgreSQL | %,d | %.2f |"
              + " %,.0f | %.2f |%n",
          rows, ingestSeconds, ingestRate, ingestRate / copyRate);
      System.out.printf(
          "| (`sluice ingest`, until the 202: all rows fsynced in the journal) | %,d | %.2f |"
              + " %,.0f | %.2f |%n",
          rows, ackSeconds, rows / ackSeconds, (rows / ackSeconds) / copyRate);
      System.out.printf(
          "| psql \\copy of the same file | %,d | %.2f | %,.0f | 1.00 |%n",
          rows, copySeconds, copyRate);
      System.out.printf(
          "%nCSV file %,d bytes with a header row; one request, journal fsync always, batches of"
              + " up to %s rows; %d cores%n",
          bytes, config.get(dev.sluice.config.WriteBackSettings.WRITEBACK_MAX_BATCH_ROWS),
          Runtime.getRuntime().availableProcessors());
    } finally {
      server.close();
    }
  }

  private static void run(List<String> command) throws Exception {
    Process p = new ProcessBuilder(command).inheritIO().start();
    if (p.waitFor() != 0) {
      throw new IllegalStateException(command.get(0) + " failed: " + String.join(" ", command));
    }
  }

  private static String[] row(int i) {
    return new String[] {
      Integer.toString(i),
      (i % 3 == 0) ? "view" : (i % 3 == 1) ? "click" : "buy",
      (i % 10000) / 100 + "." + String.format("%02d", i % 100),
      Integer.toString(i % 50_000),
      "note-" + Integer.toHexString(i * 2654435761L > 0 ? (int) (i * 2654435761L) : i)
    };
  }

  private static void check(PostgresConnector postgres, String table, long expected)
      throws Exception {
    try (Connection c = postgres.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM public." + table)) {
      rs.next();
      if (rs.getLong(1) != expected) {
        throw new IllegalStateException(table + " holds " + rs.getLong(1) + " rows, not " + expected);
      }
    }
  }
}
