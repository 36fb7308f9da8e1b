package dev.sluice.proxy.rdb;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * An RDB file ({@code dump.rdb}) as redis-server 7.0 writes it (rdb.c: rdbSaveRio), so that every
 * redis-server from 7.0 on loads it. On disk:
 *
 * <pre>
 *   "REDIS0010"                9 ASCII bytes: the magic and the RDB version, 10 (7.0's: 7.0 refuses
 *                              a newer one, and Sluice writes only 7.0's object encodings)
 *   AUX (250) name value       per auxiliary field, both RDB strings: redis-ver, redis-bits, ctime,
 *                              used-mem, aof-base (numbers as integer-encoded strings, as Redis)
 *   FUNCTION2 (245) code       per function library, its code as an RDB string
 *   per database with keys, ascending:
 *     SELECTDB (254) n         the database number, an RDB length
 *     RESIZEDB (251) k e       its number of keys and of keys with an expiry, RDB lengths
 *     per key:
 *       [EXPIRETIME_MS (252) t]  the expiry, Unix milliseconds, 8 bytes little-endian
 *       type key body            the value's type byte, the key as an RDB string, the value's body
 *                                ({@link RdbObjects})
 *   EOF (255)
 *   crc                        the CRC-64 ({@link Crc64}) of every byte before it, 8 bytes
 *                              little-endian; 0 with rdbchecksum no (the loader then skips the check)
 * </pre>
 *
 * RDB lengths and strings are {@link RdbStrings}'. LRU/LFU hints (IDLE, FREQ) are not written.
 */
public final class RdbFileWriter {
  public static final int VERSION = DumpPayload.WRITTEN_VERSION;

  static final int OPCODE_SLOT_INFO = 244;
  static final int OPCODE_FUNCTION2 = 245;
  static final int OPCODE_FUNCTION_PRE_GA = 246;
  static final int OPCODE_MODULE_AUX = 247;
  static final int OPCODE_IDLE = 248;
  static final int OPCODE_FREQ = 249;
  static final int OPCODE_AUX = 250;
  static final int OPCODE_RESIZEDB = 251;
  static final int OPCODE_EXPIRETIME_MS = 252;
  static final int OPCODE_EXPIRETIME = 253;
  static final int OPCODE_SELECTDB = 254;
  static final int OPCODE_EOF = 255;

  /** The keys of one database, already serialised by {@link #writeKey}. */
  public record Database(int index, long keys, long expires, RdbOutput records) {}

  private RdbFileWriter() {}

  /**
   * Appends one key as it appears in a database's section: its expiry if any ({@code expireAt} a
   * Unix time in ms, or negative for none), the value's type byte, the key, the value's body.
   */
  public static void writeKey(RdbOutput out, byte[] key, Object value, long expireAt) {
    if (expireAt >= 0) {
      out.write(OPCODE_EXPIRETIME_MS);
      for (int i = 0; i < 8; i++) {
        out.write((int) (expireAt >>> (8 * i)) & 0xff);
      }
    }
    RdbObjects.write(out, value, key);
  }

  /**
   * Writes a whole file to {@code file} (which the caller closes).
   *
   * @param aux the auxiliary fields, in order: text or {@code Long} values
   * @param functions the function libraries' codes
   * @param databases the non-empty databases, ascending
   * @param checksum whether to write the CRC-64 (rdbchecksum), else 0
   */
  public static void write(
      OutputStream file,
      Map<String, Object> aux,
      List<byte[]> functions,
      List<Database> databases,
      boolean checksum,
      boolean compress)
      throws IOException {
    Checksummed out = new Checksummed(file, checksum);
    RdbOutput head = new RdbOutput(compress);
    head.writeBytes(String.format("REDIS%04d", VERSION).getBytes(StandardCharsets.US_ASCII));
    aux.forEach(
        (name, value) -> {
          head.write(OPCODE_AUX);
          RdbStrings.writeString(head, name.getBytes(StandardCharsets.UTF_8));
          RdbStrings.writeString(head, value.toString().getBytes(StandardCharsets.UTF_8));
        });
    for (byte[] code : functions) {
      head.write(OPCODE_FUNCTION2);
      RdbStrings.writeString(head, code);
    }
    out.write(head);
    for (Database db : databases) {
      RdbOutput select = new RdbOutput(compress);
      select.write(OPCODE_SELECTDB);
      RdbStrings.writeLength(select, db.index());
      select.write(OPCODE_RESIZEDB);
      RdbStrings.writeLength(select, db.keys());
      RdbStrings.writeLength(select, db.expires());
      out.write(select);
      out.write(db.records());
    }
    RdbOutput tail = new RdbOutput(compress);
    tail.write(OPCODE_EOF);
    out.write(tail);
    long crc = out.crc;
    byte[] trailer = new byte[8];
    for (int i = 0; i < 8; i++) {
      trailer[i] = (byte) (crc >>> (8 * i));
    }
    file.write(trailer);
  }

  /** A file being written and the CRC-64 of what went into it so far. */
  private static final class Checksummed {
    private final OutputStream file;
    private final boolean checksum;
    long crc;

    Checksummed(OutputStream file, boolean checksum) {
      this.file = file;
      this.checksum = checksum;
    }

    void write(RdbOutput bytes) throws IOException {
      byte[] b = bytes.toByteArray();
      if (checksum) {
        crc = Crc64.update(crc, b, 0, b.length);
      }
      file.write(b);
    }
  }
}
