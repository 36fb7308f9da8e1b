package dev.sluice.proxy.tracking;

import java.util.Arrays;
import java.util.function.LongConsumer;

/**
 * The ids of the clients that may hold one key in their own cache: an array searched linearly,
 * because between two writes of a key few clients read it (usually one), and a hash set per key
 * would cost more memory than the key itself. Past {@link #LINEAR} ids, a sorted array searched by
 * bisection keeps a hot key read by thousands of clients cheap.
 */
final class ClientIds {
  private static final int LINEAR = 16;

  private long[] ids = new long[1];
  private int size;
  private boolean sorted;

  /** Adds an id; false if it was there. */
  boolean add(long id) {
    if (sorted) {
      int at = Arrays.binarySearch(ids, 0, size, id);
      if (at >= 0) {
        return false;
      }
      grow();
      int insert = -at - 1;
      System.arraycopy(ids, insert, ids, insert + 1, size - insert);
      ids[insert] = id;
      size++;
      return true;
    }
    for (int i = 0; i < size; i++) {
      if (ids[i] == id) {
        return false;
      }
    }
    grow();
    ids[size++] = id;
    if (size > LINEAR) {
      Arrays.sort(ids, 0, size);
      sorted = true;
    }
    return true;
  }

  private void grow() {
    if (size == ids.length) {
      ids = Arrays.copyOf(ids, ids.length * 2);
    }
  }

  int size() {
    return size;
  }

  void forEach(LongConsumer action) {
    for (int i = 0; i < size; i++) {
      action.accept(ids[i]);
    }
  }
}
