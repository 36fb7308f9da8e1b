package dev.sluice.proxy.types;

import dev.sluice.proxy.keyspace.MemoryEstimate;
import dev.sluice.proxy.keyspace.RedisValue;
import dev.sluice.proxy.types.ByteTable.Node;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/**
 * A Redis set of binary-safe members, in Redis's three encodings:
 *
 * <ul>
 *   <li>"intset": a sorted {@code long[]} while every member is a canonical 64-bit integer and
 *       there are at most {@value #MAX_INTSET_ENTRIES}; members come back in ascending order, as
 *       Redis;
 *   <li>"listpack": an array of members in insertion order while there are at most {@value
 *       #MAX_LISTPACK_ENTRIES} of at most {@value #MAX_LISTPACK_VALUE} bytes;
 *   <li>"hashtable": a {@link ByteTable} beyond.
 * </ul>
 *
 * Conversions follow Redis 7.4's rules (setTypeCreate, setTypeMaybeConvert, setTypeAdd) and only go
 * up, never back down. Small arrays are sized to the member count rounded up to four. The heap
 * estimate is kept up to date with every change in O(1). Not thread-safe: callers hold the keyspace
 * lock.
 */
public final class RedisSet implements RedisValue {
  public static final int MAX_INTSET_ENTRIES = 512;
  public static final int MAX_LISTPACK_ENTRIES = 128;
  public static final int MAX_LISTPACK_VALUE = 64;

  /** Header, size, data-byte count and one reference, aligned. */
  static final int OBJECT_BYTES = 32;

  private static final long[] NO_INTS = new long[0];

  /** {@code long[]} (intset), {@code byte[][]} (listpack) or {@link ByteTable} (hashtable). */
  private Object data;

  private int size;

  /** Bytes of the member arrays (listpack, hashtable) and the table nodes (hashtable). */
  private long dataBytes;

  /** An empty set in the intset encoding, which the first non-integer member converts. */
  public RedisSet() {
    data = NO_INTS;
  }

  /**
   * The set SADD creates for its first member and {@code sizeHint} members in all, as Redis's
   * setTypeCreate: intset if the first member is an integer and the hint fits, listpack if the hint
   * fits one, hashtable otherwise.
   */
  public static RedisSet create(byte[] first, int sizeHint) {
    RedisSet set = new RedisSet();
    if (isCanonicalLong(first) && sizeHint <= MAX_INTSET_ENTRIES) {
      return set;
    }
    if (sizeHint <= MAX_LISTPACK_ENTRIES) {
      set.data = new byte[0][];
    } else {
      set.data = new ByteTable(sizeHint);
    }
    return set;
  }

  @Override
  public String typeName() {
    return "set";
  }

  @Override
  public String encoding() {
    if (data instanceof long[]) {
      return "intset";
    }
    return data instanceof byte[][] ? "listpack" : "hashtable";
  }

  /** Whether the set is in a small encoding, which SSCAN returns whole in one call. */
  public boolean isCompact() {
    return !(data instanceof ByteTable);
  }

  @Override
  public long estimatedBytes() {
    long container;
    if (data instanceof long[] ints) {
      container = MemoryEstimate.byteArray(8 * ints.length);
    } else if (data instanceof byte[][] members) {
      container = MemoryEstimate.byteArray(4 * members.length);
    } else {
      container = ((ByteTable) data).overheadBytes();
    }
    return OBJECT_BYTES + container + dataBytes;
  }

  @Override
  public boolean isEmpty() {
    return size == 0;
  }

  public int size() {
    return size;
  }

  /**
   * Prepares for a command that adds up to {@code sizeHint} members, as Redis's
   * setTypeMaybeConvert: a hint beyond what the encoding may hold converts to hashtable at once.
   */
  public void reserve(int sizeHint) {
    if ((data instanceof byte[][] && sizeHint > MAX_LISTPACK_ENTRIES)
        || (data instanceof long[] && sizeHint > MAX_INTSET_ENTRIES)) {
      toHashtable(Math.max(sizeHint, size + 1));
    }
  }

  public boolean contains(byte[] member) {
    if (data instanceof long[] ints) {
      return isCanonicalLong(member)
          && Arrays.binarySearch(ints, 0, size, parseCanonicalLong(member)) >= 0;
    }
    if (data instanceof byte[][] members) {
      return indexOf(members, member) >= 0;
    }
    return ((ByteTable) data).find(member) != null;
  }

