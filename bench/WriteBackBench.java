import dev.sluice.config.ConfigLoader;
import dev.sluice.config.SluiceConfig;
import dev.sluice.proxy.keyspace.Clock;
import dev.sluice.proxy.postgres.PostgresConnector;
import dev.sluice.proxy.SluiceServer;
import java.io.BufferedWriter;
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
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Write-back ingest benchmark, one process, one run, one embedded PostgreSQL. After warm-up
 * ingests (the JIT), each measured round (default 3), from a checkpoint, takes the same N rows
 * (default 1,000,000) (1) through {@code psql \copy} from a CSV file, (2) through Sluice by
 * pipelined XADD on an append mapping, every reply a durable acknowledgement (fsync always), timed
 * until the last row is committed in PostgreSQL, and (3) a sample (default 20,000) through
 * single-row autocommit INSERTs over JDBC. Reports each round and the medians of the rates and
 * ratios, the PostgreSQL commits the XADD ingest caused, and where the CPU went. Run with {@code
 * bench/writeback.sh}; with {@code BENCH_ACK=replica} a replica runs in the process too, and each
 * XADD is acknowledged once the replica has journaled it ({@code writeback.ack: replica}).
 */
public final class WriteBackBench {
  private static final String COLUMNS = "seq bigint NOT NULL, kind text, amount numeric(10,2),"
      + " user_id integer, note text";

