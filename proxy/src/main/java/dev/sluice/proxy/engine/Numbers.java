package dev.sluice.proxy.engine;

import java.nio.charset.StandardCharsets;

/**
 * The number parser of every command family, with Redis's rules. One grammar, C's {@code strtod}
 * (glibc, C locale): optional leading whitespace, a sign, then "inf", "infinity", "nan" (any case),
 * a decimal with an optional exponent ("1.5e-3", "1.", ".5"), or a hexadecimal with an optional
 * binary exponent ("0x1.8p3"). What each Redis caller then checks differs:
 *
 * <ul>
 *   <li>{@link #parseLong}: string2ll, a canonical 64-bit integer (no spaces, '+' or leading
 *       zeros);
 *   <li>{@link #parseDouble}: string2d (getDoubleFromObject: scores, weights): the whole text a
 *       number, no leading space, no NaN, no overflow to ±inf, no underflow to zero;
 *   <li>{@link #parseBound}: zslParseRange's score bounds: strtod up to the first NUL byte, leading
 *       whitespace allowed, nothing may follow, NaN refused, but no range check (1e400 is inf,
 *       1e-400 is 0) and an empty text is 0;
 *   <li>{@link #longDoubleForm}: string2ld (INCRBYFLOAT, HINCRBYFLOAT, blocking timeouts) as far as
 *       the form goes; the range of a long double is checked by its converter.
 * </ul>
 */
public final class Numbers {
  private Numbers() {}

  /** {@link #longDoubleForm}: a finite decimal number. */
  public static final int DECIMAL = 1;

  /** {@link #longDoubleForm}: a finite hexadecimal number ("0x1.8p3"). */
  public static final int HEXADECIMAL = 2;

  /** {@link #longDoubleForm}: "inf" or "infinity" with an optional sign, in any case. */
  public static final int INFINITY = 3;

  /** string2ld's buffer (MAX_LONG_DOUBLE_CHARS): a text of this length or more is refused. */
  private static final int LONG_DOUBLE_BUFFER = 5 * 1024;

  // what scan() found, in the bits above the end index
  private static final long NONE = -1;
  private static final long HEX = 1L << 32;
  private static final long INF = 1L << 33;
  private static final long NAN = 1L << 34;
  private static final long NONZERO = 1L << 35;
  private static final long END = 0xFFFF_FFFFL;

  /** Parses a 64-bit integer as Redis's string2ll, or throws {@code error}. */
  public static long parseLong(byte[] b, String error) {
    int n = b.length;
    if (n == 0 || n > 20) {
      throw new RedisError(error);
    }
    if (n == 1 && b[0] == '0') {
      return 0;
    }
    boolean negative = b[0] == '-';
    int i = negative ? 1 : 0;
    if (i == n || b[i] < '1' || b[i] > '9') {
      throw new RedisError(error);
    }
    long value = 0;
    for (; i < n; i++) {
      int digit = b[i] - '0';
      if (digit < 0 || digit > 9) {
        throw new RedisError(error);
      }
      // accumulate negatively so Long.MIN_VALUE parses without overflow
      if (value < (Long.MIN_VALUE + digit) / 10) {
        throw new RedisError(error);
      }
      value = value * 10 - digit;
    }
    if (!negative) {
      if (value == Long.MIN_VALUE) {
        throw new RedisError(error);
      }
      return -value;
    }
    return value;
  }

  /** Whether the bytes are a canonical 64-bit integer (OBJECT ENCODING "int"). */
  public static boolean isCanonicalLong(byte[] b) {
    try {
      parseLong(b, Errors.NOT_INTEGER);
      return true;
    } catch (RedisError e) {
      return false;
    }
  }

  /**
   * A double as Redis's string2d (getDoubleFromObject) reads it, or throws {@code error}: the whole
   * text must be a number for strtod (decimal, hexadecimal, "inf"), with no leading space, no NaN,
   * and no overflow to infinity or underflow to zero (strtod's ERANGE). Short integers, the common
   * score, are read without allocating.
   */
  public static double parseDouble(byte[] text, String error) {
    if (text.length == 0 || isSpace(text[0])) {
      throw new RedisError(error);
    }
    long integer = smallInteger(text);
    if (integer != Long.MIN_VALUE) {
      return integer;
    }
    double value = strtod(text, 0, text.length, true);
    if (Double.isNaN(value)) {
      throw new RedisError(error);
    }
    return value;
  }

  /**
   * A score bound as zslParseRange reads {@code text[from..]} with strtod: up to the first NUL byte
   * (C's end of string), leading whitespace allowed, nothing after the number, no range check.
   * Nothing at all reads as 0, as strtod consuming nothing leaves the end of the string. NaN when
   * the text is not such a number or reads as NaN: the caller refuses it with its own message.
   */
  public static double parseBound(byte[] text, int from) {
    int end = from;
    while (end < text.length && text[end] != 0) {
      end++;
    }
    return strtod(text, from, end, false);
  }

  /**
   * The form of a number as Redis's string2ld (getLongDoubleFromObject) reads it, or throws {@code
   * error}: the whole text a number for strtold, shorter than string2ld's buffer, with no leading
   * space and no NaN. Returns {@link #DECIMAL}, {@link #HEXADECIMAL} or {@link #INFINITY}; whether
   * a finite value is in the long double range is for the converter to check.
   */
  public static int longDoubleForm(byte[] text, String error) {
    int n = text.length;
    if (n == 0 || n >= LONG_DOUBLE_BUFFER || isSpace(text[0])) {
      throw new RedisError(error);
    }
    long scanned = scan(text, 0, n);
    if (scanned == NONE || (scanned & END) != n || (scanned & NAN) != 0) {
      throw new RedisError(error);
    }
    if ((scanned & INF) != 0) {
      return INFINITY;
    }
    return (scanned & HEX) != 0 ? HEXADECIMAL : DECIMAL;
  }

