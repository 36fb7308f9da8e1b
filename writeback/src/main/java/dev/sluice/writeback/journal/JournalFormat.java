package dev.sluice.writeback.journal;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/** Constants and encodings of the on-disk format; described in {@link JournalWriter}. */
final class JournalFormat {
  private JournalFormat() {}

  /** "SLJN". */
  static final int MAGIC = 0x534C4A4E;

  static final short VERSION = 1;

  /** magic(4) version(2) reserved(2) firstLsn(8) crc32c-of-the-previous-16-bytes(4). */
  static final int HEADER_SIZE = 20;

  /** length(4) crc32c(4) lsn(8) type(1), then the payload. */
  static final int RECORD_HEADER_SIZE = 17;

  /** Largest payload of one record. */
  static final int MAX_PAYLOAD = 64 * 1024 * 1024;

  static final String PREFIX = "journal-";
  static final String SUFFIX = ".seg";

  static String fileName(long firstLsn) {
    return PREFIX + String.format("%020d", firstLsn) + SUFFIX;
  }

  /** The first LSN a segment's name states, or -1 when the name is not a segment's. */
  static long lsnOfName(Path file) {
    String name = file.getFileName().toString();
    if (!name.startsWith(PREFIX) || !name.endsWith(SUFFIX)) {
      return -1;
    }
    String digits = name.substring(PREFIX.length(), name.length() - SUFFIX.length());
    if (digits.length() != 20 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return -1;
    }
    try {
      return Long.parseLong(digits);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  static ByteBuffer header(long firstLsn) {
    ByteBuffer b = ByteBuffer.allocate(HEADER_SIZE);
    b.putInt(MAGIC).putShort(VERSION).putShort((short) 0).putLong(firstLsn);
    CRC32C crc = new CRC32C();
    crc.update(b.array(), 0, 16);
    b.putInt((int) crc.getValue());
    return b.flip();
  }

  static int recordCrc(long lsn, byte type, byte[] payload, int offset, int length) {
    CRC32C crc = new CRC32C();
    ByteBuffer head = ByteBuffer.allocate(9).putLong(lsn).put(type);
    crc.update(head.array(), 0, 9);
    crc.update(payload, offset, length);
    return (int) crc.getValue();
  }

  static long recordSize(int payloadLength) {
    return RECORD_HEADER_SIZE + (long) payloadLength;
  }
}
