package dev.sluice.proxy.durable;

import dev.sluice.proxy.types.RedisHash;
import dev.sluice.proxy.types.RedisList;
import dev.sluice.proxy.types.RedisSet;
import dev.sluice.proxy.types.RedisZSet;
import dev.sluice.proxy.types.stream.RedisStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;

/**
 * The serialised form of a key of a {@code store: kv} mapping, as kept in {@code sluice.kv.value}
 * with its Redis type in {@code sluice.kv.type}. Integers are big-endian.
 *
 * <pre>
 * string   the bytes themselves (HyperLogLogs and bitmaps are strings, as in Redis)
 * hash     count(4), then count × (field length(4), field, value length(4), value)
 * list     count(4), then count × (length(4), element), head first
 * set      count(4), then count × (length(4), member)
 * zset     count(4), then count × (length(4), member, score(8, IEEE 754 double)), by score
 * stream   nodes(4), then nodes × (entries(4), then entries × (flags(1: 1 = deleted), ID,
 *            pairs(4), pairs × (field length(4), field, value length(4), value))),
 *          last-generated ID, recorded-first-entry ID, max-deleted-entry ID, entries-added(8),
 *          groups(4), then groups × (name length(4), name, last-delivered ID, entries-read(8,
 *            -1 unknown), consumers(4), consumers × (name length(4), name, seen-time(8, ms),
 *            active-time(8, ms, -1 never)), pending(4), pending × (ID, consumer name length(4),
 *            consumer name, delivery time(8, ms), delivery count(8)))
 *          where an ID is ms(8), seq(8), both unsigned
 * </pre>
 *
 * <p>A stream keeps its node boundaries and tombstones (deleted entries still in their node), so
 * that XINFO STREAM's radix-tree figures, approximate trimming and consumer-group lag are the same
 * after a reload.
 */
public final class KvValues {
  /** A value's Redis type and serialised bytes. */
  public record Serialized(String type, byte[] bytes) {}

  private KvValues() {}

  /** Serialises a keyspace value; null for a type Sluice cannot keep (none so far). */
  public static Serialized encode(Object value) {
    if (value instanceof byte[] bytes) {
      return new Serialized("string", bytes.clone());
    }
    ByteArrayOutputStream buffer = new ByteArrayOutputStream(64);
    DataOutputStream out = new DataOutputStream(buffer);
    String type;
    try {
      if (value instanceof RedisHash hash) {
        type = "hash";
        out.writeInt(hash.size());
        IOException[] failed = {null};
        hash.forEach(
            (field, v) -> {
              try {
                bytes(out, field);
                bytes(out, v);
              } catch (IOException e) {
                failed[0] = e;
              }
            });
        if (failed[0] != null) {
          throw failed[0];
        }
      } else if (value instanceof RedisList list) {
        type = "list";
        out.writeInt(list.size());
        for (int i = 0; i < list.size(); i++) {
          bytes(out, list.get(i));
        }
      } else if (value instanceof RedisSet set) {
        type = "set";
        byte[][] members = set.toArray();
        out.writeInt(members.length);
        for (byte[] member : members) {
          bytes(out, member);
        }
      } else if (value instanceof RedisStream stream) {
        type = "stream";
        KvStreams.encode(out, stream);
      } else if (value instanceof RedisZSet zset) {
        type = "zset";
        out.writeInt(zset.size());
        for (RedisZSet.Node n = zset.first(); n != null; n = n.next()) {
          bytes(out, n.member());
          out.writeDouble(n.score());
        }
      } else {
        return null;
      }
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Serialized(type, buffer.toByteArray());
  }

  /**
   * Builds a fresh keyspace value from its serialised form.
   *
   * @throws IllegalArgumentException for an unknown type or malformed bytes
   */
  public static Object decode(String type, byte[] bytes) {
    if (type.equals("string")) {
      return bytes.clone();
    }
    try {
      ByteBuffer in = ByteBuffer.wrap(bytes);
      int count = in.getInt();
      if (count < 0 || count > in.remaining() / (type.equals("stream") ? 21 : 4)) {
        throw new IllegalArgumentException("bad element count " + count);
      }
      Object value =
          switch (type) {
            case "hash" -> {
              RedisHash hash = new RedisHash();
              hash.reserve(count);
              for (int i = 0; i < count; i++) {
                hash.put(bytes(in), bytes(in));
              }
              yield hash;
            }
            case "list" -> {
              RedisList list = new RedisList();
              for (int i = 0; i < count; i++) {
                list.addLast(bytes(in));
              }
              yield list;
            }
            case "set" -> {
              RedisSet set = new RedisSet();
              for (int i = 0; i < count; i++) {
                set.add(bytes(in));
              }
              yield set;
            }
            case "stream" -> KvStreams.decode(in, count);
            case "zset" -> {
              RedisZSet zset = RedisZSet.withHint(count, 16);
              for (int i = 0; i < count; i++) {
                zset.add(bytes(in), in.getDouble());
              }
              yield zset;
            }
            default -> throw new IllegalArgumentException("unknown kv type '" + type + "'");
          };
      if (in.hasRemaining()) {
        throw new IllegalArgumentException(in.remaining() + " bytes after the last element");
      }
      return value;
    } catch (BufferUnderflowException e) {
      throw new IllegalArgumentException("kv value of type " + type + " cut short", e);
    }
  }

  static void bytes(DataOutputStream out, byte[] b) throws IOException {
    out.writeInt(b.length);
    out.write(b);
  }

  static byte[] bytes(ByteBuffer in) {
    int length = in.getInt();
    if (length < 0 || length > in.remaining()) {
      throw new IllegalArgumentException("bad length " + length);
    }
    byte[] b = new byte[length];
    in.get(b);
    return b;
  }
}
