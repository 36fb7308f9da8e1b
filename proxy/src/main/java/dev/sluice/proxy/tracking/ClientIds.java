package dev.sluice.proxy.tracking;

import java.util.Arrays;
import java.util.function.LongConsumer;

/**
 * A tracked key and the clients that may hold it in their own cache. The key is this object's
 * identity in the tracking table (equal by the key's bytes), so that a tracked read walks one
 * object fewer.
 *
 * <p>The first 64 connected tracking clients each own a slot, a bit of {@link #slots}: a read by
 * one of them tests and sets a bit of this object, with no second object to fetch from memory (the
 * cost that kept tracked reads slower than untracked ones). A slot freed by a client that left is
 * only reused after every record has forgotten it: each record notes the table's epoch when it was
 * last cleaned, and bits of slots freed since then are dropped before the record is read ({@link
 * TrackingTable#clean}). Other clients' ids go into an array searched linearly, because between two
 * writes of a key few clients read it; past {@link #LINEAR} ids, a sorted array searched by
 * bisection keeps a hot key read by thousands of clients cheap.
 */
final class ClientIds {
  private static final int LINEAR = 16;

  private static final long[] NONE = {};

  final byte[] key;
  private final int hash;
  private long[] ids = NONE; // allocated on the first add: a lookup's probe never gets one
  private int size;
  private boolean sorted;

  /** The slots of the clients that read the key (bit i: slot i). */
  long slots;

  /** The table's epoch when {@link #slots} last lost the bits of freed slots. */
  long epoch;

  ClientIds(byte[] key) {
    this.key = key;
    this.hash = Arrays.hashCode(key);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ClientIds that && hash == that.hash && Arrays.equals(key, that.key);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  /**
   * Adds an id; false if it was there. Before the array grows, the ids of clients that no longer
   * track ({@code gone}) are dropped, and {@code onDropped} counts them: clients that come and go
   * would otherwise pile their ids up on a key nobody writes.
   */
  boolean add(long id, java.util.function.LongPredicate gone, Runnable onDropped) {
    if (contains(id)) {
      return false;
    }
    if (size == ids.length) {
      prune(gone, onDropped);
    }
    insert(id);
    return true;
  }

  private void prune(java.util.function.LongPredicate gone, Runnable onDropped) {
    int kept = 0;
    for (int i = 0; i < size; i++) {
      if (gone.test(ids[i])) {
        onDropped.run();
      } else {
        ids[kept++] = ids[i];
      }
    }
    size = kept;
  }

  private boolean contains(long id) {
    if (sorted) {
      return Arrays.binarySearch(ids, 0, size, id) >= 0;
    }
    for (int i = 0; i < size; i++) {
      if (ids[i] == id) {
        return true;
      }
    }
    return false;
  }

  private void insert(long id) {
    grow();
    if (sorted) {
      int at = -Arrays.binarySearch(ids, 0, size, id) - 1;
      System.arraycopy(ids, at, ids, at + 1, size - at);
      ids[at] = id;
      size++;
      return;
    }
    ids[size++] = id;
    if (size > LINEAR) {
      Arrays.sort(ids, 0, size);
      sorted = true;
    }
  }

  private void grow() {
    if (size == ids.length) {
      ids = Arrays.copyOf(ids, Math.max(1, ids.length * 2));
    }
  }

  /** The clients noted: slots and ids. */
  int size() {
    return size + Long.bitCount(slots);
  }

  /** The ids alone, without the slots. */
  int idCount() {
    return size;
  }

  void forEach(LongConsumer action) {
    for (int i = 0; i < size; i++) {
      action.accept(ids[i]);
    }
  }
}
