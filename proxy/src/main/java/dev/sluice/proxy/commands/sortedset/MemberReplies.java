package dev.sluice.proxy.commands.sortedset;

import dev.sluice.proxy.engine.RedisError;
import dev.sluice.proxy.resp.Reply;
import dev.sluice.proxy.types.RedisZSet.Node;

/** Members in replies: with or without their scores, in RESP2 and RESP3. */
final class MemberReplies {
  private MemberReplies() {}

  /** The array header for {@code count} members, flat pairs in RESP2 when with scores. */
  static void arrayOfMembers(Reply reply, long count, boolean withScores) {
    reply.array(toInt(withScores && reply.protocol() == 2 ? count * 2 : count));
  }

  /** A member, with its score: [member, score] in RESP3, as Redis 7 sends it. */
  static void member(Reply reply, Node node, boolean withScores) {
    if (withScores && reply.protocol() > 2) {
      reply.array(2);
    }
    reply.bulk(node.member());
    if (withScores) {
      reply.doubleValue(node.score());
    }
  }

  private static int toInt(long count) {
    if (count > Integer.MAX_VALUE) {
      throw new RedisError("ERR value is out of range");
    }
    return (int) count;
  }
}