  public static void main(String[] args) throws Exception {
    int rows = intArg(args, 0, 1_000_000);
    int singles = intArg(args, 1, 20_000);
    int connections = intArg(args, 2, 4);
    int window = intArg(args, 3, 2_000);
    int warmups = intArg(args, 4, 4);
    int rounds = intArg(args, 5, 3);
    String batchRows = args.length > 6 ? "  max-batch-rows: " + Integer.parseInt(args[6]) + "\n" : "";
    // BENCH_ACK=replica: a replica in this process too, and every XADD acknowledged only once the
    // replica has journaled it (writeback.ack: replica)
    boolean withReplica = "replica".equals(System.getenv("BENCH_ACK"));
    Path work = Files.createTempDirectory("sluice-writeback-bench");
    Path yaml = work.resolve("bench.yaml");
    Files.writeString(
        yaml,
        "port: 0\n"
            + "save: \"\"\n" // no RDB file: the reference runs without persistence too
            + "postgres:\n  url: embedded\n  data-dir: " + work.resolve("pg") + "\n"
            + "journal:\n  dir: " + work.resolve("journal") + "\n"
            + "writeback:\n  node: bench\n" + batchRows + (withReplica ? "  ack: replica\n" : "")
            + MAPPINGS);
    String schema =
        "CREATE TABLE public.bench_events (" + COLUMNS + ");\n"
            + "CREATE TABLE public.bench_copy (" + COLUMNS + ");\n"
            + "CREATE TABLE public.bench_single (" + COLUMNS + ");\n";
    SluiceConfig config = new ConfigLoader(System.getenv()).load(yaml, Map.of());
    PostgresConnector postgres = PostgresConnector.start(config, schema);
    SluiceServer server = new SluiceServer(config, Clock.SYSTEM, postgres).start();
    SluiceServer replica = withReplica ? startReplica(work, postgres, server) : null;
    try {
      // the embedded server's user postgres and password (base64url: nothing to escape)
      String psqlUrl = "postgresql://postgres:" + postgres.embeddedPassword().orElseThrow()
          + "@localhost:" + postgres.embeddedPort().orElseThrow() + "/postgres";

      // the same rows for all three: a CSV file for \copy and, like it, each connection's XADDs
      // RESP-encoded before the clock starts
      Path csv = work.resolve("rows.csv");
      try (BufferedWriter w = Files.newBufferedWriter(csv)) {
        for (int i = 0; i < rows; i++) {
          w.write(String.join(",", row(i)));
          w.write('\n');
        }
      }
      int per = rows / connections;
      List<Encoded> prepared = new ArrayList<>();
      for (int c = 0; c < connections; c++) {
        int from = c * per;
        prepared.add(encode(from, c == connections - 1 ? rows : from + per));
      }

      // warm-up: the first ingest after start runs on a cold JVM (the JIT compiles the XADD path
      // meanwhile, about as much CPU as Sluice's own threads spend); a running server is warm
      List<XaddRun> warm = new ArrayList<>();
      for (int i = 0; i < warmups; i++) {
        truncate(postgres, "bench_events");
        warm.add(xadd(server, prepared, window, rows));
        check(postgres, "bench_events", rows);
      }

      // measured rounds, each from a checkpoint: \copy, the XADD ingest, single-row INSERTs
      List<Round> results = new ArrayList<>();
      for (int r = 0; r < rounds; r++) {
        truncate(postgres, "bench_copy", "bench_events", "bench_single");
        checkpoint(postgres);
        PostgresCpu copyCpu = new PostgresCpu(true);
        double copySeconds = copy(psqlUrl, csv);
        double copyPostgresCpu = copyCpu.stop() / 1e9;
        check(postgres, "bench_copy", rows);
        checkpoint(postgres);
        java.time.Instant start = java.time.Instant.now();
        XaddRun run = xadd(server, prepared, window, rows);
        java.time.Instant end = java.time.Instant.now();
        check(postgres, "bench_events", rows);
        double singleSeconds = singleInserts(postgres, singles);
        check(postgres, "bench_single", singles);
        results.add(
            new Round(
                rows / copySeconds, copyPostgresCpu, run, singles / singleSeconds, start, end));
      }

      System.out.printf(
          "%,d rows; %d connections pipelining %d XADDs each window; journal fsync always;"
              + " writeback.max-batch-rows %s; writeback.ack %s; %d cores; Java %s; JVM flags %s;"
              + " collectors %s%n%n",
          rows, connections, window,
          config.get(dev.sluice.config.WriteBackSettings.WRITEBACK_MAX_BATCH_ROWS),
          withReplica ? "replica (one replica in this process)" : "local",
          Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
          java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments(),
          java.lang.management.ManagementFactory.getGarbageCollectorMXBeans().stream()
              .map(java.lang.management.GarbageCollectorMXBean::getName)
              .toList());
      System.out.println(
          "| round | psql \\copy rows/s | XADD rows/s, until committed (until the last ack) |"
              + " XADD / \\copy | single-row INSERT rows/s (" + singles + " rows) |"
              + " XADD / single-row | PostgreSQL commits by the XADD ingest |");
      System.out.println("|---|---|---|---|---|---|---|");
      for (int r = 0; r < rounds; r++) {
        Round x = results.get(r);
        System.out.printf(
            "| %d | %,.0f | %,.0f (%,.0f) | %.2f× | %,.0f | %.1f× | %,d |%n",
            r + 1, x.copyRate(), x.xaddRate(rows), rows / x.run().ackSeconds(),
            x.xaddRate(rows) / x.copyRate(), x.singleRate(), x.xaddRate(rows) / x.singleRate(),
            x.run().flushTransactions());
      }
      System.out.printf(
          "| median | %,.0f | %,.0f | %.2f× | %,.0f | %.1f× | |%n",
          median(results, Round::copyRate), median(results, x -> x.xaddRate(rows)),
          median(results, x -> x.xaddRate(rows) / x.copyRate()),
          median(results, Round::singleRate),
          median(results, x -> x.xaddRate(rows) / x.singleRate()));
      StringBuilder warmRates = new StringBuilder();
      for (XaddRun w : warm) {
        warmRates.append(String.format(" %,.0f", rows / w.seconds()));
      }
      StringBuilder windows = new StringBuilder();
      for (int r = 0; r < rounds; r++) {
        windows.append(
            String.format(" %d: %s to %s;", r + 1, results.get(r).start(), results.get(r).end()));
      }
      System.out.println("\nEach round's XADD ingest (to cut a profile down to it):" + windows);
      System.out.println(
          "Warm-up ingests before the rounds, rows/s until committed (the first on a cold"
              + " JVM):" + warmRates);

      // what the median round's ingest cost
      List<Round> sorted = new ArrayList<>(results);
      sorted.sort(java.util.Comparator.comparingDouble(x -> x.xaddRate(rows)));
      Round mid = sorted.get(sorted.size() / 2);
      XaddRun run = mid.run();
      System.out.printf(
          "%nThe median round's XADD ingest:%n");
      System.out.printf(
          "- %,d PostgreSQL commits (flush transactions, each also updating sluice.applied),"
              + " %,d rows per commit%n",
          run.flushTransactions(), rows / Math.max(1, run.flushTransactions()));
      System.out.printf(
          "- %,d journal fsyncs (%,d rows each on average, %.3f ms each)%n",
          run.forces(), rows / Math.max(1, run.forces()),
          run.forceMillis() / Math.max(1, run.forces()));
      StringBuilder cpu = new StringBuilder();
      run.cpuByThread()
          .forEach(
              (name, nanos) -> {
                if (nanos >= rows * 10L) { // 0.01 µs per row or more
                  cpu.append(String.format(" %s %.2f µs;", name, nanos / 1e3 / rows));
                }
              });
      System.out.println("- CPU per row by thread:" + cpu);
      System.out.printf(
          "- CPU in %.2f s of wall time on %d cores: this JVM (Sluice, the client threads, GC,"
              + " JIT) %.2f s, of which the benchmark's client threads %.2f s; PostgreSQL's"
              + " processes %.2f s (during the round's \\copy: %.2f s); GC pauses %d ms%n",
          run.seconds(), Runtime.getRuntime().availableProcessors(), run.jvmCpu(),
          run.clientCpu(), run.postgresCpu(), mid.copyPostgresCpu(), run.gcMillis());
    } finally {
      if (replica != null) {
        replica.close();
      }
      server.close();
    }
  }

