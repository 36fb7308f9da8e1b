package dev.sluice.proxy.types.stream;

/**
 * Bytes an element takes in a Redis listpack (listpack.c: encoding, data and back-length). A node
 * tracks the size its entries would have as Redis's listpack so that it closes when Redis's would
 * (stream-node-max-bytes), which decides node boundaries and so what approximate trimming removes
 * and what XINFO STREAM's radix-tree-keys says.
 */
final class ListpackSize {
  /** STREAM_LISTPACK_MAX_SIZE: no listpack may grow past 1 GB, nor an entry bring more. */
  static final long MAX = 1L << 30;

  private ListpackSize() {}

  /** Header (total bytes, element count) and the end byte of an empty listpack. */
  static final int EMPTY = 7;

  /** An integer element, as lpAppendInteger / lpReplaceInteger store it. */
  static int ofInteger(long v) {
    return encodedInteger(v) + 1; // an integer's encoding is at most 9 bytes: 1 back-length byte
  }

  /** A string element: stored as an integer when lpStringToInt64 accepts it, as lpAppend does. */
  static int ofString(byte[] s) {
    return ofString(s, 0, s.length);
  }

  static int ofString(byte[] s, int from, int length) {
    long encoded;
    if (isStrictInt64(s, from, length)) {
      encoded = encodedInteger(parse(s, from, length));
    } else if (length < 64) {
      encoded = 1L + length;
    } else if (length < 4096) {
      encoded = 2L + length;
    } else {
      encoded = 5L + length;
    }
    return (int) Math.min(Integer.MAX_VALUE, encoded + backlen(encoded));
  }

  private static int encodedInteger(long v) {
    if (v >= 0 && v <= 127) {
      return 1;
    } else if (v >= -4096 && v <= 4095) {
      return 2;
    } else if (v >= -32768 && v <= 32767) {
      return 3;
    } else if (v >= -8388608 && v <= 8388607) {
      return 4;
    } else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
      return 5;
    }
    return 9;
  }

  private static int backlen(long l) {
    if (l <= 127) {
      return 1;
    } else if (l < 16383) {
      return 2;
    } else if (l < 2097151) {
      return 3;
    } else if (l < 268435455) {
      return 4;
    }
    return 5;
  }

  /** lpStringToInt64's test: decimal, no leading zeros or '+', no "-0", fits a signed long. */
  static boolean isStrictInt64(byte[] s, int from, int length) {
    if (length == 0 || length >= 21) {
      return false;
    }
    if (length == 1 && s[from] == '0') {
      return true;
    }
    int p = from;
    int end = from + length;
    boolean negative = s[p] == '-';
    if (negative && ++p == end) {
      return false;
    }
    if (s[p] < '1' || s[p] > '9') {
      return false;
    }
    long v = 0;
    for (; p < end; p++) {
      if (s[p] < '0' || s[p] > '9') {
        return false;
      }
      int digit = s[p] - '0';
      if (Long.compareUnsigned(v, Long.divideUnsigned(-1L, 10)) > 0) {
        return false;
      }
      v *= 10;
      if (Long.compareUnsigned(v, -1L - digit) > 0) {
        return false;
      }
      v += digit;
    }
    return negative ? Long.compareUnsigned(v, Long.MIN_VALUE) <= 0 : v >= 0;
  }

  private static long parse(byte[] s, int from, int length) {
    boolean negative = s[from] == '-';
    long v = 0;
    for (int p = negative ? from + 1 : from; p < from + length; p++) {
      v = v * 10 + (s[p] - '0');
    }
    return negative ? -v : v;
  }
}
