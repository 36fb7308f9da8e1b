package dev.sluice.proxy.resp;

import java.util.Arrays;

/**
 * {@link RespDecoder}'s fast path: parses multibulk commands that lie complete in a byte array,
 * with plain array loops instead of a ByteBuf accessor (and its bounds and accessibility checks)
 * per byte.
 *
 * <p>It takes only the plain case: a count of 1 to {@code maxArgs}, then that many bulks whose
 * lengths are 0 to {@code maxBulk}, written as Redis's string2ll accepts them without a sign, all
 * within the array. For anything else — an incomplete command, a malformed or out-of-bounds length,
 * an empty or null array, a type byte other than '$' — it returns null without moving, and the
 * decoder's state machine, which owns every error text and limit, takes that command. Where the
 * state machine skips a byte without looking at it (the one after a length line's '\r', the two
 * after a bulk), so does this parser.
 */
final class CompleteCommandParser {
  /** Fewest bytes one bulk takes: "$0\r\n\r\n". */
  private static final int MIN_BULK_BYTES = 6;

  private final byte[] bytes;
  private final int start;
  private final int end;
  private int pos;

  /** Parses {@code bytes[from, to)}. */
  CompleteCommandParser(byte[] bytes, int from, int to) {
    this.bytes = bytes;
    this.start = from;
    this.end = to;
    this.pos = from;
  }

  /** Bytes taken by the commands returned so far. */
  int consumed() {
    return pos - start;
  }

  /**
   * The next command's arguments, each being the previous command's argument at the same place
   * ({@code last}, may be null) itself when the bytes are the same; or null, without moving, when
   * the next command is not complete and plain.
   */
  byte[][] next(int maxArgs, int maxBulk, byte[][] last) {
    int commandStart = pos;
    byte[][] args = readCommand(maxArgs, maxBulk, last);
    if (args == null) {
      pos = commandStart;
    }
    return args;
  }

  private byte[][] readCommand(int maxArgs, int maxBulk, byte[][] last) {
    int count = readLength('*', maxArgs);
    // a count the bytes present cannot hold is not allocated: the command is incomplete anyway
    if (count <= 0 || count > (end - pos) / MIN_BULK_BYTES) {
      return null;
    }
    byte[][] args = new byte[count][];
    for (int i = 0; i < count; i++) {
      int length = readLength('$', maxBulk);
      if (length < 0 || end - pos < length + 2) {
        return null;
      }
      byte[] previous = last != null && i < last.length ? last[i] : null;
      args[i] = sameBytes(previous, length) ? previous : copy(length);
      pos += length + 2;
    }
    return args;
  }

  /**
   * A line of {@code prefix}, a decimal from 0 to {@code max} without leading zeros, '\r' and one
   * more byte; or -1 when the line is anything else or not complete.
   */
  private int readLength(char prefix, int max) {
    if (pos >= end || bytes[pos] != prefix) {
      return -1;
    }
    int digits = pos + 1;
    int i = digits;
    long value = 0;
    while (i < end && bytes[i] >= '0' && bytes[i] <= '9' && value <= max) {
      value = value * 10 + (bytes[i++] - '0');
    }
    boolean leadingZero = i - digits > 1 && bytes[digits] == '0';
    if (i == digits || leadingZero || value > max || i + 1 >= end || bytes[i] != '\r') {
      return -1;
    }
    pos = i + 2;
    return (int) value;
  }

  private boolean sameBytes(byte[] previous, int length) {
    return previous != null
        && previous.length == length
        && Arrays.equals(bytes, pos, pos + length, previous, 0, length);
  }

  private byte[] copy(int length) {
    return Arrays.copyOfRange(bytes, pos, pos + length);
  }
}
