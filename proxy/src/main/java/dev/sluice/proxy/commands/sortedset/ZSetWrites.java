package dev.sluice.proxy.commands.sortedset;

import dev.sluice.proxy.commands.Values;
import dev.sluice.proxy.engine.CommandContext;
import dev.sluice.proxy.engine.Errors;
import dev.sluice.proxy.engine.Numbers;
import dev.sluice.proxy.engine.RedisError;
import dev.sluice.proxy.keyspace.Database;
import dev.sluice.proxy.keyspace.Entry;
import dev.sluice.proxy.keyspace.NotifyFlags;
import dev.sluice.proxy.types.LexRange;
import dev.sluice.proxy.types.RedisZSet;
import dev.sluice.proxy.types.RedisZSet.Node;
import dev.sluice.proxy.types.ScoreRange;

/**
 * The sorted set commands that add, increment and remove members: ZADD, ZINCRBY, ZREM,
 * ZREMRANGEBY*.
 */
final class ZSetWrites {
  private ZSetWrites() {}

  private static final String NAN_RESULT = "ERR resulting score is not a number (NaN)";

  /** After members were removed: deletes the key if it became empty, as Redis. */
  static void removedFrom(CommandContext c, Entry entry, RedisZSet zset, String event) {
    c.notify(NotifyFlags.ZSET, event, entry.key());
    if (zset.isEmpty()) {
      c.db().remove(entry);
      c.notify(NotifyFlags.GENERIC, "del", entry.key());
    } else {
      c.db().changed(entry);
    }
  }

  // ---- ZADD, ZINCRBY ----

  /** ZADD key [NX | XX] [GT | LT] [CH] [INCR] score member [score member ...]; ZINCRBY. */
  static void zadd(CommandContext c, boolean incrCommand) {
    boolean nx = false;
    boolean xx = false;
    boolean gt = false;
    boolean lt = false;
    boolean ch = false;
    boolean incr = incrCommand;
    int first = 2;
    for (; first < c.argc(); first++) {
      if (c.is(first, "nx")) {
        nx = true;
      } else if (c.is(first, "xx")) {
        xx = true;
      } else if (c.is(first, "ch")) {
        ch = true;
      } else if (c.is(first, "incr")) {
        incr = true;
      } else if (c.is(first, "gt")) {
        gt = true;
      } else if (c.is(first, "lt")) {
        lt = true;
      } else {
        break;
      }
    }
    int elements = c.argc() - first;
    if (elements % 2 != 0 || elements == 0) {
      throw new RedisError(Errors.SYNTAX);
    }
    elements /= 2;
    if (nx && xx) {
      throw new RedisError("ERR XX and NX options at the same time are not compatible");
    }
    if ((gt && nx) || (lt && nx) || (gt && lt)) {
      throw new RedisError("ERR GT, LT, and/or NX options at the same time are not compatible");
    }
    if (incr && elements > 1) {
      throw new RedisError("ERR INCR option supports a single increment-element pair");
    }
    double[] scores = new double[elements];
    for (int j = 0; j < elements; j++) {
      scores[j] = Numbers.parseDouble(c.arg(first + 2 * j), Errors.NOT_FLOAT);
    }
    Database db = c.db();
    byte[] key = c.arg(1);
    Entry entry = db.write(key);
    RedisZSet zset = Values.as(entry, RedisZSet.class);
    if (zset == null) {
      if (xx) {
        if (incr) {
          c.reply().nil();
        } else {
          c.reply().integer(0);
        }
        return;
      }
      zset = RedisZSet.withHint(elements, c.arg(first + 1).length);
    } else {
      zset.sizeHint(elements);
    }
    int added = 0;
    int updated = 0;
    int processed = 0;
    double result = 0;
    for (int j = 0; j < elements; j++) {
      byte[] member = c.arg(first + 1 + 2 * j);
      double score = scores[j];
      Node node = zset.find(member);
      if (node != null) {
        if (nx) {
          continue;
        }
        double current = node.score();
        if (incr) {
          score += current;
          if (Double.isNaN(score)) {
            // INCR takes one pair, so nothing has changed yet
            throw new RedisError(NAN_RESULT);
          }
        }
        if ((lt && score >= current) || (gt && score <= current)) {
          continue;
        }
        processed++;
        result = score;
        if (score != current) {
          zset.setScore(node, score);
          updated++;
        }
      } else if (!xx) {
        zset.add(member, score);
        added++;
        processed++;
        result = score;
      }
    }
    if (added + updated > 0) {
      if (entry == null) {
        db.insert(key, zset);
      } else {
        db.changed(entry);
      }
      c.dirty(added + updated);
      c.notify(NotifyFlags.ZSET, incr ? "zincr" : "zadd", key);
    }
    if (incr) {
      if (processed > 0) {
        c.reply().doubleValue(result);
      } else {
        c.reply().nil();
      }
    } else {
      c.reply().integer(ch ? added + updated : added);
    }
  }

  // ---- removal ----

  static void zrem(CommandContext c) {
    Entry entry = c.db().write(c.arg(1));
    RedisZSet zset = Values.as(entry, RedisZSet.class);
    if (zset == null) {
      c.reply().integer(0);
      return;
    }
    int deleted = 0;
    for (int i = 2; i < c.argc() && !zset.isEmpty(); i++) {
      if (zset.remove(c.arg(i))) {
        deleted++;
      }
    }
    if (deleted > 0) {
      c.dirty(deleted);
      removedFrom(c, entry, zset, "zrem");
    }
    c.reply().integer(deleted);
  }

  /** ZREMRANGEBYRANK / ZREMRANGEBYSCORE / ZREMRANGEBYLEX key min max. */
  static void zremrange(CommandContext c, RangeType type) {
    long start = 0;
    long end = 0;
    ScoreRange scores = null;
    LexRange lex = null;
    String event;
    switch (type) {
      case RANK -> {
        start = c.longArg(2);
        end = c.longArg(3);
        event = "zremrangebyrank";
      }
      case SCORE -> {
        scores = RangeBounds.scores(c.arg(2), c.arg(3));
        event = "zremrangebyscore";
      }
      default -> {
        lex = RangeBounds.lex(c.arg(2), c.arg(3));
        event = "zremrangebylex";
      }
    }
    Entry entry = c.db().write(c.arg(1));
    RedisZSet zset = Values.as(entry, RedisZSet.class);
    if (zset == null) {
      c.reply().integer(0);
      return;
    }
    long low;
    long high; // exclusive
    if (type == RangeType.RANK) {
      RankWindow window = RankWindow.ofRanks(zset.size(), start, end, false);
      low = window.start();
      high = window.start() + window.count();
    } else if (scores != null) {
      low = zset.countBefore(scores);
      high = zset.countThrough(scores);
    } else {
      low = zset.countBefore(lex);
      high = zset.countThrough(lex);
    }
    long deleted = high > low ? zset.removeRange(low, high - 1) : 0;
    if (deleted > 0) {
      c.dirty(deleted);
      removedFrom(c, entry, zset, event);
    }
    c.reply().integer(deleted);
  }
}
