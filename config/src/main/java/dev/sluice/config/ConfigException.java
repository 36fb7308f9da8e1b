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
}
