package dev.sluice.proxy.lookaside;

import dev.sluice.config.MappingConfig;
import dev.sluice.config.PostgresSettings;
import dev.sluice.config.SluiceConfig;
import dev.sluice.config.WriteBackSettings;
import dev.sluice.proxy.durable.MappedWrites;
import dev.sluice.proxy.engine.Engine;
import dev.sluice.proxy.engine.KeyLoader;
import dev.sluice.proxy.engine.MappingAdmin;
import dev.sluice.proxy.postgres.NotifyListener;
import dev.sluice.proxy.postgres.PostgresConnector;
import dev.sluice.proxy.postgres.SqlErrors;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The look-aside read path, assembled and started: the {@link PostgresKeyLoader} installed as the
 * server's {@link KeyLoader}, the SLUICE commands' {@link LookAsideAdmin}, the invalidation
 * triggers of the mappings with {@code invalidate: notify} (installed at start-up) and the {@link
 * NotifyListener}. {@link #close()} stops them in reverse order: listener, background work, guard.
 */
public final class LookAside implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LookAside.class);

  /** The channel the invalidation triggers NOTIFY (TriggerInstaller). */
  static final String INVALIDATE_CHANNEL = "sluice_invalidate";

  private final Engine engine;
  private final LookAsideAdmin admin;
  private final NotifyListener listener;
  private final ExecutorService background;
  private final DatabaseGuard guard;
  private final PostgresKeyLoader loader;

  private LookAside(
      Engine engine,
      LookAsideAdmin admin,
      NotifyListener listener,
      ExecutorService background,
      DatabaseGuard guard,
      PostgresKeyLoader loader) {
    this.engine = engine;
    this.admin = admin;
    this.listener = listener;
    this.background = background;
    this.guard = guard;
    this.loader = loader;
  }

  /** Whether a mapping's cached keys are evicted through LISTEN/NOTIFY. */
  static boolean notified(MappingConfig mapping) {
    return mapping.invalidate() == MappingConfig.Invalidate.NOTIFY
        && TriggerInstaller.supports(mapping);
  }

  /** Whether a mapping is read through by this loader (row, query and kv mappings). */
  static boolean readsThrough(MappingConfig mapping) {
    return (mapping.kind() == MappingConfig.Kind.ROW
            || mapping.kind() == MappingConfig.Kind.QUERY
            || mapping.kind() == MappingConfig.Kind.KV)
        && mapping.read() == MappingConfig.Read.THROUGH;
  }

  /**
   * Builds the read path for {@code config}'s mappings on a started, validated connector, installs
   * its loader into {@code engine} and starts listening for invalidations. {@code writes}, the
   * write-back of row and kv mappings (null: none), is settled before a miss reads PostgreSQL.
   */
  public static LookAside start(
      SluiceConfig config, PostgresConnector connector, Engine engine, MappedWrites writes) {
    List<MappingConfig> mappings = config.mappings();
    MappingRouter router = new MappingRouter(mappings);
    MappingPlan[] plans = new MappingPlan[mappings.size()];
    MappingStats[] stats = new MappingStats[mappings.size()];
    for (int i = 0; i < mappings.size(); i++) {
      stats[i] = new MappingStats();
      if (readsThrough(mappings.get(i))) {
        plans[i] = new MappingPlan(i, mappings.get(i), connector.catalog());
      }
    }
    DatabaseGuard guard =
        new DatabaseGuard(
            config.get(PostgresSettings.POSTGRES_POOL_SIZE),
            config.get(PostgresSettings.POSTGRES_MAX_QUEUED_LOADS),
            config.get(PostgresSettings.POSTGRES_QUERY_TIMEOUT),
            connector.reachability());
    PostgresKeyLoader loader =
        new PostgresKeyLoader(
            router, plans, stats, engine.keyspace().clock(), guard, connector.dataSource());
    if (writes != null) {
      // a written key is never "absent", and a miss reads PostgreSQL only once it has the writes
      writes.onWritten(loader::forgetAbsent);
      Duration settleTimeout = config.get(PostgresSettings.POSTGRES_QUERY_TIMEOUT);
      loader.beforeLoad(key -> writes.settle(key, settleTimeout));
    }
    KeyEvictor evictor = new KeyEvictor(engine.keyspace());
    Invalidator invalidator =
        new Invalidator(loader, evictor, config.get(WriteBackSettings.WRITEBACK_NODE));
    TriggerInstaller triggers = new TriggerInstaller(connector.dataSource(), connector.catalog());
    boolean anyNotified = false;
    for (int i = 0; i < mappings.size(); i++) {
      MappingConfig mapping = mappings.get(i);
      if (plans[i] != null && notified(mapping)) {
        anyNotified = true;
        try {
          log.info(
              "Invalidation triggers of mapping {}: {}", mapping.name(), triggers.install(mapping));
        } catch (SQLException e) {
          log.warn(
              "Cannot install the invalidation triggers of mapping {} ({}); changes made in"
                  + " PostgreSQL will show only after the ttl. Run SLUICE INSTALL-TRIGGERS {} once"
                  + " this is fixed",
              mapping.name(),
              SqlErrors.reason(e),
              mapping.name());
        }
      }
    }
    NotifyListener listener = null;
    if (anyNotified) {
      listener =
          new NotifyListener(
              INVALIDATE_CHANNEL,
              "sluice-notify",
              connector.unpooledDataSource(),
              payload -> {
                try {
                  invalidator.onNotify(payload);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              },
              invalidator::dropNotifyMappings);
      // client-side caches hear of changes only through LISTEN: while it is down, and when it
      // comes back, they may hold values changed meanwhile (issue 19)
      listener.addConnectionListener(
          new NotifyListener.ConnectionListener() {
            @Override
            public void lost(String reason) {
              evictor.invalidateClientCaches();
            }

            @Override
            public void restored() {
              evictor.invalidateClientCaches();
            }
          });
      listener.start();
    }
    ExecutorService background =
        Executors.newSingleThreadExecutor(new DefaultThreadFactory("sluice-admin", true));
    Warmer warmer = new Warmer(connector.dataSource(), engine.keyspace());
    LookAsideAdmin admin =
        new LookAsideAdmin(loader, invalidator, evictor, warmer, triggers, background, listener);
    engine.keyLoader(loader);
    return new LookAside(engine, admin, listener, background, guard, loader);
  }

  /**
   * Registers each read-through mapping's counters ({@link MappingStats}, read when scraped, not
   * copied) and its breaker's state with {@code registry}.
   */
  public void bindMetrics(io.micrometer.core.instrument.MeterRegistry registry) {
    List<MappingConfig> mappings = loader.router().mappings();
    for (int i = 0; i < mappings.size(); i++) {
      if (loader.plan(i) == null) {
        continue;
      }
      String name = mappings.get(i).name();
      MappingStats s = loader.stats(i);
      counter(registry, "sluice.mapping.hits", name, s, MappingStats::hits, "Keys found in memory");
      counter(registry, "sluice.mapping.misses", name, s, x -> x.misses.sum(), "Keys loaded");
      counter(
          registry,
          "sluice.mapping.negative.hits",
          name,
          s,
          x -> x.negativeHits.sum(),
          "Misses answered absent by the negative cache");
      counter(
          registry, "sluice.mapping.load.errors", name, s, x -> x.loadErrors.sum(), "Loads failed");
      io.micrometer.core.instrument.FunctionTimer.builder(
              "sluice.mapping.load",
              s,
              x -> x.loads.sum(),
              x -> x.loadMicros.sum(),
              java.util.concurrent.TimeUnit.MICROSECONDS)
          .tag("mapping", name)
          .description("Queries run to load keys, and their latency")
          .register(registry);
      for (String state : List.of("closed", "open", "half_open")) {
        io.micrometer.core.instrument.Gauge.builder(
                "sluice.mapping.breaker.state", guard, g -> g.state(name).equals(state) ? 1 : 0)
            .tags("mapping", name, "state", state)
            .description("1 for the state the mapping's circuit breaker is in")
            .register(registry);
      }
    }
  }

  private static void counter(
      io.micrometer.core.instrument.MeterRegistry registry,
      String meter,
      String mapping,
      MappingStats stats,
      java.util.function.ToDoubleFunction<MappingStats> value,
      String description) {
    io.micrometer.core.instrument.FunctionCounter.builder(meter, stats, value)
        .tag("mapping", mapping)
        .description(description)
        .register(registry);
  }

  public KeyLoader loader() {
    return loader;
  }

  /** What the SLUICE commands and INFO ask of the read path. */
  public MappingAdmin admin() {
    return admin;
  }

  @Override
  public void close() {
    engine.keyLoader(KeyLoader.NONE);
    if (listener != null) {
      listener.close();
    }
    background.shutdownNow();
    guard.close();
  }
}
