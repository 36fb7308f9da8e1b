package dev.sluice.proxy.commands.set;

import static dev.sluice.proxy.engine.CommandFlag.DENYOOM;
import static dev.sluice.proxy.engine.CommandFlag.FAST;
import static dev.sluice.proxy.engine.CommandFlag.READONLY;
import static dev.sluice.proxy.engine.CommandFlag.WRITE;
import static dev.sluice.proxy.engine.CommandSpec.command;

import dev.sluice.proxy.commands.CollectionArgs;
import dev.sluice.proxy.commands.CollectionArgs.ScanOptions;
import dev.sluice.proxy.commands.Values;
import dev.sluice.proxy.engine.CommandContext;
import dev.sluice.proxy.engine.CommandTable;
import dev.sluice.proxy.engine.Errors;
import dev.sluice.proxy.engine.KeyProcs;
import dev.sluice.proxy.engine.KeySpec;
import dev.sluice.proxy.engine.RedisError;
import dev.sluice.proxy.keyspace.BytesKey;
import dev.sluice.proxy.keyspace.Database;
import dev.sluice.proxy.keyspace.Entry;
import dev.sluice.proxy.keyspace.NotifyFlags;
import dev.sluice.proxy.resp.Reply;
import dev.sluice.proxy.types.RedisSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/** The set commands of Redis 7.4. */
public final class SetCommands {
  private SetCommands() {}

  private static final String SCAN_COMPLEXITY =
      "O(1) for every call. O(N) for a complete iteration, including enough command calls for the"
          + " cursor to return back to 0. N is the number of elements inside the collection.";
  private static final String INTER_COMPLEXITY =
      "O(N*M) worst case where N is the cardinality of the smallest set and M is the number of"
          + " sets.";
  private static final String ALL_SETS_COMPLEXITY =
      "O(N) where N is the total number of elements in all given sets.";

