package dev.sluice.proxy.keyspace;

import java.util.LinkedHashSet;
import java.util.SplittableRandom;
import java.util.concurrent.locks.ReentrantLock;

/**
 * All databases, the one lock every command runs under, memory accounting, eviction and the active
 * expiry cycle.
 *
 * <p>Atomicity follows KeyDB's model (see docs/ARCHITECTURE.md): the I/O thread that decoded a
 * command runs it while holding {@link #lock()}; nothing slow — database queries, fsync, socket
 * writes — happens while it is held.
 */
public final class Keyspace {
  private static final int LFU_INIT_VAL = 5;
  private static final int EXPIRE_KEYS_PER_LOOP = 20;

  private final ReentrantLock lock = new ReentrantLock();
  private final Database[] databases;
  private final Clock clock;
  final KeyspaceStats stats = new KeyspaceStats();
  final SplittableRandom random = new SplittableRandom();

  /** Clients WATCHing keys; told of every change to them, whatever its cause. */
  private final KeyRegistry<KeyWatcher> watchers = new KeyRegistry<>();

  /** Clients blocked on keys (BLPOP …), by whatever object represents them. */
  private final KeyRegistry<Object> blocked = new KeyRegistry<>();

  /** Keys with blocked clients that changed since the blocked clients were last served. */
  private final LinkedHashSet<DbKey> readyKeys = new LinkedHashSet<>();

  private KeyspaceEvents events = KeyspaceEvents.NONE;
  private volatile int notifyFlags;

  /** Told of every changed key (write-back of mapped keys); null when nothing listens. */
  private ChangeTap tap;

  /** Hears, under the lock, of every key that changes (written, deleted, expired, evicted). */
  public interface ChangeTap {
    void changed(int db, byte[] key);
  }

  /**
   * Hears, under the lock, of what invalidates values clients keep in their own memory (CLIENT
   * TRACKING): a changed key, whatever its database (Redis tracks key names only), or a flush.
   */
  public interface Invalidations {
    void keyChanged(byte[] key);

    /** FLUSHALL, FLUSHDB, SWAPDB: every cached value may be stale. */
    void allChanged();

    Invalidations NONE =
        new Invalidations() {
          @Override
          public void keyChanged(byte[] key) {}

          @Override
          public void allChanged() {}
        };
  }

  private Invalidations invalidations = Invalidations.NONE;

  /**
   * Hears, under the lock, of keys the server deleted on its own (expired, evicted), which replicas
   * must delete too: they do not expire or evict keys themselves.
   */
  public interface Deletions {
    void deleted(int db, byte[] key);

    Deletions NONE = (db, key) -> {};
  }

  private Deletions deletions = Deletions.NONE;

  /** Installs the one {@link Deletions}; before serving. */
  public void deletions(Deletions deletions) {
    this.deletions = deletions;
  }

  void deletedByServer(int db, byte[] key) {
    deletions.deleted(db, key);
  }

  private volatile long maxmemory;
  // under the lock
  private boolean noTouch;
  private volatile EvictionPolicy policy = EvictionPolicy.NOEVICTION;
  private volatile int maxmemorySamples = 5;
  private volatile int lfuLogFactor = 10;
  private volatile int lfuDecayTime = 1;

  public Keyspace(int databases, Clock clock) {
    this.clock = clock;
    this.databases = new Database[databases];
    int seed = new SplittableRandom().nextInt();
    for (int i = 0; i < databases; i++) {
      this.databases[i] = new Database(this, i, seed);
    }
  }

  public ReentrantLock lock() {
    return lock;
  }

  public Database db(int index) {
    return databases[index];
  }

  public int databaseCount() {
    return databases.length;
  }

  public Clock clock() {
    return clock;
  }

  public long now() {
    return clock.millis();
  }

  public KeyspaceStats stats() {
    return stats;
  }

  /** Exchanges the contents of two databases, as SWAPDB; clients keep their selected index. */
  public void swap(int a, int b) {
    Database first = databases[a];
    databases[a] = databases[b];
    databases[b] = first;
    databases[a].index(a);
    databases[b].index(b);
    allModified(a, databases[a], databases[b]);
    allModified(b, databases[a], databases[b]);
    // Redis 7 leaves tracking clients' caches alone on SWAPDB; their values may then be another
    // database's, so Sluice invalidates them all, as for a flush.
    invalidations.allChanged();
  }

  public void flushAll() {
    for (Database db : databases) {
      db.clear();
    }
    invalidations.allChanged();
  }

  /** FLUSHDB: empties one database. */
  public void flush(int db) {
    databases[db].clear();
    invalidations.allChanged();
  }

  // ---- interest in keys: WATCH, blocked clients, keyspace notifications ----

  public KeyRegistry<KeyWatcher> watchers() {
    return watchers;
  }

  public KeyRegistry<Object> blocked() {
    return blocked;
  }

