package dev.sluice.proxy.commands.sortedset;

import dev.sluice.proxy.commands.CollectionArgs;
import dev.sluice.proxy.commands.Values;
import dev.sluice.proxy.engine.CommandContext;
import dev.sluice.proxy.engine.Errors;
import dev.sluice.proxy.engine.RedisError;
import dev.sluice.proxy.resp.Doubles;
import dev.sluice.proxy.resp.Reply;
import dev.sluice.proxy.types.RedisZSet;
import dev.sluice.proxy.types.RedisZSet.Node;
import dev.sluice.proxy.util.Glob;
import java.util.ArrayList;
import java.util.List;

/** ZSCAN. */
final class ZSetScan {
  private ZSetScan() {}

  /** ZSCAN key cursor [MATCH pattern] [COUNT count]. */
  static void zscan(CommandContext c) {
    long cursor = CollectionArgs.parseCursor(c.arg(2));
    RedisZSet zset = Values.as(c.db().read(c.arg(1)), RedisZSet.class);
    Reply reply = c.reply();
    if (zset == null) {
      reply.array(2);
      reply.bulk("0");
      reply.array(0);
      return;
    }
    byte[] pattern = null;
    long count = 10;
    for (int i = 3; i < c.argc(); ) {
      int left = c.argc() - i;
      if (c.is(i, "count") && left >= 2) {
        count = c.longArg(i + 1);
        if (count < 1) {
          throw new RedisError(Errors.SYNTAX);
        }
        i += 2;
      } else if (c.is(i, "match") && left >= 2) {
        pattern = c.arg(i + 1);
        if (pattern.length == 1 && pattern[0] == '*') {
          pattern = null;
        }
        i += 2;
      } else if (c.is(i, "novalues")) {
        throw new RedisError("ERR NOVALUES option can only be used in HSCAN");
      } else {
        throw new RedisError(Errors.SYNTAX);
      }
    }
    List<Node> visited = new ArrayList<>();
    if (!zset.isSkiplistEncoded()) {
      // a listpack is returned whole in one call, as Redis does
      for (Node node = zset.first(); node != null; node = node.next()) {
        visited.add(node);
      }
      cursor = 0;
    } else {
      long maxSteps = count * 10;
      do {
        cursor = zset.scan(cursor, visited::add);
      } while (cursor != 0 && --maxSteps > 0 && visited.size() < count);
    }
    if (pattern != null) {
      List<Node> matching = new ArrayList<>(visited.size());
      for (Node node : visited) {
        if (Glob.matches(pattern, node.member())) {
          matching.add(node);
        }
      }
      visited = matching;
    }
    reply.array(2);
    reply.bulk(Long.toUnsignedString(cursor));
    reply.array(visited.size() * 2);
    boolean skiplist = zset.isSkiplistEncoded();
    for (Node node : visited) {
      reply.bulk(node.member());
      // as Redis: a listpack's scores as stored (d2string), a skiplist's with "%.17g"
      reply.bulk(skiplist ? Doubles.g17(node.score()) : Doubles.reply(node.score()));
    }
  }
}
