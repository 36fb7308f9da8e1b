package dev.sluice.config;

/**
 * One configuration key: its name (kebab-case, dotted for nested YAML sections), the parser for its
 * values, its default and what it means. The same descriptor serves the YAML file, the environment
 * ({@code SLUICE_} + upper snake case), command-line flags ({@code --key value}) and, where {@code
 * runtime} is set, {@code CONFIG SET}.
 */
public record Setting<T>(
    String key, ValueParser<T> parser, String defaultText, boolean runtime, String description) {

  public T defaultValue() {
    try {
      return parser.parse(defaultText);
    } catch (InvalidValueException e) {
      throw new IllegalStateException("default of " + key + " is invalid: " + defaultText, e);
    }
  }

  /**
   * Parses a value, or throws a {@link ConfigException} naming this key, the value and the rule.
   */
  public T parse(String raw, String source) {
    try {
      return parser.parse(raw);
    } catch (InvalidValueException e) {
      throw ConfigException.invalidValue(key, source, "'" + raw + "'", e.getMessage());
    }
  }

  public String format(Object value) {
    @SuppressWarnings("unchecked")
    T typed = (T) value;
    return parser.format(typed);
  }

  public String envName() {
    return "SLUICE_" + key.toUpperCase(java.util.Locale.ROOT).replace('-', '_').replace('.', '_');
  }

  public String flagName() {
    return "--" + key;
  }
}
