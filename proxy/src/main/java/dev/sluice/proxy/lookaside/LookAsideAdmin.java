package dev.sluice.proxy.lookaside;

import dev.sluice.config.MappingConfig;
import dev.sluice.proxy.engine.MappingAdmin;
import dev.sluice.proxy.engine.RedisError;
import dev.sluice.proxy.postgres.NotifyListener;
import dev.sluice.proxy.postgres.SqlErrors;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;

/** The SLUICE commands' and INFO's view of the look-aside read path. */
final class LookAsideAdmin implements MappingAdmin {
  private final PostgresKeyLoader loader;
  private final Invalidator invalidator;
  private final KeyEvictor evictor;
  private final Warmer warmer;
  private final TriggerInstaller triggers;
  private final ExecutorService background;
  private final NotifyListener listener; // may be null

  LookAsideAdmin(
      PostgresKeyLoader loader,
      Invalidator invalidator,
      KeyEvictor evictor,
      Warmer warmer,
      TriggerInstaller triggers,
      ExecutorService background,
      NotifyListener listener) {
    this.loader = loader;
    this.invalidator = invalidator;
    this.evictor = evictor;
    this.warmer = warmer;
    this.triggers = triggers;
    this.background = background;
    this.listener = listener;
  }

  @Override
  public Map<String, Map<String, Object>> status() {
    Map<String, Map<String, Object>> out = new LinkedHashMap<>();
    MappingRouter router = loader.router();
    List<MappingConfig> mappings = router.mappings();
    for (int i = 0; i < mappings.size(); i++) {
      MappingPlan plan = loader.plan(i);
      if (plan == null) {
        continue;
      }
      int index = i;
      MappingStats s = loader.stats(i);
      Map<String, Object> fields = new LinkedHashMap<>();
      fields.put("kind", mappings.get(i).kind().configName());
      fields.put("keys", evictor.count(key -> router.indexOf(key) == index));
      fields.put("hits", s.hits());
      fields.put("misses", s.misses.sum());
      fields.put("loads", s.loads.sum());
      fields.put("negative_hits", s.negativeHits.sum());
      fields.put("load_errors", s.loadErrors.sum());
      fields.put("load_latency_ms_avg", round(s.meanLoadMillis()));
      fields.put("load_latency_ms_max", round(s.maxLoadMillis()));
      fields.put("breaker", loader.guard().state(mappings.get(i).name()));
      if (LookAside.notified(mappings.get(i))) {
        fields.put(
            "invalidation",
            listener != null && listener.listening() ? "listening" : "not listening");
      }
      out.put(mappings.get(i).name(), fields);
    }
    return out;
  }

  private static String round(double millis) {
    return String.format(Locale.ROOT, "%.3f", millis);
  }

  @Override
  public List<String> infoLines() {
    List<String> lines = new ArrayList<>();
    lines.add("mappings:" + status().size());
    lines.add("postgres_reachable:" + (loader.guard().unreachable() ? 0 : 1));
    if (listener != null) {
      lines.add("invalidation_listening:" + (listener.listening() ? 1 : 0));
      lines.add("invalidation_reconnects:" + listener.reconnects());
      lines.add("invalidation_notifications:" + listener.notifications());
    }
    for (Map.Entry<String, Map<String, Object>> mapping : status().entrySet()) {
      StringBuilder line = new StringBuilder("mapping_").append(mapping.getKey()).append(':');
      boolean first = true;
      for (Map.Entry<String, Object> field : mapping.getValue().entrySet()) {
        line.append(first ? "" : ",").append(field.getKey()).append('=').append(field.getValue());
        first = false;
      }
      lines.add(line.toString());
    }
    return lines;
  }

  @Override
  public long invalidate(String target) {
    return invalidator.invalidate(target);
  }

  @Override
  public CompletableFuture<Long> warm(String mapping, long limit) {
    MappingPlan plan = readThrough(mapping);
    if (plan.mapping.kind() == dev.sluice.config.MappingConfig.Kind.KV) {
      throw new RedisError(
          "ERR SLUICE WARM reads the rows of a row mapping; '"
              + mapping
              + "' is a kv mapping, whose keys come back one by one on a miss");
    }
    if (plan.isQuery()) {
      throw new RedisError(
          "ERR SLUICE WARM reads the rows of a row mapping; '"
              + mapping
              + "' is a query mapping, whose keys cannot be listed");
    }
    loader.guard().checkPermitted(mapping);
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return warmer.warm(plan, limit);
          } catch (java.sql.SQLException e) {
            throw new CompletionException(
                new RedisError(
                    "ERR SLUICE WARM "
                        + mapping
                        + " failed: PostgreSQL said: "
                        + SqlErrors.reason(e)));
          }
        },
        background);
  }

  @Override
  public CompletableFuture<String> installTriggers(String name) {
    int index = loader.indexOf(name);
    if (index < 0) {
      throw unknownMapping(name);
    }
    MappingConfig mapping = loader.router().mapping(index);
    if (!TriggerInstaller.supports(mapping)) {
      throw new RedisError(
          "ERR mapping '"
              + name
              + "' is a "
              + mapping.kind().configName()
              + " mapping; invalidation triggers are for row mappings and for query mappings"
              + " with depends-on");
    }
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return triggers.install(mapping);
          } catch (java.sql.SQLException e) {
            throw new CompletionException(
                new RedisError(
                    "ERR cannot install the triggers of mapping '"
                        + name
                        + "': PostgreSQL said: "
                        + SqlErrors.reason(e)));
          }
        },
        background);
  }

  private MappingPlan readThrough(String name) {
    int index = loader.indexOf(name);
    if (index < 0) {
      throw unknownMapping(name);
    }
    MappingPlan plan = loader.plan(index);
    if (plan == null) {
      throw new RedisError(
          "ERR mapping '"
              + name
              + "' does not read through from PostgreSQL (kv, append or read: none)");
    }
    return plan;
  }

  private RedisError unknownMapping(String name) {
    List<String> names = loader.router().mappings().stream().map(MappingConfig::name).toList();
    return new RedisError(
        "ERR no mapping named '" + name + "'; the mappings are: " + String.join(", ", names));
  }
}
