package dev.sluice.proxy.rdb;

import java.util.ArrayList;
import java.util.List;

/**
 * Redis's ziplist (ziplist.c, before 7.0), read only: RDB files and DUMP payloads of Redis 6 hold
 * lists, hashes and sorted sets in it. A 4-byte total size, a 4-byte offset of the last entry and a
 * 2-byte count (all little-endian), the entries and a 0xff terminator; each entry is the previous
 * entry's length (one byte below 254, else 0xfe and 4 bytes), an encoding and the data: strings of
 * 6-bit ({@code 00}), 14-bit big-endian ({@code 01}) or 32-bit big-endian (0x80) length, integers
 * of 16, 32, 64 (0xc0, 0xd0, 0xe0), 24 (0xf0) or 8 (0xfe) bits, or 0 to 12 in the encoding itself
 * (0xf1-0xfd).
 */
public final class Ziplist {
  private static final int HEADER = 10;

  private Ziplist() {}

  /**
   * The entries of a ziplist, integers as their decimal text.
   *
   * @throws RdbFormatException when the bytes are not a well-formed ziplist
   */
  public static List<byte[]> decode(byte[] zl) {
    if (zl.length < HEADER + 1 || Listpack.readLittleEndian(zl, 0, 4) != zl.length) {
      throw new RdbFormatException("ziplist header does not match its " + zl.length + " bytes");
    }
    List<byte[]> out = new ArrayList<>();
    int p = HEADER;
    int previousLength = 0;
    while (true) {
      need(zl, p, 1);
      if ((zl[p] & 0xff) == 0xff) {
        break;
      }
      int start = p;
      int prev = zl[p] & 0xff;
      if (prev == 0xfe) {
        need(zl, p, 5);
        prev = (int) Listpack.readLittleEndian(zl, p + 1, 4);
        p += 5;
      } else {
        p += 1;
      }
      if (prev != previousLength) {
        throw new RdbFormatException("ziplist previous length " + prev + " at " + start);
      }
      need(zl, p, 1);
      int enc = zl[p] & 0xff;
      byte[] element;
      switch (enc >>> 6) {
        case 0 -> element = slice(zl, p + 1, enc & 0x3f);
        case 1 -> {
          need(zl, p, 2);
          element = slice(zl, p + 2, ((enc & 0x3f) << 8) | (zl[p + 1] & 0xff));
        }
        case 2 -> {
          need(zl, p, 5);
          long len = 0;
          for (int i = 1; i <= 4; i++) {
            len = (len << 8) | (zl[p + i] & 0xff);
          }
          if (enc != 0x80 || len > zl.length) {
            throw new RdbFormatException("ziplist string of " + len + " bytes past the end");
          }
          element = slice(zl, p + 5, (int) len);
        }
        default -> element = integer(zl, p, enc);
      }
      p = end(zl, p, enc, element);
      previousLength = p - start;
      out.add(element);
    }
    if (p != zl.length - 1) {
      throw new RdbFormatException("ziplist bytes after its terminator");
    }
    return out;
  }

  private static byte[] integer(byte[] zl, int p, int enc) {
    int bytes =
        switch (enc) {
          case 0xc0 -> 2;
          case 0xd0 -> 4;
          case 0xe0 -> 8;
          case 0xf0 -> 3;
          case 0xfe -> 1;
          default -> {
            if (enc >= 0xf1 && enc <= 0xfd) {
              yield 0;
            }
            throw new RdbFormatException("unknown ziplist encoding " + enc);
          }
        };
    if (bytes == 0) {
      return Listpack.number((enc & 0x0f) - 1);
    }
    need(zl, p, 1 + bytes);
    int shift = 64 - 8 * bytes;
    return Listpack.number(Listpack.readLittleEndian(zl, p + 1, bytes) << shift >> shift);
  }

  /** The position after the entry whose encoding is at {@code p}. */
  private static int end(byte[] zl, int p, int enc, byte[] element) {
    return switch (enc >>> 6) {
      case 0 -> p + 1 + element.length;
      case 1 -> p + 2 + element.length;
      case 2 -> p + 5 + element.length;
      default ->
          p
              + 1
              + switch (enc) {
                case 0xc0 -> 2;
                case 0xd0 -> 4;
                case 0xe0 -> 8;
                case 0xf0 -> 3;
                case 0xfe -> 1;
                default -> 0;
              };
    };
  }

  private static void need(byte[] zl, int p, int n) {
    if (p + n > zl.length) {
      throw new RdbFormatException("ziplist entry past the end");
    }
  }

  private static byte[] slice(byte[] zl, int from, int len) {
    need(zl, from, len);
    return java.util.Arrays.copyOfRange(zl, from, from + len);
  }
}
