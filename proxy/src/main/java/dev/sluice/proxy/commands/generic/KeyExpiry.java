package dev.sluice.proxy.commands.generic;

import dev.sluice.proxy.commands.Expiry;
import dev.sluice.proxy.engine.CommandContext;
import dev.sluice.proxy.engine.RedisError;
import dev.sluice.proxy.keyspace.Database;
import dev.sluice.proxy.keyspace.Entry;
import dev.sluice.proxy.keyspace.NotifyFlags;

/** EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT, TTL, PTTL, EXPIRETIME, PEXPIRETIME and PERSIST. */
final class KeyExpiry {
  private KeyExpiry() {}

  /** EXPIRE key time [NX | XX | GT | LT] and its millisecond and absolute variants. */
  static void expire(CommandContext c, Expiry.Unit unit) {
    boolean nx = false;
    boolean xx = false;
    boolean gt = false;
    boolean lt = false;
    for (int i = 3; i < c.argc(); i++) {
      if (c.is(i, "nx")) {
        nx = true;
      } else if (c.is(i, "xx")) {
        xx = true;
      } else if (c.is(i, "gt")) {
        gt = true;
      } else if (c.is(i, "lt")) {
        lt = true;
      } else {
        throw new RedisError("ERR Unsupported option " + c.text(i));
      }
    }
    if (nx && (xx || gt || lt)) {
      throw new RedisError("ERR NX and XX, GT or LT options at the same time are not compatible");
    }
    if (gt && lt) {
      throw new RedisError("ERR GT and LT options at the same time are not compatible");
    }
    long when = Expiry.absoluteAllowingPast(c, 2, unit);
    Database db = c.db();
    Entry entry = db.write(c.arg(1));
    if (entry == null) {
      c.reply().integer(0);
      return;
    }
    boolean hasTtl = entry.hasExpiry();
    long current = db.expiry(entry);
    if ((nx && hasTtl)
        || (xx && !hasTtl)
        || (gt && (!hasTtl || when <= current))
        || (lt && hasTtl && when >= current)) {
      c.reply().integer(0);
      return;
    }
    db.expireAt(entry, when);
    c.dirty(1);
    boolean deleted = db.get(c.arg(1)) == null;
    Expiry.replicateExpiry(c, when, deleted, true);
    c.notify(NotifyFlags.GENERIC, deleted ? "del" : "expire", c.arg(1));
    c.reply().integer(1);
  }

  static void ttl(CommandContext c, boolean millis, boolean absolute) {
    Database db = c.db();
    Entry entry = db.readNoTouch(c.arg(1));
    if (entry == null) {
      c.reply().integer(-2);
    } else if (!entry.hasExpiry()) {
      c.reply().integer(-1);
    } else if (absolute) {
      // Redis rounds EXPIRETIME to the nearest second, as it does TTL
      c.reply().integer(millis ? db.expiry(entry) : (db.expiry(entry) + 500) / 1000);
    } else {
      long remaining = db.ttlMillis(entry);
      c.reply().integer(millis ? remaining : (remaining + 500) / 1000);
    }
  }

  static void persist(CommandContext c) {
    Database db = c.db();
    Entry entry = db.write(c.arg(1));
    if (entry != null && db.persist(entry)) {
      c.dirty(1);
      c.notify(NotifyFlags.GENERIC, "persist", c.arg(1));
      c.reply().integer(1);
    } else {
      c.reply().integer(0);
    }
  }
}
