package dev.sluice.proxy.keyspace;

/**
 * One key and its value. Kept small on purpose (48 bytes with compressed oops, 56 without): the key
 * table chains entries itself instead of wrapping them in map nodes.
 */
public final class Entry {
  public static final long NO_EXPIRY = -1;

  final byte[] key;
  Object value;
  long expireAt = NO_EXPIRY;

  /** LRU: last access in seconds; LFU: minutes of last decrement << 8 | log counter. */
  int access;

  /** Position in the database's volatile-key array, or -1 without a TTL. */
  int volatileIndex = -1;

  /** Estimated bytes this entry holds, as counted in used_memory. */
  int size;

  Entry next;

  Entry(byte[] key, Object value) {
    this.key = key;
    this.value = value;
  }

  public byte[] key() {
    return key;
  }

  public Object value() {
    return value;
  }

  public long expireAt() {
    return expireAt;
  }

  public boolean hasExpiry() {
    return expireAt != NO_EXPIRY;
  }
}
