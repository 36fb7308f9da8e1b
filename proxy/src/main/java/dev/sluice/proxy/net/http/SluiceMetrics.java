package dev.sluice.proxy.net.http;

import com.zaxxer.hikari.HikariDataSource;
import dev.sluice.proxy.durable.AppendWriteBack;
import dev.sluice.proxy.engine.CommandSpec;
import dev.sluice.proxy.lookaside.LookAside;
import dev.sluice.proxy.postgres.PostgresConnector;
import dev.sluice.proxy.runtime.ServerContext;
import dev.sluice.writeback.batch.BatchWriter;
import dev.sluice.writeback.batch.Flusher;
import dev.sluice.writeback.batch.Lanes;
import dev.sluice.writeback.journal.JournalWriter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

/**
 * The Prometheus registry behind {@code GET /metrics}. Everything but the command timers is
 * registered against counters that already exist (gauges and function counters read them when
 * scraped); the command timers are looked up once here and kept on each {@link CommandSpec}, so the
 * executor records a call without a map lookup.
 */
public final class SluiceMetrics {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Counter ingestRows;

  public SluiceMetrics(
      ServerContext context,
      PostgresConnector postgres,
      LookAside lookAside,
      AppendWriteBack appends) {
    for (CommandSpec spec : context.commands().all()) {
      spec.timer(commandTimer(spec));
      for (CommandSpec sub : spec.subcommands().values()) {
        sub.timer(commandTimer(sub));
      }
    }
    Gauge.builder("sluice.clients.connected", context.clients(), c -> c.count())
        .description("RESP connections open")
        .register(registry);
    FunctionCounter.builder(
            "sluice.connections.received", context.stats(), s -> s.connectionsReceived.sum())
        .description("RESP connections accepted")
        .register(registry);
    FunctionCounter.builder("sluice.errors", context.stats(), s -> s.errorReplies.sum())
        .description("Error replies sent")
        .register(registry);
    FunctionCounter.builder("sluice.auth.failures", context.stats(), s -> s.aclDeniedAuth.sum())
        .description("Failed logins: AUTH, HELLO AUTH and HTTP bearer tokens")
        .register(registry);
    FunctionCounter.builder(
            "sluice.acl.denied.commands", context.stats(), s -> s.aclDeniedCommands.sum())
        .description("Commands refused with NOPERM")
        .register(registry);
    Gauge.builder("sluice.keys.memory.bytes", context.keyspace(), k -> k.usedMemory())
        .description("Estimated memory of the dataset")
        .register(registry);
    if (lookAside != null) {
      lookAside.bindMetrics(registry);
    }
    if (postgres != null) {
      DataSource ds = postgres.dataSource();
      if (ds instanceof HikariDataSource hikari && hikari.getMetricRegistry() == null) {
        hikari.setMetricRegistry(registry); // hikaricp_connections_* by pool
      }
    }
    if (appends != null) {
      bindWriteBack(appends.journal(), appends.flusher());
    }
    ingestRows =
        Counter.builder("sluice.http.ingest.rows")
            .description("Rows accepted by POST /v1/ingest (journaled and durable)")
            .register(registry);
  }

  private Timer commandTimer(CommandSpec spec) {
    return Timer.builder("sluice.commands")
        .tag("command", spec.fullName())
        .description("Commands run, and their latency (handler time, under the keyspace lock)")
        .register(registry);
  }

  private void bindWriteBack(JournalWriter journal, Flusher flusher) {
    Gauge.builder("sluice.journal.pending.bytes", journal, JournalWriter::pendingBytes)
        .description("Bytes journaled and not yet applied to PostgreSQL")
        .register(registry);
    Gauge.builder("sluice.journal.budget.bytes", journal, JournalWriter::budget)
        .description("journal.budget: beyond it writes are refused with 'journal full'")
        .register(registry);
    Gauge.builder("sluice.journal.last.lsn", journal, JournalWriter::lastLsn)
        .description("The last LSN journaled")
        .register(registry);
    FunctionTimer.builder(
            "sluice.journal.fsync",
            journal,
            JournalWriter::forceCount,
            JournalWriter::forceNanos,
            TimeUnit.NANOSECONDS)
        .description("fsyncs of the journal (group commit), and their latency")
        .register(registry);
    Gauge.builder("sluice.writeback.pending.rows", flusher, Flusher::pendingRows)
        .description("Rows journaled and waiting for their flush batch")
        .register(registry);
    Gauge.builder(
            "sluice.writeback.oldest.pending.seconds",
            flusher,
            f ->
                f.laneStatus().stream()
                        .mapToLong(Lanes.LaneStatus::oldestPendingNanos)
                        .max()
                        .orElse(0)
                    / 1e9)
        .description("Age of the oldest row waiting for its flush batch; 0 when none waits")
        .register(registry);
    for (String state : java.util.List.of("closed", "open", "half_open")) {
      Gauge.builder(
              "sluice.writeback.breaker.state",
              flusher,
              f -> f.writer().breakerState().equals(state) ? 1 : 0)
          .tag("state", state)
          .description("1 for the state the flusher's circuit breaker is in")
          .register(registry);
    }
    Gauge.builder("sluice.writeback.applied.lsn", flusher, Flusher::appliedLsn)
        .description("The highest LSN committed to PostgreSQL")
        .register(registry);
    FunctionCounter.builder("sluice.writeback.rows", flusher.writer(), BatchWriter::rowsWritten)
        .description("Rows written to their tables")
        .register(registry);
    FunctionCounter.builder(
            "sluice.writeback.transactions", flusher.writer(), BatchWriter::transactions)
        .description("Flush transactions committed; rows / transactions is the mean batch size")
        .register(registry);
    FunctionCounter.builder(
            "sluice.writeback.dead.letters", flusher.writer(), BatchWriter::deadLetters)
        .description("Rows PostgreSQL refused, kept in sluice.dead_letter")
        .register(registry);
    FunctionCounter.builder("sluice.writeback.retries", flusher.writer(), BatchWriter::retries)
        .description("Flushes retried after a connection-level failure")
        .register(registry);
  }

  /** Rows an ingest request got accepted. */
  void ingested(long rows) {
    ingestRows.increment(rows);
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** The Prometheus text exposition format (version 0.0.4). */
  public String scrape() {
    return registry.scrape();
  }
}