  public static void register(CommandTable t) {
    t.register(
        command("sadd", -3, SetCommands::sadd)
            .flags(WRITE, DENYOOM, FAST)
            .keys(KeySpec.key(1, "RW insert"))
            .group("set")
            .doc(
                "Adds one or more members to a set. Creates the key if it doesn't exist.",
                "1.0.0",
                "O(1) for each element added, so O(N) to add N elements when the command is called"
                    + " with multiple arguments."));
    t.register(
        command("srem", -3, SetCommands::srem)
            .flags(WRITE, FAST)
            .keys(KeySpec.key(1, "RW delete"))
            .group("set")
            .doc(
                "Removes one or more members from a set. Deletes the set if the last member was"
                    + " removed.",
                "1.0.0",
                "O(N) where N is the number of members to be removed."));
    t.register(
        command("smembers", 2, SetCommands::smembers)
            .flags(READONLY)
            .keys(KeySpec.key(1, "RO access"))
            .tips("nondeterministic_output_order")
            .group("set")
            .doc("Returns all members of a set.", "1.0.0", "O(N) where N is the set cardinality."));
    t.register(
        command("sismember", 3, SetCommands::sismember)
            .flags(READONLY, FAST)
            .keys(KeySpec.key(1, "RO"))
            .group("set")
            .doc("Determines whether a member belongs to a set.", "1.0.0", "O(1)"));
    t.register(
        command("smismember", -3, SetCommands::smismember)
            .flags(READONLY, FAST)
            .keys(KeySpec.key(1, "RO access"))
            .group("set")
            .doc(
                "Determines whether multiple members belong to a set.",
                "6.2.0",
                "O(N) where N is the number of elements being checked for membership"));
    t.register(
        command("scard", 2, SetCommands::scard)
            .flags(READONLY, FAST)
            .keys(KeySpec.key(1, "RO"))
            .group("set")
            .doc("Returns the number of members in a set.", "1.0.0", "O(1)"));
    t.register(
        command("spop", -2, SetCommands::spop)
            .flags(WRITE, FAST)
            .keys(KeySpec.key(1, "RW access delete"))
            .tips("nondeterministic_output")
            .group("set")
            .doc(
                "Returns one or more random members from a set after removing them. Deletes the"
                    + " set if the last member was popped.",
                "1.0.0",
                "Without the count argument O(1), otherwise O(N) where N is the value of the"
                    + " passed count."));
    t.register(
        command("srandmember", -2, SetCommands::srandmember)
            .flags(READONLY)
            .keys(KeySpec.key(1, "RO access"))
            .tips("nondeterministic_output")
            .group("set")
            .doc(
                "Get one or multiple random members from a set",
                "1.0.0",
                "Without the count argument O(1), otherwise O(N) where N is the absolute value of"
                    + " the passed count."));
    t.register(
        command("smove", 4, SetCommands::smove)
            .flags(WRITE, FAST)
            .keys(KeySpec.key(1, "RW access delete"), KeySpec.key(2, "RW insert"))
            .group("set")
            .doc("Moves a member from one set to another.", "1.0.0", "O(1)"));
    t.register(
        command("sinter", -2, c -> sinter(c, 1, c.argc() - 1, null, false, 0))
            .flags(READONLY)
            .keys(KeySpec.range(1, -1, 1, "RO access"))
            .tips("nondeterministic_output_order")
            .group("set")
            .doc("Returns the intersect of multiple sets.", "1.0.0", INTER_COMPLEXITY));
    t.register(
        command("sintercard", -3, SetCommands::sintercard)
            .flags(READONLY)
            .keys(KeySpec.keyNum(1, 0, 1, 1, "RO access"))
            .keyProc(
                KeyProcs.numKeys(
                    0, 1, 2, 1)) // the keys follow numkeys, as Redis's legacy key range says
            .group("set")
            .doc(
                "Returns the number of members of the intersect of multiple sets.",
                "7.0.0",
                INTER_COMPLEXITY));
    t.register(
        command("sinterstore", -3, c -> sinter(c, 2, c.argc() - 2, c.arg(1), false, 0))
            .flags(WRITE, DENYOOM)
            .keys(KeySpec.key(1, "RW update"), KeySpec.range(2, -1, 1, "RO access"))
            .group("set")
            .doc("Stores the intersect of multiple sets in a key.", "1.0.0", INTER_COMPLEXITY));
    t.register(
        command("sunion", -2, c -> sunionOrDiff(c, 1, null, true))
            .flags(READONLY)
            .keys(KeySpec.range(1, -1, 1, "RO access"))
            .tips("nondeterministic_output_order")
            .group("set")
            .doc("Returns the union of multiple sets.", "1.0.0", ALL_SETS_COMPLEXITY));
    t.register(
        command("sunionstore", -3, c -> sunionOrDiff(c, 2, c.arg(1), true))
            .flags(WRITE, DENYOOM)
            .keys(KeySpec.key(1, "OW update"), KeySpec.range(2, -1, 1, "RO access"))
            .group("set")
            .doc("Stores the union of multiple sets in a key.", "1.0.0", ALL_SETS_COMPLEXITY));
    t.register(
        command("sdiff", -2, c -> sunionOrDiff(c, 1, null, false))
            .flags(READONLY)
            .keys(KeySpec.range(1, -1, 1, "RO access"))
            .tips("nondeterministic_output_order")
            .group("set")
            .doc("Returns the difference of multiple sets.", "1.0.0", ALL_SETS_COMPLEXITY));
    t.register(
        command("sdiffstore", -3, c -> sunionOrDiff(c, 2, c.arg(1), false))
            .flags(WRITE, DENYOOM)
            .keys(KeySpec.key(1, "OW update"), KeySpec.range(2, -1, 1, "RO access"))
            .group("set")
            .doc("Stores the difference of multiple sets in a key.", "1.0.0", ALL_SETS_COMPLEXITY));
    t.register(
        command("sscan", -3, SetCommands::sscan)
            .flags(READONLY)
            .keys(KeySpec.key(1, "RO access"))
            .tips("nondeterministic_output")
            .group("set")
            .doc("Iterates over members of a set.", "2.8.0", SCAN_COMPLEXITY));
  }

  private static RedisSet readSet(CommandContext c) {
    return Values.as(c.db().read(c.arg(1)), RedisSet.class);
  }

  private static RandomGenerator random() {
    return ThreadLocalRandom.current();
  }