  public static byte[] toBytes(long value) {
    return Long.toString(value).getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * The common case without allocation: an optional '-' and up to 15 digits, exactly representable
   * as a double. Long.MIN_VALUE when the text is anything else.
   */
  private static long smallInteger(byte[] text) {
    int i = text[0] == '-' ? 1 : 0;
    int n = text.length;
    if (n == i || n - i > 15) {
      return Long.MIN_VALUE;
    }
    long value = 0;
    for (; i < n; i++) {
      int digit = text[i] - '0';
      if (digit < 0 || digit > 9) {
        return Long.MIN_VALUE;
      }
      value = value * 10 + digit;
    }
    if (text[0] == '-') {
      return value == 0 ? Long.MIN_VALUE : -value; // "-0" is the double -0.0
    }
    return value;
  }

  /** C's isspace in the C locale. */
  private static boolean isSpace(byte b) {
    return b == ' ' || (b >= '\t' && b <= '\r');
  }

  /**
   * The value of {@code text[from..end)} if C's strtod consumes all of it, NaN otherwise (and for
   * "nan", which every caller refuses). With {@code checkRange}, overflow to infinity and underflow
   * to zero are refused too, as strtod's ERANGE.
   */
  private static double strtod(byte[] text, int from, int end, boolean checkRange) {
    long scanned = scan(text, from, end);
    if (scanned == NONE) {
      // strtod consumes nothing and leaves the pointer at the start: a number only if that is
      // the end already ("" or "(")
      return from == end ? 0 : Double.NaN;
    }
    if ((scanned & END) != end || (scanned & NAN) != 0) {
      return Double.NaN;
    }
    int start = from;
    while (isSpace(text[start])) {
      start++;
    }
    boolean negative = text[start] == '-';
    if ((scanned & INF) != 0) {
      return negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }
    String number = new String(text, start, end - start, StandardCharsets.ISO_8859_1);
    boolean hex = (scanned & HEX) != 0;
    // Java reads C's hexadecimal form only with its binary exponent, which C makes optional
    double value;
    try {
      value =
          Double.parseDouble(
              hex && number.indexOf('p') < 0 && number.indexOf('P') < 0 ? number + "p0" : number);
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
    if (checkRange && (Double.isInfinite(value) || (value == 0 && (scanned & NONZERO) != 0))) {
      return Double.NaN;
    }
    return value;
  }

  /**
   * C's strtod grammar over {@code text[from..end)}: the index just past the longest number it
   * reads, with flags (HEX, INF, NAN, NONZERO for a nonzero digit) in the bits above; {@code NONE}
   * when it reads no number.
   */
  private static long scan(byte[] text, int from, int end) {
    int i = from;
    while (i < end && isSpace(text[i])) {
      i++;
    }
    if (i < end && (text[i] == '+' || text[i] == '-')) {
      i++;
    }
    if (matchesWord(text, i, end, "infinity")) {
      return INF | (i + 8);
    }
    if (matchesWord(text, i, end, "inf")) {
      return INF | (i + 3);
    }
    if (matchesWord(text, i, end, "nan")) {
      return NAN | (i + 3); // "nan(chars)" reads further, but is NaN all the same
    }
    boolean hex =
        i + 1 < end
            && text[i] == '0'
            && (text[i + 1] == 'x' || text[i + 1] == 'X')
            && hexDigitAt(text, i + 2, end);
    long flags = hex ? HEX : 0;
    int j = hex ? i + 2 : i;
    int digits = 0;
    boolean point = false;
    for (; j < end; j++) {
      byte b = text[j];
      if (b == '.' && !point) {
        point = true;
      } else if (hex ? hexDigit(b) : b >= '0' && b <= '9') {
        digits++;
        if (b != '0') {
          flags |= NONZERO;
        }
      } else {
        break;
      }
    }
    if (digits == 0) {
      return NONE; // "", "-", ".", "e5": no number ("0x" without a hex digit is the "0" alone)
    }
    int mantissaEnd = j;
    if (j < end && (text[j] | 0x20) == (hex ? 'p' : 'e')) {
      int k = j + 1;
      if (k < end && (text[k] == '+' || text[k] == '-')) {
        k++;
      }
      int expStart = k;
      while (k < end && text[k] >= '0' && text[k] <= '9') {
        k++;
      }
      if (k > expStart) {
        mantissaEnd = k; // an exponent marker without digits is not part of the number
      }
    }
    return flags | mantissaEnd;
  }

  /** Whether the hex prefix at {@code i} is followed by a digit, possibly after the point. */
  private static boolean hexDigitAt(byte[] text, int i, int end) {
    if (i < end && text[i] == '.') {
      i++;
    }
    return i < end && hexDigit(text[i]);
  }

  private static boolean hexDigit(byte b) {
    return (b >= '0' && b <= '9') || ((b | 0x20) >= 'a' && (b | 0x20) <= 'f');
  }

  /** Whether {@code text[i..]} starts with the lower-case ASCII {@code word}, in any case. */
  private static boolean matchesWord(byte[] text, int i, int end, String word) {
    if (end - i < word.length()) {
      return false;
    }
    for (int k = 0; k < word.length(); k++) {
      if ((text[i + k] | 0x20) != word.charAt(k)) {
        return false;
      }
    }
    return true;
  }
}
