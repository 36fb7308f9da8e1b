package dev.sluice.proxy.types;

import dev.sluice.proxy.keyspace.MemoryEstimate;
import dev.sluice.proxy.keyspace.RedisValue;
import dev.sluice.proxy.types.ByteTable.Node;
import dev.sluice.proxy.types.ByteTable.ValueNode;
import java.util.Arrays;
import java.util.function.BiConsumer;
import java.util.random.RandomGenerator;

/**
 * A Redis hash: binary-safe fields mapped to binary-safe values.
 *
 * <p>Small hashes are "listpack" as in Redis: one array of alternating fields and values in
 * insertion order, searched linearly, sized to the entry count rounded up to four so that it is
 * reallocated only every fourth insertion. A hash converts to "hashtable" (a {@link ByteTable})
 * once it has more than {@value #MAX_LISTPACK_ENTRIES} fields or a field or value longer than
 * {@value #MAX_LISTPACK_VALUE} bytes, and never converts back, as Redis.
 *
 * <p>The heap estimate is kept up to date with every change in O(1). Not thread-safe: callers hold
 * the keyspace lock.
 */
public final class RedisHash implements RedisValue {
  public static final int MAX_LISTPACK_ENTRIES = 128;
  public static final int MAX_LISTPACK_VALUE = 64;

  /** Header, size, data-byte count and two references, aligned. */
  static final int OBJECT_BYTES = 32;

  private static final byte[][] NO_PAIRS = new byte[0][];

  /** Listpack encoding: field0, value0, field1, value1 …; null in the hashtable encoding. */
  private byte[][] pairs;

  private ByteTable table;
  private int size;

  /** Bytes of the field and value arrays, plus the table nodes in the hashtable encoding. */
  private long dataBytes;

  public RedisHash() {
    pairs = NO_PAIRS;
  }

  @Override
  public String typeName() {
    return "hash";
  }

  @Override
  public String encoding() {
    return pairs != null ? "listpack" : "hashtable";
  }

  /** Whether the hash is in the small encoding, which HSCAN returns whole in one call. */
  public boolean isCompact() {
    return pairs != null;
  }

  @Override
  public long estimatedBytes() {
    long container =
        pairs != null ? MemoryEstimate.byteArray(4 * pairs.length) : table.overheadBytes();
    return OBJECT_BYTES + container + dataBytes;
  }

  @Override
  public boolean isEmpty() {
    return size == 0;
  }

  public int size() {
    return size;
  }

  public byte[] get(byte[] field) {
    if (pairs != null) {
      int i = indexOf(field);
      return i < 0 ? null : pairs[i + 1];
    }
    Node node = table.find(field);
    return node == null ? null : ((ValueNode) node).value;
  }

  public boolean containsKey(byte[] field) {
    return pairs != null ? indexOf(field) >= 0 : table.find(field) != null;
  }

  /**
   * Prepares for a command that sets {@code fields} fields: more than a listpack may hold converts
   * the hash at once, duplicates or not, as Redis's hashTypeTryConversion.
   */
  public void reserve(int fields) {
    if (pairs != null && fields > MAX_LISTPACK_ENTRIES) {
      toHashtable(Math.max(fields, size + 1));
    }
  }

  /** Sets a field's value; returns whether the field is new. The arrays are kept, not copied. */
  public boolean put(byte[] field, byte[] value) {
    if (pairs != null) {
      if (field.length > MAX_LISTPACK_VALUE || value.length > MAX_LISTPACK_VALUE) {
        toHashtable(size + 1);
      } else {
        int i = indexOf(field);
        if (i >= 0) {
          dataBytes += MemoryEstimate.byteArray(value.length) - bytes(pairs[i + 1]);
          pairs[i + 1] = value;
          return false;
        }
        if (size < MAX_LISTPACK_ENTRIES) {
          int slot = 2 * size;
          if (slot + 2 > pairs.length) {
            pairs = Arrays.copyOf(pairs, 2 * slotsFor(size + 1));
          }
          pairs[slot] = field;
          pairs[slot + 1] = value;
          size++;
          dataBytes += bytes(field) + bytes(value);
          return true;
        }
        toHashtable(size + 1);
      }
    }
    int hash = ByteTable.hash(field);
    ValueNode node = (ValueNode) table.find(field, hash);
    if (node != null) {
      dataBytes += MemoryEstimate.byteArray(value.length) - bytes(node.value);
      node.value = value;
      return false;
    }
    table.insert(new ValueNode(field, hash, value));
    size++;
    dataBytes += ValueNode.BYTES + bytes(field) + bytes(value);
    return true;
  }

