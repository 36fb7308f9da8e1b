import dev.sluice.config.ConfigLoader;
import dev.sluice.config.SluiceConfig;
import dev.sluice.proxy.SluiceServer;
import dev.sluice.proxy.keyspace.Clock;
import dev.sluice.proxy.postgres.PostgresConnector;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * Client-side caching benchmark (issue 19), one process, one run: Sluice on an embedded PostgreSQL
 * with a row mapping invalidated by NOTIFY, beside a redis-server on {@code args[0]}. Measures
 *
 * <ol>
 *   <li>the time from the COMMIT of an SQL UPDATE to the invalidation push reaching a RESP3 client
 *       that tracks the row's key (Sluice only: no Redis server sees PostgreSQL);
 *   <li>the time from a write on another connection to the invalidation push, on Sluice and on
 *       redis-server, alternating;
 *   <li>GET throughput over 100,000 keys, without pipelining and with 16 per round trip, with
 *       CLIENT TRACKING on (every key tracked for every connection, which stay open across rounds:
 *       nothing writes) and off, alternating
 *       rounds, on Sluice and on redis-server.
 * </ol>
 *
 * Run with {@code bench/tracking.sh}.
 */
public final class TrackingBench {
  private static final int ROWS = 1_000;
  private static final int KEYS = 100_000;

  public static void main(String[] args) throws Exception {
    int redisPort = Integer.parseInt(args[0]);
    int updates = args.length > 1 ? Integer.parseInt(args[1]) : 1_000;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    Path work = Files.createTempDirectory("sluice-tracking-bench");
    Path yaml = work.resolve("bench.yaml");
    Files.writeString(
        yaml,
        "port: 0\n"
            + "save: \"\"\n" // no RDB file: the reference runs without persistence too
            + "postgres:\n  url: embedded\n  data-dir: " + work.resolve("pg") + "\n"
            + "mappings:\n"
            + "  - name: rows\n    keys: \"row:{id}\"\n    table: public.bench_rows\n"
            + "    key-columns: [id]\n    shape: json\n    invalidate: notify\n");
    String schema =
        "CREATE TABLE public.bench_rows (id bigint PRIMARY KEY, v bigint NOT NULL);\n"
            + "INSERT INTO public.bench_rows SELECT i, 0 FROM generate_series(1, " + ROWS + ") i;\n";
    SluiceConfig config = new ConfigLoader(System.getenv()).load(yaml, Map.of());
    PostgresConnector postgres = PostgresConnector.start(config, schema);
    SluiceServer server = new SluiceServer(config, Clock.SYSTEM, postgres).start();
    int sluicePort = server.port();
    try {
      long[] sql = sqlToInvalidation(sluicePort, postgres, updates);
      long[][] write = writeToInvalidation(sluicePort, redisPort, updates);
      double[][] gets = trackedGets(sluicePort, redisPort, rounds, 16);
      double[][] gets1 = trackedGets(sluicePort, redisPort, rounds, 1);
      System.out.println("| figure | Sluice | redis-server | ratio |");
      System.out.println("|---|---|---|---|");
      row("SQL UPDATE COMMIT → invalidation, p50 µs", median(sql), Double.NaN);
      row("SQL UPDATE COMMIT → invalidation, p99 µs", p99(sql), Double.NaN);
      row("write on another connection → invalidation, p50 µs", median(write[0]), median(write[1]));
      row("write on another connection → invalidation, p99 µs", p99(write[0]), p99(write[1]));
      row("GET -P 1, tracking off, ops/s", median(gets1[0]), median(gets1[2]));
      row("GET -P 1, tracking on, 100,000 keys tracked, ops/s", median(gets1[1]), median(gets1[3]));
      row("GET -P 16, tracking off, ops/s", median(gets[0]), median(gets[2]));
      row("GET -P 16, tracking on, 100,000 keys tracked, ops/s", median(gets[1]), median(gets[3]));
      System.out.printf(
          "%nGET with tracking on ÷ off, median of the rounds' ratios: -P 1 Sluice %.2f,"
              + " redis-server %.2f; -P 16 Sluice %.2f, redis-server %.2f%n",
          medianRatio(gets1[1], gets1[0]),
          medianRatio(gets1[3], gets1[2]),
          medianRatio(gets[1], gets[0]),
          medianRatio(gets[3], gets[2]));
      System.out.printf(
          "-P 16 ratios by round: Sluice %s, redis-server %s%n",
          ratios(gets[1], gets[0]),
          ratios(gets[3], gets[2]));
      System.out.printf(
          "%d SQL updates and %d writes, one tracked key each; GET: %d connections, -P 1 and"
              + " -P 16, %d keys, %d alternating rounds of %.0f s, medians%n",
          updates, updates, CONNECTIONS, KEYS, rounds, ROUND_SECONDS);
    } finally {
      server.close();
      postgres.close();
    }
  }

