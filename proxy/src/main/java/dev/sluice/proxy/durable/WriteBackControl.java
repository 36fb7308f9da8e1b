package dev.sluice.proxy.durable;

import dev.sluice.proxy.postgres.NotifyListener;
import dev.sluice.writeback.batch.Flusher;
import dev.sluice.writeback.batch.Lanes;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DBA's flow control of write-back, kept in agreement between Sluice and PostgreSQL.
 *
 * <p>The state lives in {@code sluice.control} (one row per mapping: paused, rows per second, last
 * flush request). Sluice reads it at start-up, before the flusher starts, so a mapping paused
 * before a restart stays paused; then it LISTENs on channel {@code sluice_control} (a dedicated
 * unpooled connection, reconnecting with backoff) and re-reads the whole table on every
 * notification and after every reconnect, so a change made with {@code sluice.pause(…)} and the
 * other SQL functions applies within the listener's poll interval (250 ms). A flush request is a
 * {@code flush_requested_at} newer than the one last seen.
 *
 * <p>The SLUICE PAUSE/RESUME/THROTTLE commands apply the change at once and then call the same SQL
 * functions, so that the table (the source of truth, also after a restart) agrees.
 *
 * <p>Every second the figures of each append mapping are upserted into {@code sluice.status_data}
 * (view {@code sluice.status}).
 */
public final class WriteBackControl implements AutoCloseable {
  static final String CHANNEL = "sluice_control";
  private static final Logger log = LoggerFactory.getLogger(WriteBackControl.class);

  /** A mapping's control row. */
  private record Control(boolean paused, int rowsPerSecond, Timestamp flushRequestedAt) {}

  private final Set<String> mappings;
  private final Flusher flusher;
  private final DataSource pool;
  private final DataSource unpooled;
  private final String node;
  private final Map<String, Timestamp> flushSeen = new ConcurrentHashMap<>();
  private final Map<String, Control> applied = new ConcurrentHashMap<>();
  private final Map<String, Double> rates = new ConcurrentHashMap<>();
  private final Map<String, long[]> lastCount = new HashMap<>();
  private final ExecutorService work =
      Executors.newCachedThreadPool(new DefaultThreadFactory("sluice-control", true));
  private final ScheduledExecutorService ticker =
      Executors.newSingleThreadScheduledExecutor(new DefaultThreadFactory("sluice-status", true));
  private NotifyListener listener;

  WriteBackControl(
      Set<String> mappings, Flusher flusher, DataSource pool, DataSource unpooled, String node) {
    this.mappings = Set.copyOf(mappings);
    this.flusher = flusher;
    this.pool = pool;
    this.unpooled = unpooled;
    this.node = node;
  }

  /** Reads sluice.control and applies it; flush requests made before now are not replayed. */
  void loadInitial() throws SQLException {
    reload(true);
  }

  /** Starts listening for changes and publishing figures. */
  void start() {
    listener =
        new NotifyListener(
            CHANNEL, "sluice-control-listen", unpooled, p -> reloadQuietly(), this::reloadQuietly);
    listener.start();
    reloadQuietly(); // anything changed between loadInitial and LISTEN
    ticker.scheduleWithFixedDelay(this::tick, 0, 1, TimeUnit.SECONDS);
  }

  private void reloadQuietly() {
    try {
      reload(false);
    } catch (SQLException e) {
      log.warn("write-back: cannot read sluice.control: {}", e.getMessage());
    }
  }

