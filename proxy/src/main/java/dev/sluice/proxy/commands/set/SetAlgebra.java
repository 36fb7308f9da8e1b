package dev.sluice.proxy.commands.set;

import dev.sluice.proxy.commands.Values;
import dev.sluice.proxy.engine.CommandContext;
import dev.sluice.proxy.engine.Errors;
import dev.sluice.proxy.engine.RedisError;
import dev.sluice.proxy.keyspace.Database;
import dev.sluice.proxy.keyspace.NotifyFlags;
import dev.sluice.proxy.resp.Reply;
import dev.sluice.proxy.types.RedisSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;

/**
 * Intersections, unions and differences: SINTER, SINTERCARD, SUNION, SDIFF and their *STORE
 * variants.
 */
final class SetAlgebra {
  private SetAlgebra() {}

  /** SINTERCARD numkeys key [key …] [LIMIT limit]. */
  static void sintercard(CommandContext c) {
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
  static void sinter(
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
  static void sunionOrDiff(CommandContext c, int first, byte[] target, boolean union) {
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
}
