package dev.sluice.proxy.rdb;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * RDB's lengths and strings (rdb.c: rdbSaveLen, rdbSaveRawString, rdbGenericLoadStringObject):
 * lengths in 1, 2, 5 or 9 bytes; strings as length and bytes, LZF-compressed when longer than 20
 * bytes and compression saves at least 4 of them, or (read only) as 8, 16 or 32-bit integers.
 */
public final class RdbStrings {
  private static final int ENCVAL = 3;
  private static final int ENC_INT8 = 0;
  private static final int ENC_INT16 = 1;
  private static final int ENC_INT32 = 2;
  private static final int ENC_LZF = 3;

  private RdbStrings() {}

  /** A length, unsigned: stream IDs and a group's entries-read of -1 take all 64 bits. */
  public static void writeLength(ByteArrayOutputStream out, long length) {
    if (length >= 0 && length < (1 << 6)) {
      out.write((int) length);
    } else if (length >= 0 && length < (1 << 14)) {
      out.write((int) ((length >>> 8) | 0x40));
      out.write((int) (length & 0xff));
    } else if (length >= 0 && length <= 0xffffffffL) {
      out.write(0x80);
      for (int shift = 24; shift >= 0; shift -= 8) {
        out.write((int) (length >>> shift) & 0xff);
      }
    } else {
      out.write(0x81);
      for (int shift = 56; shift >= 0; shift -= 8) {
        out.write((int) (length >>> shift) & 0xff);
      }
    }
  }

  /**
   * A string as rdbSaveRawString writes it with rdbcompression on: a canonical integer of 32 bits
   * as an 8, 16 or 32-bit integer (rdbTryIntegerEncoding), longer strings LZF-compressed when that
   * saves at least 4 bytes (unless {@code out} is an {@link RdbOutput} without compression),
   * anything else as length and bytes.
   */
  public static void writeString(ByteArrayOutputStream out, byte[] s) {
    Long number = s.length <= 11 ? Listpack.canonicalLong(s) : null;
    if (number != null && number >= Integer.MIN_VALUE && number <= Integer.MAX_VALUE) {
      long v = number;
      int bytes = v == (byte) v ? 1 : v == (short) v ? 2 : 4;
      out.write((ENCVAL << 6) | (bytes == 1 ? ENC_INT8 : bytes == 2 ? ENC_INT16 : ENC_INT32));
      for (int i = 0; i < bytes; i++) {
        out.write((int) (v >>> (8 * i)) & 0xff);
      }
      return;
    }
    if (s.length > 20 && !(out instanceof RdbOutput o && !o.compress())) {
      byte[] compressed = Lzf.compress(s, s.length - 4);
      if (compressed != null) {
        out.write((ENCVAL << 6) | ENC_LZF);
        writeLength(out, compressed.length);
        writeLength(out, s.length);
        out.writeBytes(compressed);
        return;
      }
    }
    writeLength(out, s.length);
    out.writeBytes(s);
  }

  /** Reads RDB bytes from a position. */
  public static final class Reader {
    private final byte[] bytes;
    private final int end;
    private int pos;

    public Reader(byte[] bytes, int from, int end) {
      this.bytes = bytes;
      this.pos = from;
      this.end = end;
    }

    public int position() {
      return pos;
    }

    public int readByte() {
      if (pos >= end) {
        throw new RdbFormatException("RDB data ends at byte " + pos);
      }
      return bytes[pos++] & 0xff;
    }

    private long readBigEndian(int n) {
      long v = 0;
      for (int i = 0; i < n; i++) {
        v = (v << 8) | readByte();
      }
      return v;
    }

    private long readLittleEndian(int n) {
      long v = 0;
      for (int i = 0; i < n; i++) {
        v |= (long) readByte() << (8 * i);
      }
      return v;
    }

    /** The encoding of the string whose type byte was just read, or -1 for a plain length. */
    private int encoding = -1;