  /** Adds a member; returns whether it is new. The array is kept, not copied. */
  public boolean add(byte[] member) {
    if (data instanceof long[] ints) {
      if (isCanonicalLong(member)) {
        long value = parseCanonicalLong(member);
        int i = Arrays.binarySearch(ints, 0, size, value);
        if (i >= 0) {
          return false;
        }
        int at = -i - 1;
        if (size == ints.length) {
          ints = Arrays.copyOf(ints, slotsFor(size + 1));
          data = ints;
        }
        System.arraycopy(ints, at, ints, at + 1, size - at);
        ints[at] = value;
        size++;
        if (size > MAX_INTSET_ENTRIES) {
          toHashtable(size);
        }
        return true;
      }
      if (size < MAX_LISTPACK_ENTRIES && member.length <= MAX_LISTPACK_VALUE) {
        toListpack();
      } else {
        toHashtable(size + 1);
      }
    }
    if (data instanceof byte[][] members) {
      if (indexOf(members, member) >= 0) {
        return false;
      }
      if (size < MAX_LISTPACK_ENTRIES && member.length <= MAX_LISTPACK_VALUE) {
        if (size == members.length) {
          members = Arrays.copyOf(members, slotsFor(size + 1));
          data = members;
        }
        members[size++] = member;
        dataBytes += bytes(member);
        return true;
      }
      toHashtable(size + 1);
    }
    ByteTable table = (ByteTable) data;
    int hash = ByteTable.hash(member);
    if (table.find(member, hash) != null) {
      return false;
    }
    table.insert(new Node(member, hash));
    size++;
    dataBytes += Node.BYTES + bytes(member);
    return true;
  }

  /** Removes a member; returns whether it was there. */
  public boolean remove(byte[] member) {
    if (data instanceof long[] ints) {
      if (!isCanonicalLong(member)) {
        return false;
      }
      int i = Arrays.binarySearch(ints, 0, size, parseCanonicalLong(member));
      if (i < 0) {
        return false;
      }
      removeAt(i);
      return true;
    }
    if (data instanceof byte[][] members) {
      int i = indexOf(members, member);
      if (i < 0) {
        return false;
      }
      removeAt(i);
      return true;
    }
    Node node = ((ByteTable) data).remove(member);
    if (node == null) {
      return false;
    }
    size--;
    dataBytes -= Node.BYTES + bytes(node.key);
    return true;
  }

  /** A random member, or null when empty. */
  public byte[] random(RandomGenerator random) {
    if (size == 0) {
      return null;
    }
    if (data instanceof long[] ints) {
      return toBytes(ints[random.nextInt(size)]);
    }
    if (data instanceof byte[][] members) {
      return members[random.nextInt(size)];
    }
    return ((ByteTable) data).random(random).key;
  }

  /** Removes and returns a random member, or null when empty. */
  public byte[] pop(RandomGenerator random) {
    if (size == 0) {
      return null;
    }
    if (data instanceof long[] ints) {
      int i = random.nextInt(size);
      byte[] member = toBytes(ints[i]);
      removeAt(i);
      return member;
    }
    if (data instanceof byte[][] members) {
      int i = random.nextInt(size);
      byte[] member = members[i];
      removeAt(i);
      return member;
    }
    ByteTable table = (ByteTable) data;
    Node node = table.random(random);
    table.remove(node);
    size--;
    dataBytes -= Node.BYTES + bytes(node.key);
    return node.key;
  }

  /**
   * Visits every member: ascending for an intset (each as new decimal bytes), insertion order for a
   * listpack, bucket order for a hashtable. The visitor must not modify the set.
   */
  public void forEach(Consumer<byte[]> visitor) {
    forEachWhile(
        member -> {
          visitor.accept(member);
          return true;
        });
  }

  /** As {@link #forEach}, stopping as soon as the visitor returns false. */
  public void forEachWhile(Predicate<byte[]> visitor) {
    if (data instanceof long[] ints) {
      for (int i = 0; i < size; i++) {
        if (!visitor.test(toBytes(ints[i]))) {
          return;
        }
      }
    } else if (data instanceof byte[][] members) {
      for (int i = 0; i < size; i++) {
        if (!visitor.test(members[i])) {
          return;
        }
      }
    } else {
      for (Node head : ((ByteTable) data).buckets()) {
        for (Node n = head; n != null; n = n.next) {
          if (!visitor.test(n.key)) {
            return;
          }
        }
      }
    }
  }

  /** Every member, in {@link #forEach} order. */
  public byte[][] toArray() {
    byte[][] all = new byte[size][];
    int[] next = {0};
    forEach(member -> all[next[0]++] = member);
    return all;
  }

  /**
   * One step of SSCAN over the hashtable encoding: visits one bucket, returns the next cursor (0
   * when done). A small encoding is visited whole and 0 returned, as Redis ignores the cursor
   * there. The visitor must not modify the set.
   */
  public long scan(long cursor, Consumer<byte[]> visitor) {
    if (data instanceof ByteTable table) {
      return table.scan(cursor, n -> visitor.accept(n.key));
    }
    forEach(visitor);
    return 0;
  }

