package dev.sluice.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Immutable, validated configuration: a value for every {@link Setting}. */
public final class SluiceConfig {
  private final Map<Setting<?>, Object> values;
  private final Map<Setting<?>, String> sources;

  private SluiceConfig(Map<Setting<?>, Object> values, Map<Setting<?>, String> sources) {
    this.values = Collections.unmodifiableMap(values);
    this.sources = Collections.unmodifiableMap(sources);
  }

  public static SluiceConfig defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public <T> T get(Setting<T> setting) {
    @SuppressWarnings("unchecked")
    T value = (T) values.get(setting);
    return value;
  }

  /** Where the value of a setting came from: "default", a file path, an environment variable… */
  public String sourceOf(Setting<?> setting) {
    return sources.get(setting);
  }

  public List<String> bind() {
    return get(Settings.BIND);
  }

  public int port() {
    return get(Settings.PORT);
  }

  public int databases() {
    return get(Settings.DATABASES);
  }

  public Builder toBuilder() {
    Builder builder = new Builder();
    builder.values.putAll(values);
    builder.sources.putAll(sources);
    return builder;
  }

  /** Collects values, parsed or typed; anything not set keeps its default. */
  public static final class Builder {
    private final Map<Setting<?>, Object> values = new LinkedHashMap<>();
    private final Map<Setting<?>, String> sources = new LinkedHashMap<>();

    private Builder() {
      for (Setting<?> setting : Settings.ALL) {
        values.put(setting, setting.defaultValue());
        sources.put(setting, "default");
      }
    }

    public <T> Builder set(Setting<T> setting, T value) {
      values.put(setting, Objects.requireNonNull(value, setting.key()));
      sources.put(setting, "code");
      return this;
    }

    /** Parses {@code raw}; a bad value throws a {@link ConfigException} naming the source. */
    public Builder parse(Setting<?> setting, String raw, String source) {
      values.put(setting, setting.parse(raw, source));
      sources.put(setting, source);
      return this;
    }

    public SluiceConfig build() {
      return new SluiceConfig(new LinkedHashMap<>(values), new LinkedHashMap<>(sources));
    }
  }
}
