package dev.sluice.writeback.sink;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The journal payload of an {@link AppendRow} (record type {@link #TYPE}). All integers are
 * big-endian; strings are UTF-8.
 *
 * <pre>
 * version     1  1
 * mapping     2  length n, then n bytes of the mapping's name
 * columns     2  column count c (0..65535)
 * c times:
 *   name      2  length n, then n bytes of the column's name
 *   value     4  length v, then v bytes of the value as PostgreSQL text input; v = -1 is NULL
 * </pre>
 *
 * <p>Values are kept as the client sent them, byte for byte: the encoding is binary-safe.
 */
public final class AppendRowCodec {
  /** Journal record type of an append row. */
  public static final byte TYPE = 1;

  private static final byte VERSION = 1;

  private AppendRowCodec() {}

  /**
   * The UTF-8 names of the last row encoded. Rows of one mapping usually share one column list (the
   * same {@code List} object), so at full speed their names are encoded once, not per row.
   */
  private record Names(String mapping, List<String> columns, byte[] mappingBytes, byte[][] names) {}

  private static volatile Names lastNames = new Names("", List.of(), new byte[0], new byte[0][]);

  private static Names names(AppendRow row) {
    Names last = lastNames;
    if (last.mapping() == row.mapping() && last.columns() == row.columns()) {
      return last;
    }
    if (row.columns().size() > 0xFFFF) {
      throw new IllegalArgumentException("too many columns: " + row.columns().size());
    }
    byte[][] names = new byte[row.columns().size()][];
    for (int i = 0; i < names.length; i++) {
      names[i] = utf8(row.columns().get(i));
    }
    Names encoded = new Names(row.mapping(), row.columns(), utf8(row.mapping()), names);
    lastNames = encoded;
    return encoded;
  }

  public static byte[] encode(AppendRow row) {
    Names encoded = names(row);
    byte[][] names = encoded.names();
    List<byte[]> values = row.values();
    int size = 1 + 2 + encoded.mappingBytes().length + 2;
    for (int i = 0; i < names.length; i++) {
      byte[] value = values.get(i);
      size += 2 + names[i].length + 4 + (value == null ? 0 : value.length);
    }
    // plain array writes: a ByteBuffer's checks per put cost more than the copying at full speed
    byte[] out = new byte[size];
    out[0] = VERSION;
    int at = putShortString(out, 1, encoded.mappingBytes());
    at = putShort(out, at, names.length);
    for (int i = 0; i < names.length; i++) {
      at = putShortString(out, at, names[i]);
      byte[] value = values.get(i);
      if (value == null) {
        at = putInt(out, at, -1);
      } else {
        at = putInt(out, at, value.length);
        System.arraycopy(value, 0, out, at, value.length);
        at += value.length;
      }
    }
    return out;
  }

  private static int putShort(byte[] out, int at, int v) {
    out[at] = (byte) (v >>> 8);
    out[at + 1] = (byte) v;
    return at + 2;
  }

  private static int putInt(byte[] out, int at, int v) {
    out[at] = (byte) (v >>> 24);
    out[at + 1] = (byte) (v >>> 16);
    out[at + 2] = (byte) (v >>> 8);
    out[at + 3] = (byte) v;
    return at + 4;
  }

  private static int putShortString(byte[] out, int at, byte[] s) {
    at = putShort(out, at, s.length);
    System.arraycopy(s, 0, out, at, s.length);
    return at + s.length;
  }

  /**
   * Decodes a payload written by {@link #encode}.
   *
   * @throws IllegalArgumentException when the payload is not a well-formed append row
   */
  public static AppendRow decode(byte[] payload) {
    try {
      ByteBuffer in = ByteBuffer.wrap(payload);
      byte version = in.get();
      if (version != VERSION) {
        throw new IllegalArgumentException("unknown append row version " + version);
      }
      String mapping = getShortString(in);
      int count = Short.toUnsignedInt(in.getShort());
      List<String> columns = new ArrayList<>(count);
      byte[][] values = new byte[count][];
      for (int i = 0; i < count; i++) {
        columns.add(getShortString(in));
        int length = in.getInt();
        if (length < -1 || length > in.remaining()) {
          throw new IllegalArgumentException("bad value length " + length);
        }
        if (length >= 0) {
          values[i] = new byte[length];
          in.get(values[i]);
        }
      }
      if (in.hasRemaining()) {
        throw new IllegalArgumentException(in.remaining() + " bytes after the last column");
      }
      return AppendRow.owning(mapping, columns, values);
    } catch (java.nio.BufferUnderflowException e) {
      throw new IllegalArgumentException("append row payload cut short", e);
    }
  }

  private static byte[] utf8(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    if (b.length > 0xFFFF) {
      throw new IllegalArgumentException("name longer than 65535 bytes");
    }
    return b;
  }

  /** A 2-byte length and that many bytes of UTF-8 (also read by {@link WriteRecordCodec}). */
  static String getShortString(ByteBuffer in) {
    int length = Short.toUnsignedInt(in.getShort());
    if (length > in.remaining()) {
      throw new IllegalArgumentException("bad name length " + length);
    }
    byte[] b = new byte[length];
    in.get(b);
    return new String(b, StandardCharsets.UTF_8);
  }
}
