package dev.sluice.proxy.types;

import dev.sluice.proxy.keyspace.MemoryEstimate;
import dev.sluice.proxy.keyspace.RedisValue;
import java.util.Arrays;

/**
 * A Redis list of binary-safe elements: a growable circular array, so pushes and pops at both ends
 * and access by index are O(1) and allocate nothing except when the array doubles or halves.
 *
 * <p>OBJECT ENCODING says "listpack" while the list is small and "quicklist" once it grew past
 * {@value #LISTPACK_MAX_ENTRIES} elements or held an element longer than {@value
 * #LISTPACK_MAX_ELEMENT} bytes (an approximation of Redis's 8 KB listpack for {@code
 * list-max-listpack-size -2}); a list never goes back to "listpack".
 *
 * <p>The heap estimate is kept up to date on every change, in O(1) per element added or removed.
 * Elements are stored as given and never changed in place; callers must not change them either.
 */
public final class RedisList implements RedisValue {
  /** Most elements a list may hold and still report "listpack". */
  public static final int LISTPACK_MAX_ENTRIES = 128;

  /** Longest element, in bytes, a list may hold and still report "listpack". */
  public static final int LISTPACK_MAX_ELEMENT = 64;

  private static final int MIN_CAPACITY = 4;

  /**
   * Object header (12) + items (4) + head (4) + size (4) + elementBytes (8) + flag (1), aligned.
   */
  private static final long SHALLOW_BYTES = 40;

  private byte[][] items;
  private int head;
  private int size;

  /** Sum of the heap estimates of the element arrays. */
  private long elementBytes;

  private boolean quicklist;

  public RedisList() {
    items = new byte[MIN_CAPACITY][];
  }

  private RedisList(int capacity) {
    items = new byte[capacity][];
  }

  public int size() {
    return size;
  }

  @Override
  public boolean isEmpty() {
    return size == 0;
  }

  @Override
  public String typeName() {
    return "list";
  }

  @Override
  public String encoding() {
    return quicklist ? "quicklist" : "listpack";
  }

  @Override
  public long estimatedBytes() {
    return SHALLOW_BYTES + referenceArrayBytes(items.length) + elementBytes;
  }

  /** Heap bytes of a reference array of {@code length} slots with compressed oops. */
  static long referenceArrayBytes(int length) {
    return (16L + 4L * length + 7) & ~7L;
  }

  /** Capacity of the backing array, for tests of the size bookkeeping. */
  int capacity() {
    return items.length;
  }

  @Override
  public RedisList copy() {
    RedisList copy = new RedisList(items.length);
    for (int i = 0; i < size; i++) {
      copy.items[i] = get(i).clone();
    }
    copy.size = size;
    copy.elementBytes = elementBytes;
    copy.quicklist = quicklist;
    return copy;
  }

  /**
   * Switches to "quicklist" if adding {@code count} more elements, the longest {@code
   * longestElement} bytes, would outgrow "listpack". Redis decides this before adding, even when
   * the command then adds nothing (LINSERT with a missing pivot, LSET out of range).
   */
  public void prepareAdd(long count, int longestElement) {
    if (!quicklist
        && (size + count > LISTPACK_MAX_ENTRIES || longestElement > LISTPACK_MAX_ELEMENT)) {
      quicklist = true;
    }
  }

  /** The element at {@code index}, 0 being the head; the index must be in range. */
  public byte[] get(int index) {
    return items[(head + index) & (items.length - 1)];
  }

  /** Replaces the element at {@code index}; the index must be in range. */
  public void set(int index, byte[] element) {
    int slot = (head + index) & (items.length - 1);
    elementBytes += MemoryEstimate.byteArray(element.length) - bytes(items[slot]);
    items[slot] = element;
    noteAdded(element);
  }

  public void addFirst(byte[] element) {
    if (size == items.length) {
      resize(items.length * 2);
    }
    head = (head - 1) & (items.length - 1);
    items[head] = element;
    size++;
    elementBytes += MemoryEstimate.byteArray(element.length);
    noteAdded(element);
  }

  public void addLast(byte[] element) {
    if (size == items.length) {
      resize(items.length * 2);
    }
    items[(head + size) & (items.length - 1)] = element;
    size++;
    elementBytes += MemoryEstimate.byteArray(element.length);
    noteAdded(element);
  }

  /** Adds at the head ({@code left}) or the tail. */
  public void add(boolean left, byte[] element) {
    if (left) {
      addFirst(element);
    } else {
      addLast(element);
    }
  }

