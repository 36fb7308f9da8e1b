package dev.sluice.proxy.types.stream;

import java.nio.charset.StandardCharsets;

/**
 * A stream entry ID: two unsigned 64-bit numbers, milliseconds and sequence, as Redis's streamID.
 * Java has no unsigned long, so both parts are plain longs read as unsigned: compare, format and
 * parse treat {@code -1} as 18446744073709551615.
 *
 * <p>The parsers follow t_stream.c's streamGenericParseIDOrReply byte for byte, quirks included:
 * the argument is read as a C string (cut at its first NUL byte), is at most 127 bytes, and each
 * part goes through string2ull, which falls back to strtoull and so accepts leading zeros, leading
 * blanks, a '+' sign and even a negated form such as "-05" after the first dash (2^64-5).
 */
public record StreamId(long ms, long seq) implements Comparable<StreamId> {
  public static final StreamId MIN = new StreamId(0, 0);
  public static final StreamId MAX = new StreamId(-1L, -1L);

  /** Longest argument Redis copies into its 128-byte parse buffer. */
  private static final int MAX_ARGUMENT = 127;

  @Override
  public int compareTo(StreamId other) {
    int c = Long.compareUnsigned(ms, other.ms);
    return c != 0 ? c : Long.compareUnsigned(seq, other.seq);
  }

  public boolean isZero() {
    return ms == 0 && seq == 0;
  }

  public boolean isMax() {
    return ms == -1L && seq == -1L;
  }

  /** The successor, or null for the largest ID (where streamIncrID fails and wraps to 0-0). */
  public StreamId next() {
    if (seq != -1L) {
      return new StreamId(ms, seq + 1);
    }
    return ms == -1L ? null : new StreamId(ms + 1, 0);
  }

  /** The predecessor, or null for 0-0 (where streamDecrID fails). */
  public StreamId previous() {
    if (seq != 0) {
      return new StreamId(ms, seq - 1);
    }
    return ms == 0 ? null : new StreamId(ms - 1, -1L);
  }

  /** The successor with streamIncrID's wrap: the largest ID is followed by 0-0. */
  StreamId nextWrapping() {
    StreamId next = next();
    return next == null ? MIN : next;
  }

  @Override
  public String toString() {
    return Long.toUnsignedString(ms) + "-" + Long.toUnsignedString(seq);
  }

