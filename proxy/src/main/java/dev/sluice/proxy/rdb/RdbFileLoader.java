package dev.sluice.proxy.rdb;

import static dev.sluice.proxy.rdb.RdbFileWriter.OPCODE_AUX;
import static dev.sluice.proxy.rdb.RdbFileWriter.OPCODE_EOF;
import static dev.sluice.proxy.rdb.RdbFileWriter.OPCODE_EXPIRETIME;
import static dev.sluice.proxy.rdb.RdbFileWriter.OPCODE_EXPIRETIME_MS;
import static dev.sluice.proxy.rdb.RdbFileWriter.OPCODE_FREQ;
import static dev.sluice.proxy.rdb.RdbFileWriter.OPCODE_FUNCTION2;
import static dev.sluice.proxy.rdb.RdbFileWriter.OPCODE_FUNCTION_PRE_GA;
import static dev.sluice.proxy.rdb.RdbFileWriter.OPCODE_IDLE;
import static dev.sluice.proxy.rdb.RdbFileWriter.OPCODE_MODULE_AUX;
import static dev.sluice.proxy.rdb.RdbFileWriter.OPCODE_RESIZEDB;
import static dev.sluice.proxy.rdb.RdbFileWriter.OPCODE_SELECTDB;
import static dev.sluice.proxy.rdb.RdbFileWriter.OPCODE_SLOT_INFO;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads an RDB file (rdb.c: rdbLoadRioWithLoadingCtx) of any version from 1 to 12 (Redis 7.4's):
 * the layout {@link RdbFileWriter} describes, and what else Redis may write there: expiries in
 * seconds (EXPIRETIME), LRU and LFU hints (IDLE, FREQ: read and ignored), cluster slot sizes
 * (SLOT_INFO, 7.4), functions in the 7.0 release candidates' format (FUNCTION, refused as 7.4
 * refuses it) and module data (MODULE_AUX, refused: Sluice has no modules). Objects are read by
 * {@link RdbObjects}, every length bounded by the bytes left. Anything malformed is an {@link
 * RdbFormatException} naming the file and the byte offset where reading stopped.
 */
public final class RdbFileLoader {
  /** What the file holds, handed over as it is read. */
  public interface Sink {
    void function(byte[] code);

    /**
     * A key of database {@code db} with its value ({@code byte[]} or a collection) and expiry (Unix
     * ms, or -1).
     */
    void key(int db, byte[] key, Object value, long expireAt);
  }

  /** The file's RDB version and auxiliary fields. */
  public record Summary(int version, Map<String, String> aux) {}

  private static final byte[] MAGIC = "REDIS".getBytes(StandardCharsets.US_ASCII);

  private RdbFileLoader() {}

  /**
   * Reads {@code bytes}, the content of the file {@code name}, into {@code sink}.
   *
   * @param databases the number of databases: a key of a database beyond them is refused
   * @param verifyChecksum whether to compare the trailing CRC-64 (rdbchecksum); a file written
   *     without one (0) is not checked, as in Redis
   */
  public static Summary load(
      byte[] bytes, String name, int databases, boolean verifyChecksum, Sink sink) {
    RdbStrings.Reader in = new RdbStrings.Reader(bytes, 0, bytes.length);
    try {
      int version = header(in);
      return new Summary(version, body(in, bytes, version, databases, verifyChecksum, sink));
    } catch (RdbFormatException | IndexOutOfBoundsException | IllegalArgumentException e) {
      throw new RdbFormatException(
          "RDB file " + name + " is not readable at byte " + in.position() + ": " + e.getMessage());
    }
  }

