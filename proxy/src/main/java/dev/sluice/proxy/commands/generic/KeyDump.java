package dev.sluice.proxy.commands.generic;

import dev.sluice.proxy.engine.CommandContext;
import dev.sluice.proxy.engine.Errors;
import dev.sluice.proxy.engine.RedisError;
import dev.sluice.proxy.keyspace.Database;
import dev.sluice.proxy.keyspace.Entry;
import dev.sluice.proxy.keyspace.NotifyFlags;
import dev.sluice.proxy.rdb.DumpPayload;
import dev.sluice.proxy.rdb.RdbFormatException;

/** DUMP and RESTORE (cluster.c: dumpCommand, restoreCommand), on the payloads of package rdb. */
final class KeyDump {
  private KeyDump() {}

  static void dump(CommandContext c) {
    Entry entry = c.db().read(c.arg(1));
    if (entry == null) {
      c.reply().nil();
      return;
    }
    c.reply().bulk(DumpPayload.create(entry.value()));
  }

  /** RESTORE key ttl serialized-value [REPLACE] [ABSTTL] [IDLETIME seconds] [FREQ frequency]. */
  static void restore(CommandContext c) {
    boolean replace = false;
    boolean absTtl = false;
    long idle = -1;
    long freq = -1;
    for (int i = 4; i < c.argc(); i++) {
      boolean more = i + 1 < c.argc();
      if (c.is(i, "replace")) {
        replace = true;
      } else if (c.is(i, "absttl")) {
        absTtl = true;
      } else if (c.is(i, "idletime") && more && freq == -1) {
        idle = c.longArg(++i);
        if (idle < 0) {
          throw new RedisError("ERR Invalid IDLETIME value, must be >= 0");
        }
      } else if (c.is(i, "freq") && more && idle == -1) {
        freq = c.longArg(++i);
        if (freq < 0 || freq > 255) {
          throw new RedisError("ERR Invalid FREQ value, must be >= 0 and <= 255");
        }
      } else {
        throw new RedisError(Errors.SYNTAX);
      }
    }
    Database db = c.db();
    byte[] key = c.arg(1);
    if (!replace && db.write(key) != null) {
      throw new RedisError("BUSYKEY Target key name already exists.");
    }
    long ttl = c.longArg(2);
    if (ttl < 0) {
      throw new RedisError("ERR Invalid TTL value, must be >= 0");
    }
    byte[] payload = c.arg(3);
    if (!DumpPayload.verified(payload)) {
      throw new RedisError("ERR DUMP payload version or checksum are wrong");
    }
    Object value;
    try {
      value = DumpPayload.value(payload);
    } catch (RdbFormatException e) {
      throw new RedisError("ERR Bad data format");
    }
    boolean deleted = replace && db.delete(key);
    long expireAt = ttl != 0 && !absTtl ? ttl + c.now() : ttl;
    if (ttl != 0 && expireAt <= c.now()) {
      if (deleted) {
        c.dirty(1);
        c.notify(NotifyFlags.GENERIC, "del", key);
      }
      c.reply().simple("OK");
      return;
    }
    Entry entry = db.insert(key, value);
    if (ttl != 0) {
      db.expireAt(entry, expireAt);
    }
    c.dirty(1);
    c.notify(NotifyFlags.GENERIC, "restore", key);
    c.reply().simple("OK");
  }
}