  private static void row(String figure, double sluice, double redis) {
    System.out.printf(
        "| %s | %.0f | %s | %s |%n",
        figure,
        sluice,
        Double.isNaN(redis) ? "-" : String.format("%.0f", redis),
        Double.isNaN(redis) ? "-" : String.format("%.2f", sluice / redis));
  }

  // ---- 1. SQL UPDATE → invalidation ----

  private static long[] sqlToInvalidation(int port, PostgresConnector postgres, int updates)
      throws Exception {
    long[] micros = new long[updates];
    try (Resp tracking = new Resp(port);
        Connection jdbc = postgres.dataSource().getConnection();
        PreparedStatement update =
            jdbc.prepareStatement("UPDATE public.bench_rows SET v = v + 1 WHERE id = ?")) {
      tracking.call("HELLO", "3");
      tracking.call("CLIENT", "TRACKING", "on");
      jdbc.setAutoCommit(false);
      for (int i = 0; i < updates; i++) {
        String key = "row:" + (i % ROWS + 1);
        tracking.call("GET", key); // a miss loads the row and tracks the key
        update.setLong(1, i % ROWS + 1);
        update.executeUpdate();
        long t0 = System.nanoTime();
        jdbc.commit();
        Object push = tracking.read();
        micros[i] = (System.nanoTime() - t0) / 1_000;
        expectInvalidation(push, key);
      }
    }
    return micros;
  }

  private static void expectInvalidation(Object push, String key) {
    if (!(push instanceof Object[] message)
        || !"invalidate".equals(message[0])
        || !(message[1] instanceof Object[] keys)
        || !key.equals(keys[0])) {
      throw new IllegalStateException("expected the invalidation of " + key + ", got " + push);
    }
  }

  // ---- 2. a write on another connection → invalidation ----

  private static long[][] writeToInvalidation(int sluicePort, int redisPort, int writes)
      throws IOException {
    long[][] micros = new long[2][writes];
    int[] ports = {sluicePort, redisPort};
    Resp[] tracking = new Resp[2];
    Resp[] writer = new Resp[2];
    for (int s = 0; s < 2; s++) {
      tracking[s] = new Resp(ports[s]);
      tracking[s].call("HELLO", "3");
      tracking[s].call("CLIENT", "TRACKING", "on");
      writer[s] = new Resp(ports[s]);
    }
    for (int round = -1; round < writes; round++) { // round -1 warms both
      for (int s = 0; s < 2; s++) {
        String key = "w:" + Math.max(round, 0);
        tracking[s].call("GET", key);
        long t0 = System.nanoTime();
        writer[s].send("SET", key, "v");
        Object push = tracking[s].read();
        long t1 = System.nanoTime();
        writer[s].read();
        expectInvalidation(push, key);
        if (round >= 0) {
          micros[s][round] = (t1 - t0) / 1_000;
        }
      }
    }
    for (int s = 0; s < 2; s++) {
      tracking[s].close();
      writer[s].close();
    }
    return micros;
  }

  // ---- 3. GET throughput, tracking on and off ----

  private static final int CONNECTIONS = 8;
  private static final double ROUND_SECONDS = 3;

  /** {Sluice off, Sluice on, Redis off, Redis on}, one figure per round. */
  private static double[][] trackedGets(int sluicePort, int redisPort, int rounds, int pipeline)
      throws Exception {
    for (int port : new int[] {sluicePort, redisPort}) {
      try (Resp resp = new Resp(port)) {
        for (int i = 0; i < KEYS; i += 1_000) {
          String[] mset = new String[1 + 2 * 1_000];
          mset[0] = "MSET";
          for (int j = 0; j < 1_000; j++) {
            mset[1 + 2 * j] = "g:" + (i + j);
            mset[2 + 2 * j] = "value-" + (i + j);
          }
          resp.call(mset);
        }
      }
    }
    double[][] figures = new double[4][rounds];
    // connections stay open across rounds, as an application's pool does: after the warm-up every
    // key is tracked for every connection, and a measured GET finds itself already tracked
    GetLoad[] loads = {
      new GetLoad(sluicePort, false, pipeline),
      new GetLoad(sluicePort, true, pipeline),
      new GetLoad(redisPort, false, pipeline),
      new GetLoad(redisPort, true, pipeline)
    };
    try {
      for (GetLoad load : loads) {
        load.readEveryKey(); // with tracking on, every key is now tracked for every connection
        load.rate(); // warm: JIT
      }
      for (int r = 0; r < rounds; r++) {
        for (int i = 0; i < loads.length; i++) {
          figures[i][r] = loads[i].rate();
        }
      }
    } finally {
      for (GetLoad load : loads) {
        load.close();
      }
    }
    return figures;
  }

  /** {@link #CONNECTIONS} connections sending random GETs, {@code pipeline} per round trip. */
  private static final class GetLoad implements AutoCloseable {
    private final List<Resp> conns = new ArrayList<>();
    private final List<SplittableRandom> randoms = new ArrayList<>();
    private final int pipeline;

