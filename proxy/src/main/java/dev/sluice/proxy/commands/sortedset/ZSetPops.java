package dev.sluice.proxy.commands.sortedset;

import dev.sluice.proxy.commands.Timeouts;
import dev.sluice.proxy.commands.Values;
import dev.sluice.proxy.engine.CommandContext;
import dev.sluice.proxy.engine.Errors;
import dev.sluice.proxy.engine.RedisError;
import dev.sluice.proxy.keyspace.Database;
import dev.sluice.proxy.keyspace.Entry;
import dev.sluice.proxy.resp.Reply;
import dev.sluice.proxy.types.RedisZSet;
import dev.sluice.proxy.types.RedisZSet.Node;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The sorted set commands that take members by rank: ZPOPMIN, ZPOPMAX, BZPOPMIN, BZPOPMAX, ZMPOP,
 * BZMPOP, and ZRANDMEMBER.
 */
final class ZSetPops {
  private ZSetPops() {}

  /** getPositiveLongFromObjectOrReply without a message: one text for any failure. */
  private static long nonNegativeLong(CommandContext c, int i) {
    return c.longArg(i, 0, "ERR value is out of range, must be positive");
  }

  // ---- popping ----

  /** ZPOPMIN / ZPOPMAX key [count]. */
  static void zpop(CommandContext c, boolean max) {
    if (c.argc() > 3) {
      throw new RedisError(Errors.SYNTAX);
    }
    long count = c.argc() == 3 ? nonNegativeLong(c, 2) : -1;
    boolean nested = c.reply().protocol() > 2 && count != -1;
    Entry entry = c.db().write(c.arg(1));
    RedisZSet zset = Values.as(entry, RedisZSet.class);
    if (zset == null) {
      c.reply().array(0);
      return;
    }
    pop(c, entry, zset, max, false, count, nested);
  }

  /**
   * Redis's genericZpopCommand once a non-empty set is chosen. Replies: flat [member, score, …]
   * (ZPOP without nesting), [[member, score], …] (nested), [key, member, score] (BZPOP), [key,
   * [[member, score], …]] (ZMPOP).
   */
  private static void pop(
      CommandContext c,
      Entry entry,
      RedisZSet zset,
      boolean max,
      boolean emitKey,
      long count,
      boolean nested) {
    Reply reply = c.reply();
    if (count == 0) {
      reply.array(0);
      return;
    }
    if (count == -1) {
      count = 1;
    }
    int popped = (int) Math.min(count, zset.size());
    if (!nested && !emitKey) {
      reply.array(popped * 2);
    } else if (nested && !emitKey) {
      reply.array(popped);
    } else if (!nested) {
      reply.array(popped * 2 + 1);
      reply.bulk(entry.key());
    } else {
      reply.array(2);
      reply.bulk(entry.key());
      reply.array(popped);
    }
    for (int k = 0; k < popped; k++) {
      Node node = max ? zset.last() : zset.first();
      zset.remove(node);
      if (nested) {
        reply.array(2);
      }
      reply.bulk(node.member());
      reply.doubleValue(node.score());
    }
    c.dirty(popped);
    ZSetWrites.removedFrom(c, entry, zset, max ? "zpopmax" : "zpopmin");
  }

  /** BZPOPMIN / BZPOPMAX key [key ...] timeout. */
  static void bzpop(CommandContext c, boolean max) {
    long timeout = Timeouts.seconds(c, c.argc() - 1);
    Database db = c.db();
    for (int i = 1; i < c.argc() - 1; i++) {
      Entry entry = db.write(c.arg(i));
      RedisZSet zset = Values.as(entry, RedisZSet.class);
      if (zset != null && !zset.isEmpty()) {
        replicateAsPop(c, c.arg(i), max, -1, zset);
        pop(c, entry, zset, max, true, -1, false);
        return;
      }
    }
    c.block(keyList(c, 1, c.argc() - 2), RedisZSet.class, timeout, Reply::nilArray);
  }

  /** ZMPOP numkeys key [key ...] MIN | MAX [COUNT count]; BZMPOP timeout numkeys …. */
  static void zmpop(CommandContext c, int numkeysIndex, boolean blocking) {
    long numkeys = c.longArg(numkeysIndex, 1, "ERR numkeys should be greater than 0");
    if (numkeys >= c.argc() - numkeysIndex - 1) {
      throw new RedisError(Errors.SYNTAX);
    }
    int whereIndex = (int) (numkeysIndex + numkeys + 1);
    boolean max;
    if (c.is(whereIndex, "min")) {
      max = false;
    } else if (c.is(whereIndex, "max")) {
      max = true;
    } else {
      throw new RedisError(Errors.SYNTAX);
    }
    long count = -1;
    for (int j = whereIndex + 1; j < c.argc(); j++) {
      boolean more = j < c.argc() - 1;
      if (count == -1 && c.is(j, "count") && more) {
        count = c.longArg(++j, 1, "ERR count should be greater than 0");
      } else {
        throw new RedisError(Errors.SYNTAX);
      }
    }
    if (count == -1) {
      count = 1;
    }
    long timeout = blocking ? Timeouts.seconds(c, 1) : 0;
    Database db = c.db();
    int firstKey = numkeysIndex + 1;
    for (int i = firstKey; i < whereIndex; i++) {
      Entry entry = db.write(c.arg(i));
      RedisZSet zset = Values.as(entry, RedisZSet.class);
      if (zset != null && !zset.isEmpty()) {
        replicateAsPop(c, c.arg(i), max, count, zset);
        pop(c, entry, zset, max, true, count, true);
        return;
      }
    }
    if (blocking) {
      c.block(keyList(c, firstKey, whereIndex - 1), RedisZSet.class, timeout, Reply::nilArray);
    } else {
      c.reply().nilArray();
    }
  }

