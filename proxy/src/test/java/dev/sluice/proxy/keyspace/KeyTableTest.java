package dev.sluice.proxy.keyspace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KeyTableTest {

  private static byte[] key(String name) {
    return name.getBytes(StandardCharsets.UTF_8);
  }

  private static String name(Entry entry) {
    return new String(entry.key(), StandardCharsets.UTF_8);
  }

  /** A table plus the entries it holds by name, so tests can remove by name. */
  private static final class Table {
    final KeyTable table;
    final Map<String, Entry> entries = new LinkedHashMap<>();

    Table(int seed) {
      table = new KeyTable(seed);
    }

    void add(String name) {
      byte[] key = key(name);
      Entry entry = new Entry(key, name);
      table.insert(entry, table.hash(key));
      entries.put(name, entry);
    }

    void remove(String name) {
      assertTrue(table.remove(entries.remove(name)), name);
    }

    void addRange(String prefix, int from, int to) {
      for (int i = from; i < to; i++) {
        add(prefix + i);
      }
    }

    void removeRange(String prefix, int from, int to) {
      for (int i = from; i < to; i++) {
        remove(prefix + i);
      }
    }
  }

  @Test
  void insertGetRemove_basicOperations_trackSize() {
    Table t = new Table(7);
    t.add("a");
    t.add("b");

    assertEquals(2, t.table.size());
    assertSame(t.entries.get("a"), t.table.get(key("a"), t.table.hash(key("a"))));
    assertNull(t.table.get(key("c"), t.table.hash(key("c"))));

    Entry a = t.entries.get("a");
    t.remove("a");
    assertEquals(1, t.table.size());
    assertNull(t.table.get(key("a"), t.table.hash(key("a"))));
    assertFalse(t.table.remove(a), "removing an entry twice");
    assertEquals(1, t.table.size());
  }

  @Test
  void hash_sameSeed_isStableAndSeedDependent() {
    KeyTable one = new KeyTable(1);
    KeyTable same = new KeyTable(1);
    KeyTable other = new KeyTable(2);
    int differing = 0;
    for (int i = 0; i < 100; i++) {
      byte[] k = key("key:" + i);
      assertEquals(one.hash(k), same.hash(k));
      if (one.hash(k) != other.hash(k)) {
        differing++;
      }
    }
    assertTrue(differing > 90, "seed changes almost every hash, got " + differing);
  }

  @Test
  void insert_manyKeys_growsCapacityAndKeepsAllKeys() {
    Table t = new Table(3);
    assertEquals(16, t.table.capacity());

    t.addRange("k", 0, 1000);

    assertEquals(1000, t.table.size());
    assertEquals(1024, t.table.capacity());
    for (int i = 0; i < 1000; i++) {
      byte[] k = key("k" + i);
      assertSame(t.entries.get("k" + i), t.table.get(k, t.table.hash(k)));
    }
  }

  @Test
  void insert_pastCapacity_growsIncrementallyAndFindsEveryKeyMeanwhile() {
    Table t = new Table(4);
    t.addRange("k", 0, 1024);
    assertEquals(16L + 4 * 1024, t.table.overheadBytes());

    t.add("k1024");

    assertEquals(2048, t.table.capacity());
    assertEquals(16L + 4 * 1024 + 16L + 4 * 2048, t.table.overheadBytes(), "both tables");
    for (int i = 0; i <= 1024; i++) {
      byte[] k = key("k" + i);
      assertSame(t.entries.get("k" + i), t.table.get(k, t.table.hash(k)), "k" + i);
    }
    assertEquals(16L + 4 * 2048, t.table.overheadBytes(), "lookups finished moving");
    assertEquals(1025, t.table.size());
  }

  @Test
  void remove_whileGrowing_removesFromEitherTable() {
    Table t = new Table(6);
    t.addRange("k", 0, 1025); // growing from 1024 to 2048 buckets, a few buckets moved

    t.removeRange("k", 0, 1025);

    assertEquals(0, t.table.size());
    assertEquals(16, t.table.capacity());
    for (int i = 0; i < 1025; i++) {
      byte[] k = key("k" + i);
      assertNull(t.table.get(k, t.table.hash(k)));
    }
  }

  @Test
  void scanAndForEach_whileGrowing_visitEveryKeyExactlyOnce() {
    Table t = new Table(9);
    t.addRange("k", 0, 1025);
    assertTrue(t.table.overheadBytes() > 16L + 4 * 2048, "still growing");
    Map<String, Integer> scanned = new HashMap<>();
    Map<String, Integer> iterated = new HashMap<>();

    long cursor = 0;
    do {
      cursor = t.table.scan(cursor, e -> scanned.merge(name(e), 1, Integer::sum));
    } while (cursor != 0);
    t.table.forEach(e -> iterated.merge(name(e), 1, Integer::sum));

    assertEquals(t.entries.keySet(), scanned.keySet());
    assertTrue(scanned.values().stream().allMatch(n -> n == 1), "no duplicates in scan");
    assertEquals(t.entries.keySet(), iterated.keySet());
    assertTrue(iterated.values().stream().allMatch(n -> n == 1), "no duplicates in forEach");
  }

  @Test
  void random_whileGrowing_returnsEachEntryEventually() {
    Table t = new Table(12);
    t.addRange("k", 0, 1025);
    SplittableRandom random = new SplittableRandom(7);
    Set<String> seen = new HashSet<>();

    for (int i = 0; i < 200_000 && seen.size() < 1025; i++) {
      seen.add(name(t.table.random(random)));
    }

    assertEquals(t.entries.keySet(), seen);
  }

  @Test
  void remove_mostKeys_shrinksCapacityButNotBelowMinimum() {
    Table t = new Table(3);
    t.addRange("k", 0, 1000);

    t.removeRange("k", 0, 990);

    assertEquals(10, t.table.size());
    assertEquals(64, t.table.capacity());
    t.removeRange("k", 990, 1000);
    assertEquals(0, t.table.size());
    assertEquals(16, t.table.capacity());
  }

  @Test
  void scan_unchangedTable_visitsEveryKeyExactlyOnce() {
    Table t = new Table(11);
    t.addRange("k", 0, 500);
    Map<String, Integer> seen = new HashMap<>();

    long cursor = 0;
    int steps = 0;
    do {
      cursor = t.table.scan(cursor, e -> seen.merge(name(e), 1, Integer::sum));
      steps++;
    } while (cursor != 0);

    assertEquals(t.table.capacity(), steps, "one step per bucket");
    assertEquals(t.entries.keySet(), seen.keySet());
    assertTrue(seen.values().stream().allMatch(n -> n == 1), "no duplicates: " + seen);
  }

  @Test
  void scan_emptyTable_returnsZeroAfterAllBuckets() {
    KeyTable table = new KeyTable(1);
    List<Entry> seen = new ArrayList<>();
    long cursor = 0;
    int steps = 0;
    do {
      cursor = table.scan(cursor, seen::add);
      steps++;
    } while (cursor != 0);
    assertEquals(16, steps);
    assertTrue(seen.isEmpty());
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(ints = {1, 2, 3, 42, 1234567})
  void scan_tableGrowsAndShrinksBetweenSteps_returnsEveryStableKeyAtLeastOnce(int seed) {
    Table t = new Table(seed);
    t.addRange("stable:", 0, 100);
    t.addRange("early:", 0, 1000);
    Set<String> stable = new HashSet<>();
    for (int i = 0; i < 100; i++) {
      stable.add("stable:" + i);
    }
    Set<String> seen = new HashSet<>();
    List<Integer> capacities = new ArrayList<>();
    capacities.add(t.table.capacity());

    long cursor = 0;
    int step = 0;
    do {
      cursor = t.table.scan(cursor, e -> seen.add(name(e)));
      step++;
      // Change the table between steps: shrink, grow a lot, shrink again, grow a little.
      switch (step) {
        case 5 -> t.removeRange("early:", 0, 1000);
        case 9 -> t.addRange("late:", 0, 4000);
        case 30 -> t.removeRange("late:", 0, 3990);
        case 40 -> t.addRange("small:", 0, 500);
        default -> {}
      }
      if (capacities.get(capacities.size() - 1) != t.table.capacity()) {
        capacities.add(t.table.capacity());
      }
      assertTrue(step < 100_000, "scan does not terminate");
    } while (cursor != 0);

    assertEquals(List.of(2048, 512, 8192, 512, 1024), capacities, "the table was resized");
    Set<String> missed = new HashSet<>(stable);
    missed.removeAll(seen);
    assertEquals(Set.of(), missed, "stable keys never returned");
  }

  @Test
  void random_emptyTable_returnsNull() {
    assertNull(new KeyTable(1).random(new SplittableRandom(1)));
  }

  @Test
  void random_afterRemovals_returnsOnlyPresentEntriesAndEventuallyEachOfThem() {
    Table t = new Table(5);
    t.addRange("k", 0, 200);
    t.removeRange("k", 0, 180); // leaves a sparse table: 20 keys
    SplittableRandom random = new SplittableRandom(99);
    Set<String> seen = new HashSet<>();

    for (int i = 0; i < 20_000 && seen.size() < 20; i++) {
      Entry e = t.table.random(random);
      assertSame(t.entries.get(name(e)), e, "random returned an absent entry " + name(e));
      seen.add(name(e));
    }

    assertEquals(t.entries.keySet(), seen);
  }

  @Test
  void forEach_visitorRemovingEntries_visitsEachEntryOnce() {
    Table t = new Table(8);
    t.addRange("k", 0, 100);
    Set<String> visited = new HashSet<>();

    t.table.forEach(
        e -> {
          assertTrue(visited.add(name(e)));
          if (name(e).endsWith("0")) {
            t.table.remove(e);
          }
        });

    assertEquals(t.entries.keySet(), visited);
    assertEquals(90, t.table.size());
  }

  @Test
  void clear_populatedTable_resetsSizeAndCapacity() {
    Table t = new Table(8);
    t.addRange("k", 0, 100);

    t.table.clear();

    assertEquals(0, t.table.size());
    assertEquals(16, t.table.capacity());
    assertNull(t.table.get(key("k1"), t.table.hash(key("k1"))));
    assertEquals(16L + 4 * 16, t.table.overheadBytes());
  }
}
