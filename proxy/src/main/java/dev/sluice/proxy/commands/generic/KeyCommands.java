package dev.sluice.proxy.commands.generic;

import static dev.sluice.proxy.engine.CommandFlag.FAST;
import static dev.sluice.proxy.engine.CommandFlag.READONLY;
import static dev.sluice.proxy.engine.CommandFlag.WRITE;
import static dev.sluice.proxy.engine.CommandSpec.command;
import static dev.sluice.proxy.engine.CommandSpec.container;

import dev.sluice.proxy.commands.CollectionArgs;
import dev.sluice.proxy.commands.Expiry;
import dev.sluice.proxy.commands.Help;
import dev.sluice.proxy.commands.Values;
import dev.sluice.proxy.engine.CommandContext;
import dev.sluice.proxy.engine.CommandFlag;
import dev.sluice.proxy.engine.CommandTable;
import dev.sluice.proxy.engine.Errors;
import dev.sluice.proxy.engine.KeySpec;
import dev.sluice.proxy.engine.MappedWrite;
import dev.sluice.proxy.engine.RedisError;
import dev.sluice.proxy.keyspace.Database;
import dev.sluice.proxy.keyspace.Entry;
import dev.sluice.proxy.keyspace.Keyspace;
import dev.sluice.proxy.keyspace.NotifyFlags;
import dev.sluice.proxy.resp.Reply;
import dev.sluice.proxy.util.Glob;
import java.util.ArrayList;
import java.util.List;

/** Commands on keys of any type: existence, renaming, expiry, iteration. */
public final class KeyCommands {
  private KeyCommands() {}

