package dev.sluice.config;

/**
 * A raw value that a {@link ValueParser} refuses. The message says what was expected; callers add
 * the key and the value, because the same parser serves YAML, environment, flags and CONFIG SET.
 */
public final class InvalidValueException extends Exception {
  private final String redisReason;

  public InvalidValueException(String expected) {
    this(expected, null);
  }

  /**
   * @param redisReason what redis-server's CONFIG SET says of such a value ("argument must be
   *     between 1 and 10 inclusive"), or null when Sluice's own wording is used
   */
  public InvalidValueException(String expected, String redisReason) {
    super(expected, null, false, false);
    this.redisReason = redisReason;
  }

  /** CONFIG SET's reason as Redis words it, or null. */
  public String redisReason() {
    return redisReason;
  }
}
