package dev.sluice.proxy.rdb;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Redis's listpack (listpack.c), the blob inside RDB's LIST_QUICKLIST_2, HASH_LISTPACK,
 * ZSET_LISTPACK and SET_LISTPACK objects: a 4-byte little-endian total size, a 2-byte little-endian
 * element count (65535 when it does not fit), the elements and a 0xff terminator. Each element is
 * an encoding byte (7-bit unsigned integer {@code 0xxxxxxx}, 6-bit string length {@code 10xxxxxx},
 * 13-bit integer {@code 110xxxxx}, 12-bit string length {@code 1110xxxx}, 32-bit string length
 * 0xf0, 16/24/32/64-bit integer 0xf1-0xf4), its data and its back length: the size of encoding and
 * data in 1 to 5 bytes of 7 bits, the most significant first. Strings that read as canonical 64-bit
 * integers are stored as integers, as lpAppend does.
 */
public final class Listpack {
  private static final int HEADER = 6;
  private static final int EOF = 0xff;

  private Listpack() {}

  /** The listpack of {@code elements}, byte for byte as Redis builds it by appending. */
  public static byte[] encode(List<byte[]> elements) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[HEADER]);
    for (byte[] e : elements) {
      int start = out.size();
      writeEntry(out, e);
      writeBacklen(out, out.size() - start);
    }
    out.write(EOF);
    byte[] lp = out.toByteArray();
    int total = lp.length;
    for (int i = 0; i < 4; i++) {
      lp[i] = (byte) (total >>> (8 * i));
    }
    int count = Math.min(elements.size(), 65535);
    lp[4] = (byte) count;
    lp[5] = (byte) (count >>> 8);
    return lp;
  }

  /** The size {@link #encode} gives an element, encoding and back length included. */
  public static int entrySize(byte[] element) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    writeEntry(out, element);
    int size = out.size();
    return size + backlenSize(size);
  }

  private static void writeEntry(ByteArrayOutputStream out, byte[] e) {
    Long v = e.length <= 20 ? canonicalLong(e) : null;
    if (v != null) {
      long n = v;
      if (n >= 0 && n <= 127) {
        out.write((int) n);
      } else if (n >= -4096 && n <= 4095) {
        long u = n < 0 ? (1 << 13) + n : n;
        out.write((int) (0xc0 | (u >>> 8)));
        out.write((int) (u & 0xff));
      } else if (n >= -32768 && n <= 32767) {
        out.write(0xf1);
        writeLittleEndian(out, n, 2);
      } else if (n >= -8388608 && n <= 8388607) {
        out.write(0xf2);
        writeLittleEndian(out, n, 3);
      } else if (n >= Integer.MIN_VALUE && n <= Integer.MAX_VALUE) {
        out.write(0xf3);
        writeLittleEndian(out, n, 4);
      } else {
        out.write(0xf4);
        writeLittleEndian(out, n, 8);
      }
      return;
    }
    int len = e.length;
    if (len < 64) {
      out.write(0x80 | len);
    } else if (len < 4096) {
      out.write(0xe0 | (len >>> 8));
      out.write(len & 0xff);
    } else {
      out.write(0xf0);
      writeLittleEndian(out, len, 4);
    }
    out.writeBytes(e);
  }

  private static int backlenSize(int l) {
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

  private static void writeBacklen(ByteArrayOutputStream out, int l) {
    int n = backlenSize(l);
    for (int i = n - 1; i >= 0; i--) {
      int bits = (l >>> (7 * i)) & 127;
      out.write(i == n - 1 ? bits : bits | 128);
    }
  }

  private static void writeLittleEndian(ByteArrayOutputStream out, long v, int bytes) {
    for (int i = 0; i < bytes; i++) {
      out.write((int) (v >>> (8 * i)) & 0xff);
    }
  }

  /** The value of a canonical decimal 64-bit integer (string2ll's), or null. */
  static Long canonicalLong(byte[] s) {
    int n = s.length;
    if (n == 0 || n > 20) {
      return null;
    }
    // by hand, not Long.parseLong: a NumberFormatException per non-number cost microseconds a
    // string, which made saving a million small keys take seconds
    boolean negative = s[0] == '-';
    int i = negative ? 1 : 0;
    if (i == n || (s[i] == '0' && n > 1)) {
      return null; // "-", and "0…", "-0…" are not canonical
    }
    long v = 0; // accumulated negative, so that Long.MIN_VALUE fits
    for (; i < n; i++) {
      int d = s[i] - '0';
      if (d < 0 || d > 9 || v < (Long.MIN_VALUE + d) / 10) {
        return null;
      }
      v = v * 10 - d;
    }
    if (!negative) {
      if (v == Long.MIN_VALUE) {
        return null;
      }
      v = -v;
    }
    return v;
  }

  /**
   * The elements of a listpack, integers as their decimal text.
   *
   * @throws RdbFormatException when the bytes are not a well-formed listpack
   */
  public static List<byte[]> decode(byte[] lp) {
    if (lp.length < HEADER + 1) {
      throw new RdbFormatException("listpack of " + lp.length + " bytes, at least 7 expected");
    }
    long total = readLittleEndian(lp, 0, 4);
    if (total != lp.length) {
      throw new RdbFormatException("listpack says " + total + " bytes, has " + lp.length);
    }
    int declared = (int) readLittleEndian(lp, 4, 2);
    List<byte[]> out = new ArrayList<>(Math.min(declared, lp.length));
    int p = HEADER;
    while (true) {
      if (p >= lp.length) {
        throw new RdbFormatException("listpack without its terminator");
      }
      int b = lp[p] & 0xff;
      if (b == EOF) {
        break;
      }
      int start = p;
      byte[] element;
      if ((b & 0x80) == 0) {
        element = number(b);
        p += 1;
      } else if ((b & 0xc0) == 0x80) {
        int len = b & 0x3f;
        element = slice(lp, p + 1, len);
        p += 1 + len;
      } else if ((b & 0xe0) == 0xc0) {
        need(lp, p, 2);
        int u = ((b & 0x1f) << 8) | (lp[p + 1] & 0xff);
        element = number(u >= 4096 ? u - 8192 : u);
        p += 2;
      } else if ((b & 0xf0) == 0xe0) {
        need(lp, p, 2);
        int len = ((b & 0x0f) << 8) | (lp[p + 1] & 0xff);
        element = slice(lp, p + 2, len);
        p += 2 + len;
      } else {
        switch (b) {
          case 0xf0 -> {
            need(lp, p, 5);
            long len = readLittleEndian(lp, p + 1, 4);
            if (len > lp.length) {
              throw new RdbFormatException("listpack string of " + len + " bytes past the end");
            }
            element = slice(lp, p + 5, (int) len);
            p += 5 + (int) len;
          }
          case 0xf1 -> {
            element = signed(lp, p, 2);
            p += 3;
          }
          case 0xf2 -> {
            element = signed(lp, p, 3);
            p += 4;
          }
          case 0xf3 -> {
            element = signed(lp, p, 4);
            p += 5;
          }
          case 0xf4 -> {
            element = signed(lp, p, 8);
            p += 9;
          }
          default -> throw new RdbFormatException("unknown listpack encoding " + b);
        }
      }
      int size = p - start;
      int n = backlenSize(size);
      need(lp, p, n);
      long backlen = 0;
      for (int i = 0; i < n; i++) {
        backlen = (backlen << 7) | (lp[p + i] & 127);
      }
      if (backlen != size) {
        throw new RdbFormatException("listpack back length " + backlen + ", expected " + size);
      }
      p += n;
      out.add(element);
    }
    if (p != lp.length - 1) {
      throw new RdbFormatException("listpack bytes after its terminator");
    }
    if (declared != 65535 && declared != out.size()) {
      throw new RdbFormatException("listpack says " + declared + " elements, has " + out.size());
    }
    return out;
  }

  private static void need(byte[] lp, int p, int n) {
    if (p + n > lp.length) {
      throw new RdbFormatException("listpack element past the end");
    }
  }

  private static byte[] slice(byte[] lp, int from, int len) {
    need(lp, from, len);
    return java.util.Arrays.copyOfRange(lp, from, from + len);
  }

  private static byte[] signed(byte[] lp, int p, int bytes) {
    need(lp, p, 1 + bytes);
    long v = readLittleEndian(lp, p + 1, bytes);
    int shift = 64 - 8 * bytes;
    return number((v << shift) >> shift);
  }

  static long readLittleEndian(byte[] b, int from, int bytes) {
    long v = 0;
    for (int i = 0; i < bytes; i++) {
      v |= (long) (b[from + i] & 0xff) << (8 * i);
    }
    return v;
  }

  static byte[] number(long v) {
    return Long.toString(v).getBytes(StandardCharsets.US_ASCII);
  }
}
