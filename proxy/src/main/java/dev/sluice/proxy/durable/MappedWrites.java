package dev.sluice.proxy.durable;

import dev.sluice.proxy.durable.RowWritePlanner.Planned;
import dev.sluice.proxy.engine.Errors;
import dev.sluice.proxy.engine.MappedWrite;
import dev.sluice.proxy.engine.RedisError;
import dev.sluice.proxy.engine.WriteBack;
import dev.sluice.proxy.keyspace.Database;
import dev.sluice.proxy.keyspace.Entry;
import dev.sluice.proxy.keyspace.Keyspace;
import dev.sluice.proxy.types.RedisHash;
import dev.sluice.writeback.batch.Flusher;
import dev.sluice.writeback.journal.JournalException;
import dev.sluice.writeback.journal.JournalFullException;
import dev.sluice.writeback.journal.JournalWriter;
import dev.sluice.writeback.sink.KvDelete;
import dev.sluice.writeback.sink.KvWrite;
import dev.sluice.writeback.sink.RowDelete;
import dev.sluice.writeback.sink.RowUpsert;
import dev.sluice.writeback.sink.WriteRecord;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.ToIntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Write-back of keys that are not append rows: row mappings with {@code write: back} and {@code
 * store: kv} mappings. The command executor calls {@link #begin} before a write command runs and
 * {@link #finish} after it, under the keyspace lock; the keyspace's {@link Keyspace.ChangeTap}
 * tells this class, in between, which mapped keys of database 0 the command actually changed.
 *
 * <ul>
 *   <li><b>Row mappings</b>: {@link #begin} checks the command against the table before it runs —
 *       HSET/HMSET/HSETNX (columns and values), HDEL (columns, set to NULL), HINCRBY/HINCRBYFLOAT
 *       (numeric or text columns) on {@code shape: hash}, SET of a JSON object on {@code shape:
 *       json}; DEL/UNLINK; EXPIRE-family commands change only the cached copy — and refuses
 *       anything else, so nothing is journaled or changed for a bad write. After it ran, each
 *       changed key becomes a {@link RowUpsert} of the columns the command named, with their values
 *       as they are now in memory (a field that is gone is NULL); DEL becomes a {@link RowDelete}
 *       when the mapping says {@code on-delete: delete} (whether or not the key was cached).
 *   <li><b>Kv mappings</b>: every changed key becomes its whole state, a {@link KvWrite} (type,
 *       {@link KvValues serialised value}, absolute expiry) or a {@link KvDelete} when it is gone —
 *       whatever the command: SET, HSET, ZADD, LPUSH, XADD, XREADGROUP, XACK, EXPIRE, PERSIST,
 *       RENAME, DEL, a key expiring under a write command. Only write commands count: a read that
 *       finds a key expired journals nothing (the row's {@code expire_at} hides it). Evictions,
 *       FLUSHDB/FLUSHALL and SWAPDB change memory only: the rows stay and come back on a miss.
 * </ul>
 *
 * <p>The records go to the {@link Flusher} (journal, then the mapping's lane) and the command's
 * reply waits for the last one's fsync. Commands nested in EXEC or a script are handled one by one,
 * each at its own end.
 */
public final class MappedWrites implements Keyspace.ChangeTap, WriteBack {
  private static final Logger log = LoggerFactory.getLogger(MappedWrites.class);

  private final Object[] targets; // per mapping index: RowTarget, String (kv mapping name) or null
  private final ToIntFunction<byte[]> route;
  private final Flusher flusher;
  private final JournalWriter journal;
  private volatile Consumer<byte[]> written = key -> {};

  /** Keys written and maybe not yet in PostgreSQL: the LSN of each one's last record. */
  private final java.util.concurrent.ConcurrentHashMap<ByteBuffer, Long> dirty =
      new java.util.concurrent.ConcurrentHashMap<>();

  private int pruneAt = 1024;

  // Under the keyspace lock. Each begin() pushes where its level starts in both lists.
  private final List<byte[]> changed = new ArrayList<>();
  private final List<Planned> planned = new ArrayList<>();
  private int[] marks = new int[16];
  private int depth;
  private boolean snapshotting;

  /**
   * @param targets per mapping index (file order): a {@link RowTarget} for a row mapping with
   *     write: back, the mapping's name for a kv mapping, null otherwise
   * @param route a key's mapping index (first match in file order), or -1
   */
  MappedWrites(
      Object[] targets, ToIntFunction<byte[]> route, Flusher flusher, JournalWriter journal) {
    this.targets = targets.clone();
    this.route = route;
    this.flusher = flusher;
    this.journal = journal;
  }

  /**
   * Called with every mapped key a command wrote, before it is journaled: the look-aside loader
   * forgets that the key was absent (its negative cache), so an evicted written key loads again.
   */
  public void onWritten(Consumer<byte[]> written) {
    this.written = written;
  }

  /** Whether any mapping of this write-back is a kv or row write-back mapping with this name. */
  public boolean handles(String mapping) {
    for (Object t : targets) {
      if ((t instanceof RowTarget r && r.name().equals(mapping)) || mapping.equals(t)) {
        return true;
      }
    }
    return false;
  }

  /** Whether {@code key} (of database 0) belongs to a row write-back or kv mapping. */
  public boolean maps(byte[] key) {
    int index = route.applyAsInt(key);
    return index >= 0 && targets[index] != null;
  }

  /** The mapping name of {@code key} if it belongs to a row write-back or kv mapping, else null. */
  public String mappingOf(byte[] key) {
    int index = route.applyAsInt(key);
    Object t = index < 0 ? null : targets[index];
    return t instanceof RowTarget r ? r.name() : (String) t;
  }

  /**
   * On a loader thread, before a miss of {@code key} reads PostgreSQL: if writes to that key are
   * still on their way, flushes its mapping first (waiting at most {@code timeout}), so the miss
   * reads what was written (a written key evicted, expired or DEL'd with on-delete: evict before
   * its flush). Other keys return at once.
   */
  public void settle(byte[] key, java.time.Duration timeout) {
    Long lsn = dirty.get(ByteBuffer.wrap(key));
    if (lsn == null) {
      return;
    }
    String mapping = mappingOf(key);
    for (dev.sluice.writeback.batch.Lanes.LaneStatus lane : flusher.laneStatus()) {
      if (lane.mapping().equals(mapping) && lane.appliedLsn() < lsn) {
        try {
          flusher.flush(mapping, timeout);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while flushing mapping " + mapping, e);
        }
      }
    }
    dirty.remove(ByteBuffer.wrap(key), lsn);
  }

  /**
   * At start-up, for each record replayed from the journal: its key is dirty until the record is
   * applied, so a miss on it flushes first (see {@link #settle}).
   */
  void replayed(long lsn, WriteRecord record) {
    byte[] key = null;
    if (record instanceof KvWrite w) {
      key = w.key();
    } else if (record instanceof KvDelete d) {
      key = d.key();
    } else {
      List<String> keyValues =
          record instanceof RowUpsert u
              ? u.keyValues()
              : record instanceof RowDelete d ? d.keyValues() : null;
      RowTarget target = keyValues == null ? null : rowTarget(record.mapping());
      if (target != null) {
        String[] values = new String[target.mapping().keys().placeholders().size()];
        for (int i = 0; i < target.keySlots().length; i++) {
          values[target.keySlots()[i]] = keyValues.get(i);
        }
        try {
          key = target.mapping().keys().expand(List.of(values)).getBytes(StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
          key = null; // cannot name the key: its miss reads PostgreSQL as it is
        }
      }
    }
    if (key != null) {
      dirty.put(ByteBuffer.wrap(key.clone()), lsn);
    }
  }

  private RowTarget rowTarget(String mapping) {
    for (Object t : targets) {
      if (t instanceof RowTarget r && r.name().equals(mapping)) {
        return r;
      }
    }
    return null;
  }

  /** Forgets dirty keys whose writes are all applied, once the map has doubled since last time. */
  private void pruneDirty() {
    if (dirty.size() < pruneAt) {
      return;
    }
    long applied = flusher.appliedLsn();
    dirty.values().removeIf(lsn -> lsn <= applied);
    pruneAt = Math.max(1024, dirty.size() * 2);
  }

  @Override
  public void changed(int db, byte[] key) {
    if (depth > 0 && !snapshotting && db == 0 && maps(key)) {
      changed.add(key);
    }
  }

  /**
   * Before a write command runs with {@code args} in database {@code db}, the keys it may write at
   * {@code keyPositions} (its key specs' keys but the read-only ones): checks its writes to row
   * mappings, by what its spec says it does to a row ({@code write}; {@code command} names it in
   * messages). Every successful call must be followed by {@link #finish}.
   *
   * @throws RedisError "ERR" and a message naming the mapping, the column and the value; or "OOM"
   *     when a mapped key is written and the journal is full
   */
  @Override
  public void begin(int db, MappedWrite write, String command, byte[][] args, int[] keyPositions) {
    try {
      check(db, write, command, args, keyPositions);
    } catch (JournalFullException e) {
      throw new RedisError(Errors.JOURNAL_FULL + e.getMessage());
    } catch (IllegalArgumentException e) {
      throw new RedisError("ERR " + e.getMessage());
    }
  }

  private void check(int db, MappedWrite write, String command, byte[][] args, int[] keyPositions) {
    List<Planned> mine = List.of();
    if (db == 0 && write != MappedWrite.NESTED) {
      boolean mapped = false;
      for (int position : keyPositions) {
        byte[] key = args[position];
        int index = route.applyAsInt(key);
        Object target = index < 0 ? null : targets[index];
        if (target == null) {
          continue;
        }
        mapped = true;
        if (target instanceof RowTarget row) {
          Planned p = RowWritePlanner.plan(row, write, command, args, key);
          if (p != null) {
            if (mine.isEmpty()) {
              mine = new ArrayList<>(1);
            }
            mine.add(p);
          }
        }
      }
      if (mapped) {
        refuseWhileFollowing();
        checkBudget();
      }
    }
    if (depth * 2 == marks.length) {
      marks = java.util.Arrays.copyOf(marks, marks.length * 2);
    }
    marks[depth * 2] = changed.size();
    marks[depth * 2 + 1] = planned.size();
    depth++;
    planned.addAll(mine);
  }

  /**
   * A node that follows (a replica with replica-read-only no, or a primary whose lineage another
   * node took over) journals nothing: refused before the command changes memory, rather than after.
   */
  private void refuseWhileFollowing() {
    if (flusher.following()) {
      throw new RedisError(
          "ERR write-back: this node follows a primary or its journal's lineage has a newer owner;"
              + " write-back writes go to the primary");
    }
  }

  private void checkBudget() {
    long pending = journal.pendingBytes();
    if (pending >= journal.budget()) {
      throw new JournalFullException(pending, journal.budget());
    }
  }

  /**
   * After the command begun last: journals what it changed (nothing when {@code ran} is false: it
   * was refused) and returns the future of the last record's durability, or null when nothing was
   * journaled. A journal that fails or is full at this point (after the reply was written) gives a
   * failed future: the connection drops the held replies and closes.
   */
  @Override
  public CompletableFuture<?> finish(Database db0, boolean ran) {
    depth--;
    int changedFrom = marks[depth * 2];
    int plannedFrom = marks[depth * 2 + 1];
    List<WriteRecord> records = new ArrayList<>();
    List<byte[]> keys = new ArrayList<>();
    if (ran) {
      snapshotting = true;
      try {
        snapshot(db0, changedFrom, plannedFrom, records, keys);
      } finally {
        snapshotting = false;
      }
    }
    changed.subList(changedFrom, changed.size()).clear();
    planned.subList(plannedFrom, planned.size()).clear();
    if (records.isEmpty()) {
      return null;
    }
    for (byte[] key : keys) {
      written.accept(key);
    }
    CompletableFuture<Long> last = null;
    try {
      for (int i = 0; i < records.size(); i++) {
        Flusher.Appended appended = flusher.append(records.get(i));
        dirty.put(ByteBuffer.wrap(keys.get(i).clone()), appended.lsn());
        last = appended.durable();
      }
      pruneDirty();
    } catch (JournalException e) {
      log.error(
          "write-back: {} records of a command already applied in memory could not be journaled",
          records.size(),
          e);
      return CompletableFuture.failedFuture(e);
    }
    return last;
  }

  private void snapshot(
      Database db0,
      int changedFrom,
      int plannedFrom,
      List<WriteRecord> records,
      List<byte[]> keys) {
    Set<ByteBuffer> changedKeys = new HashSet<>();
    for (int i = changedFrom; i < changed.size(); i++) {
      changedKeys.add(ByteBuffer.wrap(changed.get(i)));
    }
    for (int i = plannedFrom; i < planned.size(); i++) {
      Planned p = planned.get(i);
      if (p.fields() == null && p.json() == null) {
        records.add(new RowDelete(p.target().name(), p.keyValues()));
        keys.add(p.key());
      } else if (changedKeys.contains(ByteBuffer.wrap(p.key()))) {
        records.add(p.json() != null ? p.json() : upsertOf(db0, p));
        keys.add(p.key());
      }
    }
    Set<ByteBuffer> done = new HashSet<>();
    for (int i = changedFrom; i < changed.size(); i++) {
      byte[] key = changed.get(i);
      int index = route.applyAsInt(key);
      if (!(targets[index] instanceof String kv) || !done.add(ByteBuffer.wrap(key))) {
        continue;
      }
      Entry entry = db0.get(key);
      if (entry == null) {
        records.add(new KvDelete(kv, key.clone()));
      } else {
        KvValues.Serialized value = KvValues.encode(entry.value());
        if (value == null) {
          log.warn(
              "write-back: key '{}' of kv mapping '{}' holds a type Sluice cannot store; not kept",
              RowWritePlanner.shown(key),
              kv);
          continue;
        }
        records.add(
            new KvWrite(
                kv,
                key.clone(),
                value.type(),
                value.bytes(),
                entry.hasExpiry() ? db0.expiry(entry) : 0));
      }
      keys.add(key);
    }
  }

  private static RowUpsert upsertOf(Database db0, Planned p) {
    Entry entry = db0.get(p.key());
    RedisHash hash = entry != null && entry.value() instanceof RedisHash h ? h : null;
    List<byte[]> values = new ArrayList<>(p.fields().size());
    for (String field : p.fields()) {
      values.add(hash == null ? null : hash.get(field.getBytes(StandardCharsets.UTF_8)));
    }
    return new RowUpsert(p.target().name(), p.keyValues(), p.fields(), values);
  }
}
