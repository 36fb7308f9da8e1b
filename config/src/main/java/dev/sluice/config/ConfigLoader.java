package dev.sluice.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Builds a {@link SluiceConfig} from, in rising precedence: defaults, a YAML file, environment
 * variables ({@code SLUICE_MAXMEMORY_POLICY}) and command-line flags ({@code --maxmemory-policy}).
 *
 * <p>The YAML file may nest sections ({@code postgres: {url: …}} is the key {@code postgres.url})
 * and may refer to the environment with {@code ${NAME}} or {@code ${NAME:-default}}. An unknown key
 * or a bad value stops loading with a message naming the key, the value and what was expected.
 *
 * <p>The keys that are not settings are {@code mappings:}, a list of objects parsed by {@link
 * MappingsParser} into {@link MappingConfig}s, and {@code users:}, parsed by {@link UsersParser}
 * into {@link UserConfig}s. Both come only from the file: the environment and flags cannot add or
 * change them.
 */
public final class ConfigLoader {
  /** The top-level key of the mapping list, not a {@link Setting}. */
  public static final String MAPPINGS = "mappings";

  /** The top-level key of the named users, parsed by {@link UsersParser}. */
  public static final String USERS = "users";

  private static final Pattern ENV_REFERENCE =
      Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}");

  private final Map<String, String> environment;

  public ConfigLoader(Map<String, String> environment) {
    this.environment = environment;
  }

  /**
   * @param file the YAML file, or null for none
   * @param flags command-line values by key (without the leading dashes)
   */
  public SluiceConfig load(Path file, Map<String, String> flags) {
    SluiceConfig config = build(file == null ? null : readFile(file), flags);
    return file == null ? config : config.toBuilder().file(file).build();
  }

  /**
   * Like {@link #load} with YAML text instead of a file, such as the built-in demo configuration.
   *
   * @param source what the text is, for messages ("demo configuration config/examples/demo.yaml")
   */
  public SluiceConfig loadText(String yaml, String source, Map<String, String> flags) {
    return build(parse(yaml, source), flags);
  }

  private SluiceConfig build(FileContent file, Map<String, String> flags) {
    SluiceConfig.Builder builder = SluiceConfig.builder();
    if (file != null) {
      file.settings()
          .forEach((key, raw) -> builder.parse(settingFor(key, file.source()), raw, file.source()));
      builder.mappings(file.mappings());
      builder.users(file.users());
    }
    for (Setting<?> setting : Settings.ALL) {
      String raw = environment.get(setting.envName());
      if (raw != null) {
        builder.parse(setting, raw, "environment variable " + setting.envName());
      }
    }
    flags.forEach(
        (key, raw) ->
            builder.parse(settingFor(key, "command line"), raw, "command-line flag --" + key));
    return builder.build();
  }

  /**
   * What a configuration file holds: its settings as flat dotted keys with raw text values
   * (environment references filled), and its mappings.
   */
  record FileContent(
      String source,
      Map<String, String> settings,
      List<MappingConfig> mappings,
      List<UserConfig> users) {}

  private static String source(Path file) {
    return "configuration file " + file;
  }

  private static Setting<?> settingFor(String key, String where) {
    return Settings.byKey(key)
        .orElseThrow(
            () ->
                new ConfigException(
                    "unknown configuration key '"
                        + key
                        + "' in "
                        + where
                        + "; known keys: "
                        + Settings.ALL.stream().map(Setting::key).collect(Collectors.joining(", "))
                        + ", mappings, users"));
  }

  FileContent readFile(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new ConfigException("configuration file " + file + " does not exist");
    } catch (IOException e) {
      throw new ConfigException("cannot read configuration file " + file + ": " + e, e);
    }
    return parse(text, source(file));
  }

  private FileContent parse(String text, String source) {
    JsonNode root;
    try {
      root = new YAMLMapper().readTree(text);
    } catch (JacksonException e) {
      throw new ConfigException(source + " is not valid YAML: " + e.getOriginalMessage());
    }
    Map<String, String> flat = new LinkedHashMap<>();
    if (root == null || root.isMissingNode() || root.isNull()) {
      return new FileContent(source, flat, List.of(), List.of());
    }
    if (!root.isObject()) {
      throw new ConfigException(source + " must hold a mapping of keys to values, got " + root);
    }
    List<MappingConfig> mappings =
        new MappingsParser(source, this::expand).parse(root.get(MAPPINGS));
    List<UserConfig> users = new UsersParser(source, this::expand).parse(root.get(USERS));
    flatten("", root, flat, source);
    return new FileContent(source, flat, mappings, users);
  }

  private void flatten(String prefix, JsonNode node, Map<String, String> flat, String source) {
    for (Map.Entry<String, JsonNode> field : node.properties()) {
      String key = prefix + field.getKey();
      if (key.equals(MAPPINGS) || key.equals(USERS)) {
        continue; // parsed by MappingsParser and UsersParser
      }
      JsonNode value = field.getValue();
      if (value.isObject()) {
        flatten(key + ".", value, flat, source);
      } else if (value.isArray()) {
        StringBuilder joined = new StringBuilder();
        for (JsonNode element : value) {
          if (!element.isValueNode()) {
            throw ConfigException.invalidValue(key, source, value, "a list of plain values");
          }
          joined.append(joined.isEmpty() ? "" : " ").append(expand(key, element.asText()));
        }
        flat.put(key, joined.toString());
      } else if (value.isNull()) {
        throw new ConfigException(
            "invalid value for '" + key + "' in " + source + ": got an empty value");
      } else {
        flat.put(key, expand(key, value.asText()));
      }
    }
  }

  private String expand(String key, String raw) {
    Matcher matcher = ENV_REFERENCE.matcher(raw);
    StringBuilder out = new StringBuilder();
    while (matcher.find()) {
      String value = environment.get(matcher.group(1));
      if (value == null) {
        value = matcher.group(2);
      }
      if (value == null) {
        throw new ConfigException(
            "configuration key '"
                + key
                + "' refers to ${"
                + matcher.group(1)
                + "}, but that environment variable is not set and has no default");
      }
      matcher.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    matcher.appendTail(out);
    return out.toString();
  }
}