  /** Removes a field; returns whether it was there. */
  public boolean remove(byte[] field) {
    if (pairs != null) {
      int i = indexOf(field);
      if (i < 0) {
        return false;
      }
      dataBytes -= bytes(pairs[i]) + bytes(pairs[i + 1]);
      int end = 2 * size;
      System.arraycopy(pairs, i + 2, pairs, i, end - i - 2);
      pairs[end - 2] = null;
      pairs[end - 1] = null;
      size--;
      int slots = slotsFor(size);
      if (pairs.length > 2 * slots) {
        pairs = Arrays.copyOf(pairs, 2 * slots);
      }
      return true;
    }
    Node node = table.remove(field);
    if (node == null) {
      return false;
    }
    size--;
    dataBytes -= ValueNode.BYTES + bytes(node.key) + bytes(((ValueNode) node).value);
    return true;
  }

  /** Visits every field and value: insertion order for a listpack, bucket order otherwise. */
  public void forEach(BiConsumer<byte[], byte[]> visitor) {
    if (pairs != null) {
      for (int i = 0; i < 2 * size; i += 2) {
        visitor.accept(pairs[i], pairs[i + 1]);
      }
      return;
    }
    for (Node head : table.buckets()) {
      for (Node n = head; n != null; n = n.next) {
        visitor.accept(n.key, ((ValueNode) n).value);
      }
    }
  }

  /**
   * One step of HSCAN over the hashtable encoding: visits one bucket, returns the next cursor (0
   * when done). A listpack is visited whole and 0 returned, as Redis ignores the cursor there. The
   * visitor must not modify the hash.
   */
  public long scan(long cursor, BiConsumer<byte[], byte[]> visitor) {
    if (pairs != null) {
      forEach(visitor);
      return 0;
    }
    return table.scan(cursor, n -> visitor.accept(n.key, ((ValueNode) n).value));
  }

  /**
   * A random field and its value, stored in {@code out[0]} and {@code out[1]}; the hash must not be
   * empty.
   */
  public void randomEntry(RandomGenerator random, byte[][] out) {
    if (pairs != null) {
      int i = 2 * random.nextInt(size);
      out[0] = pairs[i];
      out[1] = pairs[i + 1];
      return;
    }
    Node node = table.random(random);
    out[0] = node.key;
    out[1] = ((ValueNode) node).value;
  }

  @Override
  public RedisHash copy() {
    RedisHash copy = new RedisHash();
    if (pairs != null) {
      copy.pairs = new byte[pairs.length][];
      for (int i = 0; i < 2 * size; i++) {
        copy.pairs[i] = pairs[i].clone();
      }
    } else {
      copy.pairs = null;
      copy.table = table.deepCopy();
    }
    copy.size = size;
    copy.dataBytes = dataBytes;
    return copy;
  }

  /** The estimate recomputed from scratch by walking the hash, for tests of the bookkeeping. */
  long recountBytes() {
    long total = OBJECT_BYTES;
    if (pairs != null) {
      total += MemoryEstimate.byteArray(4 * pairs.length);
      for (int i = 0; i < 2 * size; i++) {
        total += bytes(pairs[i]);
      }
      return total;
    }
    total += table.overheadBytes();
    for (Node head : table.buckets()) {
      for (Node n = head; n != null; n = n.next) {
        total += ValueNode.BYTES + bytes(n.key) + bytes(((ValueNode) n).value);
      }
    }
    return total;
  }

  /** Capacity in entries of the listpack array for {@code entries} entries. */
  static int slotsFor(int entries) {
    return (entries + 3) & ~3;
  }

  private int indexOf(byte[] field) {
    byte[][] p = pairs;
    for (int i = 0, end = 2 * size; i < end; i += 2) {
      if (Arrays.equals(p[i], field)) {
        return i;
      }
    }
    return -1;
  }

  private void toHashtable(int expected) {
    ByteTable converted = new ByteTable(expected);
    for (int i = 0; i < 2 * size; i += 2) {
      byte[] field = pairs[i];
      converted.insert(new ValueNode(field, ByteTable.hash(field), pairs[i + 1]));
    }
    dataBytes += (long) size * ValueNode.BYTES;
    pairs = null;
    table = converted;
  }

  private static long bytes(byte[] array) {
    return MemoryEstimate.byteArray(array.length);
  }
}