  public static void register(CommandTable t) {
    t.register(
        command("del", -2, c -> c.reply().integer(deleteAll(c)))
            .flags(WRITE)
            .keys(KeySpec.range(1, -1, 1, "RM delete"))
            .tips("request_policy:multi_shard", "response_policy:agg_sum")
            .evictsCachedKeys()
            .mappedWrite(MappedWrite.DELETE)
            .doc("Deletes one or more keys.", "1.0.0", "O(N)"));
    t.register(
        command("unlink", -2, c -> c.reply().integer(deleteAll(c)))
            .flags(WRITE, FAST)
            .keys(KeySpec.range(1, -1, 1, "RM delete"))
            .tips("request_policy:multi_shard", "response_policy:agg_sum")
            .evictsCachedKeys()
            .mappedWrite(MappedWrite.DELETE)
            .doc("Asynchronously deletes one or more keys.", "4.0.0", "O(1)"));
    t.register(
        command("exists", -2, KeyCommands::exists)
            .flags(READONLY, FAST)
            .keys(KeySpec.range(1, -1, 1, "RO"))
            .tips("request_policy:multi_shard", "response_policy:agg_sum")
            .doc("Determines whether one or more keys exist.", "1.0.0", "O(N)"));
    t.register(
        command("type", 2, KeyCommands::type)
            .flags(READONLY, FAST)
            .keys(KeySpec.key(1, "RO"))
            .doc("Determines the type of value stored at a key.", "1.0.0", "O(1)"));
    t.register(
        command("rename", 3, c -> rename(c, false))
            .flags(WRITE)
            .keys(KeySpec.key(1, "RW access delete"), KeySpec.key(2, "OW update"))
            .doc("Renames a key and overwrites the destination.", "1.0.0", "O(1)"));
    t.register(
        command("renamenx", 3, c -> rename(c, true))
            .flags(WRITE, FAST)
            .keys(KeySpec.key(1, "RW access delete"), KeySpec.key(2, "OW insert"))
            .doc("Renames a key only when the target key name doesn't exist.", "1.0.0", "O(1)"));
    t.register(
        command("copy", -3, KeyCommands::copy)
            .flags(WRITE, CommandFlag.DENYOOM)
            .keys(KeySpec.key(1, "RO access"), KeySpec.key(2, "OW update"))
            .doc("Copies the value of a key to a new key.", "6.2.0", "O(N)"));
    t.register(
        command("move", 3, KeyCommands::move)
            .flags(WRITE, FAST)
            .keys(KeySpec.key(1, "RW access update"))
            .doc("Moves a key to another database.", "1.0.0", "O(1)"));
    t.register(
        command("keys", 2, KeyCommands::keys)
            .flags(READONLY)
            .tips("request_policy:all_shards", "nondeterministic_output_order")
            .categories("@dangerous")
            .doc("Returns all key names that match a pattern.", "1.0.0", "O(N)"));
    t.register(
        command("scan", -2, KeyCommands::scan)
            .flags(READONLY)
            .tips("nondeterministic_output", "request_policy:special")
            .doc("Iterates over the key names in the database.", "2.8.0", "O(1)"));
    t.register(
        command("randomkey", 1, KeyCommands::randomkey)
            .flags(READONLY)
            .tips("request_policy:all_shards", "nondeterministic_output")
            .doc("Returns a random key name from the database.", "1.0.0", "O(1)"));
    t.register(
        command("touch", -2, KeyCommands::touch)
            .flags(READONLY, FAST)
            .keys(KeySpec.range(1, -1, 1, "RO"))
            .tips("request_policy:multi_shard", "response_policy:agg_sum")
            .doc(
                "Returns the number of existing keys out of those specified after updating the"
                    + " time they were last accessed.",
                "3.2.1",
                "O(N)"));
    t.register(
        container("object")
            .doc("A container for object introspection commands.", "2.2.3", "Depends")
            .sub(
                command("encoding", 3, c -> object(c, "encoding"))
                    .flags(READONLY)
                    .keys(KeySpec.key(2, "RO"))
                    .tips("nondeterministic_output")
                    .doc("Returns the internal encoding of a Redis object.", "2.2.3", "O(1)"))
            .sub(
                command("freq", 3, c -> object(c, "freq"))
                    .flags(READONLY)
                    .keys(KeySpec.key(2, "RO"))
                    .tips("nondeterministic_output")
                    .doc(
                        "Returns the logarithmic access frequency counter of a Redis object.",
                        "4.0.0",
                        "O(1)"))
            .sub(
                command("idletime", 3, c -> object(c, "idletime"))
                    .flags(READONLY)
                    .keys(KeySpec.key(2, "RO"))
                    .tips("nondeterministic_output")
                    .doc(
                        "Returns the time since the last access to a Redis object.",
                        "2.2.3",
                        "O(1)"))
            .sub(
                command("refcount", 3, c -> object(c, "refcount"))
                    .flags(READONLY)
                    .keys(KeySpec.key(2, "RO"))
                    .tips("nondeterministic_output")
                    .doc("Returns the reference count of a value of a key.", "2.2.3", "O(1)"))
            .sub(Help.command("object", "6.2.0")));
    for (String name : new String[] {"expire", "pexpire", "expireat", "pexpireat"}) {
      Expiry.Unit unit =
          switch (name) {
            case "expire" -> Expiry.Unit.SECONDS_RELATIVE;
            case "pexpire" -> Expiry.Unit.MILLIS_RELATIVE;
            case "expireat" -> Expiry.Unit.SECONDS_ABSOLUTE;
            default -> Expiry.Unit.MILLIS_ABSOLUTE;
          };
      t.register(
          command(name, -3, c -> expire(c, unit))
              .flags(WRITE, FAST)
              .keys(KeySpec.key(1, "RW update"))
              .mappedWrite(MappedWrite.CACHE_ONLY)
              .doc(
                  "Sets the expiration time of a key"
                      + (name.endsWith("at") ? " to a Unix timestamp." : ".")
                      + (name.startsWith("p") ? " In milliseconds." : ""),
                  name.startsWith("p") ? "2.6.0" : name.equals("expire") ? "1.0.0" : "1.2.0",
                  "O(1)"));
    }
    t.register(
        command("ttl", 2, c -> ttl(c, false, false))
            .flags(READONLY, FAST)
            .keys(KeySpec.key(1, "RO access"))
            .tips("nondeterministic_output")
            .doc("Returns the expiration time in seconds of a key.", "1.0.0", "O(1)"));
    t.register(
        command("pttl", 2, c -> ttl(c, true, false))
            .flags(READONLY, FAST)
            .keys(KeySpec.key(1, "RO access"))
            .tips("nondeterministic_output")
            .doc("Returns the expiration time in milliseconds of a key.", "2.6.0", "O(1)"));
    t.register(
        command("expiretime", 2, c -> ttl(c, false, true))
            .flags(READONLY, FAST)
            .keys(KeySpec.key(1, "RO access"))
            .doc("Returns the expiration time of a key as a Unix timestamp.", "7.0.0", "O(1)"));
    t.register(
        command("pexpiretime", 2, c -> ttl(c, true, true))
            .flags(READONLY, FAST)
            .keys(KeySpec.key(1, "RO access"))
            .doc(
                "Returns the expiration time of a key as a Unix milliseconds timestamp.",
                "7.0.0",
                "O(1)"));
    t.register(
        command("persist", 2, KeyCommands::persist)
            .flags(WRITE, FAST)
            .keys(KeySpec.key(1, "RW update"))
            .mappedWrite(MappedWrite.CACHE_ONLY)
            .doc("Removes the expiration time of a key.", "2.2.0", "O(1)"));
  }

