package dev.sluice.proxy.keyspace;

/**
 * One key and its value. Kept small on purpose (40 bytes with compressed oops, 48 without): the key
 * table chains entries itself instead of wrapping them in map nodes, and a key's expiry lives in
 * its database's array of volatile keys, as Redis keeps it in a dict of its own, so that keys
 * without a TTL do not carry it.
 */
public final class Entry {
  public static final long NO_EXPIRY = -1;

  final byte[] key;
  Object value;

  /** LRU: last access in seconds; LFU: minutes of last decrement << 8 | log counter. */
  int access;

  /** Position in the database's volatile-key and expiry arrays, or -1 without a TTL. */
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

  /** Whether the key has a TTL; {@link Database#expiry} tells when it ends. */
  public boolean hasExpiry() {
    return volatileIndex >= 0;
  }
}
