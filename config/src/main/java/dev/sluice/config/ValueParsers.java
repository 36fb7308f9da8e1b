package dev.sluice.config;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** The parsers settings are built from. Each refusal says what was expected. */
public final class ValueParsers {
  private ValueParsers() {}

  public static ValueParser<Integer> integer(int min, int max) {
    return raw -> {
      long value;
      try {
        value = Long.parseLong(raw.trim());
      } catch (NumberFormatException e) {
        throw new InvalidValueException("an integer between " + min + " and " + max);
      }
      if (value < min || value > max) {
        throw new InvalidValueException("an integer between " + min + " and " + max);
      }
      return (int) value;
    };
  }

  public static ValueParser<Boolean> yesNo() {
    return new ValueParser<>() {
      @Override
      public Boolean parse(String raw) throws InvalidValueException {
        switch (raw.trim().toLowerCase(Locale.ROOT)) {
          case "yes":
          case "true":
            return true;
          case "no":
          case "false":
            return false;
          default:
            throw new InvalidValueException("yes or no");
        }
      }

      @Override
      public String format(Boolean value) {
        return value ? "yes" : "no";
      }
    };
  }

  public static ValueParser<String> string() {
    return raw -> raw;
  }

  /** One of a fixed set of lower-case words, matched case-insensitively. */
  public static ValueParser<String> oneOf(String... choices) {
    List<String> allowed = Arrays.asList(choices);
    return raw -> {
      String value = raw.trim().toLowerCase(Locale.ROOT);
      if (!allowed.contains(value)) {
        throw new InvalidValueException("one of " + String.join(", ", allowed));
      }
      return value;
    };
  }

  /** Space- or comma-separated words, such as a list of bind addresses. */
  public static ValueParser<List<String>> words() {
    return new ValueParser<>() {
      @Override
      public List<String> parse(String raw) throws InvalidValueException {
        List<String> words =
            Arrays.stream(raw.trim().split("[\\s,]+")).filter(w -> !w.isEmpty()).toList();
        if (words.isEmpty()) {
          throw new InvalidValueException("at least one value");
        }
        return words;
      }

      @Override
      public String format(List<String> value) {
        return String.join(" ", value);
      }
    };
  }

  /**
   * A byte count as Redis writes it: a plain number or one with a unit (k, kb, m, mb, g, gb; k is
   * 1000 and kb is 1024, as in redis.conf).
   */
  public static ValueParser<Long> memory(long min, long max) {
    String expected =
        "a byte count between " + min + " and " + max + ", optionally with a unit (kb, mb, gb)";
    return new ValueParser<>() {
      @Override
      public Long parse(String raw) throws InvalidValueException {
        long bytes = parseMemory(raw, expected);
        if (bytes < min || bytes > max) {
          throw new InvalidValueException(expected);
        }
        return bytes;
      }

      @Override
      public String format(Long value) {
        return Long.toString(value);
      }
    };
  }

  static long parseMemory(String raw, String expected) throws InvalidValueException {
    String text = raw.trim().toLowerCase(Locale.ROOT);
    int unitStart = text.length();
    while (unitStart > 0 && Character.isLetter(text.charAt(unitStart - 1))) {
      unitStart--;
    }
    long multiplier =
        switch (text.substring(unitStart)) {
          case "", "b" -> 1L;
          case "k" -> 1000L;
          case "kb" -> 1024L;
          case "m" -> 1000L * 1000;
          case "mb" -> 1024L * 1024;
          case "g" -> 1000L * 1000 * 1000;
          case "gb" -> 1024L * 1024 * 1024;
          default -> throw new InvalidValueException(expected);
        };
    try {
      long number = Long.parseLong(text.substring(0, unitStart));
      if (number < 0) {
        throw new InvalidValueException(expected);
      }
      return Math.multiplyExact(number, multiplier);
    } catch (NumberFormatException | ArithmeticException e) {
      throw new InvalidValueException(expected);
    }
  }
}
