package dev.sluice.config;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Immutable, validated configuration: a value for every {@link Setting}, and the {@link
 * MappingConfig mappings} (none in a plain-Redis configuration).
 */
public final class SluiceConfig {
  private final Map<Setting<?>, Object> values;
  private final Map<Setting<?>, String> sources;
  private final List<MappingConfig> mappings;
  private final List<UserConfig> users;
  private final Path file;

  private SluiceConfig(
      Map<Setting<?>, Object> values,
      Map<Setting<?>, String> sources,
      List<MappingConfig> mappings,
      List<UserConfig> users,
      Path file) {
    this.values = Collections.unmodifiableMap(values);
    this.sources = Collections.unmodifiableMap(sources);
    this.mappings = List.copyOf(mappings);
    this.users = List.copyOf(users);
    this.file = file;
  }

  /** The configuration file it was loaded from (CONFIG REWRITE's target); empty for none. */
  public Optional<Path> file() {
    return Optional.ofNullable(file);
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

  /** The mappings in file order (the order in which a key is tried against them). */
  public List<MappingConfig> mappings() {
    return mappings;
  }

  /** The mapping called {@code name}. */
  public Optional<MappingConfig> mapping(String name) {
    return mappings.stream().filter(m -> m.name().equals(name)).findFirst();
  }

  /** The named users of the {@code users:} list, in file order (none: only the default user). */
  public List<UserConfig> users() {
    return users;
  }

  /**
   * Whether clients must authenticate: the default user has a password, or named users exist (the
   * default user is then disabled unless requirepass is set).
   */
  public boolean requiresAuthentication() {
    return !get(Settings.REQUIREPASS).isEmpty() || !users.isEmpty();
  }

  /** Whether Sluice needs PostgreSQL: only when at least one key is mapped to it. */
  public boolean usesPostgres() {
    return !mappings.isEmpty();
  }

  public Builder toBuilder() {
    Builder builder = new Builder();
    builder.values.putAll(values);
    builder.sources.putAll(sources);
    builder.mappings = mappings;
    builder.users = users;
    builder.file = file;
    return builder;
  }

  /** Collects values, parsed or typed; anything not set keeps its default. */
  public static final class Builder {
    private final Map<Setting<?>, Object> values = new LinkedHashMap<>();
    private final Map<Setting<?>, String> sources = new LinkedHashMap<>();
    private List<MappingConfig> mappings = List.of();
    private List<UserConfig> users = List.of();
    private Path file;

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

    /**
     * Replaces the mappings. They are taken as they are: names and keys are checked for clashes by
     * the loader, which is the one place mappings are parsed.
     */
    public Builder mappings(List<MappingConfig> mappings) {
      this.mappings = List.copyOf(mappings);
      return this;
    }

    /** Replaces the named users; the loader has checked them (names unique, secrets hashed). */
    public Builder users(List<UserConfig> users) {
      this.users = List.copyOf(users);
      return this;
    }

    /** The file the configuration was read from (null: none, as for the demo or a test). */
    public Builder file(Path file) {
      this.file = file;
      return this;
    }

    public SluiceConfig build() {
      return new SluiceConfig(
          new LinkedHashMap<>(values), new LinkedHashMap<>(sources), mappings, users, file);
    }
  }
}
