package dev.sluice.proxy.rdb;

import java.util.ArrayList;
import java.util.List;

/**
 * Redis's intset (intset.c), the blob of RDB's SET_INTSET: a 4-byte little-endian encoding (the
 * width of every member: 2, 4 or 8 bytes, the smallest that holds them all), a 4-byte little-endian
 * count, then the members ascending, little-endian.
 */
public final class Intset {
  private Intset() {}

  /** The intset of {@code ascending} members. */
  public static byte[] encode(long[] ascending) {
    int width = 2;
    for (long v : ascending) {
      if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
        width = 8;
      } else if ((v < Short.MIN_VALUE || v > Short.MAX_VALUE) && width < 4) {
        width = 4;
      }
    }
    byte[] out = new byte[8 + width * ascending.length];
    put(out, 0, width, 4);
    put(out, 4, ascending.length, 4);
    for (int i = 0; i < ascending.length; i++) {
      put(out, 8 + i * width, ascending[i], width);
    }
    return out;
  }

  private static void put(byte[] out, int at, long v, int bytes) {
    for (int i = 0; i < bytes; i++) {
      out[at + i] = (byte) (v >>> (8 * i));
    }
  }

  /**
   * The members of an intset as decimal text.
   *
   * @throws RdbFormatException when the blob is not an intset of ascending unique members
   */
  public static List<byte[]> decode(byte[] blob) {
    if (blob.length < 8) {
      throw new RdbFormatException("intset of " + blob.length + " bytes, at least 8 expected");
    }
    long width = Listpack.readLittleEndian(blob, 0, 4);
    long count = Listpack.readLittleEndian(blob, 4, 4);
    if (width != 2 && width != 4 && width != 8) {
      throw new RdbFormatException("intset encoding " + width + ", expected 2, 4 or 8");
    }
    if (count * width != blob.length - 8) {
      throw new RdbFormatException("intset of " + count + " members in " + blob.length + " bytes");
    }
    List<byte[]> out = new ArrayList<>((int) count);
    int shift = 64 - 8 * (int) width;
    long previous = 0;
    for (int i = 0; i < count; i++) {
      long v = Listpack.readLittleEndian(blob, 8 + i * (int) width, (int) width) << shift >> shift;
      if (i > 0 && v <= previous) {
        throw new RdbFormatException("intset members not ascending at " + i);
      }
      previous = v;
      out.add(Listpack.number(v));
    }
    return out;
  }
}
