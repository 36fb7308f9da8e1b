package dev.sluice.proxy.commands.set;

import dev.sluice.proxy.commands.CollectionArgs;
import dev.sluice.proxy.commands.CollectionArgs.ScanOptions;
import dev.sluice.proxy.commands.Values;
import dev.sluice.proxy.engine.CommandContext;
import dev.sluice.proxy.engine.Errors;
import dev.sluice.proxy.engine.RedisError;
import dev.sluice.proxy.keyspace.BytesKey;
import dev.sluice.proxy.keyspace.Database;
import dev.sluice.proxy.keyspace.Entry;
import dev.sluice.proxy.keyspace.NotifyFlags;
import dev.sluice.proxy.resp.Reply;
import dev.sluice.proxy.types.RedisSet;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * The commands on the members of one set (SMOVE: of two): SADD, SREM, SMEMBERS, SISMEMBER,
 * SMISMEMBER, SCARD, SPOP, SRANDMEMBER, SMOVE and SSCAN.
 */
final class SetMembers {
  private SetMembers() {}

  private static RedisSet readSet(CommandContext c) {
    return Values.as(c.db().read(c.arg(1)), RedisSet.class);
  }

  private static RandomGenerator random() {
    return ThreadLocalRandom.current();
  }

  static void sadd(CommandContext c) {
    Database db = c.db();
    Entry entry = db.write(c.arg(1));
    RedisSet set = Values.as(entry, RedisSet.class);
    int members = c.argc() - 2;
    long bytesBefore = -1;
    if (set == null) {
      set = RedisSet.create(c.arg(2), members);
    } else {
      bytesBefore = set.estimatedBytes();
      set.reserve(members);
    }
    int added = 0;
    for (int i = 2; i < c.argc(); i++) {
      if (set.add(c.arg(i))) {
        added++;
      }
    }
    if (entry == null) {
      db.insert(c.arg(1), set);
    } else if (added > 0 || set.estimatedBytes() != bytesBefore) {
      db.changed(entry); // also when only the encoding changed, so used_memory stays right
    }
    if (added > 0) {
      c.notify(NotifyFlags.SET, "sadd", c.arg(1));
    }
    c.dirty(added);
    c.reply().integer(added);
  }

  static void srem(CommandContext c) {
    Entry entry = c.db().write(c.arg(1));
    RedisSet set = Values.as(entry, RedisSet.class);
    if (set == null) {
      c.reply().integer(0);
      return;
    }
    int removed = 0;
    for (int i = 2; i < c.argc() && !set.isEmpty(); i++) {
      if (set.remove(c.arg(i))) {
        removed++;
      }
    }
    if (removed > 0) {
      c.dirty(removed);
      c.notify(NotifyFlags.SET, "srem", c.arg(1));
      removeIfEmptyOrChanged(c, entry, set, c.arg(1));
    }
    c.reply().integer(removed);
  }

  /** After members were taken out: deletes the key if the set is empty, else records the change. */
  private static void removeIfEmptyOrChanged(
      CommandContext c, Entry entry, RedisSet set, byte[] key) {
    if (set.isEmpty()) {
      c.db().remove(entry);
      c.notify(NotifyFlags.GENERIC, "del", key);
    } else {
      c.db().changed(entry);
    }
  }

  static void smembers(CommandContext c) {
    RedisSet set = readSet(c);
    Reply reply = c.reply();
    if (set == null) {
      reply.set(0);
      return;
    }
    reply.set(set.size());
    set.forEach(reply::bulk);
  }

  static void sismember(CommandContext c) {
    RedisSet set = readSet(c);
    c.reply().integer(set != null && set.contains(c.arg(2)) ? 1 : 0);
  }

  static void smismember(CommandContext c) {
    RedisSet set = readSet(c);
    Reply reply = c.reply();
    reply.array(c.argc() - 2);
    for (int i = 2; i < c.argc(); i++) {
      reply.integer(set != null && set.contains(c.arg(i)) ? 1 : 0);
    }
  }

  static void scard(CommandContext c) {
    RedisSet set = readSet(c);
    c.reply().integer(set == null ? 0 : set.size());
  }

  private static final byte[] SREM = {'S', 'R', 'E', 'M'};
  private static final byte[] DEL = {'D', 'E', 'L'};

  /** SPOP key [count]: a bulk string without count, a set (array in RESP2) with it. */
  static void spop(CommandContext c) {
    if (c.argc() > 3) {
      throw new RedisError(Errors.SYNTAX);
    }
    if (c.argc() == 3) {
      spopWithCount(c);
      return;
    }
    Entry entry = c.db().write(c.arg(1));
    RedisSet set = Values.as(entry, RedisSet.class);
    if (set == null) {
      c.reply().nil();
      return;
    }
    byte[] member = set.pop(random());
    if (c.propagating()) { // replicas remove the member chosen here
      c.effects().replicateAs(new byte[][] {SREM, c.arg(1), member});
    }
    c.dirty(1);
    c.notify(NotifyFlags.SET, "spop", c.arg(1));
    removeIfEmptyOrChanged(c, entry, set, c.arg(1));
    c.reply().bulk(member);
  }

