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

  // ByteArrayOutputStream's writes are synchronized; a snapshot makes tens of millions of them
  // under the keyspace lock, from one thread

  @Override
  public void write(int b) {
    if (count == buf.length) {
      grow(1);
    }
    buf[count++] = (byte) b;
  }

  @Override
  public void write(byte[] b, int off, int len) {
    java.util.Objects.checkFromIndexSize(off, len, b.length);
    if (len > buf.length - count) {
      grow(len);
    }
    System.arraycopy(b, off, buf, count, len);
    count += len;
  }

  @Override
  public void writeBytes(byte[] b) {
    write(b, 0, b.length);
  }

  private void grow(int more) {
    long wanted = Math.max((long) count + more, 2L * buf.length);
    buf = java.util.Arrays.copyOf(buf, (int) Math.min(wanted, Integer.MAX_VALUE - 8));
  }
}
