package dev.sluice.proxy.commands.sortedset;

import dev.sluice.proxy.commands.Values;
import dev.sluice.proxy.engine.CommandContext;
import dev.sluice.proxy.engine.Errors;
import dev.sluice.proxy.engine.Numbers;
import dev.sluice.proxy.engine.RedisError;
import dev.sluice.proxy.keyspace.Database;
import dev.sluice.proxy.keyspace.Entry;
import dev.sluice.proxy.keyspace.NotifyFlags;
import dev.sluice.proxy.resp.Reply;
import dev.sluice.proxy.types.RedisSet;
import dev.sluice.proxy.types.RedisZSet;
import dev.sluice.proxy.types.RedisZSet.Node;
import java.util.ArrayList;
import java.util.List;

/**
 * Set algebra over sorted sets: ZUNION, ZINTER, ZDIFF, their STORE forms and ZINTERCARD, with
 * WEIGHTS and AGGREGATE.
 */
final class ZSetAlgebra {
  private ZSetAlgebra() {}

  enum SetOp {
    UNION,
    INTER,
    DIFF
  }

  private static final int AGGREGATE_SUM = 0;
  private static final int AGGREGATE_MIN = 1;
  private static final int AGGREGATE_MAX = 2;

  /** A sorted set as it is, a plain set as members with score 1, null for a missing key. */
  private static RedisZSet sortedView(Entry entry) {
    if (entry != null && entry.value() instanceof RedisSet set) {
      RedisZSet view = RedisZSet.withHint(set.size(), 16);
      set.forEach(member -> view.add(member, 1.0));
      return view;
    }
    return Values.as(entry, RedisZSet.class);
  }

  /** One input: a sorted set (or null for a missing key) and its weight. */
  private record Source(RedisZSet zset, double weight) {
    int size() {
      return zset == null ? 0 : zset.size();
    }
  }

