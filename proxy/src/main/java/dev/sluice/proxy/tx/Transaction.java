package dev.sluice.proxy.tx;

import dev.sluice.proxy.keyspace.KeyWatcher;
import dev.sluice.proxy.keyspace.Keyspace;
import java.util.ArrayList;
import java.util.List;

/**
 * A client's MULTI queue and WATCHed keys. A watched key's change of any kind — a write, expiry,
 * eviction, FLUSHDB, SWAPDB — reaches {@link #keyModified} through the keyspace and makes the next
 * EXEC fail. Guarded by the keyspace lock.
 */
public final class Transaction implements KeyWatcher {
  private record Watched(int db, byte[] key) {}

  private List<byte[][]> queued;
  private boolean aborted;
  private boolean dirty;
  private final List<Watched> watched = new ArrayList<>();

  public boolean inMulti() {
    return queued != null;
  }

  public void begin() {
    queued = new ArrayList<>();
    aborted = false;
  }

  /** The commands queued so far. */
  public List<byte[][]> queued() {
    return queued;
  }

  public void queue(byte[][] args) {
    queued.add(args);
  }

  /** A command was refused while queueing: EXEC will answer EXECABORT. */
  public void abort() {
    aborted = true;
  }

  public boolean aborted() {
    return aborted;
  }

  /** Leaves MULTI, returning what was queued. */
  public List<byte[][]> end() {
    List<byte[][]> commands = queued;
    queued = null;
    aborted = false;
    return commands;
  }

  /** Keys WATCHed (CLIENT LIST's watch=). */
  public int watchedCount() {
    return watched.size();
  }

  /** Whether a WATCHed key changed, without expiring any (CLIENT LIST's flag d). */
  public boolean watchedKeyChanged() {
    return dirty;
  }

  public void watch(Keyspace keyspace, int db, byte[] key) {
    for (Watched w : watched) {
      if (w.db == db && java.util.Arrays.equals(w.key, key)) {
        return;
      }
    }
    watched.add(new Watched(db, key));
    keyspace.watchers().add(db, key, this);
  }

  /**
   * Whether a watched key changed. Looking each key up first expires those whose time has passed,
   * so a key that expired after WATCH fails the EXEC even if nobody touched it, as in Redis.
   */
  public boolean dirty(Keyspace keyspace) {
    for (Watched w : watched) {
      keyspace.db(w.db).get(w.key);
    }
    return dirty;
  }

  public void unwatchAll(Keyspace keyspace) {
    for (Watched w : watched) {
      keyspace.watchers().remove(w.db, w.key, this);
    }
    watched.clear();
    dirty = false;
  }

  @Override
  public void keyModified() {
    dirty = true;
  }
}
