package dev.sluice.config;

/**
 * A raw value that a {@link ValueParser} refuses. The message says what was expected; callers add
 * the key and the value, because the same parser serves YAML, environment, flags and CONFIG SET.
 */
public final class InvalidValueException extends Exception {
  public InvalidValueException(String expected) {
    super(expected, null, false, false);
  }
}