  private static void sadd(CommandContext c) {
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

  private static void srem(CommandContext c) {
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

  private static void smembers(CommandContext c) {
    RedisSet set = readSet(c);
    Reply reply = c.reply();
    if (set == null) {
      reply.set(0);
      return;
    }
    reply.set(set.size());
    set.forEach(reply::bulk);
  }

  private static void sismember(CommandContext c) {
    RedisSet set = readSet(c);
    c.reply().integer(set != null && set.contains(c.arg(2)) ? 1 : 0);
  }

  private static void smismember(CommandContext c) {
    RedisSet set = readSet(c);
    Reply reply = c.reply();
    reply.array(c.argc() - 2);
    for (int i = 2; i < c.argc(); i++) {
      reply.integer(set != null && set.contains(c.arg(i)) ? 1 : 0);
    }
  }

  private static void scard(CommandContext c) {
    RedisSet set = readSet(c);
    c.reply().integer(set == null ? 0 : set.size());
  }

  /** SPOP key [count]: a bulk string without count, a set (array in RESP2) with it. */
  private static void spop(CommandContext c) {
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
      c.db().remove(entry);
      c.notify(NotifyFlags.GENERIC, "del", c.arg(1));
      return;
    }
    int n = (int) count;
    RandomGenerator random = random();
    reply.set(n);
    for (int i = 0; i < n; i++) {
      reply.bulk(set.pop(random));
    }
    c.db().changed(entry);
  }

  /** SRANDMEMBER key [count]: distinct members for a positive count, repeats for a negative one. */
  private static void srandmember(CommandContext c) {
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

  private static void smove(CommandContext c) {
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

  /** SINTERCARD numkeys key [key …] [LIMIT limit]. */
  private static void sintercard(CommandContext c) {
    String numkeysError = "ERR numkeys should be greater than 0";
    long numKeys = c.longArg(1, numkeysError);
    if (numKeys < 1) {
      throw new RedisError(numkeysError);
    }
    if (numKeys > c.argc() - 2) {
      throw new RedisError("ERR Number of keys can't be greater than number of args");
    }
    long limit = 0;
    for (int i = 2 + (int) numKeys; i < c.argc(); i++) {
      if (c.is(i, "limit") && i + 1 < c.argc()) {
        String limitError = "ERR LIMIT can't be negative";
        limit = c.longArg(++i, limitError);
        if (limit < 0) {
          throw new RedisError(limitError);
        }
      } else {
        throw new RedisError(Errors.SYNTAX);
      }
    }
    sinter(c, 2, (int) numKeys, null, true, limit);
  }

  /** Looks up {@code count} sets from argument {@code first}; null for a missing key. */
  private static RedisSet[] lookup(CommandContext c, int first, int count, boolean forWrite) {
    Database db = c.db();
    RedisSet[] sets = new RedisSet[count];
    for (int j = 0; j < count; j++) {
      byte[] key = c.arg(first + j);
      sets[j] = Values.as(forWrite ? db.write(key) : db.read(key), RedisSet.class);
    }
    return sets;
  }

  /**
   * SINTER, SINTERSTORE (into {@code target}) and SINTERCARD ({@code cardinality}, stopping at a
   * non-zero {@code limit}): walks the smallest set and keeps what all the others contain.
   */
  private static void sinter(
      CommandContext c, int first, int count, byte[] target, boolean cardinality, long limit) {
    RedisSet[] sets = lookup(c, first, count, target != null);
    boolean anyMissing = Arrays.stream(sets).anyMatch(s -> s == null);
    List<byte[]> result = new ArrayList<>();
    long[] matched = {0};
    if (!anyMissing) {
      Arrays.sort(sets, Comparator.comparingInt(RedisSet::size));
      sets[0].forEachWhile(
          member -> {
            for (int j = 1; j < sets.length; j++) {
              if (sets[j] != sets[0] && !sets[j].contains(member)) {
                return true;
              }
            }
            matched[0]++;
            if (!cardinality) {
              result.add(member);
            }
            return limit == 0 || matched[0] < limit;
          });
    }
    if (cardinality) {
      c.reply().integer(matched[0]);
    } else if (target != null) {
      RedisSet stored = new RedisSet();
      result.forEach(member -> stored.add(member.clone()));
      storeResult(c, target, stored, "sinterstore");
    } else {
      replySet(c.reply(), result);
    }
  }

  /** SUNION, SDIFF and their STORE variants (into {@code target}). */
  private static void sunionOrDiff(CommandContext c, int first, byte[] target, boolean union) {
    RedisSet[] sets = lookup(c, first, c.argc() - first, target != null);
    RedisSet result = new RedisSet();
    Consumer<byte[]> add =
        target == null ? result::add : member -> result.add(member.clone()); // stored: own copy
    if (union) {
      for (RedisSet set : sets) {
        if (set != null) {
          set.forEach(add);
        }
      }
    } else if (sets[0] != null) {
      sets[0].forEach(
          member -> {
            for (int j = 1; j < sets.length; j++) {
              if (sets[j] != null && sets[j].contains(member)) {
                return;
              }
            }
            add.accept(member);
          });
    }
    if (target != null) {
      storeResult(c, target, result, union ? "sunionstore" : "sdiffstore");
    } else {
      c.reply().set(result.size());
      result.forEach(c.reply()::bulk);
    }
  }

  /** Stores a *STORE result, replacing whatever the key held; an empty result deletes the key. */
  private static void storeResult(CommandContext c, byte[] key, RedisSet result, String event) {
    Database db = c.db();
    if (result.isEmpty()) {
      if (db.delete(key)) {
        c.dirty(1);
        c.notify(NotifyFlags.GENERIC, "del", key);
      }
      c.reply().integer(0);
      return;
    }
    db.set(key, result, false);
    c.dirty(1);
    c.notify(NotifyFlags.SET, event, key);
    c.reply().integer(result.size());
  }

  private static void replySet(Reply reply, List<byte[]> members) {
    reply.set(members.size());
    for (byte[] member : members) {
      reply.bulk(member);
    }
  }

  /** SSCAN key cursor [MATCH pattern] [COUNT count]. */
  private static void sscan(CommandContext c) {
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
