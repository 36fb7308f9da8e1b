package dev.sluice.proxy.rdb;

import dev.sluice.proxy.keyspace.RedisValue;
import dev.sluice.proxy.resp.Doubles;
import dev.sluice.proxy.types.RedisHash;
import dev.sluice.proxy.types.RedisList;
import dev.sluice.proxy.types.RedisSet;
import dev.sluice.proxy.types.RedisZSet;
import dev.sluice.proxy.types.stream.RedisStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A value as an RDB object (rdb.c: rdbSaveObjectType, rdbSaveObject, rdbLoadObject): a type byte
 * and the value's body. Written as Redis 7.0 writes them, so that every redis-server from 7.0 on
 * reads them:
 *
 * <ul>
 *   <li>a string (0): an RDB string ({@link RdbStrings});
 *   <li>a list: LIST_QUICKLIST_2 (18): the node count, then per node its container (2, packed) and
 *       a {@link Listpack} as a string, nodes cut where quicklist's default (8 kB nodes) cuts a
 *       list built by RPUSH;
 *   <li>a set: SET_INTSET (11) with an {@link Intset} as a string, or SET (2): the count and the
 *       members (Redis 7.2's SET_LISTPACK, 20, is read but not written: 7.0 cannot read it);
 *   <li>a hash: HASH_LISTPACK (16) with the fields and values in a listpack, or HASH (4): the count
 *       and the fields and values;
 *   <li>a sorted set: ZSET_LISTPACK (17) with members and scores (as text, integers as integers)
 *       ascending in a listpack, or ZSET_2 (5): the count and, from the highest score down, the
 *       members and their scores as 8-byte little-endian doubles;
 *   <li>a stream: STREAM_LISTPACKS_2 (19), see {@link RdbStreams}.
 * </ul>
 *
 * Read back as well: the encodings of Redis 2.6 to 6.2 (LIST, ZSET with text scores, LIST_ZIPLIST,
 * ZSET_ZIPLIST, HASH_ZIPLIST, LIST_QUICKLIST with {@link Ziplist} nodes) and the streams of 5.0 and
 * 7.2. Modules and zipmap hashes are not read: {@link RdbFormatException}, as for any malformed
 * object (empty collections and duplicate members included).
 */
public final class RdbObjects {
  static final int STRING = 0;
  static final int LIST = 1;
  static final int SET = 2;
  static final int ZSET = 3;
  static final int HASH = 4;
  static final int ZSET_2 = 5;
  static final int LIST_ZIPLIST = 10;
  static final int SET_INTSET = 11;
  static final int ZSET_ZIPLIST = 12;
  static final int HASH_ZIPLIST = 13;
  static final int LIST_QUICKLIST = 14;
  static final int HASH_LISTPACK = 16;
  static final int ZSET_LISTPACK = 17;
  static final int LIST_QUICKLIST_2 = 18;
  static final int SET_LISTPACK = 20;

  private static final int CONTAINER_PLAIN = 1;
  private static final int CONTAINER_PACKED = 2;

  /** quicklist's node size limit for list-max-listpack-size -2, and its per-entry estimate. */
  private static final int NODE_BYTES = 8192;

  private static final int ENTRY_OVERHEAD = 8;

  private static final int EMPTY_LISTPACK = 7;

  private RdbObjects() {}

  /** Writes the type byte and body of a string ({@code byte[]}) or a {@link RedisValue}. */
  public static void write(ByteArrayOutputStream out, Object value) {
    write(out, value, null);
  }

  /**
   * Writes the type byte, then {@code key} as an RDB string unless null, then the body: a key and
   * its value as an RDB file holds them.
   */
  public static void write(ByteArrayOutputStream out, Object value, byte[] key) {
    if (value instanceof byte[] s) {
      type(out, STRING, key);
      RdbStrings.writeString(out, s);
    } else if (value instanceof RedisList list) {
      writeList(out, list, key);
    } else if (value instanceof RedisSet set) {
      writeSet(out, set, key);
    } else if (value instanceof RedisHash hash) {
      writeHash(out, hash, key);
    } else if (value instanceof RedisZSet zset) {
      writeZSet(out, zset, key);
    } else if (value instanceof RedisStream stream) {
      type(out, RdbStreams.STREAM_LISTPACKS_2, key);
      RdbStreams.writeBody(out, stream);
    } else {
      throw new IllegalArgumentException(
          "no RDB encoding for " + ((RedisValue) value).typeName() + " values");
    }
  }

  private static void type(ByteArrayOutputStream out, int type, byte[] key) {
    out.write(type);
    if (key != null) {
      RdbStrings.writeString(out, key);
    }
  }

  private static void writeList(ByteArrayOutputStream out, RedisList list, byte[] key) {
    List<List<byte[]>> nodes = new ArrayList<>();
    List<byte[]> node = null;
    int nodeBytes = 0;
    for (int i = 0; i < list.size(); i++) {
      byte[] e = list.get(i);
      if (node == null || nodeBytes + e.length + ENTRY_OVERHEAD > NODE_BYTES) {
        node = new ArrayList<>();
        nodes.add(node);
        nodeBytes = EMPTY_LISTPACK;
      }
      node.add(e);
      nodeBytes += Listpack.entrySize(e);
    }
    type(out, LIST_QUICKLIST_2, key);
    RdbStrings.writeLength(out, nodes.size());
    for (List<byte[]> n : nodes) {
      RdbStrings.writeLength(out, CONTAINER_PACKED);
      RdbStrings.writeString(out, Listpack.encode(n));
    }
  }

  private static void writeSet(ByteArrayOutputStream out, RedisSet set, byte[] key) {
    if (set.encoding().equals("intset")) {
      long[] members = new long[set.size()];
      int[] i = {0};
      set.forEach(m -> members[i[0]++] = Long.parseLong(new String(m, StandardCharsets.US_ASCII)));
      type(out, SET_INTSET, key);
      RdbStrings.writeString(out, Intset.encode(members));
      return;
    }
    type(out, SET, key);
    RdbStrings.writeLength(out, set.size());
    set.forEach(m -> RdbStrings.writeString(out, m));
  }

  private static void writeHash(ByteArrayOutputStream out, RedisHash hash, byte[] key) {
    if (hash.isCompact()) {
      List<byte[]> entries = new ArrayList<>(2 * hash.size());
      hash.forEach(
          (f, v) -> {
            entries.add(f);
            entries.add(v);
          });
      type(out, HASH_LISTPACK, key);
      RdbStrings.writeString(out, Listpack.encode(entries));
      return;
    }
    type(out, HASH, key);
    RdbStrings.writeLength(out, hash.size());
    hash.forEach(
        (f, v) -> {
          RdbStrings.writeString(out, f);
          RdbStrings.writeString(out, v);
        });
  }

  private static void writeZSet(ByteArrayOutputStream out, RedisZSet zset, byte[] key) {
    if (!zset.isSkiplistEncoded()) {
      List<byte[]> entries = new ArrayList<>(2 * zset.size());
      for (RedisZSet.Node n = zset.first(); n != null; n = n.next()) {
        entries.add(n.member());
        entries.add(Doubles.reply(n.score()).getBytes(StandardCharsets.US_ASCII));
      }
      type(out, ZSET_LISTPACK, key);
      RdbStrings.writeString(out, Listpack.encode(entries));
      return;
    }
    type(out, ZSET_2, key);
    RdbStrings.writeLength(out, zset.size());
    for (RedisZSet.Node n = zset.last(); n != null; n = n.prev()) {
      RdbStrings.writeString(out, n.member());
      long bits = Double.doubleToLongBits(n.score());
      for (int i = 0; i < 8; i++) {
        out.write((int) (bits >>> (8 * i)) & 0xff);
      }
    }
  }

  /**
   * Reads one object: its type byte, then its body.
   *
   * @return a {@code byte[]} for a string, else a non-empty {@link RedisValue}
   * @throws RdbFormatException when the object is malformed or of a type not read
   */
  public static Object read(RdbStrings.Reader in) {
    return read(in, in.readByte());
  }

  /**
   * Reads an object's body, its type byte {@code type} read already (an RDB file puts the key
   * between them).
   */
  public static Object read(RdbStrings.Reader in, int type) {
    return switch (type) {
      case STRING -> in.readString();
      case LIST -> list(strings(in, in.readCount()));
      case LIST_ZIPLIST -> list(Ziplist.decode(in.readString()));
      case LIST_QUICKLIST, LIST_QUICKLIST_2 -> list(quicklist(in, type == LIST_QUICKLIST_2));
      case SET -> set(strings(in, in.readCount()));
      case SET_INTSET -> set(Intset.decode(in.readString()));
      case SET_LISTPACK -> set(Listpack.decode(in.readString()));
      case HASH -> hash(strings(in, 2L * in.readCount()));
      case HASH_ZIPLIST -> hash(Ziplist.decode(in.readString()));
      case HASH_LISTPACK -> hash(Listpack.decode(in.readString()));
      case ZSET, ZSET_2 -> zsetFromRdb(in, type == ZSET_2);
      case ZSET_ZIPLIST -> zset(Ziplist.decode(in.readString()));
      case ZSET_LISTPACK -> zset(Listpack.decode(in.readString()));
      case RdbStreams.STREAM_LISTPACKS,
          RdbStreams.STREAM_LISTPACKS_2,
          RdbStreams.STREAM_LISTPACKS_3 ->
          RdbStreams.read(in, type);
      default -> throw new RdbFormatException("RDB object type " + type + " is not read");
    };
  }

  private static List<byte[]> strings(RdbStrings.Reader in, long count) {
    if (count > in.remaining()) {
      throw new RdbFormatException(count + " strings in " + in.remaining() + " bytes");
    }
    List<byte[]> out = new ArrayList<>((int) count);
    for (long i = 0; i < count; i++) {
      out.add(in.readString());
    }
    return out;
  }

  private static List<byte[]> quicklist(RdbStrings.Reader in, boolean withContainers) {
    int nodes = in.readCount();
    List<byte[]> out = new ArrayList<>();
    for (int i = 0; i < nodes; i++) {
      long container = withContainers ? in.readLength() : CONTAINER_PACKED;
      if (container == CONTAINER_PLAIN) {
        out.add(in.readString());
      } else if (container == CONTAINER_PACKED) {
        byte[] blob = in.readString();
        out.addAll(withContainers ? Listpack.decode(blob) : Ziplist.decode(blob));
      } else {
        throw new RdbFormatException("quicklist container " + container + ", expected 1 or 2");
      }
    }
    return out;
  }

  private static RedisList list(List<byte[]> elements) {
    nonEmpty(elements);
    RedisList list = new RedisList();
    list.prepareAdd(elements.size(), longest(elements));
    for (byte[] e : elements) {
      list.addLast(e);
    }
    return list;
  }

  private static RedisSet set(List<byte[]> members) {
    nonEmpty(members);
    RedisSet set = RedisSet.create(members.get(0), members.size());
    for (byte[] m : members) {
      if (!set.add(m)) {
        throw new RdbFormatException("duplicate set member");
      }
    }
    return set;
  }

  private static RedisHash hash(List<byte[]> fieldsAndValues) {
    nonEmpty(fieldsAndValues);
    if (fieldsAndValues.size() % 2 != 0) {
      throw new RdbFormatException("hash of an odd number of fields and values");
    }
    RedisHash hash = new RedisHash();
    hash.reserve(fieldsAndValues.size() / 2);
    for (int i = 0; i < fieldsAndValues.size(); i += 2) {
      if (!hash.put(fieldsAndValues.get(i), fieldsAndValues.get(i + 1))) {
        throw new RdbFormatException("duplicate hash field");
      }
    }
    return hash;
  }

  private static RedisZSet zsetFromRdb(RdbStrings.Reader in, boolean binaryScores) {
    int count = in.readCount();
    List<byte[]> members = new ArrayList<>(count);
    double[] scores = new double[count];
    for (int i = 0; i < count; i++) {
      members.add(in.readString());
      scores[i] = binaryScores ? in.readBinaryDouble() : in.readTextDouble();
    }
    return zset(members, scores);
  }

  private static RedisZSet zset(List<byte[]> membersAndScores) {
    if (membersAndScores.size() % 2 != 0) {
      throw new RdbFormatException("sorted set of an odd number of members and scores");
    }
    List<byte[]> members = new ArrayList<>(membersAndScores.size() / 2);
    double[] scores = new double[membersAndScores.size() / 2];
    for (int i = 0; i < membersAndScores.size(); i += 2) {
      members.add(membersAndScores.get(i));
      String text = new String(membersAndScores.get(i + 1), StandardCharsets.US_ASCII);
      try {
        scores[i / 2] = parseScore(text);
      } catch (NumberFormatException e) {
        throw new RdbFormatException("score \"" + text + "\" is not a double");
      }
    }
    return zset(members, scores);
  }

  private static double parseScore(String text) {
    return switch (text) {
      case "inf", "+inf" -> Double.POSITIVE_INFINITY;
      case "-inf" -> Double.NEGATIVE_INFINITY;
      default -> {
        if (text.isEmpty() || !Character.isDigit(text.charAt(text.length() - 1))) {
          throw new NumberFormatException(text);
        }
        yield Double.parseDouble(text);
      }
    };
  }

  private static RedisZSet zset(List<byte[]> members, double[] scores) {
    nonEmpty(members);
    RedisZSet zset = RedisZSet.withHint(members.size(), longest(members));
    for (int i = 0; i < members.size(); i++) {
      if (Double.isNaN(scores[i])) {
        throw new RdbFormatException("sorted set with a NaN score");
      }
      if (zset.find(members.get(i)) != null) {
        throw new RdbFormatException("duplicate sorted set member");
      }
      zset.add(members.get(i), scores[i]);
    }
    return zset;
  }

  private static void nonEmpty(List<byte[]> elements) {
    if (elements.isEmpty()) {
      throw new RdbFormatException("empty collection");
    }
  }

  private static int longest(List<byte[]> elements) {
    int longest = 0;
    for (byte[] e : elements) {
      longest = Math.max(longest, e.length);
    }
    return longest;
  }
}
