package dev.sluice.proxy.runtime;

import dev.sluice.config.InvalidValueException;
import dev.sluice.config.Setting;
import dev.sluice.config.Settings;
import dev.sluice.config.SluiceConfig;
import dev.sluice.proxy.engine.RedisError;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;

/**
 * The parameters CONFIG GET and CONFIG SET see. Sluice's own settings are parsed by the same {@link
 * Setting} descriptors as the configuration file and applied at once; Redis parameters that only
 * tune Redis internals (encodings, persistence, …) are accepted, remembered and reported back,
 * because tools and client test suites set them.
 */
public final class ConfigParameters {
  /** Redis parameters Sluice accepts without acting on them, with Redis 7.4's defaults. */
  private static final Map<String, String> REDIS_ONLY = redisOnly();

  private final Map<String, Setting<?>> settings = new LinkedHashMap<>();
  private final Map<String, Object> values = new ConcurrentHashMap<>();
  private final Map<String, String> remembered = new ConcurrentHashMap<>(REDIS_ONLY);
  private final BiFunction<Setting<?>, Object, Object> applier;
  private final Set<String> setAtRuntime = ConcurrentHashMap.newKeySet();
  private final Path file;
  // Redis's own integer parameters that Sluice gives effect to, and who applies them
  private static final Set<String> REDIS_INTEGERS =
      Set.of("min-replicas-to-write", "min-replicas-max-lag");
  private volatile BiConsumer<String, Integer> redisIntegerApplier = (name, value) -> {};

  /**
   * @param applier makes a changed setting take effect and returns the value to report from then on
   *     (a canonical form where Redis reports one); called under the keyspace lock
   */
  public ConfigParameters(SluiceConfig config, BiFunction<Setting<?>, Object, Object> applier) {
    this.applier = applier;
    this.file = config.file().orElse(null);
    for (Setting<?> setting : Settings.ALL) {
      if (!setting.key().contains(".")) {
        settings.put(setting.key(), setting);
        values.put(setting.key(), config.get(setting));
      }
    }
  }

  /** Every parameter name with its current text, for CONFIG GET pattern matching. */
  public Map<String, String> snapshot() {
    Map<String, String> all = new LinkedHashMap<>();
    settings.forEach((name, setting) -> all.put(name, setting.format(values.get(name))));
    all.putAll(remembered);
    return all;
  }

  public boolean exists(String name) {
    return settings.containsKey(name) || remembered.containsKey(name);
  }

  /** Parses a new value without applying it; throws the CONFIG SET error Redis would send. */
  public Object validate(String name, String raw) {
    Setting<?> setting = settings.get(name);
    if (setting == null) {
      if (REDIS_INTEGERS.contains(name)) {
        redisInteger(name, raw);
      }
      return raw;
    }
    if (!setting.runtime()) {
      throw setFailed(name, "can't set immutable config");
    }
    try {
      return setting.parser().parse(raw);
    } catch (InvalidValueException e) {
      throw setFailed(
          name, e.redisReason() != null ? e.redisReason() : "argument must be " + e.getMessage());
    }
  }

  /** The value now in effect, in the form {@link #apply} takes. */
  public Object current(String name) {
    return settings.containsKey(name) ? values.get(name) : remembered.get(name);
  }

  /** Applies a value {@link #validate} accepted. */
  public void apply(String name, Object value) {
    Setting<?> setting = settings.get(name);
    if (setting == null) {
      remembered.put(name, (String) value);
      if (REDIS_INTEGERS.contains(name)) {
        redisIntegerApplier.accept(name, redisInteger(name, (String) value));
      }
      return;
    }
    values.put(name, applier.apply(setting, value));
    setAtRuntime.add(name);
  }

  /** Who gives effect to min-replicas-to-write and min-replicas-max-lag when they change. */
  public void redisIntegers(BiConsumer<String, Integer> applier) {
    this.redisIntegerApplier = applier;
  }

