package dev.sluice.config;

/**
 * A configuration that cannot be used; the message names the key, the value and what was expected.
 */
public final class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(message);
  }

  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * The one wording of a bad value: "invalid value for '{@code key}' in {@code source}: got {@code
   * got}, expected {@code expected}". {@code got} as it should be shown (quoted for a scalar,
   * YAML's JSON for a node).
   */
  static ConfigException invalidValue(String key, String source, Object got, String expected) {
    return new ConfigException(
        "invalid value for '" + key + "' in " + source + ": got " + got + ", expected " + expected);
  }

  /** Two entries of a list ({@code what}: "user", "mapping") with the same name. */
  static ConfigException duplicateName(
      String what, String name, String path, String source, String earlierPath) {
    return new ConfigException(
        "duplicate "
            + what
            + " name '"
            + name
            + "' in "
            + path
            + " in "
            + source
            + ": "
            + earlierPath
            + " has it already");
  }
}
