package dev.sluice.proxy.commands.generic;

import dev.sluice.proxy.commands.CollectionArgs;
import dev.sluice.proxy.commands.Values;
import dev.sluice.proxy.engine.CommandContext;
import dev.sluice.proxy.engine.Errors;
import dev.sluice.proxy.engine.Numbers;
import dev.sluice.proxy.engine.RedisError;
import dev.sluice.proxy.keyspace.Database;
import dev.sluice.proxy.keyspace.Entry;
import dev.sluice.proxy.keyspace.Keyspace;
import dev.sluice.proxy.resp.Reply;
import dev.sluice.proxy.util.Glob;
import java.util.ArrayList;
import java.util.List;

/**
 * EXISTS, TYPE, KEYS, SCAN, RANDOMKEY, TOUCH and OBJECT: commands that look at keys of any type
 * without changing them.
 */
final class KeyReads {
  private KeyReads() {}

  static void exists(CommandContext c) {
    Database db = c.db();
    int count = 0;
    for (int i = 1; i < c.argc(); i++) {
      if (db.readNoTouch(c.arg(i)) != null) {
        count++;
      }
    }
    c.reply().integer(count);
  }

  static void type(CommandContext c) {
    Entry entry = c.db().readNoTouch(c.arg(1));
    c.reply().simple(entry == null ? "none" : Values.typeName(entry.value()));
  }

  static void keys(CommandContext c) {
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
  static void scan(CommandContext c) {
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

  static void randomkey(CommandContext c) {
    Entry entry = c.db().randomEntry();
    if (entry == null) {
      c.reply().nil();
    } else {
      c.reply().bulk(entry.key());
    }
  }

  static void touch(CommandContext c) {
    Database db = c.db();
    int count = 0;
    for (int i = 1; i < c.argc(); i++) {
      if (db.write(c.arg(i)) != null) {
        count++;
      }
    }
    c.reply().integer(count);
  }

  // OBJ_SHARED_REFCOUNT, what OBJECT REFCOUNT shows for one of Redis's shared integers
  private static final int SHARED = Integer.MAX_VALUE;

  /**
   * Whether Redis would hold this value as one of its shared integer objects (0 to 9999,
   * OBJ_SHARED_INTEGERS), which it does unless maxmemory is set with an LRU or LFU policy, whose
   * per-key access data a shared object cannot carry.
   */
  private static boolean sharedInteger(Keyspace keyspace, Object value) {
    if (!(value instanceof byte[] bytes) || bytes.length > 4 || !Numbers.isCanonicalLong(bytes)) {
      return false;
    }
    String policy = keyspace.policy().name();
    if (keyspace.maxmemory() > 0 && (policy.endsWith("LRU") || policy.endsWith("LFU"))) {
      return false;
    }
    return Numbers.parseLong(bytes, Errors.NOT_INTEGER) >= 0;
  }

  static void object(CommandContext c, String what) {
    Keyspace keyspace = c.keyspace();
    Entry entry = c.db().get(c.arg(2));
    if (entry == null) {
      c.reply().nil();
      return;
    }
    switch (what) {
      case "encoding" -> c.reply().bulk(Values.encoding(entry.value()));
      case "refcount" -> c.reply().integer(sharedInteger(keyspace, entry.value()) ? SHARED : 1);
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
}