  /**
   * Redis's zunionInterDiffGenericCommand. Input keys may hold plain sets, whose members count with
   * score 1, as in Redis.
   */
  static void setOperation(
      CommandContext c, byte[] destination, int numkeysIndex, SetOp op, boolean cardinalityOnly) {
    long setCount = c.longArg(numkeysIndex);
    if (setCount < 1) {
      throw new RedisError(
          "ERR at least 1 input key is needed for '" + c.spec().fullName() + "' command");
    }
    if (setCount > c.argc() - (numkeysIndex + 1)) {
      throw new RedisError(Errors.SYNTAX);
    }
    int n = (int) setCount;
    Database db = c.db();
    RedisZSet[] sets = new RedisZSet[n];
    double[] weights = new double[n];
    int j = numkeysIndex + 1;
    for (int i = 0; i < n; i++, j++) {
      sets[i] = sortedView(db.read(c.arg(j)));
      weights[i] = 1.0;
    }
    int aggregate = AGGREGATE_SUM;
    boolean withScores = false;
    long limit = 0;
    while (j < c.argc()) {
      int remaining = c.argc() - j;
      if (op != SetOp.DIFF && !cardinalityOnly && remaining >= n + 1 && c.is(j, "weights")) {
        j++;
        for (int i = 0; i < n; i++, j++) {
          weights[i] = Numbers.parseDouble(c.arg(j), "ERR weight value is not a float");
        }
      } else if (op != SetOp.DIFF && !cardinalityOnly && remaining >= 2 && c.is(j, "aggregate")) {
        j++;
        if (c.is(j, "sum")) {
          aggregate = AGGREGATE_SUM;
        } else if (c.is(j, "min")) {
          aggregate = AGGREGATE_MIN;
        } else if (c.is(j, "max")) {
          aggregate = AGGREGATE_MAX;
        } else {
          throw new RedisError(Errors.SYNTAX);
        }
        j++;
      } else if (destination == null && !cardinalityOnly && c.is(j, "withscores")) {
        j++;
        withScores = true;
      } else if (cardinalityOnly && remaining >= 2 && c.is(j, "limit")) {
        j++;
        limit = c.longArg(j, "ERR LIMIT can't be negative");
        if (limit < 0) {
          throw new RedisError("ERR LIMIT can't be negative");
        }
        j++;
      } else {
        throw new RedisError(Errors.SYNTAX);
      }
    }
    List<Source> sources = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      sources.add(new Source(sets[i], weights[i]));
    }
    if (op != SetOp.DIFF) {
      // smallest first, as Redis sorts its inputs by cardinality (a stable sort here)
      sources.sort((a, b) -> Integer.compare(a.size(), b.size()));
    }
    RedisZSet result = RedisZSet.computed();
    long cardinality = 0;
    switch (op) {
      case INTER -> cardinality = inter(sources, aggregate, cardinalityOnly, limit, result);
      case UNION -> union(sources, aggregate, result);
      default -> diff(sources, result);
    }
    Reply reply = c.reply();
    if (destination != null) {
      if (!result.isEmpty()) {
        result.listpackIfSmall();
        db.set(destination, result, false);
        c.dirty(1);
        reply.integer(result.size());
        String event =
            switch (op) {
              case UNION -> "zunionstore";
              case INTER -> "zinterstore";
              default -> "zdiffstore";
            };
        c.notify(NotifyFlags.ZSET, event, destination);
      } else {
        reply.integer(0);
        if (db.delete(destination)) {
          c.dirty(1);
          c.notify(NotifyFlags.GENERIC, "del", destination);
        }
      }
    } else if (cardinalityOnly) {
      reply.integer(cardinality);
    } else {
      MemberReplies.arrayOfMembers(reply, result.size(), withScores);
      for (Node node = result.first(); node != null; node = node.next()) {
        MemberReplies.member(reply, node, withScores);
      }
    }
  }

  private static double aggregate(double target, double value, int aggregate) {
    switch (aggregate) {
      case AGGREGATE_SUM -> {
        double sum = target + value;
        // inf + -inf: Redis keeps 0 rather than NaN
        return Double.isNaN(sum) ? 0.0 : sum;
      }
      case AGGREGATE_MIN -> {
        return value < target ? value : target;
      }
      default -> {
        return value > target ? value : target;
      }
    }
  }

  private static double weighted(double score, double weight) {
    double value = score * weight;
    return Double.isNaN(value) ? 0 : value;
  }

  private static long inter(
      List<Source> sources, int aggregate, boolean cardinalityOnly, long limit, RedisZSet result) {
    Source smallest = sources.get(0);
    if (smallest.size() == 0) {
      return 0;
    }
    long cardinality = 0;
    for (Node node = smallest.zset().last(); node != null; node = node.prev()) {
      double score = weighted(node.score(), smallest.weight());
      int j = 1;
      for (; j < sources.size(); j++) {
        Source other = sources.get(j);
        if (other.zset() == smallest.zset()) {
          score = aggregate(score, node.score() * other.weight(), aggregate);
        } else {
          Node found = other.zset().find(node.member());
          if (found == null) {
            break;
          }
          score = aggregate(score, found.score() * other.weight(), aggregate);
        }
      }
      if (j < sources.size()) {
        continue;
      }
      if (cardinalityOnly) {
        cardinality++;
        if (limit > 0 && cardinality >= limit) {
          break;
        }
      } else {
        result.add(node.member(), score);
      }
    }
    return cardinality;
  }

  private static void union(List<Source> sources, int aggregate, RedisZSet result) {
    result.sizeHint(sources.get(sources.size() - 1).size());
    for (Source source : sources) {
      if (source.size() == 0) {
        continue;
      }
      for (Node node = source.zset().last(); node != null; node = node.prev()) {
        double score = weighted(node.score(), source.weight());
        Node existing = result.find(node.member());
        if (existing == null) {
          result.add(node.member(), score);
        } else {
          result.setScore(existing, aggregate(existing.score(), score, aggregate));
        }
      }
    }
  }

  private static void diff(List<Source> sources, RedisZSet result) {
    Source first = sources.get(0);
    if (first.size() == 0) {
      return;
    }
    for (int j = 1; j < sources.size(); j++) {
      if (sources.get(j).zset() == first.zset()) {
        return; // subtracting a set from itself leaves nothing
      }
    }
    for (Node node = first.zset().last(); node != null; node = node.prev()) {
      boolean elsewhere = false;
      for (int j = 1; j < sources.size() && !elsewhere; j++) {
        RedisZSet other = sources.get(j).zset();
        elsewhere = other != null && other.find(node.member()) != null;
      }
      if (!elsewhere) {
        result.add(node.member(), node.score());
      }
    }
  }
}
