package dev.sluice.config;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** The parsers settings are built from. Each refusal says what was expected. */
public final class ValueParsers {
  private ValueParsers() {}

  public static ValueParser<Integer> integer(int min, int max) {
    ValueParser<Long> whole = longInteger(min, max);
    return raw -> whole.parse(raw).intValue();
  }

  public static ValueParser<Long> longInteger(long min, long max) {
    return raw -> {
      long value;
      try {
        value = Long.parseLong(raw.trim());
      } catch (NumberFormatException e) {
        throw new InvalidValueException(
            "an integer between " + min + " and " + max,
            "argument couldn't be parsed into an integer");
      }
      if (value < min || value > max) {
        throw outOfRange("an integer between " + min + " and " + max, min, max);
      }
      return value;
    };
  }

  /** A number out of its range, with Redis's CONFIG SET wording for numeric parameters. */
  private static InvalidValueException outOfRange(String expected, long min, long max) {
    return new InvalidValueException(
        expected, "argument must be between " + min + " and " + max + " inclusive");
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
            throw new InvalidValueException("yes or no", "argument must be 'yes' or 'no'");
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

  /** Any text except an empty or blank one, trimmed. */
  public static ValueParser<String> nonEmpty(String what) {
    return raw -> {
      // strip, not trim: trim also eats control characters, which isBlank does not see, so
      // "\0" passed the check and became an empty name (found by ConfigLoaderFuzzTest)
      String value = raw.strip();
      if (value.isEmpty()) {
        throw new InvalidValueException(what);
      }
      if (value.chars().anyMatch(Character::isISOControl)) {
        throw new InvalidValueException(what + " without control characters");
      }
      return value;
    };
  }

  /** {@code embedded} (any case) or a JDBC URL of the PostgreSQL driver. */
  public static ValueParser<String> postgresUrl() {
    return raw -> {
      String value = raw.trim();
      if (value.equalsIgnoreCase("embedded")) {
        return "embedded";
      }
      if (!value.startsWith("jdbc:postgresql://")
          || value.length() == "jdbc:postgresql://".length()) {
        throw new InvalidValueException(
            "'embedded' or a JDBC URL such as jdbc:postgresql://db.example.com:5432/app");
      }
      return value;
    };
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

  /**
   * Percentiles separated by single spaces, each from 0 to 100 (latency-tracking-info-percentiles);
   * an empty text is none. They are shown as C's "%f" with its trailing zeros removed, as Redis
   * does.
   */
  public static ValueParser<List<Double>> percentiles() {
    return new ValueParser<>() {
      @Override
      public List<Double> parse(String raw) throws InvalidValueException {
        List<Double> values = new java.util.ArrayList<>();
        if (raw.isEmpty()) {
          return List.of();
        }
        // split on each space, as Redis's sdssplitlen: two spaces make an empty, invalid word
        for (String word : raw.split(" ", -1)) {
          // strtod's forms: a decimal number, or an infinity that is out of range below
          double value;
          if (word.matches("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?")) {
            value = Double.parseDouble(word);
          } else if (word.matches("(?i)[+-]?inf(inity)?")) {
            value = Double.POSITIVE_INFINITY;
          } else {
            throw new InvalidValueException(
                "numbers from 0 to 100", "Invalid latency-tracking-info-percentiles parameters");
          }
          if (value < 0 || value > 100) {
            throw new InvalidValueException(
                "numbers from 0 to 100",
                "latency-tracking-info-percentiles parameters should sit between [0.0,100.0]");
          }
          values.add(value);
        }
        return List.copyOf(values);
      }

      @Override
      public String format(List<Double> value) {
        StringBuilder out = new StringBuilder();
        for (double percentile : value) {
          if (out.length() > 0) {
            out.append(' ');
          }
          out.append(trimmedDouble(percentile));
        }
        return out.toString();
      }
    };
  }

  /** C's "%f" of a number without trailing zeros (nor a trailing point), as trimDoubleString. */
  public static String trimmedDouble(double value) {
    String text = String.format(Locale.ROOT, "%f", value);
    if (text.indexOf('.') >= 0) {
      text = text.replaceAll("0+$", "");
      if (text.endsWith(".")) {
        text = text.substring(0, text.length() - 1);
      }
    }
    return text;
  }

  /** Space- or comma-separated words, such as a list of bind addresses. */
  public static ValueParser<List<String>> words() {
    return new ValueParser<>() {
      @Override
      public List<String> parse(String raw) throws InvalidValueException {
        List<String> words =
            Arrays.stream(raw.strip().split("[\\s,]+")).filter(w -> !w.isEmpty()).toList();
        if (words.isEmpty()) {
          throw new InvalidValueException("at least one value");
        }
        if (words.stream().anyMatch(w -> w.chars().anyMatch(Character::isISOControl))) {
          // they would not survive being written back (found by ConfigLoaderFuzzTest)
          throw new InvalidValueException("values without control characters");
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
          throw outOfRange(expected, min, max);
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
          default -> throw new InvalidValueException(expected, "argument must be a memory value");
        };
    try {
      long number = Long.parseLong(text.substring(0, unitStart));
      if (number < 0) {
        throw new InvalidValueException(expected, "argument must be a memory value");
      }
      return Math.multiplyExact(number, multiplier);
    } catch (NumberFormatException | ArithmeticException e) {
      throw new InvalidValueException(expected, "argument must be a memory value");
    }
  }

  /**
   * A duration: a whole number with a unit, {@code ms}, {@code s}, {@code m}, {@code h} or {@code
   * d} ("500ms", "5s", "10m", "1h"); a plain number is seconds. Never negative.
   */
  public static ValueParser<Duration> duration() {
    return duration(Duration.ZERO, Duration.ofDays(365));
  }

  /** A {@link #duration()} between {@code min} and {@code max}, both inclusive. */
  public static ValueParser<Duration> duration(Duration min, Duration max) {
    String expected =
        "a duration between "
            + formatDuration(min)
            + " and "
            + formatDuration(max)
            + ", a whole number with a unit: ms, s, m, h or d (e.g. 500ms, 5s, 10m, 1h;"
            + " a plain number is seconds)";
    return new ValueParser<>() {
      @Override
      public Duration parse(String raw) throws InvalidValueException {
        Duration value = parseDuration(raw, expected);
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
          throw new InvalidValueException(expected);
        }
        return value;
      }

      @Override
      public String format(Duration value) {
        return formatDuration(value);
      }
    };
  }

  static Duration parseDuration(String raw, String expected) throws InvalidValueException {
    String text = raw.trim().toLowerCase(Locale.ROOT);
    int unitStart = text.length();
    while (unitStart > 0 && Character.isLetter(text.charAt(unitStart - 1))) {
      unitStart--;
    }
    String digits = text.substring(0, unitStart);
    if (digits.isEmpty() || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new InvalidValueException(expected);
    }
    try {
      long number = Long.parseLong(digits);
      return switch (text.substring(unitStart)) {
        case "ms" -> Duration.ofMillis(number);
        case "", "s" -> Duration.ofSeconds(number);
        case "m" -> Duration.ofMinutes(number);
        case "h" -> Duration.ofHours(number);
        case "d" -> Duration.ofDays(number);
        default -> throw new InvalidValueException(expected);
      };
    } catch (NumberFormatException | ArithmeticException e) {
      throw new InvalidValueException(expected);
    }
  }

  /** The shortest exact text for a duration: "500ms", "5s", "10m", "1h", "2d", "0s". */
  public static String formatDuration(Duration value) {
    long millis = value.toMillis();
    if (millis == 0) {
      return "0s";
    }
    long[] sizes = {86_400_000L, 3_600_000L, 60_000L, 1000L};
    String[] units = {"d", "h", "m", "s"};
    for (int i = 0; i < sizes.length; i++) {
      if (millis % sizes[i] == 0) {
        return millis / sizes[i] + units[i];
      }
    }
    return millis + "ms";
  }

  /** Keyspace notification classes as Redis's letters (notify-keyspace-events). */
  public static ValueParser<String> eventClasses() {
    return raw -> {
      for (char c : raw.toCharArray()) {
        if ("Ag$lshzxeKEtmdn".indexOf(c) < 0) {
          throw new InvalidValueException("event class letters from 'Ag$lshzxeKEtmdn'");
        }
      }
      return raw;
    };
  }

  /**
   * Redis's client-output-buffer-limit: groups of {@code <class> <hard> <soft> <soft-seconds>},
   * class one of normal, replica (or slave), pubsub; sizes are byte counts with optional units.
   * Returns the groups normalised to bytes, e.g. "pubsub 33554432 8388608 60".
   */
  public static ValueParser<String> outputBufferLimits() {
    String expected =
        "groups of '<normal|replica|pubsub> <hard bytes> <soft bytes> <soft seconds>'";
    return raw -> {
      String[] words = raw.trim().split("\\s+");
      if (raw.isBlank() || words.length % 4 != 0) {
        throw new InvalidValueException(expected);
      }
      StringBuilder normalised = new StringBuilder();
      for (int i = 0; i < words.length; i += 4) {
        String kind = words[i].toLowerCase(Locale.ROOT);
        if (kind.equals("slave")) {
          kind = "replica";
        }
        if (!List.of("normal", "replica", "pubsub").contains(kind)) {
          throw new InvalidValueException(expected);
        }
        long hard = parseMemory(words[i + 1], expected);
        long soft = parseMemory(words[i + 2], expected);
        long seconds;
        try {
          seconds = Long.parseLong(words[i + 3]);
        } catch (NumberFormatException e) {
          throw new InvalidValueException(expected);
        }
        if (seconds < 0) {
          throw new InvalidValueException(expected);
        }
        normalised
            .append(normalised.isEmpty() ? "" : " ")
            .append(kind)
            .append(' ')
            .append(hard)
            .append(' ')
            .append(soft)
            .append(' ')
            .append(seconds);
      }
      return normalised.toString();
    };
  }

  /**
   * The journal's fsync policy: {@code always} ({@link Duration#ZERO}) or an interval between 1ms
   * and 10s such as {@code 100ms}.
   */
  public static ValueParser<Duration> fsyncPolicy() {
    String expected = "'always' or an interval between 1ms and 10s (e.g. 100ms)";
    ValueParser<Duration> interval = duration(Duration.ofMillis(1), Duration.ofSeconds(10));
    return new ValueParser<>() {
      @Override
      public Duration parse(String raw) throws InvalidValueException {
        if (raw.trim().equalsIgnoreCase("always")) {
          return Duration.ZERO;
        }
        try {
          return interval.parse(raw);
        } catch (InvalidValueException e) {
          throw new InvalidValueException(expected);
        }
      }

      @Override
      public String format(Duration value) {
        return value.isZero() ? "always" : formatDuration(value);
      }
    };
  }

  /**
   * Redis's {@code save} points: pairs of seconds (at least 1) and changes (at least 0), separated
   * by spaces, normalised; empty: none.
   */
  public static ValueParser<String> savePoints() {
    return raw -> {
      String[] words = raw.strip().isEmpty() ? new String[0] : raw.strip().split("\\s+");
      StringBuilder normal = new StringBuilder();
      for (int i = 0; i < words.length; i++) {
        long value;
        try {
          value = Long.parseLong(words[i]);
        } catch (NumberFormatException e) {
          value = -1;
        }
        if (words.length % 2 != 0 || value < (i % 2 == 0 ? 1 : 0)) {
          throw new InvalidValueException(
              "pairs of seconds (at least 1) and changes (at least 0), such as \"3600 1 300 100\","
                  + " or \"\" for none",
              "Invalid save parameters");
        }
        normal.append(i == 0 ? "" : " ").append(value);
      }
      return normal.toString();
    };
  }

  /** An existing directory, as an absolute path. */
  public static ValueParser<String> directory() {
    return raw -> {
      java.nio.file.Path path = java.nio.file.Path.of(raw.strip()).toAbsolutePath().normalize();
      if (!java.nio.file.Files.isDirectory(path)) {
        throw new InvalidValueException(
            "an existing directory (" + path + " is not one)", "No such file or directory");
      }
      return path.toString();
    };
  }

  /** A file name without a directory, as Redis's dbfilename. */
  public static ValueParser<String> fileName() {
    return raw -> {
      if (raw.isEmpty() || raw.contains("/") || raw.equals(".") || raw.equals("..")) {
        throw new InvalidValueException(
            "a file name, not a path", "dbfilename can't be a path, just a filename");
      }
      return raw;
    };
  }
}