  /** Installs the one {@link ChangeTap} (null: none); under the lock or before serving. */
  public void tap(ChangeTap tap) {
    this.tap = tap;
  }

  /** Installs the one {@link Invalidations}; before serving. */
  public void invalidations(Invalidations invalidations) {
    this.invalidations = invalidations;
  }

  /**
   * A key changed outside this keyspace (its row in PostgreSQL): clients that cached it are told,
   * whether or not a copy is in memory. Null: anything may have changed (changes were missed).
   */
  public void changedElsewhere(byte[] key) {
    if (key == null) {
      invalidations.allChanged();
    } else {
      invalidations.keyChanged(key);
    }
  }

  /**
   * Called for every change to a key: tells write-back and client-side caches, dirties its WATCHes
   * and marks it ready for the blocked.
   */
  void keyModified(int db, byte[] key) {
    if (tap != null) {
      tap.changed(db, key);
    }
    invalidations.keyChanged(key);
    if (!watchers.isEmpty()) {
      for (KeyWatcher watcher : watchers.get(db, key)) {
        watcher.keyModified();
      }
    }
    if (!blocked.isEmpty() && !blocked.get(db, key).isEmpty()) {
      readyKeys.add(new DbKey(db, new BytesKey(key)));
    }
  }

  /**
   * A whole database changed (FLUSHDB, SWAPDB). As in Redis, a WATCHed key counts as modified only
   * if it exists in one of {@code holders} (the emptied database, or either side of a swap): WATCH
   * of a key that is missing before and after leaves EXEC free to run.
   */
  void allModified(int db, Database... holders) {
    for (BytesKey key : watchers.keysIn(db)) {
      for (Database holder : holders) {
        if (holder.contains(key.bytes())) {
          watchers.get(db, key.bytes()).forEach(KeyWatcher::keyModified);
          break;
        }
      }
    }
    for (BytesKey key : blocked.keysIn(db)) {
      readyKeys.add(new DbKey(db, key));
    }
  }

  /** Takes the keys made ready since the last call, oldest first. */
  public java.util.List<DbKey> takeReadyKeys() {
    if (readyKeys.isEmpty()) {
      return java.util.List.of();
    }
    java.util.List<DbKey> ready = new java.util.ArrayList<>(readyKeys);
    readyKeys.clear();
    return ready;
  }

  public boolean hasReadyKeys() {
    return !readyKeys.isEmpty();
  }

  /** A key of a database, as blocked clients wait on them. */
  public record DbKey(int db, BytesKey key) {}

  public void events(KeyspaceEvents events) {
    this.events = events;
  }

  public void notifyFlags(int flags) {
    this.notifyFlags = flags;
  }

  public int notifyFlags() {
    return notifyFlags;
  }

  /** Sends a keyspace notification if {@code notify-keyspace-events} asks for its class. */
  public void notify(int type, String event, byte[] key, int db) {
    int flags = notifyFlags;
    if ((flags & type) != 0 && (flags & (NotifyFlags.KEYSPACE | NotifyFlags.KEYEVENT)) != 0) {
      events.keyspaceEvent(type, event, key, db);
    }
  }

  public long usedMemory() {
    long total = 0;
    for (Database db : databases) {
      total += db.memory();
    }
    return total;
  }

  // ---- eviction settings, changed by CONFIG SET ----

  public void maxmemory(long bytes) {
    this.maxmemory = bytes;
  }

  public long maxmemory() {
    return maxmemory;
  }

  public void policy(EvictionPolicy policy) {
    this.policy = policy;
  }

  public EvictionPolicy policy() {
    return policy;
  }

  public void maxmemorySamples(int samples) {
    this.maxmemorySamples = samples;
  }

  public void lfuLogFactor(int factor) {
    this.lfuLogFactor = factor;
  }

  public void lfuDecayTime(int minutes) {
    this.lfuDecayTime = minutes;
  }

  // ---- LRU / LFU bookkeeping (Redis's algorithms, with the injected clock) ----

  private boolean accessClockHeld;
  private long accessClockMillis = -1;

  void initAccess(Entry entry) {
    entry.access = policy.lfu() ? (lfuMinutes() << 8) | LFU_INIT_VAL : lruSeconds();
  }

  /**
   * Sluice is a replica: keys expire only when the primary's DEL arrives (reads of a key past its
   * time find nothing, but it stays), and neither the active cycle nor eviction deletes keys, as
   * Redis's replicas with replica-ignore-maxmemory.
   */
  public void replica(boolean replica) {
    this.replica = replica;
  }

  public boolean replica() {
    return replica;
  }

  /** Set by the executor around the primary's commands, which see expired keys as present. */
  public void obeyingPrimary(boolean obeying) {
    this.obeyingPrimary = obeying;
  }

  boolean obeyingPrimary() {
    return obeyingPrimary;
  }

  private volatile boolean replica;
  private boolean obeyingPrimary;

