package dev.sluice.proxy.runtime;

import dev.sluice.proxy.engine.Engine;
import dev.sluice.proxy.keyspace.Database;
import dev.sluice.proxy.keyspace.Keyspace;
import dev.sluice.proxy.rdb.RdbFileWriter;
import dev.sluice.proxy.rdb.RdbOutput;
import dev.sluice.proxy.scripting.Functions;
import dev.sluice.proxy.scripting.ScriptEngine;
import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;

/**
 * The data an RDB file holds, taken at one instant: every live key of every database but those
 * {@code excluded} (keys that live in PostgreSQL), serialised into memory as RDB records under the
 * keyspace lock, and the function libraries. Java cannot fork, so this copy is what makes a
 * background save see one point in time: writing it to disk happens after the lock is released.
 */
final class RdbSnapshot {
  private final Map<String, Object> aux;
  private final List<byte[]> functions;
  private final List<RdbFileWriter.Database> databases;
  private final long keys;
  private final boolean checksum;
  private final boolean compress;

  private RdbSnapshot(
      Map<String, Object> aux,
      List<byte[]> functions,
      List<RdbFileWriter.Database> databases,
      long keys,
      boolean checksum,
      boolean compress) {
    this.aux = aux;
    this.functions = functions;
    this.databases = databases;
    this.keys = keys;
    this.checksum = checksum;
    this.compress = compress;
  }

  /** Takes the snapshot; the caller holds the keyspace lock. */
  static RdbSnapshot take(
      Keyspace keyspace,
      ScriptEngine scripts,
      BiPredicate<Integer, byte[]> excluded,
      boolean checksum,
      boolean compress) {
    Map<String, Object> aux = new LinkedHashMap<>();
    aux.put("redis-ver", Engine.REDIS_VERSION);
    aux.put("redis-bits", 64L);
    aux.put("ctime", keyspace.now() / 1000);
    aux.put("used-mem", keyspace.usedMemory());
    aux.put("aof-base", 0L);
    List<byte[]> functions = new ArrayList<>();
    if (scripts != null) {
      for (Functions.Library library : scripts.functions().libraries()) {
        functions.add(library.code());
      }
    }
    List<RdbFileWriter.Database> databases = new ArrayList<>();
    long total = 0;
    for (int i = 0; i < keyspace.databaseCount(); i++) {
      Database db = keyspace.db(i);
      if (db.size() == 0) {
        continue;
      }
      int index = i;
      RdbOutput records = new RdbOutput(compress);
      long[] counts = new long[2];
      db.forEach(
          entry -> {
            if (db.isExpired(entry) || excluded.test(index, entry.key())) {
              return;
            }
            RdbFileWriter.writeKey(
                records, entry.key(), entry.value(), entry.hasExpiry() ? db.expiry(entry) : -1);
            counts[0]++;
            if (entry.hasExpiry()) {
              counts[1]++;
            }
          });
      if (counts[0] > 0) {
        databases.add(new RdbFileWriter.Database(i, counts[0], counts[1], records));
        total += counts[0];
      }
    }
    return new RdbSnapshot(aux, functions, databases, total, checksum, compress);
  }

  long keys() {
    return keys;
  }

  /** The whole RDB file, in memory: what a replica's full synchronisation sends. */
  byte[] toBytes() {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    try {
      RdbFileWriter.write(out, aux, functions, databases, checksum, compress);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e); // a ByteArrayOutputStream does not fail
    }
    return out.toByteArray();
  }

  /**
   * Writes the snapshot as Redis does: to {@code temp} in {@code dir}, flushed and fsynced, then
   * renamed over {@code file} and the directory fsynced, so that {@code file} is always a whole
   * snapshot, the old or the new one.
   */
  void writeTo(Path dir, String temp, String file) throws IOException {
    Path tempPath = dir.resolve(temp);
    try {
      try (FileOutputStream stream = new FileOutputStream(tempPath.toFile());
          OutputStream out = new BufferedOutputStream(stream, 1 << 16)) {
        RdbFileWriter.write(out, aux, functions, databases, checksum, compress);
        out.flush();
        stream.getFD().sync();
      }
      Files.move(tempPath, dir.resolve(file), StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tempPath);
    }
    try (FileChannel directory = FileChannel.open(dir, StandardOpenOption.READ)) {
      directory.force(true);
    }
  }
}
