import dev.sluice.config.ConfigLoader;
import dev.sluice.config.SluiceConfig;
import dev.sluice.proxy.keyspace.Clock;
import dev.sluice.proxy.postgres.PostgresConnector;
import dev.sluice.proxy.SluiceServer;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Arrays;
import java.util.Map;

/**
 * Look-aside read benchmark, one process, one run: Sluice on an embedded PostgreSQL with a row
 * mapping over a 100,000-row table; measures (1) the latency of a miss (a GET of a key never read
 * before, answered from PostgreSQL) beside a direct JDBC point query of the same kind of row on
 * the same table, and (2) the throughput of hits on a mapped key beside a plain key. Run with
 * {@code bench/lookaside.sh}.
 */
public final class LookAsideBench {
  private static final int ROWS = 100_000;

  public static void main(String[] args) throws Exception {
    int misses = args.length > 0 ? Integer.parseInt(args[0]) : 5_000;
    int hits = args.length > 1 ? Integer.parseInt(args[1]) : 200_000;
    Path work = Files.createTempDirectory("sluice-lookaside-bench");
    Path yaml = work.resolve("bench.yaml");
    Files.writeString(
        yaml,
        "port: 0\n"
            + "save: \"\"\n" // no RDB file: the reference runs without persistence too
            + "postgres:\n  url: embedded\n  data-dir: " + work.resolve("pg") + "\n"
            + "mappings:\n"
            + "  - name: bench_users\n    keys: \"buser:{id}\"\n    table: public.bench_users\n"
            + "    key-columns: [id]\n    shape: hash\n");
    String schema =
        "CREATE TABLE public.bench_users (id bigint PRIMARY KEY, name text, email text,"
            + " score int);\n"
            + "INSERT INTO public.bench_users SELECT i, 'user ' || i, 'user' || i ||"
            + " '@example.com', i % 1000 FROM generate_series(1, " + ROWS + ") i;\n";
    SluiceConfig config = new ConfigLoader(System.getenv()).load(yaml, Map.of());
    PostgresConnector postgres = PostgresConnector.start(config, schema);
    SluiceServer server = new SluiceServer(config, Clock.SYSTEM, postgres).start();
    try (Resp resp = new Resp(server.port());
        Connection jdbc = postgres.dataSource().getConnection()) {
      // warm both paths (JIT, pool, plan cache) on keys the measured runs do not use
      for (int i = 0; i < 2_000; i++) {
        resp.call("HGETALL", "buser:" + (ROWS - i));
        jdbcPoint(jdbc, ROWS - 2_000 - i);
      }
      long[] sluiceMiss = new long[misses];
      long[] jdbcPoint = new long[misses];
      for (int i = 0; i < misses; i++) { // alternate, so noise hits both alike
        long t0 = System.nanoTime();
        Object row = resp.call("HGETALL", "buser:" + (i + 1));
        long t1 = System.nanoTime();
        jdbcPoint(jdbc, i + 1 + misses);
        long t2 = System.nanoTime();
        if (!(row instanceof Object[] fields) || fields.length != 8) {
          throw new IllegalStateException("unexpected reply for buser:" + (i + 1));
        }
        sluiceMiss[i] = t1 - t0;
        jdbcPoint[i] = t2 - t1;
      }
      resp.call("SET", "plain", "x".repeat(64));
      resp.call("HGETALL", "buser:42");
      double mappedHits = hitRate(resp, new String[] {"HGETALL", "buser:42"}, hits);
      double plainHits = hitRate(resp, new String[] {"GET", "plain"}, hits);
      double mappedHits2 = hitRate(resp, new String[] {"HGETALL", "buser:42"}, hits);
      double plainHits2 = hitRate(resp, new String[] {"GET", "plain"}, hits);
      Arrays.sort(sluiceMiss);
      Arrays.sort(jdbcPoint);
      System.out.println("| figure | Sluice | reference | ratio |");
      System.out.println("|---|---|---|---|");
      row("miss latency p50 (µs): HGETALL of a cold mapped key vs JDBC point query",
          micros(sluiceMiss, 0.50), micros(jdbcPoint, 0.50));
      row("miss latency p99 (µs)", micros(sluiceMiss, 0.99), micros(jdbcPoint, 0.99));
      row("hit throughput (req/s, one connection, pipelined by 100): mapped HGETALL vs plain GET",
          Math.max(mappedHits, mappedHits2), Math.max(plainHits, plainHits2));
      System.out.printf(
          "%n%d misses and %d JDBC point queries alternating, %d hits per run (best of two);"
              + " table of %,d rows; %d cores%n",
          misses, misses, hits, ROWS, Runtime.getRuntime().availableProcessors());
    } finally {
      server.close();
    }
  }

  private static void jdbcPoint(Connection jdbc, long id) throws Exception {
    try (PreparedStatement ps =
        jdbc.prepareStatement(
            "SELECT id, name, email, score FROM public.bench_users WHERE id = ?")) {
      ps.setLong(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new IllegalStateException("no row " + id);
        }
      }
    }
  }

  private static double hitRate(Resp resp, String[] command, int total) throws IOException {
    long start = System.nanoTime();
    for (int sent = 0; sent < total; sent += 100) {
      for (int i = 0; i < 100; i++) {
        resp.send(command);
      }
      for (int i = 0; i < 100; i++) {
        resp.read();
      }
    }
    return total / ((System.nanoTime() - start) / 1e9);
  }

  private static double micros(long[] sorted, double quantile) {
    return sorted[(int) Math.min(sorted.length - 1, Math.floor(quantile * sorted.length))] / 1e3;
  }

  private static void row(String figure, double sluice, double reference) {
    System.out.printf(
        "| %s | %,.0f | %,.0f | %.2f |%n", figure, sluice, reference, sluice / reference);
  }

  /** Just enough RESP for the benchmark: arrays of bulk strings out, any reply in. */
  private static final class Resp implements AutoCloseable {
    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;

    Resp(int port) throws IOException {
      socket = new Socket("127.0.0.1", port);
      socket.setTcpNoDelay(true);
      out = socket.getOutputStream();
      in = new BufferedInputStream(socket.getInputStream(), 65536);
    }

    Object call(String... args) throws IOException {
      send(args);
      return read();
    }

    void send(String... args) throws IOException {
      StringBuilder b = new StringBuilder("*").append(args.length).append("\r\n");
      for (String a : args) {
        b.append('$').append(a.getBytes(StandardCharsets.UTF_8).length).append("\r\n")
            .append(a).append("\r\n");
      }
      out.write(b.toString().getBytes(StandardCharsets.UTF_8));
    }

    Object read() throws IOException {
      int type = in.read();
      String line = line();
      switch (type) {
        case '+', ':' -> {
          return line;
        }
        case '-' -> throw new IOException(line);
        case '$' -> {
          int n = Integer.parseInt(line);
          if (n < 0) {
            return null;
          }
          byte[] data = in.readNBytes(n + 2);
          return new String(data, 0, n, StandardCharsets.UTF_8);
        }
        case '*', '%' -> {
          int n = Integer.parseInt(line) * (type == '%' ? 2 : 1);
          Object[] items = new Object[Math.max(n, 0)];
          for (int i = 0; i < n; i++) {
            items[i] = read();
          }
          return items;
        }
        default -> throw new IOException("unexpected reply type " + (char) type);
      }
    }

    private String line() throws IOException {
      StringBuilder b = new StringBuilder();
      for (int c; (c = in.read()) != '\r'; ) {
        b.append((char) c);
      }
      in.read();
      return b.toString();
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}
