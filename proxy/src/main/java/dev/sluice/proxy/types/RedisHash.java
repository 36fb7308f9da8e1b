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
 * <p>Small hashes are "listpack" as in Redis: one byte array holding fields and values in insertion
 * order, each as a length byte and its bytes, searched linearly and rebuilt on every change (at
 * most 128 entries of 64 bytes). A hash of 10 short fields then costs one array of about 80 bytes
 * instead of 20 arrays and an array of references (about 600 bytes); the price is a copy of the
 * value for every read and of the array for every write, as Redis's listpack. A hash converts to
 * "hashtable" (a {@link ByteTable}) once it has more than {@value #MAX_LISTPACK_ENTRIES} fields or
 * a field or value longer than {@value #MAX_LISTPACK_VALUE} bytes, and never converts back, as
 * Redis.
 *
 * <p>The heap estimate is kept up to date with every change in O(1). Not thread-safe: callers hold
 * the keyspace lock.
 */
public final class RedisHash implements RedisValue {
  public static final int MAX_LISTPACK_ENTRIES = 128;
  public static final int MAX_LISTPACK_VALUE = 64;

  /**
   * Header, a reference and the size: 24 bytes, with 8-byte references as with compressed oops. The
   * hashtable encoding's data-byte count is in its {@link ByteTable}, so that the small encoding,
   * the one of almost every hash, does not carry it.
   */
  static final int OBJECT_BYTES =
      (int) MemoryEstimate.align(12L + MemoryEstimate.REFERENCE_BYTES + 4);

  private static final byte[] EMPTY = new byte[0];

  /**
   * Listpack encoding, a byte[]: length of field 0, its bytes, length of value 0, its bytes, field
   * 1 …; lengths fit one byte since none exceeds MAX_LISTPACK_VALUE. Hashtable encoding: the {@link
   * ByteTable}, whose dataBytes are the bytes of the field and value arrays and of the nodes.
   */
  private Object body = EMPTY;

  private int size;

  public RedisHash() {}

  /** The listpack, or null in the hashtable encoding. */
  private byte[] packed() {
    return body instanceof byte[] packed ? packed : null;
  }

  private ByteTable table() {
    return (ByteTable) body;
  }

  @Override
  public String typeName() {
    return "hash";
  }

  @Override
  public String encoding() {
    return body instanceof byte[] ? "listpack" : "hashtable";
  }

  /** Whether the hash is in the small encoding, which HSCAN returns whole in one call. */
  public boolean isCompact() {
    return body instanceof byte[];
  }

  @Override
  public long estimatedBytes() {
    byte[] packed = packed();
    if (packed != null) {
      return OBJECT_BYTES + MemoryEstimate.byteArray(packed.length);
    }
    return OBJECT_BYTES + table().overheadBytes() + table().dataBytes;
  }

  @Override
  public boolean isEmpty() {
    return size == 0;
  }

  public int size() {
    return size;
  }

  public byte[] get(byte[] field) {
    byte[] packed = packed();
    if (packed != null) {
      int at = indexOf(field);
      if (at < 0) {
        return null;
      }
      int valueAt = next(at);
      return Arrays.copyOfRange(packed, valueAt + 1, next(valueAt));
    }
    Node node = table().find(field);
    return node == null ? null : ((ValueNode) node).value;
  }

  public boolean containsKey(byte[] field) {
    return isCompact() ? indexOf(field) >= 0 : table().find(field) != null;
  }

  /**
   * Prepares for a command that sets {@code fields} fields: more than a listpack may hold converts
   * the hash at once, duplicates or not, as Redis's hashTypeTryConversion.
   */
  public void reserve(int fields) {
    if (isCompact() && fields > MAX_LISTPACK_ENTRIES) {
      toHashtable(Math.max(fields, size + 1));
    }
  }

  /**
   * Sets a field's value; returns whether the field is new. The hashtable encoding keeps the
   * arrays; the listpack copies their bytes.
   */
  public boolean put(byte[] field, byte[] value) {
    if (isCompact()) {
      if (field.length > MAX_LISTPACK_VALUE || value.length > MAX_LISTPACK_VALUE) {
        toHashtable(size + 1);
      } else {
        int at = indexOf(field);
        if (at >= 0) {
          int valueAt = next(at);
          splice(valueAt, next(valueAt), null, value);
          return false;
        }
        if (size < MAX_LISTPACK_ENTRIES) {
          int end = packed().length;
          splice(end, end, field, value);
          size++;
          return true;
        }
        toHashtable(size + 1);
      }
    }
    ByteTable table = table();
    int hash = ByteTable.hash(field);
    ValueNode node = (ValueNode) table.find(field, hash);
    if (node != null) {
      table.dataBytes += MemoryEstimate.byteArray(value.length) - bytes(node.value);
      node.value = value;
      return false;
    }
    table.insert(new ValueNode(field, hash, value));
    size++;
    table.dataBytes += ValueNode.BYTES + bytes(field) + bytes(value);
    return true;
  }

  /** Removes a field; returns whether it was there. */
  public boolean remove(byte[] field) {
    if (isCompact()) {
      int at = indexOf(field);
      if (at < 0) {
        return false;
      }
      splice(at, next(next(at)), null, null);
      size--;
      return true;
    }
    Node node = table().remove(field);
    if (node == null) {
      return false;
    }
    size--;
    table().dataBytes -= ValueNode.BYTES + bytes(node.key) + bytes(((ValueNode) node).value);
    return true;
  }

  /**
   * Visits every field and value: insertion order for a listpack (the visitor gets copies), bucket
   * order otherwise.
   */
  public void forEach(BiConsumer<byte[], byte[]> visitor) {
    byte[] p = packed(); // the visitor may not change the hash, but stays safe if it does
    if (p != null) {
      for (int at = 0; at < p.length; ) {
        int valueAt = next(p, at);
        int end = next(p, valueAt);
        visitor.accept(
            Arrays.copyOfRange(p, at + 1, valueAt), Arrays.copyOfRange(p, valueAt + 1, end));
        at = end;
      }
      return;
    }
    for (Node head : table().buckets()) {
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
    if (isCompact()) {
      forEach(visitor);
      return 0;
    }
    return table().scan(cursor, n -> visitor.accept(n.key, ((ValueNode) n).value));
  }

  /**
   * A random field and its value, stored in {@code out[0]} and {@code out[1]}; the hash must not be
   * empty.
   */
  public void randomEntry(RandomGenerator random, byte[][] out) {
    byte[] packed = packed();
    if (packed != null) {
      int at = 0;
      for (int skip = random.nextInt(size); skip > 0; skip--) {
        at = next(next(at));
      }
      int valueAt = next(at);
      out[0] = Arrays.copyOfRange(packed, at + 1, valueAt);
      out[1] = Arrays.copyOfRange(packed, valueAt + 1, next(valueAt));
      return;
    }
    Node node = table().random(random);
    out[0] = node.key;
    out[1] = ((ValueNode) node).value;
  }

  @Override
  public RedisHash copy() {
    RedisHash copy = new RedisHash();
    byte[] packed = packed();
    copy.body = packed != null ? packed.clone() : table().deepCopy();
    copy.size = size;
    return copy;
  }

  /** The estimate recomputed from scratch by walking the hash, for tests of the bookkeeping. */
  long recountBytes() {
    long total = OBJECT_BYTES;
    byte[] packed = packed();
    if (packed != null) {
      int entries = 0;
      for (int at = 0; at < packed.length; at = next(next(at))) {
        entries++;
      }
      if (entries != size) {
        throw new IllegalStateException(
            "listpack holds " + entries + " entries, size says " + size);
      }
      return total + MemoryEstimate.byteArray(packed.length);
    }
    total += table().overheadBytes();
    for (Node head : table().buckets()) {
      for (Node n = head; n != null; n = n.next) {
        total += ValueNode.BYTES + bytes(n.key) + bytes(((ValueNode) n).value);
      }
    }
    return total;
  }

  /** Offset of the listpack element after the one at {@code at} (a field or a value). */
  private int next(int at) {
    return next(packed(), at);
  }

  private static int next(byte[] p, int at) {
    return at + 1 + (p[at] & 0xff);
  }

  /** Offset of the field's element in the listpack, or -1. */
  private int indexOf(byte[] field) {
    byte[] p = packed();
    for (int at = 0; at < p.length; at = next(p, next(p, at))) {
      int length = p[at] & 0xff;
      if (length == field.length
          && Arrays.equals(p, at + 1, at + 1 + length, field, 0, field.length)) {
        return at;
      }
    }
    return -1;
  }

  /**
   * Rebuilds the listpack with bytes [from, to) replaced by the elements given ({@code field} and
   * {@code value} each null for none).
   */
  private void splice(int from, int to, byte[] field, byte[] value) {
    int added = (field == null ? 0 : 1 + field.length) + (value == null ? 0 : 1 + value.length);
    byte[] p = packed();
    if (field == null && value != null && to - from == 1 + value.length) {
      System.arraycopy(value, 0, p, from + 1, value.length); // same length: in place
      return;
    }
    byte[] rebuilt = new byte[p.length - (to - from) + added];
    System.arraycopy(p, 0, rebuilt, 0, from);
    int at = from;
    for (byte[] element : new byte[][] {field, value}) {
      if (element != null) {
        rebuilt[at] = (byte) element.length;
        System.arraycopy(element, 0, rebuilt, at + 1, element.length);
        at += 1 + element.length;
      }
    }
    System.arraycopy(p, to, rebuilt, at, p.length - to);
    body = rebuilt;
  }

  private void toHashtable(int expected) {
    ByteTable converted = new ByteTable(expected);
    long bytes = 0;
    byte[] p = packed();
    for (int at = 0; at < p.length; ) {
      int valueAt = next(p, at);
      int end = next(p, valueAt);
      byte[] field = Arrays.copyOfRange(p, at + 1, valueAt);
      byte[] value = Arrays.copyOfRange(p, valueAt + 1, end);
      converted.insert(new ValueNode(field, ByteTable.hash(field), value));
      bytes += ValueNode.BYTES + bytes(field) + bytes(value);
      at = end;
    }
    converted.dataBytes = bytes;
    body = converted;
  }

  private static long bytes(byte[] array) {
    return MemoryEstimate.byteArray(array.length);
  }
}
