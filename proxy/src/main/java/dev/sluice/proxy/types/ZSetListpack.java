package dev.sluice.proxy.types;

import dev.sluice.proxy.types.RedisZSet.Node;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The "listpack" encoding of a small {@link RedisZSet}: every member with its score in one byte
 * array, in score order, searched by linear scans as Redis's listpacks are (at most 128 members of
 * at most 64 bytes, so a scan stays short). Static functions over the array, not an object, so that
 * a small sorted set is its {@link RedisZSet} and one array. Every change builds a new array of the
 * exact size, so that an array once handed out (to a {@link View}) never changes under its reader.
 *
 * <p>An entry is the member's length (one byte), the member, a score tag (one byte) and the score:
 * tags 0 to 8 say the score is an integer (below 2^53 in magnitude) stored in that many bytes,
 * big-endian two's complement, as listpacks store integral scores as integers; tag 9, a double of 8
 * bytes. A one-member set "member:000000000001" scored 1 is 1 + 19 + 1 + 1 = 22 bytes, an array of
 * 40 bytes with its 16-byte header.
 */
final class ZSetListpack {
  private ZSetListpack() {}

  static final byte[] EMPTY = new byte[0];

  private static final int DOUBLE_TAG = 9;

  private static final VarHandle LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  /**
   * A member of a listpack as a {@link Node}: the array it was read from, its rank and offset
   * there. Made on demand and never linked; stepping from it reads the same array.
   */
  static final class View extends Node {
    final byte[] packed;
    final int index;
    final int offset;

    View(byte[] packed, int index, int offset, byte[] member, double score) {
      super(member, 0, score);
      this.packed = packed;
      this.index = index;
      this.offset = offset;
    }

    @Override
    public Node next() {
      int next = ZSetListpack.next(packed, offset);
      return next < packed.length ? at(packed, index + 1, next) : null;
    }

    /** Linear from the start, as the array has no backward links (a listpack's backlen). */
    @Override
    public Node prev() {
      return index == 0 ? null : byRank(packed, index - 1);
    }
  }

  static View at(byte[] packed, int index, int offset) {
    return new View(packed, index, offset, member(packed, offset), score(packed, offset));
  }

  static int memberLength(byte[] packed, int offset) {
    return packed[offset] & 0xff;
  }

  static byte[] member(byte[] packed, int offset) {
    return Arrays.copyOfRange(packed, offset + 1, offset + 1 + memberLength(packed, offset));
  }

  private static int scoreLength(int tag) {
    return tag == DOUBLE_TAG ? 8 : tag;
  }

  static double score(byte[] packed, int offset) {
    int at = offset + 1 + memberLength(packed, offset);
    int tag = packed[at];
    if (tag == DOUBLE_TAG) {
      return Double.longBitsToDouble((long) LONG.get(packed, at + 1));
    }
    long v = 0;
    for (int i = 1; i <= tag; i++) {
      v = v << 8 | (packed[at + i] & 0xff);
    }
    return tag == 0 ? 0 : (double) (v << (64 - 8 * tag) >> (64 - 8 * tag));
  }

  /** The offset of the entry after the one at {@code offset}. */
  static int next(byte[] packed, int offset) {
    int at = offset + 1 + memberLength(packed, offset);
    return at + 1 + scoreLength(packed[at]);
  }

  /** The offset of the entry of 0-based rank {@code rank}, or the array's length past the end. */
  static int offsetOf(byte[] packed, long rank) {
    int offset = 0;
    for (long i = 0; i < rank && offset < packed.length; i++) {
      offset = next(packed, offset);
    }
    return offset;
  }

  static View byRank(byte[] packed, long rank) {
    int offset = offsetOf(packed, rank);
    return offset < packed.length ? at(packed, (int) rank, offset) : null;
  }

  /** The entry of {@code member}, or null; the view holds the caller's {@code member} array. */
  static View find(byte[] packed, byte[] member) {
    for (int offset = 0, index = 0; offset < packed.length; index++) {
      int length = memberLength(packed, offset);
      if (length == member.length
          && Arrays.equals(packed, offset + 1, offset + 1 + length, member, 0, length)) {
        return new View(packed, index, offset, member, score(packed, offset));
      }
      offset = next(packed, offset);
    }
    return null;
  }

  /** The offset of the first entry not before (score, member): where it goes in the order. */
  private static int insertionPoint(byte[] packed, double score, byte[] member) {
    int offset = 0;
    while (offset < packed.length) {
      double s = score(packed, offset);
      if (s > score
          || (s == score
              && Arrays.compareUnsigned(
                      packed,
                      offset + 1,
                      offset + 1 + memberLength(packed, offset),
                      member,
                      0,
                      member.length)
                  >= 0)) {
        break;
      }
      offset = next(packed, offset);
    }
    return offset;
  }

  /** A copy of {@code packed} with (member, score) in its place; -0 is stored as 0. */
  static byte[] insert(byte[] packed, byte[] member, double score) {
    int at = insertionPoint(packed, score, member);
    boolean integral = score == (long) score && Math.abs(score) < 0x1p53;
    long v = (long) score;
    int scoreLength =
        !integral ? 8 : v == 0 ? 0 : (72 - Long.numberOfLeadingZeros(v ^ (v >> 63))) / 8;
    int entry = 1 + member.length + 1 + scoreLength;
    byte[] grown = new byte[packed.length + entry];
    System.arraycopy(packed, 0, grown, 0, at);
    System.arraycopy(packed, at, grown, at + entry, packed.length - at);
    grown[at] = (byte) member.length;
    System.arraycopy(member, 0, grown, at + 1, member.length);
    int tag = at + 1 + member.length;
    if (integral) {
      grown[tag] = (byte) scoreLength;
      for (int i = scoreLength; i >= 1; i--, v >>= 8) {
        grown[tag + i] = (byte) v;
      }
    } else {
      grown[tag] = DOUBLE_TAG;
      LONG.set(grown, tag + 1, Double.doubleToRawLongBits(score));
    }
    return grown;
  }

  /** A copy of {@code packed} without the entries from offset {@code from} up to {@code to}. */
  static byte[] cut(byte[] packed, int from, int to) {
    byte[] shrunk = new byte[packed.length - (to - from)];
    System.arraycopy(packed, 0, shrunk, 0, from);
    System.arraycopy(packed, to, shrunk, from, packed.length - to);
    return shrunk;
  }

  /**
   * Checks the order of the entries and that they fill the array exactly; returns how many there
   * are. For tests; throws {@link IllegalStateException} on the first violation.
   */
  static int check(byte[] packed) {
    int count = 0;
    View previous = null;
    for (int offset = 0; offset < packed.length; offset = next(packed, offset), count++) {
      if (memberLength(packed, offset) > RedisZSet.LISTPACK_MAX_VALUE) {
        throw new IllegalStateException("member over the listpack limit at rank " + count);
      }
      View view = at(packed, count, offset);
      if (previous != null && !ZSetNodes.precedes(previous, view.score(), view.member())) {
        throw new IllegalStateException("order broken at rank " + count);
      }
      previous = view;
    }
    return count;
  }
}