    GetLoad(int port, boolean tracking, int pipeline) throws IOException {
      this.pipeline = pipeline;
      for (int c = 0; c < CONNECTIONS; c++) {
        Resp resp = new Resp(port);
        resp.call("HELLO", "3");
        if (tracking) {
          resp.call("CLIENT", "TRACKING", "on");
        }
        conns.add(resp);
        randoms.add(new SplittableRandom(c));
      }
    }

    void readEveryKey() throws IOException {
      for (Resp resp : conns) {
        for (int i = 0; i < KEYS; i += 1_000) {
          for (int j = i; j < i + 1_000; j++) {
            resp.send("GET", "g:" + j);
          }
          for (int j = i; j < i + 1_000; j++) {
            resp.read();
          }
        }
      }
    }

    double rate() throws InterruptedException {
      LongAdder done = new LongAdder();
      AtomicBoolean stop = new AtomicBoolean();
      List<Thread> threads = new ArrayList<>();
      for (int c = 0; c < CONNECTIONS; c++) {
        Resp resp = conns.get(c);
        SplittableRandom random = randoms.get(c);
        threads.add(
            new Thread(
                () -> {
                  try {
                    while (!stop.get()) {
                      for (int i = 0; i < pipeline; i++) {
                        resp.send("GET", "g:" + random.nextInt(KEYS));
                      }
                      for (int i = 0; i < pipeline; i++) {
                        resp.read();
                      }
                      done.add(pipeline);
                    }
                  } catch (IOException e) {
                    throw new IllegalStateException(e);
                  }
                }));
      }
      threads.forEach(Thread::start);
      long t0 = System.nanoTime();
      Thread.sleep((long) (ROUND_SECONDS * 1000)); // the measuring window itself, not a wait
      stop.set(true);
      for (Thread t : threads) {
        t.join();
      }
      return done.sum() / ((System.nanoTime() - t0) / 1e9);
    }

    @Override
    public void close() throws IOException {
      for (Resp resp : conns) {
        resp.close();
      }
    }
  }

  // ---- figures ----

  private static double median(long[] values) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  private static double p99(long[] values) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[(int) Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)];
  }

  /** Each round's on ÷ off, measured back to back, so that drift between rounds cancels. */
  private static double[] roundRatios(double[] on, double[] off) {
    double[] ratios = new double[on.length];
    for (int r = 0; r < on.length; r++) {
      ratios[r] = on[r] / off[r];
    }
    return ratios;
  }

  private static double medianRatio(double[] on, double[] off) {
    return median(roundRatios(on, off));
  }

  private static String ratios(double[] on, double[] off) {
    StringBuilder text = new StringBuilder();
    for (double ratio : roundRatios(on, off)) {
      text.append(text.length() == 0 ? "" : " ").append(String.format("%.2f", ratio));
    }
    return text.toString();
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  /** A minimal RESP2/RESP3 client: arrays and pushes as Object[], strings, longs, null. */
  static final class Resp implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    Resp(int port) throws IOException {
      socket = new Socket("127.0.0.1", port);
      socket.setTcpNoDelay(true);
      in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
      out = new BufferedOutputStream(socket.getOutputStream(), 1 << 16);
    }

    Object call(String... args) throws IOException {
      send(args);
      return read();
    }

    void send(String... args) throws IOException {
      StringBuilder frame = new StringBuilder().append('*').append(args.length).append("\r\n");
      for (String arg : args) {
        byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
        frame.append('$').append(bytes.length).append("\r\n").append(arg).append("\r\n");
      }
      out.write(frame.toString().getBytes(StandardCharsets.UTF_8));
      out.flush();
    }

    Object read() throws IOException {
      int type = in.read();
      String line = line();
      switch (type) {
        case '+', ',', '#':
          return line;
        case '-':
          throw new IllegalStateException(line);
        case ':':
          return Long.parseLong(line);
        case '_':
          return null;
        case '$', '=':
          int length = Integer.parseInt(line);
          if (length < 0) {
            return null;
          }
          byte[] bytes = in.readNBytes(length + 2);
          return new String(bytes, 0, length, StandardCharsets.UTF_8);
        case '*', '>', '~', '%':
          int n = Integer.parseInt(line);
          if (n < 0) {
            return null;
          }
          Object[] items = new Object[type == '%' ? 2 * n : n];
          for (int i = 0; i < items.length; i++) {
            items[i] = read();
          }
          return items;
        default:
          throw new IllegalStateException("unexpected RESP type " + (char) type);
      }
    }

    private String line() throws IOException {
      StringBuilder sb = new StringBuilder();
      int c;
      while ((c = in.read()) != '\r') {
        if (c < 0) {
          throw new IOException("connection closed");
        }
        sb.append((char) c);
      }
      in.read();
      return sb.toString();
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}
