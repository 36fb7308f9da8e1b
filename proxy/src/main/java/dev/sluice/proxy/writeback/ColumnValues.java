package dev.sluice.proxy.writeback;

import dev.sluice.proxy.postgres.Column;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks, before a write is acknowledged, that a value is text PostgreSQL will accept as input for
 * a column's type. It checks what can be checked without the server, in PostgreSQL's own input
 * syntax: integers (with range), floating point and numeric, boolean, date, timestamp, time, uuid,
 * json/jsonb, and that every text value is valid UTF-8 without NUL. Other types are left to
 * PostgreSQL (a refused row goes to {@code sluice.dead_letter}).
 */
final class ColumnValues {
  private ColumnValues() {}

  static final int BOOL = 16;
  static final int TEXT = 25;
  static final int JSON = 114;
  static final int JSONB = 3802;
  static final int UUID = 2950;
  static final int DATE = 1082;
  static final int TIME = 1083;
  static final int TIMESTAMP = 1114;
  static final int TIMESTAMPTZ = 1184;
  static final int BYTEA = 17;

  private static final Set<String> BOOLEANS =
      Set.of("t", "true", "y", "yes", "on", "1", "f", "false", "n", "no", "off", "0");
  private static final Pattern UUID_PATTERN =
      Pattern.compile(
          "\\{?[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}\\}?");
  private static final Pattern FLOAT_PATTERN =
      Pattern.compile("[+-]?(\\d+\\.?\\d*([eE][+-]?\\d+)?|\\.\\d+([eE][+-]?\\d+)?)");
  private static final Pattern DATE_PART = Pattern.compile("\\d{4,}-\\d{1,2}-\\d{1,2}");
  private static final Pattern TIME_PART =
      Pattern.compile("\\d{1,2}:\\d{2}(:\\d{2}(\\.\\d{1,6})?)?");
  private static final Pattern ZONE_PART = Pattern.compile("(Z|z|[+-]\\d{1,2}(:?\\d{2})?|UTC)?");
  private static final Pattern TIMESTAMP_PATTERN =
      Pattern.compile(DATE_PART + "([ Tt]" + TIME_PART + "\\s*" + ZONE_PART + ")?(\\s*(BC|bc))?");

  /** Null when {@code value} fits {@code column}; otherwise why not, e.g. "not a valid bigint". */
  static String check(Column column, byte[] value) {
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(value))
              .toString();
    } catch (CharacterCodingException e) {
      return "not valid UTF-8";
    }
    if (text.indexOf('\0') >= 0) {
      return "contains a NUL character, which PostgreSQL text cannot hold";
    }
    String t = text.trim();
    String lower = t.toLowerCase(Locale.ROOT);
    boolean ok =
        switch (column.typeOid()) {
          case Column.INT2 -> integerIn(t, Short.MIN_VALUE, Short.MAX_VALUE);
          case Column.INT4 -> integerIn(t, Integer.MIN_VALUE, Integer.MAX_VALUE);
          case Column.INT8 -> integerIn(t, Long.MIN_VALUE, Long.MAX_VALUE);
          case Column.FLOAT4, Column.FLOAT8 ->
              FLOAT_PATTERN.matcher(t).matches()
                  || Set.of("nan", "infinity", "+infinity", "-infinity", "inf", "+inf", "-inf")
                      .contains(lower);
          case Column.NUMERIC -> numeric(t, lower);
          case BOOL -> BOOLEANS.contains(lower);
          case UUID -> UUID_PATTERN.matcher(t).matches();
          case JSON, JSONB -> Json.valid(text);
          case DATE -> special(lower) || DATE_PART.matcher(t).matches();
          case TIMESTAMP, TIMESTAMPTZ -> special(lower) || TIMESTAMP_PATTERN.matcher(t).matches();
          case TIME ->
              TIME_PART.matcher(t).matches() || lower.equals("now") || lower.equals("allballs");
          default -> true;
        };
    return ok ? null : "not a valid " + column.type();
  }

  private static boolean special(String lower) {
    return Set.of("now", "today", "tomorrow", "yesterday", "infinity", "-infinity", "epoch")
        .contains(lower);
  }

  private static boolean integerIn(String t, long min, long max) {
    String digits = t.replace("_", "");
    if (digits.isEmpty() || t.startsWith("_") || t.endsWith("_") || t.contains("__")) {
      return false;
    }
    try {
      long v = Long.parseLong(digits.startsWith("+") ? digits.substring(1) : digits);
      return v >= min && v <= max;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static boolean numeric(String t, String lower) {
    if (Set.of("nan", "infinity", "+infinity", "-infinity", "inf", "+inf", "-inf")
        .contains(lower)) {
      return true;
    }
    if (!FLOAT_PATTERN.matcher(t).matches()) {
      return false;
    }
    try {
      new BigDecimal(t);
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
