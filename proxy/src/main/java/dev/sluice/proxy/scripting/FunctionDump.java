package dev.sluice.proxy.scripting;

import dev.sluice.proxy.engine.RedisError;
import dev.sluice.proxy.rdb.DumpPayload;
import dev.sluice.proxy.rdb.RdbFormatException;
import dev.sluice.proxy.rdb.RdbStrings;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * FUNCTION DUMP's payload, as functionDumpCommand writes it: per library the RDB opcode FUNCTION2
 * and its code as an RDB string, then the footer of every DUMP payload ({@link DumpPayload}: the
 * RDB version and the CRC-64).
 */
public final class FunctionDump {
  static final int OPCODE_FUNCTION2 = 245;
  static final int OPCODE_FUNCTION_PRE_GA = 246;

  private FunctionDump() {}

  public static byte[] dump(Collection<Functions.Library> libraries) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Functions.Library library : libraries) {
      out.write(OPCODE_FUNCTION2);
      RdbStrings.writeString(out, library.code());
    }
    return DumpPayload.withFooter(out);
  }

  /** The libraries' codes in a payload, with Redis's errors for a bad one. */
  public static List<byte[]> libraries(byte[] payload) {
    if (!DumpPayload.verified(payload)) {
      throw new RedisError("ERR DUMP payload version or checksum are wrong");
    }
    List<byte[]> codes = new ArrayList<>();
    RdbStrings.Reader in = new RdbStrings.Reader(payload, 0, payload.length - DumpPayload.FOOTER);
    while (payload.length - in.position() > DumpPayload.FOOTER) {
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
}
