package dev.sluice.proxy.scripting;

import dev.sluice.proxy.engine.RedisError;
import dev.sluice.proxy.rdb.Crc64;
import dev.sluice.proxy.rdb.RdbFormatException;
import dev.sluice.proxy.rdb.RdbStrings;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * FUNCTION DUMP's payload, as functionDumpCommand writes it: per library the RDB opcode FUNCTION2
 * and its code as an RDB string, then the RDB version (2 bytes, little-endian) and the CRC-64 of
 * all that (8 bytes, little-endian).
 */
public final class FunctionDump {
  static final int OPCODE_FUNCTION2 = 245;
  static final int OPCODE_FUNCTION_PRE_GA = 246;

  /**
   * The RDB version written: 10, Redis 7.0's, not 7.4's 12, so that every redis-server with
   * functions (7.0 refuses a version above its own) restores Sluice's payloads; the libraries'
   * bytes are the same in both.
   */
  static final int DUMP_RDB_VERSION = 10;

  /** The newest RDB version read back (Redis 7.4's). */
  static final int MAX_RDB_VERSION = 12;

  private FunctionDump() {}

  public static byte[] dump(Collection<Functions.Library> libraries) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Functions.Library library : libraries) {
      out.write(OPCODE_FUNCTION2);
      RdbStrings.writeString(out, library.code());
    }
    out.write(DUMP_RDB_VERSION & 0xff);
    out.write((DUMP_RDB_VERSION >>> 8) & 0xff);
    byte[] body = out.toByteArray();
    long crc = Crc64.update(0, body, 0, body.length);
    for (int i = 0; i < 8; i++) {
      out.write((int) (crc >>> (8 * i)) & 0xff);
    }
    return out.toByteArray();
  }

  /** The libraries' codes in a payload, with Redis's errors for a bad one. */
  public static List<byte[]> libraries(byte[] payload) {
    if (!verified(payload)) {
      throw new RedisError("ERR DUMP payload version or checksum are wrong");
    }
    List<byte[]> codes = new ArrayList<>();
    RdbStrings.Reader in = new RdbStrings.Reader(payload, 0, payload.length - 10);
    while (payload.length - in.position() > 10) {
      int type = in.readByte();
      if (type == OPCODE_FUNCTION_PRE_GA) {
        throw new RedisError("ERR Pre-GA function format not supported");
      }
      if (type != OPCODE_FUNCTION2) {
        throw new RedisError("ERR given type is not a function");
      }
      try {
        codes.add(in.readString());
      } catch (RdbFormatException e) {
        throw new RedisError("ERR Failed loading library payload");
      }
    }
    return codes;
  }

  private static boolean verified(byte[] p) {
    if (p.length < 10) {
      return false;
    }
    int footer = p.length - 10;
    int version = (p[footer] & 0xff) | ((p[footer + 1] & 0xff) << 8);
    if (version > MAX_RDB_VERSION) {
      return false;
    }
    long crc = Crc64.update(0, p, 0, p.length - 8);
    for (int i = 0; i < 8; i++) {
      if ((byte) (crc >>> (8 * i)) != p[footer + 2 + i]) {
        return false;
      }
    }
    return true;
  }
}
