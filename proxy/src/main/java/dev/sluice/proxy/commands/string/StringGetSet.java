package dev.sluice.proxy.commands.string;

import dev.sluice.proxy.commands.Expiry;
import dev.sluice.proxy.commands.Values;
import dev.sluice.proxy.engine.CommandContext;
import dev.sluice.proxy.engine.Errors;
import dev.sluice.proxy.engine.RedisError;
import dev.sluice.proxy.keyspace.Database;
import dev.sluice.proxy.keyspace.Entry;
import dev.sluice.proxy.keyspace.NotifyFlags;
import dev.sluice.proxy.resp.Reply;

/** GET, SET and its variants (SETNX, SETEX, PSETEX, GETSET), GETEX, GETDEL, MGET, MSET, MSETNX. */
final class StringGetSet {
  private StringGetSet() {}

  static void get(CommandContext c) {
    byte[] value = Values.string(c.db().read(c.arg(1)));
    if (value == null) {
      c.reply().nil();
    } else {
      c.reply().bulk(value);
    }
  }

  /**
   * Whether SET replaces its key's value whatever it was, so a miss needs no load: at most
   * EX/PX/EXAT/PXAT (not NX, XX, GET or KEEPTTL, which look at the old key). Creating a session
   * with {@code SET session:… … EX 3600} then costs no query.
   */
  static boolean replacesWhole(byte[][] args) {
    for (int i = 3; i < args.length; i++) {
      String option =
          new String(args[i], java.nio.charset.StandardCharsets.US_ASCII)
              .toLowerCase(java.util.Locale.ROOT);
      if (option.equals("ex")
          || option.equals("px")
          || option.equals("exat")
          || option.equals("pxat")) {
        i++; // its value
      } else {
        return false;
      }
    }
    return true;
  }

  /** SET key value [NX | XX] [GET] [EX s | PX ms | EXAT ts | PXAT ts | KEEPTTL]. */
  static void set(CommandContext c) {
    boolean nx = false;
    boolean xx = false;
    boolean get = false;
    boolean keepTtl = false;
    int expireArg = -1;
    Expiry.Unit unit = null;
    for (int i = 3; i < c.argc(); i++) {
      boolean hasNext = i + 1 < c.argc();
      if (c.is(i, "nx") && !xx) {
        nx = true;
      } else if (c.is(i, "xx") && !nx) {
        xx = true;
      } else if (c.is(i, "get")) {
        get = true;
      } else if (c.is(i, "keepttl") && unit == null) {
        keepTtl = true;
      } else if (expiryUnit(c, i) != null
          && hasNext
          && !keepTtl
          && (unit == null || unit == expiryUnit(c, i))) {
        unit = expiryUnit(c, i); // Redis lets the same option repeat; the last one counts
        expireArg = ++i;
      } else {
        throw new RedisError(Errors.SYNTAX);
      }
    }
    if (expireArg < 0) {
      unit = null;
    }
    long expireAt = unit == null ? Entry.NO_EXPIRY : Expiry.absolute(c, expireArg, unit);
    Database db = c.db();
    byte[] key = c.arg(1);
    Entry existing = get ? db.read(key) : db.get(key);
    byte[] old = get ? Values.string(existing) : null;
    if ((nx && existing != null) || (xx && existing == null)) {
      replyOldOrNil(c.reply(), get, old);
      return;
    }
    Entry entry = db.set(key, c.arg(2), keepTtl);
    c.dirty(1);
    c.notify(NotifyFlags.STRING, "set", key);
    if (expireAt != Entry.NO_EXPIRY) {
      db.expireAt(entry, expireAt);
      c.notify(NotifyFlags.GENERIC, "expire", key);
      if (unit != Expiry.Unit.MILLIS_ABSOLUTE) {
        Expiry.replicateSetWithExpiry(c, c.arg(2), expireAt);
      }
    }
    if (get) {
      replyOldOrNil(c.reply(), true, old);
    } else {
      c.reply().simple("OK");
    }
  }

  private static void replyOldOrNil(Reply reply, boolean get, byte[] old) {
    if (get && old != null) {
      reply.bulk(old);
    } else {
      reply.nil();
    }
  }

  private static Expiry.Unit expiryUnit(CommandContext c, int i) {
    if (c.is(i, "ex")) {
      return Expiry.Unit.SECONDS_RELATIVE;
    } else if (c.is(i, "px")) {
      return Expiry.Unit.MILLIS_RELATIVE;
    } else if (c.is(i, "exat")) {
      return Expiry.Unit.SECONDS_ABSOLUTE;
    } else if (c.is(i, "pxat")) {
      return Expiry.Unit.MILLIS_ABSOLUTE;
    }
    return null;
  }