  private static final byte[] ZPOPMIN = "ZPOPMIN".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] ZPOPMAX = "ZPOPMAX".getBytes(StandardCharsets.US_ASCII);

  /**
   * As Redis: BZPOP* goes to replicas as ZPOPMIN/ZPOPMAX key, ZMPOP and BZMPOP with the count of
   * members there are to pop ({@code count} -1: none), so that replicas neither block nor differ.
   */
  private static void replicateAsPop(
      CommandContext c, byte[] key, boolean max, long count, RedisZSet zset) {
    if (!c.propagating()) {
      return;
    }
    byte[] name = max ? ZPOPMAX : ZPOPMIN;
    if (count == -1) {
      c.effects().replicateAs(new byte[][] {name, key});
    } else {
      byte[] popped =
          Long.toString(Math.min(count, zset.size())).getBytes(StandardCharsets.US_ASCII);
      c.effects().replicateAs(new byte[][] {name, key, popped});
    }
  }

  private static List<byte[]> keyList(CommandContext c, int first, int last) {
    List<byte[]> keys = new ArrayList<>(last - first + 1);
    for (int i = first; i <= last; i++) {
      keys.add(c.arg(i));
    }
    return keys;
  }

  // ---- ZRANDMEMBER ----

  /** ZRANDMEMBER key [count [WITHSCORES]]. */
  static void zrandmember(CommandContext c) {
    if (c.argc() >= 3) {
      long count = c.longArg(2);
      if (count == Long.MIN_VALUE) {
        throw new RedisError(
            "ERR value is out of range, value must between -9223372036854775807 and"
                + " 9223372036854775807");
      }
      if (c.argc() > 4 || (c.argc() == 4 && !c.is(3, "withscores"))) {
        throw new RedisError(Errors.SYNTAX);
      }
      boolean withScores = c.argc() == 4;
      if (withScores && (count < -Long.MAX_VALUE / 2 || count > Long.MAX_VALUE / 2)) {
        throw new RedisError("ERR value is out of range");
      }
      randomMembers(c, count, withScores);
      return;
    }
    RedisZSet zset = Values.as(c.db().read(c.arg(1)), RedisZSet.class);
    if (zset == null) {
      c.reply().nil();
      return;
    }
    c.reply().bulk(randomNode(zset).member());
  }

  private static Node randomNode(RedisZSet zset) {
    return zset.byRank(ThreadLocalRandom.current().nextInt(zset.size()));
  }

  private static void randomMembers(CommandContext c, long requested, boolean withScores) {
    RedisZSet zset = Values.as(c.db().read(c.arg(1)), RedisZSet.class);
    Reply reply = c.reply();
    if (zset == null || requested == 0) {
      reply.array(0);
      return;
    }
    boolean unique = requested > 0;
    long count = Math.abs(requested);
    int size = zset.size();
    if (!unique || count == 1) {
      // with repetitions, in random order
      MemberReplies.arrayOfMembers(reply, count, withScores);
      for (long k = 0; k < count; k++) {
        MemberReplies.member(reply, randomNode(zset), withScores);
      }
      return;
    }
    if (count >= size) {
      // the whole set, from the highest score down, as Redis iterates it
      MemberReplies.arrayOfMembers(reply, size, withScores);
      for (Node node = zset.last(); node != null; node = node.prev()) {
        MemberReplies.member(reply, node, withScores);
      }
      return;
    }
    int wanted = (int) count;
    List<Node> picked = new ArrayList<>(wanted);
    if (!zset.isSkiplistEncoded() || (long) wanted * 3 > size) {
      // selection sampling: each member kept with probability needed / left, in set order
      ThreadLocalRandom random = ThreadLocalRandom.current();
      int left = size;
      for (Node node = zset.first(); node != null && picked.size() < wanted; node = node.next()) {
        if (random.nextInt(left) < wanted - picked.size()) {
          picked.add(node);
        }
        left--;
      }
      if (zset.isSkiplistEncoded()) {
        Collections.shuffle(picked, random);
      }
    } else {
      Map<Node, Boolean> seen = new IdentityHashMap<>(wanted * 2);
      while (picked.size() < wanted) {
        Node node = randomNode(zset);
        if (seen.put(node, Boolean.TRUE) == null) {
          picked.add(node);
        }
      }
    }
    MemberReplies.arrayOfMembers(reply, wanted, withScores);
    for (Node node : picked) {
      MemberReplies.member(reply, node, withScores);
    }
  }
}