  @Override
  public RedisSet copy() {
    RedisSet copy = new RedisSet();
    if (data instanceof long[] ints) {
      copy.data = ints.clone();
    } else if (data instanceof byte[][] members) {
      byte[][] cloned = new byte[members.length][];
      for (int i = 0; i < size; i++) {
        cloned[i] = members[i].clone();
      }
      copy.data = cloned;
    } else {
      copy.data = ((ByteTable) data).deepCopy();
    }
    copy.size = size;
    copy.dataBytes = dataBytes;
    return copy;
  }

  /** The estimate recomputed from scratch by walking the set, for tests of the bookkeeping. */
  long recountBytes() {
    long total = OBJECT_BYTES;
    if (data instanceof long[] ints) {
      return total + MemoryEstimate.byteArray(8 * ints.length);
    }
    if (data instanceof byte[][] members) {
      total += MemoryEstimate.byteArray(4 * members.length);
      for (int i = 0; i < size; i++) {
        total += bytes(members[i]);
      }
      return total;
    }
    ByteTable table = (ByteTable) data;
    total += table.overheadBytes();
    for (Node head : table.buckets()) {
      for (Node n = head; n != null; n = n.next) {
        total += Node.BYTES + bytes(n.key);
      }
    }
    return total;
  }

  /** Capacity of the intset or listpack array for {@code members} members. */
  static int slotsFor(int members) {
    return (members + 3) & ~3;
  }

  private void removeAt(int i) {
    if (data instanceof long[] ints) {
      System.arraycopy(ints, i + 1, ints, i, size - i - 1);
      size--;
      if (ints.length > slotsFor(size)) {
        data = Arrays.copyOf(ints, slotsFor(size));
      }
      return;
    }
    byte[][] members = (byte[][]) data;
    dataBytes -= bytes(members[i]);
    System.arraycopy(members, i + 1, members, i, size - i - 1);
    members[--size] = null;
    if (members.length > slotsFor(size)) {
      data = Arrays.copyOf(members, slotsFor(size));
    }
  }

  private int indexOf(byte[][] members, byte[] member) {
    for (int i = 0; i < size; i++) {
      if (Arrays.equals(members[i], member)) {
        return i;
      }
    }
    return -1;
  }

  private void toListpack() {
    long[] ints = (long[]) data;
    byte[][] members = new byte[slotsFor(size + 1)][];
    for (int i = 0; i < size; i++) {
      members[i] = toBytes(ints[i]);
      dataBytes += bytes(members[i]);
    }
    data = members;
  }

  private void toHashtable(int expected) {
    ByteTable table = new ByteTable(expected);
    if (data instanceof long[] ints) {
      for (int i = 0; i < size; i++) {
        byte[] member = toBytes(ints[i]);
        table.insert(new Node(member, ByteTable.hash(member)));
        dataBytes += Node.BYTES + bytes(member);
      }
    } else {
      byte[][] members = (byte[][]) data;
      for (int i = 0; i < size; i++) {
        table.insert(new Node(members[i], ByteTable.hash(members[i])));
      }
      dataBytes += (long) size * Node.BYTES;
    }
    data = table;
  }

  private static long bytes(byte[] array) {
    return MemoryEstimate.byteArray(array.length);
  }

  static byte[] toBytes(long value) {
    return Long.toString(value).getBytes(StandardCharsets.US_ASCII);
  }

  /** Whether the bytes are a 64-bit integer as Redis's string2ll accepts it: no sign but '-'. */
  static boolean isCanonicalLong(byte[] b) {
    int n = b.length;
    if (n == 0 || n > 20) {
      return false;
    }
    if (n == 1 && b[0] == '0') {
      return true;
    }
    int i = b[0] == '-' ? 1 : 0;
    if (i == n || b[i] < '1' || b[i] > '9') {
      return false;
    }
    long value = 0; // accumulated negatively, so Long.MIN_VALUE fits
    for (; i < n; i++) {
      int digit = b[i] - '0';
      if (digit < 0 || digit > 9 || value < (Long.MIN_VALUE + digit) / 10) {
        return false;
      }
      value = value * 10 - digit;
    }
    return b[0] == '-' || value != Long.MIN_VALUE;
  }

  /** The value of bytes that {@link #isCanonicalLong} accepted. */
  static long parseCanonicalLong(byte[] b) {
    boolean negative = b[0] == '-';
    long value = 0;
    for (int i = negative ? 1 : 0; i < b.length; i++) {
      value = value * 10 - (b[i] - '0');
    }
    return negative ? value : -value;
  }
}
