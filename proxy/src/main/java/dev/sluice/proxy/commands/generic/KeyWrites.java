package dev.sluice.proxy.commands.generic;

import dev.sluice.proxy.commands.Values;
import dev.sluice.proxy.engine.CommandContext;
import dev.sluice.proxy.engine.Errors;
import dev.sluice.proxy.engine.RedisError;
import dev.sluice.proxy.keyspace.Database;
import dev.sluice.proxy.keyspace.Entry;
import dev.sluice.proxy.keyspace.NotifyFlags;

/**
 * DEL, UNLINK, RENAME, RENAMENX, COPY and MOVE: keys deleted, renamed, copied or moved to another
 * database (the expiry commands are in {@link KeyExpiry}).
 */
final class KeyWrites {
  private KeyWrites() {}

  static int deleteAll(CommandContext c) {
    Database db = c.db();
    int deleted = 0;
    for (int i = 1; i < c.argc(); i++) {
      if (db.delete(c.arg(i))) {
        c.notify(NotifyFlags.GENERIC, "del", c.arg(i));
        deleted++;
      }
    }
    c.dirty(deleted);
    return deleted;
  }

  static void rename(CommandContext c, boolean onlyIfAbsent) {
    Database db = c.db();
    Entry source = db.write(c.arg(1));
    if (source == null) {
      throw new RedisError(Errors.NO_SUCH_KEY);
    }
    if (java.util.Arrays.equals(c.arg(1), c.arg(2))) {
      if (onlyIfAbsent) {
        c.reply().integer(0);
      } else {
        c.reply().simple("OK");
      }
      return;
    }
    Entry target = db.get(c.arg(2));
    if (target != null && onlyIfAbsent) {
      c.reply().integer(0);
      return;
    }
    if (target != null) {
      db.remove(target);
    }
    moveEntry(db, source, db, c.arg(2));
    c.dirty(1);
    c.notify(NotifyFlags.GENERIC, "rename_from", c.arg(1));
    c.notify(NotifyFlags.GENERIC, "rename_to", c.arg(2));
    if (onlyIfAbsent) {
      c.reply().integer(1);
    } else {
      c.reply().simple("OK");
    }
  }

  /** Re-files an entry's value and TTL under a new key, possibly in another database. */
  private static void moveEntry(Database from, Entry source, Database to, byte[] newKey) {
    long expireAt = from.expiry(source);
    from.remove(source);
    Entry moved = to.insert(newKey, source.value());
    if (expireAt != Entry.NO_EXPIRY) {
      to.expireAt(moved, expireAt);
    }
  }

  private static int databaseArg(CommandContext c, int i) {
    long index = c.longArg(i);
    if (index < 0 || index >= c.keyspace().databaseCount()) {
      throw new RedisError(Errors.DB_OUT_OF_RANGE);
    }
    return (int) index;
  }

  /** COPY source destination [DB destination-db] [REPLACE]. */
  static void copy(CommandContext c) {
    int targetDb = c.session().db();
    boolean replace = false;
    for (int i = 3; i < c.argc(); i++) {
      if (c.is(i, "replace")) {
        replace = true;
      } else if (c.is(i, "db") && i + 1 < c.argc()) {
        targetDb = databaseArg(c, ++i);
      } else {
        throw new RedisError(Errors.SYNTAX);
      }
    }
    if (targetDb == c.session().db() && java.util.Arrays.equals(c.arg(1), c.arg(2))) {
      throw new RedisError(Errors.SAME_OBJECT);
    }
    Database from = c.db();
    Database to = c.keyspace().db(targetDb);
    Entry source = from.write(c.arg(1));
    if (source == null) {
      c.reply().integer(0);
      return;
    }
    Entry existing = to.get(c.arg(2));
    if (existing != null) {
      if (!replace) {
        c.reply().integer(0);
        return;
      }
      to.remove(existing);
    }
    Entry copy = to.insert(c.arg(2), Values.copy(source.value()));
    if (source.hasExpiry()) {
      to.expireAt(copy, from.expiry(source));
    }
    c.dirty(1);
    c.keyspace().notify(NotifyFlags.GENERIC, "copy_to", c.arg(2), targetDb);
    c.reply().integer(1);
  }

  static void move(CommandContext c) {
    int targetDb = databaseArg(c, 2);
    if (targetDb == c.session().db()) {
      throw new RedisError(Errors.SAME_OBJECT);
    }
    Database from = c.db();
    Database to = c.keyspace().db(targetDb);
    Entry source = from.write(c.arg(1));
    if (source == null || to.get(c.arg(1)) != null) {
      c.reply().integer(0);
      return;
    }
    moveEntry(from, source, to, c.arg(1));
    c.dirty(1);
    c.notify(NotifyFlags.GENERIC, "move_from", c.arg(1));
    c.keyspace().notify(NotifyFlags.GENERIC, "move_to", c.arg(1), targetDb);
    c.reply().integer(1);
  }
}
