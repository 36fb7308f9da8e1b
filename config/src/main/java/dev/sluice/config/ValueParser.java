package dev.sluice.config;

/** Turns the text of a setting into its typed value, and back for CONFIG GET. */
public interface ValueParser<T> {
  T parse(String raw) throws InvalidValueException;

  default String format(T value) {
    return String.valueOf(value);
  }
}