  /** Removes and returns the head element; the list must not be empty. */
  public byte[] removeFirst() {
    byte[] element = items[head];
    items[head] = null;
    head = (head + 1) & (items.length - 1);
    size--;
    elementBytes -= MemoryEstimate.byteArray(element.length);
    shrinkIfSparse();
    return element;
  }

  /** Removes and returns the tail element; the list must not be empty. */
  public byte[] removeLast() {
    int slot = (head + size - 1) & (items.length - 1);
    byte[] element = items[slot];
    items[slot] = null;
    size--;
    elementBytes -= MemoryEstimate.byteArray(element.length);
    shrinkIfSparse();
    return element;
  }

  /** Removes and returns the element at the head ({@code left}) or the tail. */
  public byte[] remove(boolean left) {
    return left ? removeFirst() : removeLast();
  }

  /** Inserts before position {@code index} (0..size), moving the shorter side of the list. */
  public void insert(int index, byte[] element) {
    if (index == 0) {
      addFirst(element);
      return;
    }
    if (index == size) {
      addLast(element);
      return;
    }
    if (size == items.length) {
      resize(items.length * 2);
    }
    int mask = items.length - 1;
    if (index < size / 2) {
      head = (head - 1) & mask;
      for (int i = 0; i < index; i++) {
        items[(head + i) & mask] = items[(head + i + 1) & mask];
      }
    } else {
      for (int i = size; i > index; i--) {
        items[(head + i) & mask] = items[(head + i - 1) & mask];
      }
    }
    items[(head + index) & mask] = element;
    size++;
    elementBytes += MemoryEstimate.byteArray(element.length);
    noteAdded(element);
  }

  /** Removes {@code count} elements from the head (at most all of them). */
  public void removeFirst(int count) {
    int mask = items.length - 1;
    for (int i = 0; i < count; i++) {
      int slot = (head + i) & mask;
      elementBytes -= MemoryEstimate.byteArray(items[slot].length);
      items[slot] = null;
    }
    head = (head + count) & mask;
    size -= count;
    shrinkIfSparse();
  }

  /** Removes {@code count} elements from the tail (at most all of them). */
  public void removeLast(int count) {
    int mask = items.length - 1;
    for (int i = size - count; i < size; i++) {
      int slot = (head + i) & mask;
      elementBytes -= MemoryEstimate.byteArray(items[slot].length);
      items[slot] = null;
    }
    size -= count;
    shrinkIfSparse();
  }

  /**
   * Removes elements equal to {@code element} in one pass, scanning from the head or, if {@code
   * fromTail}, from the tail; at most {@code limit} of them, or all if {@code limit <= 0}. Returns
   * how many were removed.
   */
  public int removeMatching(byte[] element, long limit, boolean fromTail) {
    int mask = items.length - 1;
    int removed = 0;
    int kept = 0;
    for (int n = 0; n < size; n++) {
      int read = fromTail ? size - 1 - n : n;
      byte[] candidate = items[(head + read) & mask];
      if ((limit <= 0 || removed < limit) && Arrays.equals(candidate, element)) {
        removed++;
        elementBytes -= MemoryEstimate.byteArray(candidate.length);
        continue;
      }
      int write = fromTail ? size - 1 - kept : kept;
      items[(head + write) & mask] = candidate;
      kept++;
    }
    if (removed == 0) {
      return 0;
    }
    // the kept elements are packed against the end the scan started from; clear the rest
    for (int n = kept; n < size; n++) {
      int slot = fromTail ? size - 1 - n : n;
      items[(head + slot) & mask] = null;
    }
    if (fromTail) {
      head = (head + removed) & mask;
    }
    size = kept;
    shrinkIfSparse();
    return removed;
  }

  /** Index of the first element equal to {@code element} from the head, or -1. */
  public int indexOf(byte[] element) {
    for (int i = 0; i < size; i++) {
      if (Arrays.equals(get(i), element)) {
        return i;
      }
    }
    return -1;
  }

  private void noteAdded(byte[] element) {
    if (!quicklist && (size > LISTPACK_MAX_ENTRIES || element.length > LISTPACK_MAX_ELEMENT)) {
      quicklist = true;
    }
  }

  private static long bytes(byte[] element) {
    return MemoryEstimate.byteArray(element.length);
  }

  private void shrinkIfSparse() {
    if (items.length > MIN_CAPACITY && size < items.length / 4) {
      resize(Math.max(MIN_CAPACITY, items.length / 2));
    }
  }

  private void resize(int capacity) {
    byte[][] next = new byte[capacity][];
    int mask = items.length - 1;
    for (int i = 0; i < size; i++) {
      next[i] = items[(head + i) & mask];
    }
    items = next;
    head = 0;
  }
}