  static void setnx(CommandContext c) {
    Database db = c.db();
    if (db.get(c.arg(1)) != null) {
      c.reply().integer(0);
      return;
    }
    db.insert(c.arg(1), c.arg(2));
    c.dirty(1);
    c.notify(NotifyFlags.STRING, "set", c.arg(1));
    c.reply().integer(1);
  }

  static void setWithExpiry(CommandContext c, Expiry.Unit unit) {
    long expireAt = Expiry.absolute(c, 2, unit);
    Database db = c.db();
    db.expireAt(db.set(c.arg(1), c.arg(3), false), expireAt);
    Expiry.replicateSetWithExpiry(c, c.arg(3), expireAt);
    c.dirty(1);
    c.notify(NotifyFlags.STRING, "set", c.arg(1));
    c.notify(NotifyFlags.GENERIC, "expire", c.arg(1));
    c.reply().simple("OK");
  }

  private static final byte[] PERSIST =
      "PERSIST".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  private static final byte[] DEL = {'D', 'E', 'L'};
  private static final byte[] SET = {'S', 'E', 'T'};

  /** GETEX key [EX s | PX ms | EXAT ts | PXAT ts | PERSIST]. */
  static void getex(CommandContext c) {
    Expiry.Unit unit = null;
    int expireArg = -1;
    boolean persist = false;
    for (int i = 2; i < c.argc(); i++) {
      Expiry.Unit candidate = expiryUnit(c, i);
      if (candidate != null
          && i + 1 < c.argc()
          && (unit == null || unit == candidate)
          && !persist) {
        unit = candidate;
        expireArg = ++i;
      } else if (c.is(i, "persist") && unit == null) {
        persist = true;
      } else {
        throw new RedisError(Errors.SYNTAX);
      }
    }
    long expireAt = unit == null ? Entry.NO_EXPIRY : Expiry.absolute(c, expireArg, unit);
    Database db = c.db();
    Entry entry = db.read(c.arg(1));
    byte[] value = Values.string(entry);
    if (value == null) {
      c.reply().nil();
      return;
    }
    c.reply().bulk(value);
    if (unit != null) {
      db.expireAt(entry, expireAt);
      Expiry.replicateExpiry(c, expireAt, db.get(c.arg(1)) == null, false);
      c.dirty(1);
      c.notify(NotifyFlags.GENERIC, "expire", c.arg(1));
    } else if (persist && db.persist(entry)) {
      if (c.propagating()) {
        c.effects().replicateAs(new byte[][] {PERSIST, c.arg(1)});
      }
      c.dirty(1);
      c.notify(NotifyFlags.GENERIC, "persist", c.arg(1));
    }
  }

  static void getdel(CommandContext c) {
    Database db = c.db();
    Entry entry = db.read(c.arg(1));
    byte[] value = Values.string(entry);
    if (value == null) {
      c.reply().nil();
      return;
    }
    db.remove(entry);
    c.dirty(1);
    c.notify(NotifyFlags.GENERIC, "del", c.arg(1));
    c.reply().bulk(value);
    if (c.propagating()) {
      c.effects().replicateAs(new byte[][] {DEL, c.arg(1)});
    }
  }

  static void getset(CommandContext c) {
    Database db = c.db();
    byte[] old = Values.string(db.read(c.arg(1)));
    db.set(c.arg(1), c.arg(2), false);
    c.dirty(1);
    c.notify(NotifyFlags.STRING, "set", c.arg(1));
    if (c.propagating()) {
      c.effects().replicateAs(new byte[][] {SET, c.arg(1), c.arg(2)});
    }
    if (old == null) {
      c.reply().nil();
    } else {
      c.reply().bulk(old);
    }
  }

  static void mget(CommandContext c) {
    Database db = c.db();
    Reply reply = c.reply();
    reply.array(c.argc() - 1);
    for (int i = 1; i < c.argc(); i++) {
      Entry entry = db.read(c.arg(i));
      if (entry != null && entry.value() instanceof byte[] value) {
        reply.bulk(value);
      } else {
        reply.nil();
      }
    }
  }

  static void mset(CommandContext c, boolean onlyIfNoneExist) {
    if (c.argc() % 2 == 0) {
      throw Errors.wrongArity(c.spec().fullName());
    }
    Database db = c.db();
    if (onlyIfNoneExist) {
      for (int i = 1; i < c.argc(); i += 2) {
        if (db.get(c.arg(i)) != null) {
          c.reply().integer(0);
          return;
        }
      }
    }
    for (int i = 1; i < c.argc(); i += 2) {
      db.set(c.arg(i), c.arg(i + 1), false);
      c.notify(NotifyFlags.STRING, "set", c.arg(i));
    }
    c.dirty((c.argc() - 1) / 2);
    if (onlyIfNoneExist) {
      c.reply().integer(1);
    } else {
      c.reply().simple("OK");
    }
  }
}
