package dev.sluice.proxy.rdb;

import java.io.ByteArrayOutputStream;

/**
 * DUMP's payload (cluster.c: createDumpPayload, verifyDumpPayload): an RDB object ({@link
 * RdbObjects}), the RDB version in 2 bytes little-endian and the CRC-64 of all that in 8 bytes
 * little-endian.
 */
public final class DumpPayload {
  /**
   * The RDB version written: 10, Redis 7.0's, not 7.4's 12, since redis-server 7.0 refuses a
   * payload of a version above its own and the objects written are the same in both.
   */
  public static final int WRITTEN_VERSION = 10;

  /** The newest RDB version read (Redis 7.4's). */
  public static final int NEWEST_VERSION = 12;

  /** The footer: the version and the CRC-64. */
  public static final int FOOTER = 10;

  private DumpPayload() {}

  /** The payload of a string ({@code byte[]}) or collection value. */
  public static byte[] create(Object value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    RdbObjects.write(out, value);
    return withFooter(out);
  }

  /**
   * What {@code out} holds followed by the footer: the RDB version written and the CRC-64 of it
   * all. FUNCTION DUMP's payload ends the same way.
   */
  public static byte[] withFooter(ByteArrayOutputStream out) {
    out.write(WRITTEN_VERSION & 0xff);
    out.write((WRITTEN_VERSION >>> 8) & 0xff);
    byte[] body = out.toByteArray();
    long crc = Crc64.update(0, body, 0, body.length);
    for (int i = 0; i < 8; i++) {
      out.write((int) (crc >>> (8 * i)) & 0xff);
    }
    return out.toByteArray();
  }

  /** Whether the footer holds a version read here and the right checksum. */
  public static boolean verified(byte[] payload) {
    if (payload.length < FOOTER) {
      return false;
    }
    int footer = payload.length - FOOTER;
    int version = (payload[footer] & 0xff) | ((payload[footer + 1] & 0xff) << 8);
    if (version > NEWEST_VERSION) {
      return false;
    }
    long crc = Crc64.update(0, payload, 0, payload.length - 8);
    for (int i = 0; i < 8; i++) {
      if ((byte) (crc >>> (8 * i)) != payload[footer + 2 + i]) {
        return false;
      }
    }
    return true;
  }

  /**
   * The value of a verified payload.
   *
   * @throws RdbFormatException when the object is malformed. As in Redis, which reads the object
   *     from the whole payload, an object may run into the footer, and bytes after it are ignored.
   */
  public static Object value(byte[] payload) {
    return RdbObjects.read(new RdbStrings.Reader(payload, 0, payload.length));
  }
}