  private static void spopWithCount(CommandContext c) {
    long count = c.longArg(2, "ERR value is out of range, must be positive");
    if (count < 0) {
      throw new RedisError("ERR value is out of range, must be positive");
    }
    Entry entry = c.db().write(c.arg(1));
    RedisSet set = Values.as(entry, RedisSet.class);
    Reply reply = c.reply();
    if (set == null || count == 0) {
      reply.set(0);
      return;
    }
    c.notify(NotifyFlags.SET, "spop", c.arg(1));
    c.dirty(Math.min(count, set.size()));
    if (count >= set.size()) {
      reply.set(set.size());
      set.forEach(reply::bulk);
      if (c.propagating()) {
        c.effects().replicateAs(new byte[][] {DEL, c.arg(1)});
      }
      c.db().remove(entry);
      c.notify(NotifyFlags.GENERIC, "del", c.arg(1));
      return;
    }
    int n = (int) count;
    RandomGenerator random = random();
    reply.set(n);
    byte[][] srem = c.propagating() ? new byte[2 + n][] : null;
    for (int i = 0; i < n; i++) {
      byte[] member = set.pop(random);
      reply.bulk(member);
      if (srem != null) {
        srem[2 + i] = member;
      }
    }
    if (srem != null) { // replicas remove the members chosen here
      srem[0] = SREM;
      srem[1] = c.arg(1);
      c.effects().replicateAs(srem);
    }
    c.db().changed(entry);
  }

  /** SRANDMEMBER key [count]: distinct members for a positive count, repeats for a negative one. */
  static void srandmember(CommandContext c) {
    if (c.argc() > 3) {
      throw new RedisError(Errors.SYNTAX);
    }
    if (c.argc() == 2) {
      RedisSet set = readSet(c);
      if (set == null) {
        c.reply().nil();
      } else {
        c.reply().bulk(set.random(random()));
      }
      return;
    }
    long count = CollectionArgs.randomCount(c, 2);
    RedisSet set = readSet(c);
    Reply reply = c.reply();
    if (set == null || count == 0) {
      reply.array(0);
      return;
    }
    RandomGenerator random = random();
    if (count < 0) {
      reply.array(CollectionArgs.replyLength(-count));
      for (long i = -count; i > 0; i--) {
        reply.bulk(set.random(random));
      }
      return;
    }
    if (count >= set.size()) {
      reply.array(set.size());
      set.forEach(reply::bulk);
      return;
    }
    int n = (int) count;
    reply.array(n);
    if (set.isCompact() || 3L * n > set.size()) {
      // many of the members: shuffle the first n of all of them into place
      byte[][] members = set.toArray();
      for (int i = 0; i < n; i++) {
        int j = i + random.nextInt(members.length - i);
        byte[] m = members[i];
        members[i] = members[j];
        members[j] = m;
        reply.bulk(members[i]);
      }
      return;
    }
    // few of many members: pick at random until n distinct ones came up
    Set<BytesKey> picked = new LinkedHashSet<>();
    while (picked.size() < n) {
      picked.add(new BytesKey(set.random(random)));
    }
    picked.forEach(member -> reply.bulk(member.bytes()));
  }

  static void smove(CommandContext c) {
    Database db = c.db();
    Entry sourceEntry = db.write(c.arg(1));
    Entry targetEntry = db.write(c.arg(2));
    if (sourceEntry == null) {
      c.reply().integer(0);
      return;
    }
    RedisSet source = Values.as(sourceEntry, RedisSet.class);
    RedisSet target = Values.as(targetEntry, RedisSet.class);
    byte[] member = c.arg(3);
    if (sourceEntry == targetEntry) {
      c.reply().integer(source.contains(member) ? 1 : 0);
      return;
    }
    if (!source.remove(member)) {
      c.reply().integer(0);
      return;
    }
    c.dirty(1);
    c.notify(NotifyFlags.SET, "srem", c.arg(1));
    removeIfEmptyOrChanged(c, sourceEntry, source, c.arg(1));
    if (target == null) {
      RedisSet created = RedisSet.create(member, 1);
      created.add(member);
      db.insert(c.arg(2), created);
      c.dirty(1);
      c.notify(NotifyFlags.SET, "sadd", c.arg(2));
    } else if (target.add(member)) {
      db.changed(targetEntry);
      c.dirty(1);
      c.notify(NotifyFlags.SET, "sadd", c.arg(2));
    }
    c.reply().integer(1);
  }

  /** SSCAN key cursor [MATCH pattern] [COUNT count]. */
  static void sscan(CommandContext c) {
    long cursor = CollectionArgs.parseCursor(c.arg(2));
    RedisSet set = readSet(c);
    if (set == null) {
      CollectionArgs.replyScan(c.reply(), 0, List.of());
      return;
    }
    ScanOptions options = CollectionArgs.scanOptions(c, 3, false);
    List<byte[]> found = new ArrayList<>();
    long[] sampled = {0};
    Consumer<byte[]> visitor =
        member -> {
          sampled[0]++;
          if (options.matches(member)) {
            found.add(member);
          }
        };
    if (set.isCompact()) {
      set.forEach(visitor);
      cursor = 0;
    } else {
      long maxIterations = options.maxIterations();
      do {
        cursor = set.scan(cursor, visitor);
      } while (cursor != 0 && maxIterations-- > 0 && sampled[0] < options.count());
    }
    CollectionArgs.replyScan(c.reply(), cursor, found);
  }
}
