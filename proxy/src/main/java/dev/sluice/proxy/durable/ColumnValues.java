package dev.sluice.proxy.durable;

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

  private static final Set<String> FLOAT_SPECIALS =
      Set.of("nan", "infinity", "+infinity", "-infinity", "inf", "+inf", "-inf");
  private static final Set<String> DATE_SPECIALS =
      Set.of("now", "today", "tomorrow", "yesterday", "infinity", "-infinity", "epoch");

  /** Null when {@code value} fits {@code column}; otherwise why not, e.g. "not a valid bigint". */
  static String check(Column column, byte[] value) {
    if (plainAscii(value)) {
      // the common case, decided on the bytes without decoding (XADD at full speed checks
      // millions of values a second); anything unusual takes the general path below
      switch (column.typeOid()) {
        case Column.INT2:
          if (plainInteger(value, Short.MIN_VALUE, Short.MAX_VALUE)) {
            return null;
          }
          break;
        case Column.INT4:
          if (plainInteger(value, Integer.MIN_VALUE, Integer.MAX_VALUE)) {
            return null;
          }
          break;
        case Column.INT8:
          if (plainInteger(value, Long.MIN_VALUE, Long.MAX_VALUE)) {
            return null;
          }
          break;
        case Column.FLOAT4, Column.FLOAT8, Column.NUMERIC:
          if (plainDecimal(value)) {
            return null;
          }
          break;
        case BOOL, UUID, JSON, JSONB, DATE, TIMESTAMP, TIMESTAMPTZ, TIME:
          break;
        default:
          return null; // valid UTF-8 without NUL is all other types need here
      }
    }
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
              FLOAT_PATTERN.matcher(t).matches() || FLOAT_SPECIALS.contains(lower);
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

  /** Whether every byte is ASCII and none is NUL: valid UTF-8 that PostgreSQL text can hold. */
  private static boolean plainAscii(byte[] value) {
    for (byte b : value) {
      if (b <= 0) {
        return false;
      }
    }
    return true;
  }

  /**
   * {@code [+-]?[0-9]{1,18}} within {@code [min, max]}: true means valid; false means "not this
   * simple form" (the general check decides, e.g. spaces, underscores, 19 digits).
   */
  private static boolean plainInteger(byte[] value, long min, long max) {
    int i = value.length > 0 && (value[0] == '-' || value[0] == '+') ? 1 : 0;
    int digits = value.length - i;
    if (digits < 1 || digits > 18) {
      return false;
    }
    long v = 0;
    for (; i < value.length; i++) {
      int d = value[i] - '0';
      if (d < 0 || d > 9) {
        return false;
      }
      v = v * 10 + d;
    }
    if (value[0] == '-') {
      v = -v;
    }
    return v >= min && v <= max;
  }

  /**
   * {@code [+-]?[0-9]+(\.[0-9]+)?}, which numeric, real and double precision all accept: true means
   * valid; false means "not this simple form" (the general check decides).
   */
  private static boolean plainDecimal(byte[] value) {
    int i = value.length > 0 && (value[0] == '-' || value[0] == '+') ? 1 : 0;
    int start = i;
    int dot = -1;
    for (; i < value.length; i++) {
      byte b = value[i];
      if (b == '.' && dot < 0) {
        dot = i;
      } else if (b < '0' || b > '9') {
        return false;
      }
    }
    return dot < 0 ? i > start : dot > start && dot < value.length - 1;
  }

  private static boolean special(String lower) {
    return DATE_SPECIALS.contains(lower);
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
    if (FLOAT_SPECIALS.contains(lower)) {
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