  /**
   * Whether the running command's lookups leave LRU/LFU data alone (CLIENT NO-TOUCH); set by the
   * executor around a handler, under the lock.
   */
  public void noTouch(boolean noTouch) {
    this.noTouch = noTouch;
  }

  /** A key looked up by a command: touched unless the command runs for a NO-TOUCH client. */
  void lookedUp(Entry entry) {
    if (!noTouch) {
      touch(entry);
    }
  }

  void touch(Entry entry) {
    if (policy.lfu()) {
      int counter = lfuLogIncrement(lfuDecayed(entry));
      entry.access = (lfuMinutes() << 8) | counter;
    } else {
      entry.access = lruSeconds();
    }
  }

  /**
   * While {@code held}, LRU and LFU read the clock once, at the first access, as Redis reads its
   * cached LRU clock: a connection holds it over a chunk of its pipeline, a fraction of a second at
   * most against the clocks' resolution of a second and a minute. A clock read per key access was a
   * tenth of a pipelined SET's dispatch (DispatchBench).
   */
  public void holdAccessClock(boolean held) {
    accessClockHeld = held;
    accessClockMillis = -1;
  }

  private long accessMillis() {
    if (!accessClockHeld) {
      return clock.millis();
    }
    if (accessClockMillis < 0) {
      accessClockMillis = clock.millis();
    }
    return accessClockMillis;
  }

  private int lruSeconds() {
    return (int) (accessMillis() / 1000);
  }

  private int lfuMinutes() {
    return (int) ((accessMillis() / 60_000) & 0xffff);
  }

  /** The LFU counter after the decay its idle minutes call for (OBJECT FREQ). */
  public int lfuDecayed(Entry entry) {
    int lastMinutes = entry.access >>> 8 & 0xffff;
    int counter = entry.access & 0xff;
    int now = lfuMinutes();
    int elapsed = now >= lastMinutes ? now - lastMinutes : 65535 - lastMinutes + now;
    int periods = lfuDecayTime == 0 ? 0 : elapsed / lfuDecayTime;
    return periods > counter ? 0 : counter - periods;
  }

  private int lfuLogIncrement(int counter) {
    if (counter == 255) {
      return 255;
    }
    double base = Math.max(0, counter - LFU_INIT_VAL);
    double p = 1.0 / (base * lfuLogFactor + 1);
    return random.nextDouble() < p ? counter + 1 : counter;
  }

  /** Seconds since the key was last accessed (OBJECT IDLETIME), for LRU policies. */
  public long idleSeconds(Entry entry) {
    return Math.max(0, lruSeconds() - entry.access);
  }

  // ---- eviction ----

  /**
   * Evicts keys by policy until used memory is within maxmemory. Returns false when still over the
   * limit (noeviction, or nothing left to evict), in which case write commands get OOM.
   */
  public boolean freeMemoryIfNeeded() {
    long limit = maxmemory;
    if (limit == 0 || replica) {
      return true;
    }
    EvictionPolicy current = policy;
    while (usedMemory() > limit) {
      if (!current.evicts()) {
        return false;
      }
      Entry victim = null;
      Database victimDb = null;
      long best = Long.MIN_VALUE;
      for (Database db : databases) {
        for (int i = 0; i < maxmemorySamples; i++) {
          Entry candidate = db.sample(current.onlyVolatile());
          if (candidate == null) {
            break;
          }
          long score = evictionScore(current, db, candidate);
          if (victim == null || score > best) {
            victim = candidate;
            victimDb = db;
            best = score;
          }
        }
      }
      if (victim == null) {
        return false;
      }
      victimDb.remove(victim);
      deletions.deleted(victimDb.index(), victim.key);
      stats.evicted++;
      notify(NotifyFlags.EVICTED, "evicted", victim.key, victimDb.index());
    }
    return true;
  }

  /** Higher means a better victim. */
  private long evictionScore(EvictionPolicy current, Database db, Entry entry) {
    return switch (current) {
      case ALLKEYS_LRU, VOLATILE_LRU -> idleSeconds(entry);
      case ALLKEYS_LFU, VOLATILE_LFU -> 255 - lfuDecayed(entry);
      case VOLATILE_TTL -> -db.expiry(entry);
      default -> 0;
    };
  }

  // ---- active expiry ----

  /**
   * Removes expired keys by sampling, as Redis's active expire cycle: per database, sample keys
   * with a TTL and go on while more than a tenth of a sample had expired, until {@code budgetNanos}
   * is used up. Runs under the lock; callers hold it.
   */
  public void activeExpireCycle(long budgetNanos) {
    if (replica) {
      return;
    }
    long deadline = System.nanoTime() + budgetNanos;
    for (Database db : databases) {
      while (db.volatileCount() > 0) {
        int[] result = db.expireSample(EXPIRE_KEYS_PER_LOOP);
        if (result[1] * 10 <= result[0] || System.nanoTime() > deadline) {
          break;
        }
      }
      if (System.nanoTime() > deadline) {
        return;
      }
    }
  }
}
