package dev.sluice.proxy.runtime;

import dev.sluice.proxy.engine.RedisError;
import dev.sluice.proxy.keyspace.Database;
import dev.sluice.proxy.keyspace.Entry;
import dev.sluice.proxy.keyspace.Keyspace;
import dev.sluice.proxy.rdb.RdbFileLoader;
import dev.sluice.proxy.rdb.RdbFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiPredicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RDB file: loading it at start-up, SAVE, BGSAVE, the save points the cron checks, and what
 * INFO persistence shows of them. The keyspace lock guards the state here, except what the
 * background writer changes when it ends ({@code synchronized}).
 *
 * <p>A background save takes an {@link RdbSnapshot} under the lock (the pause clients see) and
 * writes it on a thread of its own, {@code sluice-bgsave}. Each snapshot is numbered, and a file
 * only replaces the one on disk when it is newer, so a SAVE (or SHUTDOWN's save) that runs while a
 * BGSAVE is still writing is not undone by it.
 */
public final class Persistence {
  private static final Logger log = LoggerFactory.getLogger(Persistence.class);

  /** After a failed background save, the save points wait this long to try again (Redis's). */
  private static final long RETRY_DELAY_SECONDS = 5;

  private final ServerContext server;
  private volatile BiPredicate<Integer, byte[]> excluded = (db, key) -> false;
  private volatile long[] savePoints = new long[0];
  private volatile Path dir = Path.of(".").toAbsolutePath().normalize();
  private volatile String fileName = "dump.rdb";
  private volatile boolean compress = true;
  private volatile boolean checksum = true;

  private long lastSave; // seconds, the keyspace clock
  private long lastBgsaveTry;
  private boolean lastBgsaveOk = true;
  private long lastBgsaveSeconds = -1;
  private long bgsaveStartedMillis = -1;
  private long dirtyAtLastSave;
  private long saves;
  private long lastLoadKeysLoaded;
  private long lastLoadKeysExpired;
  private boolean scheduled;
  private long snapshots; // numbers the snapshots taken
  private final Object fileLock = new Object(); // held while a file is written
  private long installed; // the number of the snapshot on disk, under fileLock

  Persistence(ServerContext server) {
    this.server = server;
    this.lastSave = server.keyspace().now() / 1000;
  }

  /** Keys never saved nor loaded: those of PostgreSQL mappings, which live in PostgreSQL. */
  public void exclude(BiPredicate<Integer, byte[]> excluded) {
    this.excluded = excluded;
  }

  void savePoints(String points) {
    String[] words = points.isEmpty() ? new String[0] : points.split(" ");
    long[] parsed = new long[words.length];
    for (int i = 0; i < words.length; i++) {
      parsed[i] = Long.parseLong(words[i]);
    }
    savePoints = parsed;
  }

  void dir(String dir) {
    this.dir = Path.of(dir);
  }

  void fileName(String fileName) {
    this.fileName = fileName;
  }

  void compress(boolean compress) {
    this.compress = compress;
  }

  void checksum(boolean checksum) {
    this.checksum = checksum;
  }

  /** The RDB file: dir/dbfilename. */
  public Path file() {
    return dir.resolve(fileName);
  }

  /** Whether save points are configured: then SHUTDOWN and SIGTERM save, as in Redis. */
  public boolean savesOnShutdown() {
    return savePoints.length > 0;
  }

  // --- loading ---------------------------------------------------------------------------------

  /**
   * Loads dir/dbfilename into the empty keyspace, when it exists: keys whose expiry has passed and
   * excluded keys are skipped; the function libraries are loaded unless {@code withFunctions} is
   * false (they live in PostgreSQL then). Called before the server serves.
   *
   * @throws IllegalStateException naming the file and the offset, when it cannot be read
   */
  public void load(boolean withFunctions) {
    Path file = file();
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      log.debug("No RDB file at {}: starting empty", file);
      return;
    } catch (IOException | OutOfMemoryError e) {
      throw new IllegalStateException("cannot read the RDB file " + file + ": " + e, e);
    }
    load(bytes, file.toString(), withFunctions);
  }

  /**
   * A full synchronisation's file from the primary: it replaces every key and function library,
   * under the keyspace lock (reentrant: the caller may hold it).
   *
   * @throws IllegalStateException when the file cannot be read; the data is then partly loaded, and
   *     the replica synchronises again
   */
  public void loadFromPrimary(byte[] bytes, String primary) {
    Keyspace keyspace = server.keyspace();
    keyspace.lock().lock();
    try {
      keyspace.flushAll();
      server.scripts().functions().flush();
      load(bytes, "the RDB file of the primary " + primary, true);
    } finally {
      keyspace.lock().unlock();
    }
  }

  private void load(byte[] bytes, String file, boolean withFunctions) {
    long started = System.nanoTime();
    Keyspace keyspace = server.keyspace();
    List<byte[]> functions = new ArrayList<>();
    long[] counts = new long[2];
    keyspace.lock().lock();
    try {
      RdbFileLoader.Summary summary =
          RdbFileLoader.load(
              bytes,
              file,
              keyspace.databaseCount(),
              checksum,
              new RdbFileLoader.Sink() {
                @Override
                public void function(byte[] code) {
                  functions.add(code);
                }

                @Override
                public void key(int db, byte[] key, Object value, long expireAt) {
                  // as Redis: a replica keeps them, its primary's DEL will follow
                  if (expireAt >= 0 && expireAt < keyspace.now() && !keyspace.replica()) {
                    counts[1]++;
                    return;
                  }
                  if (excluded.test(db, key)) {
                    return;
                  }
                  Database database = keyspace.db(db);
                  if (database.get(key) != null) {
                    throw new RdbFormatException("duplicate key in database " + db);
                  }
                  Entry entry = database.insert(key, value);
                  if (expireAt >= 0) {
                    database.expireAt(entry, expireAt);
                  }
                  counts[0]++;
                }
              });
      if (withFunctions && !functions.isEmpty()) {
        List<String> failures = server.scripts().functions().loadStored(functions);
        if (!failures.isEmpty()) {
          throw new IllegalStateException(
              "the RDB file " + file + " holds a function library that does not load: " + failures);
        }
      }
      lastLoadKeysLoaded = counts[0];
      lastLoadKeysExpired = counts[1];
      dirtyAtLastSave = server.stats().dirty.sum();
      log.info(
          "Loaded {} (RDB version {}, written by {} {}): {} keys, {} expired keys skipped,"
              + " {} function libraries, in {} ms",
          file,
          summary.version(),
          summary.aux().containsKey("redis-ver") ? "Redis" : "an unnamed writer",
          summary.aux().getOrDefault("redis-ver", ""),
          counts[0],
          counts[1],
          withFunctions ? functions.size() : 0,
          (System.nanoTime() - started) / 1_000_000);
    } catch (RdbFormatException e) {
      throw new IllegalStateException(e.getMessage(), e);
    } finally {
      keyspace.lock().unlock();
    }
  }

  // --- saving ----------------------------------------------------------------------------------

  /**
   * The dataset as an RDB file in memory, for a replica's full synchronisation; the caller holds
   * the keyspace lock, so the file is the data at the replication offset of that moment.
   */
  public byte[] rdbForReplica() {
    return snapshot().toBytes();
  }

  private RdbSnapshot snapshot() {
    return RdbSnapshot.take(
        server.keyspace(), server.scriptsIfBuilt(), excluded, checksum, compress);
  }

  /**
   * SAVE: writes the file now, the caller holding the keyspace lock (every client waits, as in
   * Redis).
   *
   * @return whether the file was written (a failure is logged)
   */
  public boolean save() {
    if (bgsaveInProgress()) {
      throw new RedisError("ERR Background save already in progress");
    }
    return saveNow();
  }

  /** SHUTDOWN's save: as SAVE, but a background save in progress is overtaken, not waited for. */
  public boolean saveNow() {
    long dirtyBefore = server.stats().dirty.sum();
    RdbSnapshot snapshot = snapshot();
    long number = ++snapshots;
    try {
      long started = System.nanoTime();
      install(snapshot, number, "temp-" + ProcessHandle.current().pid() + ".rdb");
      log.info(
          "DB saved on disk: {} keys in {} ms",
          snapshot.keys(),
          (System.nanoTime() - started) / 1_000_000);
    } catch (IOException e) {
      log.error("Failed saving the DB to {}: {}", file(), e.toString());
      return false;
    }
    saved(dirtyBefore);
    return true;
  }

  /**
   * BGSAVE: the caller holds the keyspace lock; the snapshot is taken now and written by the {@code
   * sluice-bgsave} thread.
   *
   * @throws RedisError when one is in progress already
   */
  public void bgsave() {
    if (bgsaveInProgress()) {
      throw new RedisError("ERR Background save already in progress");
    }
    startBgsave();
  }

  /** BGSAVE inside MULTI, as Redis's: started by the cron once the transaction is over. */
  public void schedule() {
    scheduled = true;
  }

  private void startBgsave() {
    Keyspace keyspace = server.keyspace();
    long dirtyBefore = server.stats().dirty.sum();
    long started = System.nanoTime();
    RdbSnapshot snapshot = snapshot();
    long pauseMillis = (System.nanoTime() - started) / 1_000_000;
    long number = ++snapshots;
    scheduled = false;
    synchronized (this) {
      bgsaveStartedMillis = keyspace.now();
      lastBgsaveTry = keyspace.now() / 1000;
    }
    log.info(
        "Background saving started: {} keys copied in {} ms under the lock",
        snapshot.keys(),
        pauseMillis);
    Thread writer =
        new Thread(
            () -> {
              boolean ok;
              try {
                install(snapshot, number, "temp-" + ProcessHandle.current().pid() + "-bg.rdb");
                ok = true;
                log.info("Background saving terminated with success");
              } catch (IOException | RuntimeException e) {
                ok = false;
                log.error("Background saving failed, {}: {}", file(), e.toString());
              }
              bgsaveEnded(ok, dirtyBefore);
            },
            "sluice-bgsave");
    writer.setDaemon(true);
    writer.start();
  }

  private void install(RdbSnapshot snapshot, long number, String temp) throws IOException {
    synchronized (fileLock) {
      if (number < installed) {
        return; // a newer snapshot is on disk already
      }
      snapshot.writeTo(dir, temp, fileName);
      installed = number;
    }
  }

  private void bgsaveEnded(boolean ok, long dirtyBefore) {
    Keyspace keyspace = server.keyspace();
    keyspace.lock().lock();
    try {
      synchronized (this) {
        lastBgsaveSeconds = (keyspace.now() - bgsaveStartedMillis) / 1000;
        bgsaveStartedMillis = -1;
        lastBgsaveOk = ok;
      }
      if (ok) {
        saved(dirtyBefore);
      }
    } finally {
      keyspace.lock().unlock();
    }
  }

  private void saved(long dirtyBefore) {
    dirtyAtLastSave = Math.max(dirtyAtLastSave, dirtyBefore);
    lastSave = server.keyspace().now() / 1000;
    saves++;
  }

  public synchronized boolean bgsaveInProgress() {
    return bgsaveStartedMillis >= 0;
  }

  /**
   * The cron's check, under the keyspace lock: starts a background save when a save point is
   * reached (Redis's rule: at least that many changes and more than that many seconds since the
   * last save; after a failure, not before {@value #RETRY_DELAY_SECONDS} s), or when one was
   * scheduled.
   */
  void cron() {
    if (bgsaveInProgress()) {
      return;
    }
    if (scheduled) {
      startBgsave();
      return;
    }
    long now = server.keyspace().now() / 1000;
    long changes = changesSinceLastSave();
    long[] points = savePoints;
    boolean retryAllowed;
    synchronized (this) {
      retryAllowed = lastBgsaveOk || now - lastBgsaveTry > RETRY_DELAY_SECONDS;
    }
    for (int i = 0; i + 1 < points.length; i += 2) {
      if (changes >= points[i + 1] && now - lastSave > points[i] && retryAllowed) {
        log.info("{} changes in {} seconds. Saving...", points[i + 1], points[i]);
        startBgsave();
        return;
      }
    }
  }

  // --- INFO, LASTSAVE --------------------------------------------------------------------------

  /** LASTSAVE: the Unix time of the last successful save (or of the start). */
  public long lastSave() {
    return lastSave;
  }

  public long changesSinceLastSave() {
    return Math.max(0, server.stats().dirty.sum() - dirtyAtLastSave);
  }

  /** INFO persistence's rdb_* fields, in Redis's order, as name and value. */
  public synchronized List<Object[]> infoFields() {
    long now = server.keyspace().now();
    List<Object[]> fields = new ArrayList<>();
    fields.add(new Object[] {"rdb_changes_since_last_save", changesSinceLastSave()});
    fields.add(new Object[] {"rdb_bgsave_in_progress", bgsaveInProgress() ? 1 : 0});
    fields.add(new Object[] {"rdb_last_save_time", lastSave});
    fields.add(new Object[] {"rdb_last_bgsave_status", lastBgsaveOk ? "ok" : "err"});
    fields.add(new Object[] {"rdb_last_bgsave_time_sec", lastBgsaveSeconds});
    fields.add(
        new Object[] {
          "rdb_current_bgsave_time_sec",
          bgsaveStartedMillis < 0 ? -1 : (now - bgsaveStartedMillis) / 1000
        });
    fields.add(new Object[] {"rdb_saves", saves});
    fields.add(new Object[] {"rdb_last_cow_size", 0});
    fields.add(new Object[] {"rdb_last_load_keys_expired", lastLoadKeysExpired});
    fields.add(new Object[] {"rdb_last_load_keys_loaded", lastLoadKeysLoaded});
    return fields;
  }
}