    /**
     * A length (unsigned: a 9-byte one may exceed Long.MAX_VALUE), or the encoding of an encoded
     * string, then in {@link #encoding}.
     */
    private long readLengthOrEncoding() {
      int first = readByte();
      encoding = -1;
      return switch (first >>> 6) {
        case 0 -> first & 0x3f;
        case 1 -> ((first & 0x3f) << 8) | readByte();
        case 2 -> {
          if (first == 0x80) {
            yield readBigEndian(4);
          }
          if (first == 0x81) {
            yield readBigEndian(8);
          }
          throw new RdbFormatException("unknown RDB length type " + first);
        }
        default -> {
          encoding = first & 0x3f;
          yield 0;
        }
      };
    }

    /** Bytes left to read. */
    public int remaining() {
      return end - pos;
    }

    /**
     * A count of things still to read, each at least one byte: a count beyond the bytes left is a
     * corrupt payload, refused before anything is allocated for it.
     */
    public int readCount() {
      long count = readLength();
      if (count < 0 || count > end - pos) {
        throw new RdbFormatException(
            "count " + count + " beyond the " + (end - pos) + " bytes left");
      }
      return (int) count;
    }

    /** A double in 8 bytes, little-endian (rdbSaveBinaryDoubleValue). */
    public double readBinaryDouble() {
      return Double.longBitsToDouble(readLittleEndian(8));
    }

    /**
     * A double as RDB's old sorted sets hold it (rdbLoadDoubleValue): a length byte and that many
     * characters, or 253, 254, 255 for NaN, infinity and minus infinity.
     */
    public double readTextDouble() {
      int len = readByte();
      switch (len) {
        case 253:
          return Double.NaN;
        case 254:
          return Double.POSITIVE_INFINITY;
        case 255:
          return Double.NEGATIVE_INFINITY;
        default:
          String text = new String(take(len), StandardCharsets.US_ASCII);
          try {
            return Double.parseDouble(text);
          } catch (NumberFormatException e) {
            throw new RdbFormatException("score \"" + text + "\" is not a double");
          }
      }
    }

    /** A time in milliseconds, 8 bytes little-endian (rdbSaveMillisecondTime). */
    public long readMillis() {
      return readLittleEndian(8);
    }

    /** {@code n} raw bytes. */
    public byte[] readRaw(int n) {
      return take(n);
    }

    /** A length, all 64 bits (unsigned: stream IDs and counters may use the top bit). */
    public long readLength() {
      long length = readLengthOrEncoding();
      if (encoding >= 0) {
        throw new RdbFormatException("an encoded string where a length was expected");
      }
      return length;
    }

    public byte[] readString() {
      long length = readLengthOrEncoding();
      if (encoding < 0) {
        return take(length);
      }
      return switch (encoding) {
        case ENC_INT8 -> number((byte) readLittleEndian(1));
        case ENC_INT16 -> number((short) readLittleEndian(2));
        case ENC_INT32 -> number((int) readLittleEndian(4));
        case ENC_LZF -> {
          long compressed = readLength();
          long plain = readLength();
          // an LZF back reference of 3 bytes gives at most 264: anything beyond is corrupt
          if (compressed < 0
              || compressed > end - pos
              || plain < 0
              || plain > compressed * 88 + 32) {
            throw new RdbFormatException("LZF string longer than the data");
          }
          byte[] out = Lzf.decompress(bytes, pos, pos + (int) compressed, (int) plain);
          pos += (int) compressed;
          yield out;
        }
        default -> throw new RdbFormatException("unknown RDB string encoding " + encoding);
      };
    }

    private byte[] take(long length) {
      if (length < 0 || length > end - pos) {
        throw new RdbFormatException("RDB string of " + length + " bytes past the end");
      }
      byte[] s = java.util.Arrays.copyOfRange(bytes, pos, pos + (int) length);
      pos += (int) length;
      return s;
    }

    private static byte[] number(long v) {
      return Long.toString(v).getBytes(StandardCharsets.US_ASCII);
    }
  }
}