  private static int deleteAll(CommandContext c) {
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

  private static void exists(CommandContext c) {
    Database db = c.db();
    int count = 0;
    for (int i = 1; i < c.argc(); i++) {
      if (db.readNoTouch(c.arg(i)) != null) {
        count++;
      }
    }
    c.reply().integer(count);
  }

  private static void type(CommandContext c) {
    Entry entry = c.db().readNoTouch(c.arg(1));
    c.reply().simple(entry == null ? "none" : Values.typeName(entry.value()));
  }

  private static void rename(CommandContext c, boolean onlyIfAbsent) {
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
    long expireAt = source.expireAt();
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
  private static void copy(CommandContext c) {
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
      to.expireAt(copy, source.expireAt());
    }
    c.dirty(1);
    c.keyspace().notify(NotifyFlags.GENERIC, "copy_to", c.arg(2), targetDb);
    c.reply().integer(1);
  }

  private static void move(CommandContext c) {
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

  private static void keys(CommandContext c) {
    Database db = c.db();
    byte[] pattern = c.arg(1);
    boolean all = pattern.length == 1 && pattern[0] == '*';
    List<byte[]> matches = new ArrayList<>();
    db.forEach(
        e -> {
          if (!db.isExpired(e) && (all || Glob.matches(pattern, e.key()))) {
            matches.add(e.key());
          }
        });
    writeKeys(c.reply(), matches);
  }

  private static void writeKeys(Reply reply, List<byte[]> keys) {
    reply.array(keys.size());
    for (byte[] key : keys) {
      reply.bulk(key);
    }
  }

  /** SCAN cursor [MATCH pattern] [COUNT count] [TYPE type]. */
  private static void scan(CommandContext c) {
    long cursor = CollectionArgs.parseCursor(c.arg(1));
    byte[] pattern = null;
    long count = 10;
    String type = null;
    for (int i = 2; i < c.argc(); i++) {
      if (c.is(i, "match") && i + 1 < c.argc()) {
        pattern = c.arg(++i);
        if (pattern.length == 1 && pattern[0] == '*') {
          pattern = null;
        }
      } else if (c.is(i, "count") && i + 1 < c.argc()) {
        count = c.longArg(++i);
        if (count < 1) {
          throw new RedisError(Errors.SYNTAX);
        }
      } else if (c.is(i, "type") && i + 1 < c.argc()) {
        type = c.text(++i).toLowerCase(java.util.Locale.ROOT);
      } else {
        throw new RedisError(Errors.SYNTAX);
      }
    }
    Database db = c.db();
    List<Entry> visited = new ArrayList<>();
    long maxSteps = count * 10;
    do {
      cursor = db.scan(cursor, visited::add);
    } while (cursor != 0 && --maxSteps > 0 && visited.size() < count);
    List<byte[]> keys = new ArrayList<>(visited.size());
    for (Entry e : visited) {
      if (pattern != null && !Glob.matches(pattern, e.key())) {
        continue;
      }
      if (type != null && !type.equals(Values.typeName(e.value()))) {
        continue;
      }
      if (db.isExpired(e)) {
        continue;
      }
      keys.add(e.key());
    }
    for (Entry e : visited) {
      db.get(e.key()); // reclaims the expired keys the scan came across, as Redis does
    }
    Reply reply = c.reply();
    reply.array(2);
    reply.bulk(Long.toUnsignedString(cursor));
    writeKeys(reply, keys);
  }

  private static void randomkey(CommandContext c) {
    Entry entry = c.db().randomEntry();
    if (entry == null) {
      c.reply().nil();
    } else {
      c.reply().bulk(entry.key());
    }
  }

  private static void touch(CommandContext c) {
    Database db = c.db();
    int count = 0;
    for (int i = 1; i < c.argc(); i++) {
      if (db.write(c.arg(i)) != null) {
        count++;
      }
    }
    c.reply().integer(count);
  }

  private static void object(CommandContext c, String what) {
    Keyspace keyspace = c.keyspace();
    Entry entry = c.db().get(c.arg(2));
    if (entry == null) {
      c.reply().nil();
      return;
    }
    switch (what) {
      case "encoding" -> c.reply().bulk(Values.encoding(entry.value()));
      case "refcount" -> c.reply().integer(1);
      case "freq" -> {
        if (!keyspace.policy().name().endsWith("LFU")) {
          throw new RedisError(
              "ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please"
                  + " note that when switching between policies at runtime LRU and LFU data will"
                  + " take some time to adjust.");
        }
        c.reply().integer(keyspace.lfuDecayed(entry));
      }
      default -> {
        if (keyspace.policy().name().endsWith("LFU")) {
          throw new RedisError(
              "ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that"
                  + " when switching between policies at runtime LRU and LFU data will take some"
                  + " time to adjust.");
        }
        c.reply().integer(keyspace.idleSeconds(entry));
      }
    }
  }

  /** EXPIRE key time [NX | XX | GT | LT] and its millisecond and absolute variants. */
  private static void expire(CommandContext c, Expiry.Unit unit) {
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
    long current = entry.expireAt();
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
    c.notify(NotifyFlags.GENERIC, deleted ? "del" : "expire", c.arg(1));
    c.reply().integer(1);
  }

  private static void ttl(CommandContext c, boolean millis, boolean absolute) {
    Database db = c.db();
    Entry entry = db.readNoTouch(c.arg(1));
    if (entry == null) {
      c.reply().integer(-2);
    } else if (!entry.hasExpiry()) {
      c.reply().integer(-1);
    } else if (absolute) {
      // Redis rounds EXPIRETIME to the nearest second, as it does TTL
      c.reply().integer(millis ? entry.expireAt() : (entry.expireAt() + 500) / 1000);
    } else {
      long remaining = db.ttlMillis(entry);
      c.reply().integer(millis ? remaining : (remaining + 500) / 1000);
    }
  }

  private static void persist(CommandContext c) {
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
