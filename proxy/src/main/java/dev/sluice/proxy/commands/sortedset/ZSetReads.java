package dev.sluice.proxy.commands.sortedset;

import dev.sluice.proxy.commands.Values;
import dev.sluice.proxy.engine.CommandContext;
import dev.sluice.proxy.engine.Errors;
import dev.sluice.proxy.engine.RedisError;
import dev.sluice.proxy.keyspace.Database;
import dev.sluice.proxy.keyspace.NotifyFlags;
import dev.sluice.proxy.resp.Reply;
import dev.sluice.proxy.types.LexRange;
import dev.sluice.proxy.types.RedisZSet;
import dev.sluice.proxy.types.RedisZSet.Node;
import dev.sluice.proxy.types.ScoreRange;

/**
 * The sorted set commands that read: ZSCORE, ZMSCORE, ZRANK, ZREVRANK, ZCARD, ZCOUNT, ZLEXCOUNT,
 * and ZRANGE in all its forms (ZREVRANGE, Z[REV]RANGEBYSCORE, Z[REV]RANGEBYLEX) with ZRANGESTORE.
 */
final class ZSetReads {
  private ZSetReads() {}

  static void zscore(CommandContext c) {
    RedisZSet zset = Values.as(c.db().read(c.arg(1)), RedisZSet.class);
    Node node = zset == null ? null : zset.find(c.arg(2));
    if (node == null) {
      c.reply().nil();
    } else {
      c.reply().doubleValue(node.score());
    }
  }

  static void zmscore(CommandContext c) {
    RedisZSet zset = Values.as(c.db().read(c.arg(1)), RedisZSet.class);
    Reply reply = c.reply();
    reply.array(c.argc() - 2);
    for (int i = 2; i < c.argc(); i++) {
      Node node = zset == null ? null : zset.find(c.arg(i));
      if (node == null) {
        reply.nil();
      } else {
        reply.doubleValue(node.score());
      }
    }
  }

  /** ZRANK / ZREVRANK key member [WITHSCORE]. */
  static void zrank(CommandContext c, boolean reverse) {
    if (c.argc() > 4) {
      throw Errors.wrongArity(c.spec().fullName());
    }
    boolean withScore = false;
    if (c.argc() == 4) {
      if (!c.is(3, "withscore")) {
        throw new RedisError(Errors.SYNTAX);
      }
      withScore = true;
    }
    RedisZSet zset = Values.as(c.db().read(c.arg(1)), RedisZSet.class);
    Node node = zset == null ? null : zset.find(c.arg(2));
    Reply reply = c.reply();
    if (node == null) {
      if (withScore) {
        reply.nilArray();
      } else {
        reply.nil();
      }
      return;
    }
    long rank = zset.rank(node);
    if (reverse) {
      rank = zset.size() - 1L - rank;
    }
    if (withScore) {
      reply.array(2);
      reply.integer(rank);
      reply.doubleValue(node.score());
    } else {
      reply.integer(rank);
    }
  }

  static void zcard(CommandContext c) {
    RedisZSet zset = Values.as(c.db().read(c.arg(1)), RedisZSet.class);
    c.reply().integer(zset == null ? 0 : zset.size());
  }

  static void zcount(CommandContext c) {
    ScoreRange range = RangeBounds.scores(c.arg(2), c.arg(3));
    RedisZSet zset = Values.as(c.db().read(c.arg(1)), RedisZSet.class);
    if (zset == null) {
      c.reply().integer(0);
      return;
    }
    c.reply().integer(Math.max(0, zset.countThrough(range) - zset.countBefore(range)));
  }

  static void zlexcount(CommandContext c) {
    LexRange range = RangeBounds.lex(c.arg(2), c.arg(3));
    RedisZSet zset = Values.as(c.db().read(c.arg(1)), RedisZSet.class);
    if (zset == null) {
      c.reply().integer(0);
      return;
    }
    c.reply().integer(Math.max(0, zset.countThrough(range) - zset.countBefore(range)));
  }

  enum Direction {
    AUTO,
    FORWARD,
    REVERSE
  }

