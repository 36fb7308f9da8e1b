package dev.sluice.proxy.keyspace;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * One logical database (SELECT n). Expired keys are removed lazily when looked up and actively by
 * {@link Keyspace#activeExpireCycle}; keys with a TTL are also kept in a dense array so that the
 * cycle and the volatile-* eviction policies can sample them in O(1).
 *
 * <p>Not thread-safe: callers hold the keyspace lock.
 */
public final class Database {
  private final Keyspace keyspace;
  private int index;
  private final KeyTable keys;
  private Entry[] volatiles = new Entry[16];
  // the expiry of volatiles[i], in ms
  private long[] expiries = new long[16];
  private int volatileCount;
  private long memory;

  Database(Keyspace keyspace, int index, int seed) {
    this.keyspace = keyspace;
    this.index = index;
    this.keys = new KeyTable(seed);
  }

  public int index() {
    return index;
  }

  void index(int index) {
    this.index = index;
  }

  public int size() {
    return keys.size();
  }

  public int volatileCount() {
    return volatileCount;
  }

  long memory() {
    return memory
        + keys.overheadBytes()
        + 16L
        + (long) MemoryEstimate.REFERENCE_BYTES * volatiles.length
        + 16L
        + (long) Long.BYTES * expiries.length;
  }

  /**
   * The live entry for a key, removing it first if it has expired; no statistics. As in Redis, a
   * key expires once the time is past its deadline: at the deadline itself it is still there.
   */
  public Entry get(byte[] key) {
    Entry entry = keys.get(key, keys.hash(key));
    if (entry != null && isExpired(entry)) {
      if (keyspace.replica()) {
        return keyspace.obeyingPrimary() ? entry : null;
      }
      expire(entry);
      return null;
    }
    return entry;
  }

  /** A lookup by a reading command: counts a hit or miss and refreshes the key's LRU/LFU data. */
  public Entry read(byte[] key) {
    Entry entry = get(key);
    if (entry == null) {
      keyspace.stats.misses++;
    } else {
      keyspace.stats.hits++;
      keyspace.lookedUp(entry);
    }
    return entry;
  }

  /**
   * A lookup by a command that only inspects the key (EXISTS, TYPE, TTL, …): counts a hit or miss
   * but leaves the LRU/LFU data alone, as Redis's LOOKUP_NOTOUCH.
   */
  public Entry readNoTouch(byte[] key) {
    Entry entry = get(key);
    if (entry == null) {
      keyspace.stats.misses++;
    } else {
      keyspace.stats.hits++;
    }
    return entry;
  }

  /** A lookup by a writing command: refreshes LRU/LFU data, counts nothing. */
  public Entry write(byte[] key) {
    Entry entry = get(key);
    if (entry != null) {
      keyspace.lookedUp(entry);
    }
    return entry;
  }

  /**
   * Sets a key's value, creating the key if needed. An existing key loses its TTL unless {@code
   * keepTtl}, as SET does.
   */
  public Entry set(byte[] key, Object value, boolean keepTtl) {
    Entry entry = get(key);
    if (entry == null) {
      return insert(key, value);
    }
    if (!keepTtl) {
      persist(entry);
    }
    replace(entry, value);
    keyspace.lookedUp(entry); // Redis's setKey looks the key up for writing: NO-TOUCH applies
    return entry;
  }

  /** Adds a key known to be absent (callers looked it up first). */
  public Entry insert(byte[] key, Object value) {
    Entry entry = new Entry(key, value);
    keyspace.initAccess(entry);
    keys.insert(entry, keys.hash(key));
    entry.size = MemoryEstimate.entry(entry);
    memory += entry.size;
    keyspace.keyModified(index, key);
    keyspace.notify(NotifyFlags.NEW, "new", key, index);
    return entry;
  }

  /** Swaps an entry's value, keeping its TTL. */
  public void replace(Entry entry, Object value) {
    entry.value = value;
    changed(entry);
  }

  /**
   * Records that an entry's value changed in place: recounts its memory, dirties WATCHes on it and
   * wakes clients blocked on it. Every in-place change of a {@link RedisValue} must call this.
   */
  public void changed(Entry entry) {
    int size = MemoryEstimate.entry(entry);
    memory += size - entry.size;
    entry.size = size;
    keyspace.keyModified(index, entry.key);
  }

  public boolean delete(byte[] key) {
    Entry entry = get(key);
    if (entry == null) {
      return false;
    }
    remove(entry);
    return true;
  }

  public void remove(Entry entry) {
    if (keys.remove(entry)) {
      untrackVolatile(entry);
      memory -= entry.size;
      keyspace.keyModified(index, entry.key);
    }
  }

  void expire(Entry entry) {
    remove(entry);
    keyspace.deletedByServer(index, entry.key);
    keyspace.stats.expired++;
    keyspace.notify(NotifyFlags.EXPIRED, "expired", entry.key, index);
  }

  /** Sets an absolute expiry in ms; a time already past deletes the key, as Redis does. */
  public void expireAt(Entry entry, long atMillis) {
    if (atMillis <= keyspace.now()) {
      remove(entry);
      return;
    }
    keyspace.keyModified(index, entry.key);
    if (entry.volatileIndex < 0) {
      if (volatileCount == volatiles.length) {
        volatiles = Arrays.copyOf(volatiles, volatiles.length * 2);
        expiries = Arrays.copyOf(expiries, expiries.length * 2);
      }
      entry.volatileIndex = volatileCount;
      volatiles[volatileCount++] = entry;
    }
    expiries[entry.volatileIndex] = atMillis;
  }

  /** When the key's TTL ends, in ms since the epoch, or {@link Entry#NO_EXPIRY}. */
  public long expiry(Entry entry) {
    int i = entry.volatileIndex;
    return i < 0 ? Entry.NO_EXPIRY : expiries[i];
  }

  /** Removes a TTL; returns whether there was one. */
  public boolean persist(Entry entry) {
    if (entry.volatileIndex < 0) {
      return false;
    }
    untrackVolatile(entry);
    keyspace.keyModified(index, entry.key);
    return true;
  }

  private void untrackVolatile(Entry entry) {
    int i = entry.volatileIndex;
    if (i < 0) {
      return;
    }
    Entry last = volatiles[--volatileCount];
    volatiles[i] = last;
    expiries[i] = expiries[volatileCount];
    last.volatileIndex = i;
    volatiles[volatileCount] = null;
    entry.volatileIndex = -1;
    if (volatiles.length > 16 && volatileCount < volatiles.length / 4) {
      volatiles = Arrays.copyOf(volatiles, volatiles.length / 2);
      expiries = Arrays.copyOf(expiries, expiries.length / 2);
    }
  }

  /** Milliseconds to live: -1 without TTL (callers check existence first). */
  public long ttlMillis(Entry entry) {
    int i = entry.volatileIndex;
    return i < 0 ? -1 : Math.max(0, expiries[i] - keyspace.now());
  }

  /** Whether the key is stored, expired or not, without expiring it or counting anything. */
  boolean contains(byte[] key) {
    return keys.get(key, keys.hash(key)) != null;
  }

  /** Removes every key. */
  public void clear() {
    keyspace.allModified(index, this);
    keys.clear();
    volatiles = new Entry[16];
    expiries = new long[16];
    volatileCount = 0;
    memory = 0;
  }

  /**
   * Visits one step of a SCAN and returns the next cursor. Keys that expired are reported to {@code
   * visitor} too; callers filter with {@link #isExpired}. The visitor must not modify the database.
   */
  public long scan(long cursor, Consumer<Entry> visitor) {
    return keys.scan(cursor, visitor);
  }

  /** Visits every entry; the visitor must not modify the database. */
  public void forEach(Consumer<Entry> visitor) {
    keys.forEach(visitor);
  }

  public boolean isExpired(Entry entry) {
    int i = entry.volatileIndex;
    return i >= 0 && expiries[i] < keyspace.now();
  }

  /** A random live key, or null when the database is empty; expired picks are removed. */
  public Entry randomEntry() {
    // each expired pick is removed, so this ends; a master Redis never returns an expired key
    while (keys.size() > 0) {
      Entry entry = keys.random(keyspace.random);
      if (!isExpired(entry)) {
        return entry;
      }
      expire(entry);
    }
    return null;
  }

  Entry sample(boolean onlyVolatile) {
    if (onlyVolatile) {
      return volatileCount == 0 ? null : volatiles[keyspace.random.nextInt(volatileCount)];
    }
    return keys.random(keyspace.random);
  }

  /** Average remaining TTL in ms over (up to 1,000 of) the keys that have one, for INFO. */
  public long averageTtl() {
    int n = Math.min(volatileCount, 1000);
    if (n == 0) {
      return 0;
    }
    long now = keyspace.now();
    long total = 0;
    for (int i = 0; i < n; i++) {
      total += Math.max(0, expiries[i] - now);
    }
    return total / n;
  }

  /**
   * Removes up to a sample's worth of expired keys; returns {sampled, expired} so the cycle can
   * decide whether to go on.
   */
  int[] expireSample(int samples) {
    int sampled = 0;
    int expired = 0;
    long now = keyspace.now();
    for (int i = 0; i < samples && volatileCount > 0; i++) {
      int at = keyspace.random.nextInt(volatileCount);
      Entry entry = volatiles[at];
      sampled++;
      if (expiries[at] < now) {
        expire(entry);
        expired++;
      }
    }
    return new int[] {sampled, expired};
  }
}
