package dev.sluice.proxy.keyspace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class KeyspaceTest {
  private static final long START = 1_700_000_000_000L;

  private final long[] now = {START};
  private Keyspace keyspace;
  private Database db;

  @BeforeEach
  void setUp() {
    keyspace = new Keyspace(16, () -> now[0]);
    db = keyspace.db(0);
  }

  private void advanceMillis(long millis) {
    now[0] += millis;
  }

  private static byte[] key(String name) {
    return name.getBytes(StandardCharsets.UTF_8);
  }

  private Entry put(String name, String value) {
    return db.set(key(name), value.getBytes(StandardCharsets.UTF_8), false);
  }

  private boolean present(String name) {
    return db.get(key(name)) != null;
  }

  /** Sets maxmemory so that exactly {@code entries} entries of {@code entrySize} must go. */
  private void limitToFree(int entries, int entrySize) {
    keyspace.maxmemory(keyspace.usedMemory() - (long) entries * entrySize);
  }

  // ---- expiry ----

  @Test
  void get_keyPastItsExpiry_isRemovedLazily() {
    Entry entry = put("k", "v");
    db.expireAt(entry, START + 1000);

    advanceMillis(999);
    assertSame(entry, db.get(key("k")));
    assertEquals(1, db.ttlMillis(entry));

    advanceMillis(1); // at its expiry time a key still lives: Redis expires when now > when
    assertSame(entry, db.get(key("k")));

    advanceMillis(1);
    assertNull(db.get(key("k")));
    assertEquals(0, db.size());
    assertEquals(0, db.volatileCount());
    assertEquals(1, keyspace.stats().expired());
  }

  @Test
  void read_hitsAndMissesAndExpiredKeys_areCounted() {
    db.expireAt(put("short", "v"), START + 10);
    put("k", "v");

    assertNotNull(db.read(key("k")));
    assertNull(db.read(key("nope")));
    advanceMillis(11);
    assertNull(db.read(key("short")));

    assertEquals(1, keyspace.stats().hits());
    assertEquals(2, keyspace.stats().misses());
    assertEquals(1, keyspace.stats().expired());
  }

  @Test
  void expireAt_timeAlreadyPast_deletesKey() {
    Entry entry = put("k", "v");

    db.expireAt(entry, START);

    assertNull(db.get(key("k")));
    assertEquals(0, db.size());
  }

  @Test
  void persist_keyWithTtl_removesTtlAndKeepsKey() {
    Entry entry = put("k", "v");
    db.expireAt(entry, START + 1000);
    assertEquals(1, db.volatileCount());

    assertTrue(db.persist(entry));
    assertFalse(db.persist(entry));

    advanceMillis(5000);
    assertSame(entry, db.get(key("k")));
    assertEquals(-1, db.ttlMillis(entry));
    assertEquals(0, db.volatileCount());
  }

  @Test
  void set_existingKeyWithTtl_dropsTtlUnlessKeepTtl() {
    db.expireAt(put("a", "1"), START + 1000);
    db.expireAt(put("b", "1"), START + 1000);

    put("a", "2");
    db.set(key("b"), key("2"), true);

    assertFalse(db.get(key("a")).hasExpiry());
    assertEquals(START + 1000, db.expiry(db.get(key("b"))));
    assertEquals(1, db.volatileCount());
  }

  @Test
  void activeExpireCycle_expiredKeys_areAllRemoved() {
    for (int i = 0; i < 500; i++) {
      db.expireAt(put("tmp:" + i, "v"), START + 100 + i);
    }
    for (int i = 0; i < 50; i++) {
      put("keep:" + i, "v");
    }
    Database other = keyspace.db(3);
    for (int i = 0; i < 30; i++) {
      Entry e = other.insert(key("o" + i), key("v"));
      other.expireAt(e, START + 50);
    }
    advanceMillis(1000);

    keyspace.activeExpireCycle(TimeUnit.SECONDS.toNanos(5));

    assertEquals(50, db.size());
    assertEquals(0, db.volatileCount());
    assertEquals(0, other.size());
    assertEquals(530, keyspace.stats().expired());
  }

  @Test
  void activeExpireCycle_keysNotYetExpired_areKept() {
    for (int i = 0; i < 100; i++) {
      db.expireAt(put("k" + i, "v"), START + 10_000);
    }
    advanceMillis(9_999);

    keyspace.activeExpireCycle(TimeUnit.SECONDS.toNanos(5));

    assertEquals(100, db.size());
    assertEquals(100, db.volatileCount());
    assertEquals(0, keyspace.stats().expired());
  }

  @Test
  void randomEntry_someKeysExpired_returnsOnlyLiveKeys() {
    for (int i = 0; i < 20; i++) {
      Entry e = put("k" + i, "v");
      if (i % 2 == 0) {
        db.expireAt(e, START + 10);
      }
    }
    advanceMillis(11);

    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 500; i++) {
      Entry e = db.randomEntry();
      assertFalse(db.isExpired(e));
      seen.add(new String(e.key(), StandardCharsets.UTF_8));
    }

    assertTrue(seen.stream().allMatch(k -> Integer.parseInt(k.substring(1)) % 2 == 1), "" + seen);
    assertNull(keyspace.db(1).randomEntry());
  }

  // ---- memory accounting ----

  @Test
  void usedMemory_insertThenDelete_goesUpByEntrySizeAndBackDown() {
    long before = keyspace.usedMemory();

    put("k", "0123456789");

    // the entry (40 bytes with compressed oops, 48 without) + align(16 + 1) (key) + align(16 + 10)
    // (value); no expiry, so nothing in the database's expiry array
    assertEquals(before + MemoryEstimate.ENTRY_BYTES + 24 + 32, keyspace.usedMemory());
    assertTrue(db.delete(key("k")));
    assertEquals(before, keyspace.usedMemory());
    assertFalse(db.delete(key("k")));
    assertEquals(before, keyspace.usedMemory());
  }

  @Test
  void usedMemory_valueReplaced_followsNewValueSize() {
    put("k", "x");
    long small = keyspace.usedMemory();

    put("k", "x".repeat(1000));

    assertEquals(
        small + MemoryEstimate.byteArray(1000) - MemoryEstimate.byteArray(1),
        keyspace.usedMemory());
  }

  @Test
  void usedMemory_flushAll_returnsToEmptyBaseline() {
    long empty = keyspace.usedMemory();
    for (int i = 0; i < 1000; i++) {
      put("k" + i, "value");
    }
    assertTrue(keyspace.usedMemory() > empty + 1000 * 48);

    keyspace.flushAll();

    assertEquals(empty, keyspace.usedMemory());
    assertEquals(0, db.size());
  }

  // ---- eviction ----

  @Test
  void freeMemoryIfNeeded_noMaxmemory_isTrue() {
    put("k", "v");
    keyspace.maxmemory(0);
    assertTrue(keyspace.freeMemoryIfNeeded());
  }

  @Test
  void freeMemoryIfNeeded_noevictionOverLimit_isFalseAndKeepsKeys() {
    for (int i = 0; i < 10; i++) {
      put("k" + i, "v");
    }
    keyspace.policy(EvictionPolicy.NOEVICTION);
    keyspace.maxmemory(keyspace.usedMemory() - 1);

    assertFalse(keyspace.freeMemoryIfNeeded());
    assertEquals(10, db.size());
    assertEquals(0, keyspace.stats().evicted());
  }

  @Test
  void freeMemoryIfNeeded_underLimit_isTrueAndEvictsNothing() {
    put("k", "v");
    keyspace.policy(EvictionPolicy.ALLKEYS_LRU);
    keyspace.maxmemory(keyspace.usedMemory());

    assertTrue(keyspace.freeMemoryIfNeeded());
    assertEquals(1, db.size());
  }

  @Test
  void freeMemoryIfNeeded_allkeysLru_evictsLeastRecentlyTouchedFirst() {
    keyspace.policy(EvictionPolicy.ALLKEYS_LRU);
    keyspace.maxmemorySamples(1000);
    for (int i = 0; i < 10; i++) {
      put("k" + i, "v");
    }
    // Touch the keys in a shuffled order, 10 s apart: k7 ends least recently used.
    List<Integer> order = List.of(7, 2, 9, 0, 5, 1, 8, 3, 6, 4);
    for (int i : order) {
      advanceMillis(10_000);
      assertNotNull(db.read(key("k" + i)));
    }
    assertEquals(90, keyspace.idleSeconds(db.get(key("k7"))));
    int size = db.get(key("k0")).size;
    limitToFree(3, size);

    assertTrue(keyspace.freeMemoryIfNeeded());

    assertEquals(7, db.size());
    for (int i = 0; i < 10; i++) {
      boolean evicted = i == 7 || i == 2 || i == 9;
      assertEquals(!evicted, present("k" + i), "k" + i);
    }
    assertEquals(3, keyspace.stats().evicted());
  }

  @Test
  void freeMemoryIfNeeded_allkeysLru_considersAllDatabases() {
    keyspace.policy(EvictionPolicy.ALLKEYS_LRU);
    keyspace.maxmemorySamples(1000);
    Database other = keyspace.db(5);
    other.insert(key("old"), key("v"));
    advanceMillis(60_000);
    for (int i = 0; i < 5; i++) {
      put("new" + i, "v");
    }
    limitToFree(1, db.get(key("new0")).size);

    assertTrue(keyspace.freeMemoryIfNeeded());

    assertNull(other.get(key("old")));
    assertEquals(5, db.size());
  }

  @Test
  void freeMemoryIfNeeded_volatileTtl_evictsOnlyKeysWithTtlSoonestFirst() {
    keyspace.policy(EvictionPolicy.VOLATILE_TTL);
    keyspace.maxmemorySamples(1000);
    for (int i = 0; i < 6; i++) {
      put("persistent" + i, "v");
    }
    long[] ttls = {40_000, 10_000, 30_000, 20_000};
    for (int i = 0; i < ttls.length; i++) {
      db.expireAt(put("volatile" + i, "v"), START + ttls[i]);
    }
    int size = db.get(key("volatile0")).size;
    limitToFree(2, size);

    assertTrue(keyspace.freeMemoryIfNeeded());

    assertFalse(present("volatile1"), "TTL 10 s evicted first");
    assertFalse(present("volatile3"), "TTL 20 s evicted second");
    assertTrue(present("volatile0"));
    assertTrue(present("volatile2"));
    assertEquals(2, db.volatileCount());
    for (int i = 0; i < 6; i++) {
      assertTrue(present("persistent" + i));
    }
  }

  @Test
  void freeMemoryIfNeeded_volatilePolicyWithoutEnoughVolatileKeys_evictsThemAllThenIsFalse() {
    keyspace.policy(EvictionPolicy.VOLATILE_TTL);
    for (int i = 0; i < 6; i++) {
      put("persistent" + i, "v");
    }
    db.expireAt(put("volatile", "v"), START + 1000);
    limitToFree(3, db.get(key("volatile")).size);

    assertFalse(keyspace.freeMemoryIfNeeded());

    assertFalse(present("volatile"));
    assertEquals(6, db.size());
    assertEquals(1, keyspace.stats().evicted());
  }

  @Test
  void freeMemoryIfNeeded_allkeysLfu_evictsLeastFrequentlyUsedFirst() {
    keyspace.policy(EvictionPolicy.ALLKEYS_LFU);
    keyspace.lfuLogFactor(0); // every access increments the counter: deterministic
    keyspace.maxmemorySamples(1000);
    int[] accesses = {4, 0, 7, 2, 9, 1, 5, 3};
    for (int i = 0; i < accesses.length; i++) {
      put("k" + i, "v");
    }
    for (int i = 0; i < accesses.length; i++) {
      for (int n = 0; n < accesses[i]; n++) {
        db.read(key("k" + i));
      }
    }
    assertEquals(5 + 9, keyspace.lfuDecayed(db.get(key("k4"))));
    limitToFree(3, db.get(key("k0")).size);

    assertTrue(keyspace.freeMemoryIfNeeded());

    for (int i = 0; i < accesses.length; i++) {
      assertEquals(accesses[i] >= 3, present("k" + i), "k" + i + " with " + accesses[i]);
    }
  }

  @Test
  void lfuDecayed_idleMinutes_decrementCounterPerDecayPeriod() {
    keyspace.policy(EvictionPolicy.ALLKEYS_LFU);
    keyspace.lfuLogFactor(0);
    keyspace.lfuDecayTime(2);
    put("k", "v");
    for (int n = 0; n < 10; n++) {
      db.read(key("k"));
    }
    Entry entry = db.get(key("k"));
    assertEquals(15, keyspace.lfuDecayed(entry));

    advanceMillis(TimeUnit.MINUTES.toMillis(7));
    assertEquals(12, keyspace.lfuDecayed(entry));

    advanceMillis(TimeUnit.MINUTES.toMillis(60));
    assertEquals(0, keyspace.lfuDecayed(entry));
  }

  // ---- databases ----

  @Test
  void swap_twoDatabases_exchangesContentsAndFixesIndexes() {
    Database zero = keyspace.db(0);
    Database one = keyspace.db(1);
    zero.insert(key("a"), key("1"));
    one.insert(key("b"), key("2"));
    one.insert(key("c"), key("3"));

    keyspace.swap(0, 1);

    assertSame(one, keyspace.db(0));
    assertSame(zero, keyspace.db(1));
    assertEquals(0, keyspace.db(0).index());
    assertEquals(1, keyspace.db(1).index());
    assertEquals(2, keyspace.db(0).size());
    assertNotNull(keyspace.db(0).get(key("b")));
    assertNull(keyspace.db(0).get(key("a")));
    assertNotNull(keyspace.db(1).get(key("a")));
  }

  @Test
  void swap_sameDatabase_changesNothing() {
    Database zero = keyspace.db(0);
    zero.insert(key("a"), key("1"));

    keyspace.swap(0, 0);

    assertSame(zero, keyspace.db(0));
    assertEquals(0, zero.index());
    assertNotNull(zero.get(key("a")));
  }

  @Test
  void holdAccessClock_held_readsTheClockOnceForEveryAccess() {
    Entry first = put("a", "1");
    Entry second = put("b", "2");
    advanceMillis(10_000);
    keyspace.holdAccessClock(true);
    db.read(key("a"));
    advanceMillis(5_000); // the chunk takes no such time: the clock holds its first reading
    db.read(key("b"));
    keyspace.holdAccessClock(false);

    assertEquals(5, keyspace.idleSeconds(first));
    assertEquals(5, keyspace.idleSeconds(second));
    db.read(key("b"));
    assertEquals(0, keyspace.idleSeconds(second)); // released: each access reads the clock
  }

  @Test
  void persist_ofTheFirstVolatileKey_leavesTheOthersTheirExpiries() {
    Entry a = put("a", "1");
    Entry b = put("b", "2");
    Entry c = put("c", "3");
    db.expireAt(a, START + 1_000);
    db.expireAt(b, START + 2_000);
    db.expireAt(c, START + 3_000);

    assertTrue(db.persist(a)); // c takes a's place in the arrays of volatile keys

    assertEquals(Entry.NO_EXPIRY, db.expiry(a));
    assertEquals(START + 2_000, db.expiry(b));
    assertEquals(START + 3_000, db.expiry(c));
    advanceMillis(2_500);
    assertNull(db.get(key("b")));
    assertNotNull(db.get(key("c")));
    assertNotNull(db.get(key("a")));
  }
}