  /** A Redis int parameter's value, 0 to INT_MAX, refused as Redis's CONFIG SET words it. */
  private static int redisInteger(String name, String raw) {
    long value;
    try {
      value = Long.parseLong(raw);
    } catch (NumberFormatException e) {
      throw setFailed(name, "argument couldn't be parsed into an integer");
    }
    if (value < 0 || value > Integer.MAX_VALUE) {
      throw setFailed(name, "argument must be between 0 and 2147483647 inclusive");
    }
    return (int) value;
  }

  /** The configuration file the server was started with (CONFIG REWRITE's); empty for none. */
  public Optional<Path> file() {
    return Optional.ofNullable(file);
  }

  /**
   * The Sluice settings CONFIG SET changed since start, with their current text: what CONFIG
   * REWRITE may write. Values that came from the environment or flags and were never set stay out
   * of the file (they apply again at the next start, and a secret from the environment must not
   * land in a file), and so do the Redis-only parameters, which the configuration file does not
   * know.
   */
  public Map<String, String> setAtRuntime() {
    Map<String, String> set = new LinkedHashMap<>();
    settings.forEach(
        (name, setting) -> {
          if (setAtRuntime.contains(name)) {
            set.put(name, setting.format(values.get(name)));
          }
        });
    return set;
  }

  public static RedisError setFailed(String name, String why) {
    return new RedisError(
        "ERR CONFIG SET failed (possibly related to argument '" + name + "') - " + why);
  }

  private static Map<String, String> redisOnly() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("appendonly", "no");
    m.put("appendfsync", "everysec");
    m.put("appendfilename", "appendonly.aof");
    m.put("stop-writes-on-bgsave-error", "yes");
    m.put("dynamic-hz", "yes");
    m.put("activerehashing", "yes");
    m.put("activedefrag", "no");
    m.put("active-expire-effort", "1");
    m.put("lazyfree-lazy-eviction", "no");
    m.put("lazyfree-lazy-expire", "no");
    m.put("lazyfree-lazy-server-del", "no");
    m.put("lazyfree-lazy-user-del", "no");
    m.put("lazyfree-lazy-user-flush", "no");
    m.put("hash-max-listpack-entries", "128");
    m.put("hash-max-listpack-value", "64");
    m.put("hash-max-ziplist-entries", "128");
    m.put("hash-max-ziplist-value", "64");
    m.put("list-max-listpack-size", "-2");
    m.put("list-max-ziplist-size", "-2");
    m.put("list-compress-depth", "0");
    m.put("set-max-intset-entries", "512");
    m.put("set-max-listpack-entries", "128");
    m.put("set-max-listpack-value", "64");
    m.put("zset-max-listpack-entries", "128");
    m.put("zset-max-listpack-value", "64");
    m.put("zset-max-ziplist-entries", "128");
    m.put("zset-max-ziplist-value", "64");
    m.put("hll-sparse-max-bytes", "3000");
    m.put("stream-node-max-bytes", "4096");
    m.put("stream-node-max-entries", "100");
    m.put("maxmemory-eviction-tenacity", "10");
    m.put("maxmemory-clients", "0");
    m.put("tcp-keepalive", "300");
    m.put("tcp-backlog", "511");
    m.put("loglevel", "notice");
    m.put("logfile", "");
    m.put("repl-diskless-sync", "yes");
    // the rest of Redis's replication parameters, at Redis's defaults (issue 17 gives them effect)
    m.put("repl-ping-replica-period", "10");
    m.put("repl-backlog-ttl", "3600");
    m.put("repl-diskless-sync-delay", "5");
    m.put("repl-diskless-sync-max-replicas", "0");
    m.put("repl-disable-tcp-nodelay", "no");
    m.put("repl-diskless-load", "disabled");
    m.put("min-replicas-to-write", "0");
    m.put("min-replicas-max-lag", "10");
    m.put("replica-priority", "100");
    m.put("replica-announced", "yes");
    m.put("replica-announce-port", "0");
    m.put("replica-announce-ip", "");
    m.put("replica-lazy-flush", "no");
    m.put("replica-ignore-maxmemory", "yes");
    m.put("replica-ignore-disk-write-errors", "no");
    m.put("enable-debug-command", "no");
    return m;
  }
}
