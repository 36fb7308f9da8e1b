import dev.sluice.config.ConfigLoader;
import dev.sluice.config.SluiceConfig;
import dev.sluice.proxy.keyspace.Clock;
import dev.sluice.proxy.postgres.PostgresConnector;
import dev.sluice.proxy.server.SluiceServer;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Write-back ingest benchmark, one process, one run, one embedded PostgreSQL: the same N rows
 * (default 1,000,000) are (1) loaded with {@code psql \copy} from a CSV file, (2) ingested through
 * Sluice by pipelined XADD on an append mapping, every reply a durable acknowledgement (fsync
 * always), timed until the last row is committed in PostgreSQL, and (3) a sample (default 20,000)
 * inserted by single-row autocommit INSERTs over JDBC, extrapolated. Also counts the PostgreSQL
 * commits the XADD ingest caused. Run with {@code bench/writeback.sh}.
 */
public final class WriteBackBench {
  private static final String COLUMNS = "seq bigint NOT NULL, kind text, amount numeric(10,2),"
      + " user_id integer, note text";

  public static void main(String[] args) throws Exception {
    int rows = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    int singles = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
    int connections = args.length > 2 ? Integer.parseInt(args[2]) : 4;
    int window = args.length > 3 ? Integer.parseInt(args[3]) : 2_000;
    int warmups = args.length > 4 ? Integer.parseInt(args[4]) : 1;
    Path work = Files.createTempDirectory("sluice-writeback-bench");
    Path yaml = work.resolve("bench.yaml");
    Files.writeString(
        yaml,
        "port: 0\n"
            + "postgres:\n  url: embedded\n  data-dir: " + work.resolve("pg") + "\n"
            + "journal:\n  dir: " + work.resolve("journal") + "\n"
            + "writeback:\n  node: bench\n"
            + "mappings:\n"
            + "  - name: bench_events\n    keys: \"bench:events\"\n    table: public.bench_events\n"
            + "    write: append\n");
    String schema =
        "CREATE TABLE public.bench_events (" + COLUMNS + ");\n"
            + "CREATE TABLE public.bench_copy (" + COLUMNS + ");\n"
            + "CREATE TABLE public.bench_single (" + COLUMNS + ");\n";
    SluiceConfig config = new ConfigLoader(System.getenv()).load(yaml, Map.of());
    PostgresConnector postgres = PostgresConnector.start(config, schema);
    SluiceServer server = new SluiceServer(config, Clock.SYSTEM, postgres).start();
    try {
      Matcher m = Pattern.compile("//([^:/]+):(\\d+)/([^?]+)").matcher(postgres.url());
      if (!m.find()) {
        throw new IllegalStateException("cannot read host and port of " + postgres.url());
      }
      String psqlUrl =
          "postgresql://postgres:postgres@" + m.group(1) + ":" + m.group(2) + "/" + m.group(3);

      // the same rows for all three
      Path csv = work.resolve("rows.csv");
      try (BufferedWriter w = Files.newBufferedWriter(csv)) {
        for (int i = 0; i < rows; i++) {
          String[] r = row(i);
          w.write(String.join(",", r));
          w.write('\n');
        }
      }

      // (1) psql \copy
      long copyPostgresCpuBefore = postgresCpuNanos();
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
      double copySeconds = (System.nanoTime() - t0) / 1e9;
      double copyPostgresCpu = (postgresCpuNanos() - copyPostgresCpuBefore) / 1e9;
      check(postgres, "bench_copy", rows);

      // (2) pipelined XADD, durable acknowledgements, until committed in PostgreSQL; like the CSV
      // for \copy, each connection's commands are prepared (RESP-encoded) before the clock starts
      int per = rows / connections;
      List<Encoded> prepared = new ArrayList<>();
      for (int c = 0; c < connections; c++) {
        int from = c * per;
        prepared.add(encode(from, c == connections - 1 ? rows : from + per));
      }
      // the first ingest runs on a cold JVM (the JIT compiles the XADD path meanwhile: about as
      // much CPU as Sluice's own threads spend); the next ones show a running server
      List<XaddRun> runs = new ArrayList<>();
      long commitsBefore = 0;
      for (int round = 0; round <= warmups; round++) {
        if (round > 0) {
          try (Connection c = postgres.dataSource().getConnection();
              Statement s = c.createStatement()) {
            s.execute("TRUNCATE public.bench_events");
          }
        }
        commitsBefore = xactCommit(postgres);
        java.time.Instant start = java.time.Instant.now();
        runs.add(xadd(server, prepared, window, rows));
        if (round == warmups) {
          // to cut a profile (-XX:StartFlightRecording) down to the measured ingest
          System.out.println(
              "measured ingest: from " + start + " to " + java.time.Instant.now());
        }
        check(postgres, "bench_events", rows);
      }
      XaddRun run = runs.get(runs.size() - 1);
      double ackSeconds = run.ackSeconds();
      double xaddSeconds = run.seconds();

      // (3) single-row autocommit INSERTs, a sample
      double singleSeconds;
      try (Connection c = postgres.dataSource().getConnection();
          PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO public.bench_single VALUES (?, ?, ?::numeric, ?, ?)")) {
        c.setAutoCommit(true);
        long t2 = System.nanoTime();
        for (int i = 0; i < singles; i++) {
          String[] r = row(i);
          ps.setLong(1, Long.parseLong(r[0]));
          ps.setString(2, r[1]);
          ps.setString(3, r[2]);
          ps.setInt(4, Integer.parseInt(r[3]));
          ps.setString(5, r[4]);
          ps.executeUpdate();
        }
        singleSeconds = (System.nanoTime() - t2) / 1e9;
      }
      check(postgres, "bench_single", singles);
      long commitsDuringXadd = commitsBefore < 0 ? -1 : xactCommitAfter(postgres, commitsBefore);

      double copyRate = rows / copySeconds;
      double xaddRate = rows / xaddSeconds;
      double ackRate = rows / ackSeconds;
      double singleRate = singles / singleSeconds;
      System.out.println("| method | rows | seconds | rows/s | XADD ratio |");
      System.out.println("|---|---|---|---|---|");
      System.out.printf(
          "| Sluice: pipelined XADD, durable acks, until committed in PostgreSQL | %,d | %.2f |"
              + " %,.0f | 1.00 |%n",
          rows, xaddSeconds, xaddRate);
      System.out.printf(
          "| (Sluice: the same, until the last acknowledgement) | %,d | %.2f | %,.0f | |%n",
          rows, ackSeconds, ackRate);
      for (int i = 0; i < runs.size() - 1; i++) {
        System.out.printf(
            "| (Sluice: the same, %s) | %,d | %.2f | %,.0f | |%n",
            i == 0 ? "first ingest after start: cold JVM" : "warm-up ingest " + (i + 1),
            rows, runs.get(i).seconds(), rows / runs.get(i).seconds());
      }
      System.out.printf(
          "| psql \\copy from CSV | %,d | %.2f | %,.0f | %.2f× \\copy |%n",
          rows, copySeconds, copyRate, xaddRate / copyRate);
      System.out.printf(
          "| single-row INSERT, autocommit, one JDBC connection (%,d rows, extrapolated to %,d:"
              + " %.0f s) | %,d | %.2f | %,.0f | %.1f× single-row |%n",
          singles, rows, rows / singleRate, singles, singleSeconds, singleRate,
          xaddRate / singleRate);
      System.out.printf(
          "%nPostgreSQL commits caused by the XADD ingest: %,d flush transactions (sluice.applied"
              + " updates), %,d rows per commit on average; pg_stat_database xact_commit delta"
              + " over the XADD phase and the INSERT sample that followed: %s (includes the"
              + " %,d autocommit INSERTs and Sluice's status refresh)%n",
          run.flushTransactions(), rows / Math.max(1, run.flushTransactions()),
          commitsDuringXadd < 0 ? "n/a" : String.format("%,d", commitsDuringXadd), singles);
      System.out.printf(
          "journal fsyncs during the XADD ingest: %,d (%,d rows each on average, %.3f ms each)%n",
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
      System.out.println("CPU per row during the XADD ingest, by thread:" + cpu);
      System.out.printf(
          "CPU during the XADD ingest (%.2f s of wall time, %d cores): this JVM (Sluice, the"
              + " client threads, GC, JIT) %.2f s, of which the benchmark's client threads %.2f s;"
              + " PostgreSQL's processes %.2f s (during \\copy: %.2f s); GC pauses %d ms%n",
          xaddSeconds, Runtime.getRuntime().availableProcessors(), run.jvmCpu(), run.clientCpu(),
          run.postgresCpu(), copyPostgresCpu, run.gcMillis());
      System.out.printf(
          "%d connections pipelining %d XADDs each window; journal fsync always; batches of up to"
              + " %s rows; %d cores%n",
          connections, window, config.get(dev.sluice.config.Settings.WRITEBACK_MAX_BATCH_ROWS),
          Runtime.getRuntime().availableProcessors());
    } finally {
      server.close();
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
    long flushTxBefore = appends.flusher().transactions();
    Map<String, Long> cpuBefore = cpuByThreadGroup();
    long jvmCpuBefore = jvmCpuNanos();
    long postgresCpuBefore = postgresCpuNanos();
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
        appends.flusher().transactions() - flushTxBefore,
        appends.journal().forceCount() - forcesBefore,
        (appends.journal().forceNanos() - forceNanosBefore) / 1e6,
        cpu,
        (jvmCpuNanos() - jvmCpuBefore) / 1e9,
        clientCpu.get() / 1e9,
        (postgresCpuNanos() - postgresCpuBefore) / 1e9,
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

  /** User and system CPU of every process named postgres, from /proc (clock ticks of 10 ms). */
  private static long postgresCpuNanos() throws IOException {
    long ticks = 0;
    try (var dirs = Files.list(Path.of("/proc"))) {
      for (Path dir : (Iterable<Path>) dirs::iterator) {
        if (!dir.getFileName().toString().chars().allMatch(Character::isDigit)) {
          continue;
        }
        try {
          String stat = Files.readString(dir.resolve("stat"));
          int close = stat.lastIndexOf(')');
          if (!stat.substring(stat.indexOf('(') + 1, close).equals("postgres")) {
            continue;
          }
          String[] f = stat.substring(close + 2).split(" ");
          ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime
        } catch (IOException | RuntimeException e) {
          // the process ended meanwhile
        }
      }
    }
    return ticks * 10_000_000L;
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

  private static long xactCommit(PostgresConnector postgres) throws Exception {
    try (Connection c = postgres.dataSource().getConnection();
        Statement s = c.createStatement()) {
      s.execute("SELECT pg_stat_clear_snapshot()");
      try (ResultSet rs =
          s.executeQuery(
              "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()")) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private static long xactCommitAfter(PostgresConnector postgres, long before) throws Exception {
    return xactCommit(postgres) - before;
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
      readNBytes(n);
    }
  }
}
