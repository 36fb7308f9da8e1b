package dev.sluice.writeback.sink;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Journal record types of write-back and their payloads. All integers are big-endian, names UTF-8.
 *
 * <table>
 *   <caption>record types</caption>
 *   <tr><th>type</th><th>record</th><th>payload</th></tr>
 *   <tr><td>1</td><td>{@link AppendRow}</td><td>see {@link AppendRowCodec}</td></tr>
 *   <tr><td>2</td><td>{@link RowUpsert}</td><td>version(1) = 1, mapping(2+n), key value count
 *       k(2), k × key value(2+n, text), column count c(2), c × (name(2+n), value(4+v; v = -1 is
 *       NULL))</td></tr>
 *   <tr><td>3</td><td>{@link RowDelete}</td><td>version(1) = 1, mapping(2+n), key value count
 *       k(2), k × key value(2+n)</td></tr>
 *   <tr><td>4</td><td>{@link KvWrite}</td><td>version(1) = 1, mapping(2+n), key(4+n, bytes),
 *       Redis type(2+n), expire-at(8, epoch ms, 0: none), value(4+n, bytes; see the proxy's
 *       KvValues)</td></tr>
 *   <tr><td>5</td><td>{@link KvDelete}</td><td>version(1) = 1, mapping(2+n), key(4+n)</td></tr>
 * </table>
 *
 * <p>{@code (2+n)} is a 2-byte length then that many bytes; {@code (4+n)} the same with a 4-byte
 * length. Values are kept byte for byte as the client sent them.
 */
public final class WriteRecordCodec {
  public static final byte APPEND_ROW = AppendRowCodec.TYPE;
  public static final byte ROW_UPSERT = 2;
  public static final byte ROW_DELETE = 3;
  public static final byte KV_WRITE = 4;
  public static final byte KV_DELETE = 5;

  private static final byte VERSION = 1;

  private WriteRecordCodec() {}

  /** The journal record type of {@code record}. */
  public static byte type(WriteRecord record) {
    if (record instanceof AppendRow) {
      return APPEND_ROW;
    } else if (record instanceof RowUpsert) {
      return ROW_UPSERT;
    } else if (record instanceof RowDelete) {
      return ROW_DELETE;
    } else if (record instanceof KvWrite) {
      return KV_WRITE;
    }
    return KV_DELETE;
  }

  /** Whether {@code type} is a record type of write-back. */
  public static boolean known(byte type) {
    return type >= APPEND_ROW && type <= KV_DELETE;
  }

  public static byte[] encode(WriteRecord record) {
    if (record instanceof AppendRow row) {
      return AppendRowCodec.encode(row);
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
    DataOutputStream out = new DataOutputStream(bytes);
    try {
      out.writeByte(VERSION);
      shortString(out, record.mapping());
      if (record instanceof RowUpsert u) {
        keyValues(out, u.keyValues());
        count(out, u.columns().size());
        for (int i = 0; i < u.columns().size(); i++) {
          shortString(out, u.columns().get(i));
          bytes(out, u.values().get(i));
        }
      } else if (record instanceof RowDelete d) {
        keyValues(out, d.keyValues());
      } else if (record instanceof KvWrite w) {
        bytes(out, w.key());
        shortString(out, w.type());
        out.writeLong(w.expireAtMillis());
        bytes(out, w.value());
      } else {
        bytes(out, ((KvDelete) record).key());
      }
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /**
   * Decodes a payload of record type {@code type}.
   *
   * @throws IllegalArgumentException for an unknown type or a malformed payload
   */
  public static WriteRecord decode(byte type, byte[] payload) {
    if (type == APPEND_ROW) {
      return AppendRowCodec.decode(payload);
    }
    if (!known(type)) {
      throw new IllegalArgumentException("unknown write-back record type " + type);
    }
    try {
      ByteBuffer in = ByteBuffer.wrap(payload);
      byte version = in.get();
      if (version != VERSION) {
        throw new IllegalArgumentException(
            "unknown version " + version + " of record type " + type);
      }
      String mapping = shortString(in);
      WriteRecord record =
          switch (type) {
            case ROW_UPSERT -> {
              List<String> keys = keyValues(in);
              int count = Short.toUnsignedInt(in.getShort());
              List<String> columns = new ArrayList<>(count);
              List<byte[]> values = new ArrayList<>(count);
              for (int i = 0; i < count; i++) {
                columns.add(shortString(in));
                values.add(bytes(in));
              }
              yield new RowUpsert(mapping, keys, columns, values);
            }
            case ROW_DELETE -> new RowDelete(mapping, keyValues(in));
            case KV_WRITE -> {
              byte[] key = bytes(in);
              String redisType = shortString(in);
              long expireAt = in.getLong();
              yield new KvWrite(mapping, key, redisType, bytes(in), expireAt);
            }
            default -> new KvDelete(mapping, bytes(in));
          };
      if (in.hasRemaining()) {
        throw new IllegalArgumentException(
            in.remaining() + " bytes after the end of a record of type " + type);
      }
      return record;
    } catch (BufferUnderflowException e) {
      throw new IllegalArgumentException("payload of record type " + type + " cut short", e);
    }
  }

  private static void count(DataOutputStream out, int n) throws IOException {
    if (n > 0xFFFF) {
      throw new IllegalArgumentException("more than 65535 entries: " + n);
    }
    out.writeShort(n);
  }

  private static void keyValues(DataOutputStream out, List<String> values) throws IOException {
    count(out, values.size());
    for (String v : values) {
      shortString(out, v);
    }
  }

  private static List<String> keyValues(ByteBuffer in) {
    int count = Short.toUnsignedInt(in.getShort());
    List<String> values = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      values.add(shortString(in));
    }
    return values;
  }

  private static void shortString(DataOutputStream out, String s) throws IOException {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    count(out, b.length);
    out.write(b);
  }

  private static String shortString(ByteBuffer in) {
    return AppendRowCodec.getShortString(in);
  }

  private static void bytes(DataOutputStream out, byte[] value) throws IOException {
    if (value == null) {
      out.writeInt(-1);
    } else {
      out.writeInt(value.length);
      out.write(value);
    }
  }

  private static byte[] bytes(ByteBuffer in) {
    int length = in.getInt();
    if (length < -1 || length > in.remaining()) {
      throw new IllegalArgumentException("bad value length " + length);
    }
    if (length == -1) {
      return null;
    }
    byte[] value = new byte[length];
    in.get(value);
    return value;
  }
}
