package dev.sluice.proxy.rdb;

/**
 * Redis's CRC-64 (crc64.c): the Jones polynomial 0xad93d23594c935a9, reflected, initial value 0, no
 * final xor; {@code crc64(0, "123456789")} is 0xe9c6d914c4b8d9ca. It ends DUMP payloads and RDB
 * files.
 */
public final class Crc64 {
  private static final long REFLECTED_POLY = 0x95ac9329ac4bc9b5L;
  private static final long[] TABLE = new long[256];

  static {
    for (int i = 0; i < 256; i++) {
      long crc = i;
      for (int bit = 0; bit < 8; bit++) {
        crc = (crc & 1) != 0 ? (crc >>> 1) ^ REFLECTED_POLY : crc >>> 1;
      }
      TABLE[i] = crc;
    }
  }

  private Crc64() {}

  /** The CRC of {@code bytes[from, to)} continuing from {@code crc} (0 to start). */
  public static long update(long crc, byte[] bytes, int from, int to) {
    for (int i = from; i < to; i++) {
      crc = TABLE[(int) ((crc ^ bytes[i]) & 0xff)] ^ (crc >>> 8);
    }
    return crc;
  }
}