  /**
   * ZRANGE key start stop [BYSCORE | BYLEX] [REV] [LIMIT offset count] [WITHSCORES], ZRANGESTORE
   * dst src … and the deprecated Z[REV]RANGE[BYSCORE|BYLEX], as Redis's zrangeGenericCommand:
   * {@code keyIndex} is the source key, the range follows it.
   */
  static void zrange(
      CommandContext c, int keyIndex, boolean store, RangeType type, Direction direction) {
    int minIndex = keyIndex + 1;
    int maxIndex = keyIndex + 2;
    boolean withScores = false;
    long offset = 0;
    long limit = -1;
    for (int j = keyIndex + 3; j < c.argc(); j++) {
      int left = c.argc() - j - 1;
      if (!store && c.is(j, "withscores")) {
        withScores = true;
      } else if (c.is(j, "limit") && left >= 2) {
        offset = c.longArg(j + 1);
        limit = c.longArg(j + 2);
        j += 2;
      } else if (direction == Direction.AUTO && c.is(j, "rev")) {
        direction = Direction.REVERSE;
      } else if (type == RangeType.AUTO && c.is(j, "bylex")) {
        type = RangeType.LEX;
      } else if (type == RangeType.AUTO && c.is(j, "byscore")) {
        type = RangeType.SCORE;
      } else {
        throw new RedisError(Errors.SYNTAX);
      }
    }
    if (direction == Direction.AUTO) {
      direction = Direction.FORWARD;
    }
    if (type == RangeType.AUTO) {
      type = RangeType.RANK;
    }
    if (limit != -1 && type == RangeType.RANK) {
      throw new RedisError(
          "ERR syntax error, LIMIT is only supported in combination with either BYSCORE or"
              + " BYLEX");
    }
    if (withScores && type == RangeType.LEX) {
      throw new RedisError("ERR syntax error, WITHSCORES not supported in combination with BYLEX");
    }
    boolean reverse = direction == Direction.REVERSE;
    if (reverse && type != RangeType.RANK) {
      int swap = maxIndex;
      maxIndex = minIndex;
      minIndex = swap;
    }
    long start = 0;
    long end = 0;
    ScoreRange scores = null;
    LexRange lex = null;
    switch (type) {
      case SCORE -> scores = RangeBounds.scores(c.arg(minIndex), c.arg(maxIndex));
      case LEX -> lex = RangeBounds.lex(c.arg(minIndex), c.arg(maxIndex));
      default -> {
        start = c.longArg(minIndex);
        end = c.longArg(maxIndex);
      }
    }
    Database db = c.db();
    RedisZSet zset = Values.as(db.read(c.arg(keyIndex)), RedisZSet.class);
    RankWindow window;
    if (zset == null) {
      window = RankWindow.EMPTY;
    } else if (type == RangeType.RANK) {
      window = RankWindow.ofRanks(zset.size(), start, end, reverse);
    } else if (scores != null) {
      window =
          RankWindow.ofLimit(
              zset.size(),
              zset.countBefore(scores),
              zset.countThrough(scores),
              offset,
              limit,
              reverse);
    } else {
      window =
          RankWindow.ofLimit(
              zset.size(), zset.countBefore(lex), zset.countThrough(lex), offset, limit, reverse);
    }
    if (store) {
      storeRange(c, zset, window, type == RangeType.RANK ? window.count() : 0);
      return;
    }
    Reply reply = c.reply();
    MemberReplies.arrayOfMembers(reply, window.count(), withScores);
    if (window.count() > 0) {
      Node node = zset.byRank(window.start());
      for (long k = 0; k < window.count(); k++) {
        MemberReplies.member(reply, node, withScores);
        node = window.reverse() ? node.prev() : node.next();
      }
    }
  }

  /** ZRANGESTORE's result: the destination is replaced, or deleted when the range is empty. */
  private static void storeRange(
      CommandContext c, RedisZSet source, RankWindow window, long sizeHint) {
    byte[] destination = c.arg(1);
    if (window.count() == 0) {
      c.reply().integer(0);
      if (c.db().delete(destination)) {
        c.dirty(1);
        c.notify(NotifyFlags.GENERIC, "del", destination);
      }
      return;
    }
    RedisZSet result = RedisZSet.withHint(sizeHint, 0);
    Node node = source.byRank(window.start());
    for (long k = 0; k < window.count(); k++) {
      result.add(node.member(), node.score());
      node = window.reverse() ? node.prev() : node.next();
    }
    c.db().set(destination, result, false);
    c.dirty(1);
    c.reply().integer(result.size());
    c.notify(NotifyFlags.ZSET, "zrangestore", destination);
  }
}