  private synchronized void reload(boolean initial) throws SQLException {
    Map<String, Control> rows = new HashMap<>();
    try (Connection c = pool.getConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT mapping, paused, throttle_rows_per_second, flush_requested_at"
                    + " FROM sluice.control")) {
      while (rs.next()) {
        rows.put(rs.getString(1), new Control(rs.getBoolean(2), rs.getInt(3), rs.getTimestamp(4)));
      }
    }
    for (String mapping : mappings) {
      Control row = rows.getOrDefault(mapping, new Control(false, 0, null));
      Control before = applied.put(mapping, row);
      flusher.paused(mapping, row.paused());
      flusher.throttle(mapping, row.rowsPerSecond());
      if (before == null
          || before.paused() != row.paused()
          || before.rowsPerSecond() != row.rowsPerSecond()) {
        log.info(
            "write-back control: mapping '{}' {}{}",
            mapping,
            row.paused() ? "paused" : "running",
            row.rowsPerSecond() > 0 ? ", throttled to " + row.rowsPerSecond() + " rows/s" : "");
      }
      Timestamp seen = flushSeen.get(mapping);
      Timestamp asked = row.flushRequestedAt();
      if (asked != null && (seen == null || asked.after(seen))) {
        flushSeen.put(mapping, asked);
        if (!initial) {
          log.info("write-back control: flush of mapping '{}' requested", mapping);
          flusher.requestFlush(mapping);
        }
      }
    }
  }

  /** The known append mappings, sorted. */
  public List<String> mappings() {
    return mappings.stream().sorted().toList();
  }

  public boolean knows(String mapping) {
    return mappings.contains(mapping);
  }

  /** Pauses or resumes {@code mapping} (all when null) now, then records it in sluice.control. */
  public CompletableFuture<Object> paused(String mapping, boolean paused) {
    List<String> names = mapping == null ? mappings() : List.of(mapping);
    Runnable apply =
        () -> {
          for (String m : names) {
            flusher.paused(m, paused);
          }
        };
    apply.run();
    return record(
        names, paused ? "SELECT sluice.pause(?)" : "SELECT sluice.resume(?)", null, apply);
  }

  /** Throttles {@code mapping} (0: no limit) now, then records it in sluice.control. */
  public CompletableFuture<Object> throttle(String mapping, int rowsPerSecond) {
    Runnable apply = () -> flusher.throttle(mapping, rowsPerSecond);
    apply.run();
    return record(List.of(mapping), "SELECT sluice.throttle(?, ?)", rowsPerSecond, apply);
  }

  /**
   * Writes a change already applied here into sluice.control. {@code apply} runs again under the
   * reload lock just before the write: a reload of the table that started before the change (a
   * NOTIFY of an earlier one) may have put the old value back meanwhile, and no reload can run
   * between this apply and the commit.
   */
  private CompletableFuture<Object> record(
      List<String> names, String sql, Integer rows, Runnable apply) {
    return CompletableFuture.supplyAsync(
        () -> {
          synchronized (this) {
            apply.run();
            return write(names, sql, rows);
          }
        },
        work);
  }

  private Object write(List<String> names, String sql, Integer rows) {
    try (Connection c = pool.getConnection();
        PreparedStatement s = c.prepareStatement(sql)) {
      for (String m : names) {
        s.setString(1, m);
        if (rows != null) {
          s.setInt(2, rows);
        }
        s.execute();
      }
      return Boolean.TRUE;
    } catch (SQLException e) {
      throw new IllegalStateException(
          "ERR applied in this Sluice, but not recorded in sluice.control (PostgreSQL: "
              + e.getMessage()
              + "); the table wins at the next restart or reconnect",
          e);
    }
  }

  /**
   * Flushes {@code mapping} (all when null) up to now, paused or not; completes with the rows it
   * waited for, or fails after {@code timeout}.
   */
  public CompletableFuture<Object> flush(String mapping, Duration timeout) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            Flusher.FlushOutcome outcome = flusher.flush(mapping, timeout);
            if (!outcome.done()) {
              throw new IllegalStateException(
                  "ERR SLUICE FLUSH timed out after "
                      + timeout.toMillis()
                      + " ms; "
                      + flusher.pendingRows()
                      + " rows still pending (nothing is lost: they stay journaled)"
                      + (flusher.writer().lastError() == null
                          ? ""
                          : "; PostgreSQL: " + flusher.writer().lastError()));
            }
            return outcome.rows();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("ERR interrupted", e);
          }
        },
        work);
  }

  /**
   * {@code readFigures} (the look-aside figures per mapping) with the write-back figures of each
   * write-back mapping added: what SLUICE STATUS and {@code /v1/status} show. A mapping's kind is
   * the one its read side names (row, kv); "append" only for mappings without one.
   */
  public Map<String, Map<String, Object>> statusWith(Map<String, Map<String, Object>> readFigures) {
    Map<String, Map<String, Object>> out = new LinkedHashMap<>(readFigures);
    for (Map.Entry<String, Map<String, Object>> e : status().entrySet()) {
      Map<String, Object> merged = new LinkedHashMap<>(out.getOrDefault(e.getKey(), Map.of()));
      for (Map.Entry<String, Object> field : e.getValue().entrySet()) {
        if (field.getKey().equals("kind")) {
          merged.putIfAbsent("kind", field.getValue());
        } else {
          merged.put(field.getKey(), field.getValue());
        }
      }
      out.put(e.getKey(), merged);
    }
    return out;
  }

  /** Per write-back mapping, the write-back figures. */
  public Map<String, Map<String, Object>> status() {
    Map<String, Map<String, Object>> out = new LinkedHashMap<>();
    String error = flusher.writer().lastError();
    for (Lanes.LaneStatus lane : flusher.laneStatus()) {
      if (!mappings.contains(lane.mapping())) {
        continue;
      }
      Map<String, Object> f = new LinkedHashMap<>();
      f.put("kind", "append");
      f.put("writeback", state(lane));
      f.put("throttle_rows_per_second", (long) lane.rowsPerSecond());
      f.put("pending_rows", lane.pendingRows());
      f.put("pending_bytes", lane.pendingBytes());
      f.put("oldest_pending_ms", TimeUnit.NANOSECONDS.toMillis(lane.oldestPendingNanos()));
      f.put("rows_per_second", Math.round(rates.getOrDefault(lane.mapping(), 0.0)));
      f.put("rows_written", lane.committedRows());
      long last = flusher.writer().lastFlushMillis(lane.mapping());
      f.put("last_flush", last == 0 ? "never" : java.time.Instant.ofEpochMilli(last).toString());
      f.put("dead_letters", flusher.writer().deadLetters(lane.mapping()));
      f.put("retries", flusher.writer().retries());
      f.put("postgres", error == null ? "ok" : "retrying: " + error);
      f.put("breaker", flusher.writer().breakerState());
      out.put(lane.mapping(), f);
    }
    return out;
  }

  private static String state(Lanes.LaneStatus lane) {
    return lane.paused() ? "paused" : lane.rowsPerSecond() > 0 ? "throttled" : "running";
  }

  private void tick() {
    try {
      long now = System.nanoTime();
      List<Lanes.LaneStatus> lanes = flusher.laneStatus();
      for (Lanes.LaneStatus lane : lanes) {
        long[] before = lastCount.put(lane.mapping(), new long[] {now, lane.committedRows()});
        if (before != null && now > before[0]) {
          rates.put(
              lane.mapping(),
              (lane.committedRows() - before[1]) * 1e9 / (double) (now - before[0]));
        }
      }
      publish(lanes);
    } catch (SQLException e) {
      log.debug("write-back: cannot refresh sluice.status_data: {}", e.getMessage());
    } catch (RuntimeException e) {
      log.warn("write-back: status refresh failed", e);
    }
  }

  private void publish(List<Lanes.LaneStatus> lanes) throws SQLException {
    String error = flusher.writer().lastError();
    List<Lanes.LaneStatus> known = new ArrayList<>();
    for (Lanes.LaneStatus lane : lanes) {
      if (mappings.contains(lane.mapping())) {
        known.add(lane);
      }
    }
    try (Connection c = pool.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "INSERT INTO sluice.status_data (node, mapping, state, throttle_rows_per_second,"
                    + " pending_rows, pending_bytes, oldest_pending_ms, rows_per_second,"
                    + " rows_written, last_flush_at, dead_letters, retries, last_error, breaker,"
                    + " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, now())"
                    + " ON CONFLICT (node, mapping) DO UPDATE SET state = EXCLUDED.state,"
                    + " throttle_rows_per_second = EXCLUDED.throttle_rows_per_second,"
                    + " pending_rows = EXCLUDED.pending_rows,"
                    + " pending_bytes = EXCLUDED.pending_bytes,"
                    + " oldest_pending_ms = EXCLUDED.oldest_pending_ms,"
                    + " rows_per_second = EXCLUDED.rows_per_second,"
                    + " rows_written = EXCLUDED.rows_written,"
                    + " last_flush_at = EXCLUDED.last_flush_at,"
                    + " dead_letters = EXCLUDED.dead_letters, retries = EXCLUDED.retries,"
                    + " last_error = EXCLUDED.last_error, breaker = EXCLUDED.breaker,"
                    + " updated_at = now()")) {
      for (Lanes.LaneStatus lane : known) {
        s.setString(1, node);
        s.setString(2, lane.mapping());
        s.setString(3, state(lane));
        if (lane.rowsPerSecond() > 0) {
          s.setInt(4, lane.rowsPerSecond());
        } else {
          s.setNull(4, java.sql.Types.INTEGER);
        }
        s.setLong(5, lane.pendingRows());
        s.setLong(6, lane.pendingBytes());
        s.setLong(7, TimeUnit.NANOSECONDS.toMillis(lane.oldestPendingNanos()));
        s.setDouble(8, rates.getOrDefault(lane.mapping(), 0.0));
        s.setLong(9, lane.committedRows());
        long last = flusher.writer().lastFlushMillis(lane.mapping());
        s.setTimestamp(10, last == 0 ? null : new Timestamp(last));
        s.setLong(11, flusher.writer().deadLetters(lane.mapping()));
        s.setLong(12, flusher.writer().retries());
        s.setString(13, error);
        s.setString(14, flusher.writer().breakerState());
        s.addBatch();
      }
      s.executeBatch();
    }
  }

  /** Whether the LISTEN connection is up. */
  public boolean listening() {
    return listener != null && listener.listening();
  }

  @Override
  public void close() {
    ticker.shutdownNow();
    if (listener != null) {
      listener.close();
    }
    work.shutdownNow();
  }
}