  /** The reply form, "ms-seq" in ASCII. */
  public byte[] toBytes() {
    return toString().getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * Parses where "-" and "+" are not accepted (XDEL, XACK, XCLAIM, XREAD, XGROUP CREATE, XSETID,
   * MINID, LASTID): "ms-seq", or "ms" meaning "ms-0".
   */
  public static StreamId parseStrict(byte[] arg) {
    return parse(arg, 0, true);
  }

  /**
   * Parses where "-" (0-0) and "+" (the largest ID) are accepted too, a bare "ms" getting {@code
   * missingSeq} (XGROUP SETID passes 0).
   */
  public static StreamId parse(byte[] arg, long missingSeq) {
    return parse(arg, missingSeq, false);
  }

  /**
   * The start of an XRANGE / XPENDING / XAUTOCLAIM interval, made inclusive: "ms" means "ms-0", and
   * the exclusive "(id" form is its successor ("ERR invalid start ID for the interval" when there
   * is none).
   */
  public static StreamId parseRangeStart(byte[] arg) {
    if (isExclusive(arg)) {
      StreamId id = parse(java.util.Arrays.copyOfRange(arg, 1, arg.length), 0, true);
      StreamId next = id.next();
      if (next == null) {
        throw new StreamException(StreamException.INVALID_START);
      }
      return next;
    }
    return parse(arg, 0, false);
  }

  /**
   * The end of an interval, made inclusive: "ms" means "ms-18446744073709551615", "(id" its
   * predecessor ("ERR invalid end ID for the interval" for "(0-0").
   */
  public static StreamId parseRangeEnd(byte[] arg) {
    if (isExclusive(arg)) {
      StreamId id = parse(java.util.Arrays.copyOfRange(arg, 1, arg.length), -1L, true);
      StreamId previous = id.previous();
      if (previous == null) {
        throw new StreamException(StreamException.INVALID_END);
      }
      return previous;
    }
    return parse(arg, -1L, false);
  }

  /** Redis takes "(" alone as an ordinary (and invalid) ID, not as an empty exclusive one. */
  private static boolean isExclusive(byte[] arg) {
    return arg.length > 1 && arg[0] == '(';
  }

  static StreamId parse(byte[] arg, long missingSeq, boolean strict) {
    AddForm form = parseForm(arg, missingSeq, strict, false);
    return new StreamId(form.ms, form.seq);
  }

  /** The pieces of a parsed ID; {@code seqGiven} is false only for XADD's "ms-*". */
  record AddForm(long ms, long seq, boolean seqGiven) {}

  static AddForm parseForm(byte[] arg, long missingSeq, boolean strict, boolean allowStarSeq) {
    if (arg.length > MAX_ARGUMENT) {
      throw invalid();
    }
    int len = cString(arg);
    if (len == 1 && (arg[0] == '-' || arg[0] == '+')) {
      if (strict) {
        throw invalid();
      }
      return arg[0] == '-' ? new AddForm(0, 0, true) : new AddForm(-1L, -1L, true);
    }
    int dash = -1;
    for (int i = 0; i < len; i++) {
      if (arg[i] == '-') {
        dash = i;
        break;
      }
    }
    long ms = string2ull(arg, 0, dash < 0 ? len : dash);
    if (dash < 0) {
      return new AddForm(ms, missingSeq, true);
    }
    if (allowStarSeq && len - dash - 1 == 1 && arg[dash + 1] == '*') {
      return new AddForm(ms, 0, false);
    }
    return new AddForm(ms, string2ull(arg, dash + 1, len), true);
  }

  /** Length of the argument read as a C string. */
  private static int cString(byte[] arg) {
    for (int i = 0; i < arg.length; i++) {
      if (arg[i] == 0) {
        return i;
      }
    }
    return arg.length;
  }

  static StreamException invalid() {
    return new StreamException(StreamException.INVALID_ID);
  }

  /** util.c's string2ull: string2ll's strict form, else strtoull's lenient one. */
  private static long string2ull(byte[] s, int from, int to) {
    int n = to - from;
    if (n > 0 && n < 21) {
      Long strict = string2ll(s, from, to);
      if (strict != null) {
        if (strict < 0) {
          throw invalid();
        }
        return strict;
      }
    }
    return strtoull(s, from, to);
  }

  private static Long string2ll(byte[] s, int from, int to) {
    if (to - from == 1 && s[from] == '0') {
      return 0L;
    }
    int p = from;
    boolean negative = s[p] == '-';
    if (negative && ++p == to) {
      return null;
    }
    if (s[p] < '1' || s[p] > '9') {
      return null;
    }
    long v = 0; // at most 20 digits: overflow only past 19, checked below
    for (; p < to; p++) {
      if (s[p] < '0' || s[p] > '9') {
        return null;
      }
      int digit = s[p] - '0';
      if (Long.compareUnsigned(v, Long.divideUnsigned(-1L, 10)) > 0) {
        return null;
      }
      v *= 10;
      if (Long.compareUnsigned(v, -1L - digit) > 0) {
        return null;
      }
      v += digit;
    }
    if (negative) {
      return Long.compareUnsigned(v, Long.MIN_VALUE) > 0 ? null : -v;
    }
    return v < 0 ? null : v;
  }

  /** glibc strtoull in base 10, failing where Redis checks errno and the end pointer. */
  private static long strtoull(byte[] s, int from, int to) {
    int p = from;
    while (p < to && isSpace(s[p])) {
      p++;
    }
    boolean negative = false;
    if (p < to && (s[p] == '+' || s[p] == '-')) {
      negative = s[p] == '-';
      p++;
    }
    if (p == to || s[p] < '0' || s[p] > '9') {
      throw invalid(); // no digits: strtoull's end pointer stays at the start
    }
    long v = 0;
    for (; p < to; p++) {
      if (s[p] < '0' || s[p] > '9') {
        throw invalid(); // trailing garbage
      }
      int digit = s[p] - '0';
      if (Long.compareUnsigned(v, Long.divideUnsigned(-1L, 10)) > 0
          || Long.compareUnsigned(v * 10, -1L - digit) > 0) {
        throw invalid(); // ERANGE
      }
      v = v * 10 + digit;
    }
    return negative ? -v : v;
  }

  private static boolean isSpace(byte b) {
    return b == ' ' || (b >= '\t' && b <= '\r');
  }
}
