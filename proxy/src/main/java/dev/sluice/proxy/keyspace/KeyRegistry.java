package dev.sluice.proxy.keyspace;

import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Who is interested in which keys, per database index: clients WATCHing keys, clients blocked on
 * keys. Keyed by index rather than by {@link Database} because SWAPDB swaps contents under fixed
 * indexes, as in Redis. Guarded by the keyspace lock; interest is kept in arrival order.
 */
public final class KeyRegistry<T> {
  private final Map<Integer, Map<BytesKey, Set<T>>> byDb = new HashMap<>();

  public boolean isEmpty() {
    return byDb.isEmpty();
  }

  public void add(int db, byte[] key, T who) {
    byDb.computeIfAbsent(db, d -> new HashMap<>())
        .computeIfAbsent(new BytesKey(key), k -> new LinkedHashSet<>())
        .add(who);
  }

  public void remove(int db, byte[] key, T who) {
    Map<BytesKey, Set<T>> keys = byDb.get(db);
    if (keys == null) {
      return;
    }
    BytesKey k = new BytesKey(key);
    Set<T> set = keys.get(k);
    if (set != null && set.remove(who) && set.isEmpty()) {
      keys.remove(k);
      if (keys.isEmpty()) {
        byDb.remove(db);
      }
    }
  }

  /** Those interested in a key, in arrival order; empty when none. */
  public Set<T> get(int db, byte[] key) {
    Map<BytesKey, Set<T>> keys = byDb.get(db);
    Set<T> set = keys == null ? null : keys.get(new BytesKey(key));
    return set == null ? Collections.emptySet() : set;
  }

  /** Everyone interested in any key of a database. */
  public void forEachIn(int db, Consumer<T> action) {
    Map<BytesKey, Set<T>> keys = byDb.get(db);
    if (keys != null) {
      keys.values().forEach(set -> set.forEach(action));
    }
  }

  /** The keys of a database someone is interested in. */
  public Set<BytesKey> keysIn(int db) {
    Map<BytesKey, Set<T>> keys = byDb.get(db);
    return keys == null ? Collections.emptySet() : keys.keySet();
  }
}
