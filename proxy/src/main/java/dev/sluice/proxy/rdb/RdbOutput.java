package dev.sluice.proxy.rdb;

import java.io.ByteArrayOutputStream;

/**
 * RDB bytes being written, with rdbcompression's choice: {@link RdbStrings#writeString} leaves
 * strings uncompressed in an output made with {@code compress} false, as rdbSaveRawString does with
 * rdbcompression no. A plain {@link ByteArrayOutputStream} compresses (DUMP always does).
 */
public final class RdbOutput extends ByteArrayOutputStream {
  private final boolean compress;

  public RdbOutput(boolean compress) {
    this.compress = compress;
  }

  boolean compress() {
    return compress;
  }
}