  private static int header(RdbStrings.Reader in) {
    byte[] magic = in.readRaw(9);
    for (int i = 0; i < MAGIC.length; i++) {
      if (magic[i] != MAGIC[i]) {
        throw new RdbFormatException("wrong signature, expected REDIS and a version");
      }
    }
    int version = 0;
    for (int i = 5; i < 9; i++) {
      if (magic[i] < '0' || magic[i] > '9') {
        throw new RdbFormatException("wrong signature, expected REDIS and a version");
      }
      version = version * 10 + (magic[i] - '0');
    }
    if (version < 1 || version > DumpPayload.NEWEST_VERSION) {
      throw new RdbFormatException(
          "RDB version " + version + ", expected 1 to " + DumpPayload.NEWEST_VERSION);
    }
    return version;
  }

  /** Compares the 8 bytes at the reader's position with the CRC-64 of every byte before. */
  private static void checksum(RdbStrings.Reader in, byte[] bytes) {
    int end = in.position();
    long stored = in.readMillis(); // 8 bytes little-endian, as a time is
    if (stored == 0) {
      return; // written with rdbchecksum no
    }
    long computed = Crc64.update(0, bytes, 0, end);
    if (stored != computed) {
      throw new RdbFormatException(
          String.format(
              "wrong RDB checksum: the file says %016x, its content gives %016x",
              stored, computed));
    }
  }

  private static Map<String, String> body(
      RdbStrings.Reader in,
      byte[] bytes,
      int version,
      int databases,
      boolean verifyChecksum,
      Sink sink) {
    Map<String, String> aux = new LinkedHashMap<>();
    int db = 0;
    long expireAt = -1;
    while (true) {
      int type = in.readByte();
      switch (type) {
        case OPCODE_EXPIRETIME -> {
          expireAt = 1000L * (int) littleEndian(in, 4);
          continue;
        }
        case OPCODE_EXPIRETIME_MS -> {
          expireAt = in.readMillis();
          continue;
        }
        case OPCODE_FREQ -> {
          in.readByte();
          continue;
        }
        case OPCODE_IDLE -> {
          in.readLength();
          continue;
        }
        case OPCODE_EOF -> {
          if (expireAt != -1) {
            throw new RdbFormatException("an expiry not followed by a key");
          }
          if (version >= 5 && verifyChecksum) {
            checksum(in, bytes);
          } else if (version >= 5) {
            in.readRaw(8);
          }
          if (in.remaining() != 0) {
            throw new RdbFormatException(in.remaining() + " bytes after the end of the RDB data");
          }
          return aux;
        }
        case OPCODE_SELECTDB -> {
          long index = in.readLength();
          if (index < 0 || index >= databases) {
            throw new RdbFormatException(
                "database "
                    + Long.toUnsignedString(index)
                    + ", but this server has "
                    + databases
                    + " (databases)");
          }
          db = (int) index;
        }
        case OPCODE_RESIZEDB -> {
          in.readLength();
          in.readLength();
        }
        case OPCODE_SLOT_INFO -> {
          in.readLength();
          in.readLength();
          in.readLength();
        }
        case OPCODE_AUX -> {
          String key = new String(in.readString(), StandardCharsets.UTF_8);
          aux.put(key, new String(in.readString(), StandardCharsets.UTF_8));
        }
        case OPCODE_MODULE_AUX ->
            throw new RdbFormatException(
                "the file holds module data (MODULE_AUX), and Sluice has no modules");
        case OPCODE_FUNCTION_PRE_GA ->
            throw new RdbFormatException(
                "functions in the format of Redis 7.0's release candidates are not supported");
        case OPCODE_FUNCTION2 -> sink.function(in.readString());
        default -> {
          byte[] key = in.readString();
          sink.key(db, key, RdbObjects.read(in, type), expireAt);
          expireAt = -1;
        }
      }
      if (expireAt != -1) {
        throw new RdbFormatException("an expiry not followed by a key");
      }
    }
  }

  private static long littleEndian(RdbStrings.Reader in, int n) {
    long v = 0;
    for (int i = 0; i < n; i++) {
      v |= (long) in.readByte() << (8 * i);
    }
    return v;
  }
}