  private static final String MAPPINGS =
      "mappings:\n"
          + "  - name: bench_events\n    keys: \"bench:events\"\n    table: public.bench_events\n"
          + "    write: append\n";

  /** A second Sluice on the same PostgreSQL, a replica of {@code primary}, once its link is up. */
  private static SluiceServer startReplica(Path work, PostgresConnector postgres, SluiceServer primary)
      throws Exception {
    Path yaml = work.resolve("replica.yaml");
    Files.writeString(
        yaml,
        "port: 0\n"
            + "save: \"\"\n"
            + "postgres:\n  url: \"jdbc:postgresql://localhost:" + postgres.embeddedPort().orElseThrow()
            + "/postgres\"\n  user: postgres\n  password: \"" + postgres.embeddedPassword().orElseThrow()
            + "\"\n"
            + "journal:\n  dir: " + work.resolve("replica-journal") + "\n"
            + "writeback:\n  node: bench-replica\n"
            + MAPPINGS);
    SluiceConfig config = new ConfigLoader(System.getenv()).load(yaml, Map.of());
    SluiceServer replica =
        new SluiceServer(config, Clock.SYSTEM, PostgresConnector.start(config, null)).start();
    try (Resp resp = new Resp(replica.port())) {
      Object ok = resp.call("REPLICAOF", "127.0.0.1", Integer.toString(primary.port()));
      if (!"OK".equals(ok)) {
        throw new IllegalStateException("REPLICAOF answered " + ok);
      }
      long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
      while (!String.valueOf(resp.call("INFO", "replication")).contains("master_link_status:up")) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the replica's link did not come up within 60 s");
        }
        Thread.sleep(50);
      }
    }
    return replica;
  }

  private static int intArg(String[] args, int index, int fallback) {
    return args.length > index ? Integer.parseInt(args[index]) : fallback;
  }

  /** One measured round. */
  private record Round(
      double copyRate,
      double copyPostgresCpu,
      XaddRun run,
      double singleRate,
      java.time.Instant start,
      java.time.Instant end) {
    double xaddRate(int rows) {
      return rows / run.seconds();
    }
  }

  private static double median(
      List<Round> rounds, java.util.function.ToDoubleFunction<Round> value) {
    double[] v = rounds.stream().mapToDouble(value).sorted().toArray();
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  /** psql \copy of the CSV file into bench_copy; seconds. */
  private static double copy(String psqlUrl, Path csv) throws Exception {
    long t0 = System.nanoTime();
    Process p =
        new ProcessBuilder(
                "psql", psqlUrl, "-v", "ON_ERROR_STOP=1", "-q", "-c",
                "\\copy public.bench_copy FROM '" + csv + "' WITH (FORMAT csv)")
            .inheritIO()
            .start();
    if (p.waitFor() != 0) {
      throw new IllegalStateException("psql \\copy failed");
    }
    return (System.nanoTime() - t0) / 1e9;
  }

  /** Single-row autocommit INSERTs over one JDBC connection into bench_single; seconds. */
  private static double singleInserts(PostgresConnector postgres, int count) throws Exception {
    try (Connection c = postgres.dataSource().getConnection();
        PreparedStatement ps =
            c.prepareStatement("INSERT INTO public.bench_single VALUES (?, ?, ?::numeric, ?, ?)")) {
      c.setAutoCommit(true);
      long t0 = System.nanoTime();
      for (int i = 0; i < count; i++) {
        String[] r = row(i);
        ps.setLong(1, Long.parseLong(r[0]));
        ps.setString(2, r[1]);
        ps.setString(3, r[2]);
        ps.setInt(4, Integer.parseInt(r[3]));
        ps.setString(5, r[4]);
        ps.executeUpdate();
      }
      return (System.nanoTime() - t0) / 1e9;
    }
  }

  private static void truncate(PostgresConnector postgres, String... tables) throws Exception {
    try (Connection c = postgres.dataSource().getConnection();
        Statement s = c.createStatement()) {
      for (String table : tables) {
        s.execute("TRUNCATE public." + table);
      }
    }
  }

  /** Each measured phase starts with no dirty buffers: no checkpoint left over from before. */
  private static void checkpoint(PostgresConnector postgres) throws Exception {
    try (Connection c = postgres.dataSource().getConnection();
        Statement s = c.createStatement()) {
      s.execute("CHECKPOINT");
    }
  }

  /** One ingest of the prepared XADDs and what it cost. */
  private record XaddRun(
      double ackSeconds,
      double seconds,
      long flushTransactions,
      long forces,
      double forceMillis,
      Map<String, Long> cpuByThread,
      double jvmCpu,
      double clientCpu,
      double postgresCpu,
      long gcMillis) {}

  private static XaddRun xadd(SluiceServer server, List<Encoded> prepared, int window, int rows)
      throws Exception {
    var appends = server.context().appends();
    long flushTxBefore = appends.flusher().writer().transactions();
    Map<String, Long> cpuBefore = cpuByThreadGroup();
    long jvmCpuBefore = jvmCpuNanos();
    PostgresCpu postgresCpu = new PostgresCpu(false); // Sluice's connections stay open
    long forcesBefore = appends.journal().forceCount();
    long forceNanosBefore = appends.journal().forceNanos();
    long gcBefore = gcMillis();
    java.util.concurrent.atomic.AtomicLong clientCpu = new java.util.concurrent.atomic.AtomicLong();
    List<Throwable> failures = new ArrayList<>();
    long t1 = System.nanoTime();
    List<Thread> threads = new ArrayList<>();
    for (Encoded commands : prepared) {
      Thread t =
          new Thread(
              () -> {
                try (Resp resp = new Resp(server.port())) {
                  pipeline(resp, commands, window);
                  clientCpu.addAndGet(
                      java.lang.management.ManagementFactory.getThreadMXBean()
                          .getCurrentThreadCpuTime());
                } catch (Throwable e) {
                  synchronized (failures) {
                    failures.add(e);
                  }
                }
              });
      threads.add(t);
      t.start();
    }
    for (Thread t : threads) {
      t.join();
    }
    if (!failures.isEmpty()) {
      throw new IllegalStateException("XADD failed", failures.get(0));
    }
    double ackSeconds = (System.nanoTime() - t1) / 1e9;
    try (Resp resp = new Resp(server.port())) {
      Object flushed = resp.call("SLUICE", "FLUSH", "bench_events", "TIMEOUT", "600000");
      if (!(flushed instanceof Long)) {
        throw new IllegalStateException("SLUICE FLUSH answered " + flushed);
      }
    }
    double seconds = (System.nanoTime() - t1) / 1e9;
    Map<String, Long> cpu = cpuByThreadGroup();
    cpuBefore.forEach((name, nanos) -> cpu.merge(name, -nanos, Long::sum));
    return new XaddRun(
        ackSeconds,
        seconds,
        appends.flusher().writer().transactions() - flushTxBefore,
        appends.journal().forceCount() - forcesBefore,
        (appends.journal().forceNanos() - forceNanosBefore) / 1e6,
        cpu,
        (jvmCpuNanos() - jvmCpuBefore) / 1e9,
        clientCpu.get() / 1e9,
        postgresCpu.stop() / 1e9,
        gcMillis() - gcBefore);
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

  private static long gcMillis() {
    long millis = 0;
    for (var gc : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
      millis += Math.max(0, gc.getCollectionTime());
    }
    return millis;
  }

  private static long jvmCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /**
   * CPU of PostgreSQL's processes from now until {@link #stop}, from /proc; polled every 20 ms when
   * a backend (psql's) may exit before the end and take its figures with it (the polling costs CPU
   * in this JVM, so not during the XADD ingest).
   */
  private static final class PostgresCpu {
    private final Map<Long, long[]> firstAndLast = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile boolean running = true;
    private final Thread poller;

    PostgresCpu(boolean polled) {
      poll();
      firstAndLast.values().forEach(v -> v[0] = v[1]); // processes that ran before: only the delta
      poller =
          new Thread(
              () -> {
                while (running && polled) {
                  poll();
                  java.util.concurrent.locks.LockSupport.parkNanos(20_000_000L);
                }
              });
      poller.setDaemon(true);
      poller.start();
    }

    /** Nanoseconds of CPU used by processes named postgres since construction. */
    long stop() throws InterruptedException {
      running = false;
      poller.join();
      poll();
      long ticks = 0;
      for (long[] v : firstAndLast.values()) {
        ticks += v[1] - v[0];
      }
      return ticks * 10_000_000L; // clock ticks of 10 ms
    }

    private void poll() {
      try (var dirs = Files.list(Path.of("/proc"))) {
        for (Path dir : (Iterable<Path>) dirs::iterator) {
          String pid = dir.getFileName().toString();
          if (!pid.chars().allMatch(Character::isDigit)) {
            continue;
          }
          try {
            String stat = Files.readString(dir.resolve("stat"));
            int close = stat.lastIndexOf(')');
            if (!stat.substring(stat.indexOf('(') + 1, close).equals("postgres")) {
              continue;
            }
            String[] f = stat.substring(close + 2).split(" ");
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime
            firstAndLast.computeIfAbsent(Long.parseLong(pid), k -> new long[2])[1] = ticks;
          } catch (IOException | RuntimeException e) {
            // the process ended meanwhile
          }
        }
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
  }

  /**
   * CPU time of this JVM's threads from /proc/self/task (so the JVM's own GC and JIT threads count
   * too), summed by name without digits (sluice-io-N-N, C2 CompilerThreadN, GC Thread#N).
   */
  private static Map<String, Long> cpuByThreadGroup() throws IOException {
    Map<String, Long> out = new java.util.TreeMap<>();
    try (var tasks = Files.list(Path.of("/proc/self/task"))) {
      for (Path task : (Iterable<Path>) tasks::iterator) {
        try {
          String stat = Files.readString(task.resolve("stat"));
          int close = stat.lastIndexOf(')');
          String name = stat.substring(stat.indexOf('(') + 1, close).replaceAll("\\d+", "N");
          String[] f = stat.substring(close + 2).split(" ");
          long nanos = (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10_000_000L;
          if (nanos > 0) {
            out.merge(name, nanos, Long::sum);
          }
        } catch (IOException | RuntimeException e) {
          // the thread ended meanwhile
        }
      }
    }
    return out;
  }

  /** Rows' XADD commands, RESP-encoded back to back; command i is at offsets[i]..offsets[i+1]. */
  private record Encoded(byte[] bytes, int[] offsets) {
    int count() {
      return offsets.length - 1;
    }
  }

  private static Encoded encode(int from, int to) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream((to - from) * 128);
    int[] offsets = new int[to - from + 1];
    for (int i = from; i < to; i++) {
      String[] r = row(i);
      byte[] command =
          Resp.command(
              "XADD", "bench:events", "*", "seq", r[0], "kind", r[1], "amount", r[2], "user_id",
              r[3], "note", r[4]);
      out.write(command, 0, command.length);
      offsets[i - from + 1] = out.size();
    }
    return new Encoded(out.toByteArray(), offsets);
  }

  private static void pipeline(Resp resp, Encoded commands, int window) throws IOException {
    int to = commands.count();
    int sent = 0;
    int acked = 0;
    while (acked < to) {
      int upTo = Math.min(to, acked + window);
      if (upTo > sent) {
        resp.write(
            commands.bytes(),
            commands.offsets()[sent],
            commands.offsets()[upTo] - commands.offsets()[sent]);
        sent = upTo;
      }
      // read half a window, then top it up again
      int target = Math.min(to, acked + Math.max(1, window / 2));
      while (acked < target) {
        resp.readStreamId();
        acked++;
      }
    }
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

  /** Just enough RESP: arrays of bulk strings out, any reply in. */
  private static final class Resp implements AutoCloseable {
    private final Socket socket;
    private final OutputStream out;
    private final Input in;
    private final java.io.ByteArrayOutputStream buffer = new java.io.ByteArrayOutputStream(1 << 20);

    Resp(int port) throws IOException {
      socket = new Socket("127.0.0.1", port);
      socket.setTcpNoDelay(true);
      out = socket.getOutputStream();
      in = new Input(socket.getInputStream());
    }

    Object call(String... args) throws IOException {
      send(args);
      flush();
      return read();
    }

    void send(String... args) throws IOException {
      buffer.write(command(args));
    }

    static byte[] command(String... args) {
      StringBuilder b = new StringBuilder("*").append(args.length).append("\r\n");
      for (String a : args) {
        byte[] bytes = a.getBytes(StandardCharsets.UTF_8);
        b.append('$').append(bytes.length).append("\r\n").append(a).append("\r\n");
      }
      return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    void write(byte[] bytes, int offset, int length) throws IOException {
      out.write(bytes, offset, length);
      out.flush();
    }

    /** Reads one XADD reply, a bulk string {@code <ms>-<seq>}; anything else fails. */
    void readStreamId() throws IOException {
      int type = in.read();
      if (type != '$') {
        throw new IllegalStateException("XADD answered " + (char) type + line());
      }
      int n = 0;
      int ch;
      while ((ch = in.read()) != '\r') {
        n = n * 10 + (ch - '0');
      }
      in.read();
      boolean dash = false;
      for (int i = 0; i < n; i++) {
        dash |= in.read() == '-';
      }
      in.skipNBytes(2);
      if (!dash) {
        throw new IllegalStateException("XADD answered a bulk string without '-'");
      }
    }

    void flush() throws IOException {
      buffer.writeTo(out);
      buffer.reset();
      out.flush();
    }

    Object read() throws IOException {
      int type = in.read();
      String line = line();
      switch (type) {
        case '+':
          return line;
        case '-':
          throw new IOException(line);
        case ':':
          return Long.parseLong(line);
        case '$': {
          int n = Integer.parseInt(line);
          if (n < 0) {
            return null;
          }
          byte[] data = in.readNBytes(n);
          in.readNBytes(2);
          return new String(data, StandardCharsets.UTF_8);
        }
        case '*': {
          int n = Integer.parseInt(line);
          Object[] items = new Object[Math.max(0, n)];
          for (int i = 0; i < n; i++) {
            items[i] = read();
          }
          return items;
        }
        default:
          throw new IOException("unexpected reply type " + (char) type);
      }
    }

    private String line() throws IOException {
      StringBuilder b = new StringBuilder();
      int ch;
      while ((ch = in.read()) != '\r') {
        if (ch < 0) {
          throw new IOException("connection closed");
        }
        b.append((char) ch);
      }
      in.read();
      return b.toString();
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  /** A buffered input without a lock per byte (BufferedInputStream's read is synchronized). */
  private static final class Input {
    private final InputStream in;
    private final byte[] buffer = new byte[1 << 16];
    private int position;
    private int limit;

    Input(InputStream in) {
      this.in = in;
    }

    int read() throws IOException {
      if (position == limit) {
        limit = in.read(buffer, 0, buffer.length);
        position = 0;
        if (limit <= 0) {
          limit = 0;
          return -1;
        }
      }
      return buffer[position++] & 0xFF;
    }

    byte[] readNBytes(int n) throws IOException {
      byte[] out = new byte[n];
      for (int i = 0; i < n; i++) {
        int b = read();
        if (b < 0) {
          throw new IOException("connection closed");
        }
        out[i] = (byte) b;
      }
      return out;
    }

    void skipNBytes(int n) throws IOException {
      for (int i = 0; i < n; i++) {
        if (read() < 0) {
          throw new IOException("connection closed");
        }
      }
    }
  }
}
