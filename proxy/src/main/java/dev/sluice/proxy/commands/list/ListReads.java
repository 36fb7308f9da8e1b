package dev.sluice.proxy.commands.list;

import dev.sluice.proxy.engine.CommandContext;
import dev.sluice.proxy.engine.Errors;
import dev.sluice.proxy.engine.RedisError;
import dev.sluice.proxy.resp.Reply;
import dev.sluice.proxy.types.RedisList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** LRANGE, LLEN, LINDEX and LPOS. */
final class ListReads {
  private ListReads() {}

  private static final String RANK_ZERO =
      "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use"
          + " negative to start from the end of the list";

  /**
   * Writes elements {@code start..end} (Redis's index rules, negative from the tail) as an array,
   * from the end backwards if {@code reverse}.
   */
  private static void rangeReply(
      Reply reply, RedisList list, long start, long end, boolean reverse) {
    long length = list.size();
    if (start < 0) {
      start += length;
    }
    if (end < 0) {
      end += length;
    }
    if (start < 0) {
      start = 0;
    }
    if (start > end || start >= length) {
      reply.array(0);
      return;
    }
    if (end >= length) {
      end = length - 1;
    }
    int from = (int) start;
    int to = (int) end;
    reply.array(to - from + 1);
    if (reverse) {
      for (int i = to; i >= from; i--) {
        reply.bulk(list.get(i));
      }
    } else {
      for (int i = from; i <= to; i++) {
        reply.bulk(list.get(i));
      }
    }
  }

  static void lrange(CommandContext c) {
    long start = c.longArg(2);
    long end = c.longArg(3);
    RedisList list = Lists.list(c.db().read(c.arg(1)));
    if (list == null) {
      c.reply().array(0);
      return;
    }
    rangeReply(c.reply(), list, start, end, false);
  }

  static void llen(CommandContext c) {
    RedisList list = Lists.list(c.db().read(c.arg(1)));
    c.reply().integer(list == null ? 0 : list.size());
  }

  static void lindex(CommandContext c) {
    RedisList list = Lists.list(c.db().read(c.arg(1)));
    if (list == null) {
      c.reply().nil();
      return;
    }
    long index = c.longArg(2);
    if (index < 0) {
      index += list.size();
    }
    if (index < 0 || index >= list.size()) {
      c.reply().nil();
    } else {
      c.reply().bulk(list.get((int) index));
    }
  }

  /** LPOS key element [RANK rank] [COUNT num-matches] [MAXLEN len]. */
  static void lpos(CommandContext c) {
    long rank = 1;
    long count = -1; // option not given
    long maxlen = 0;
    for (int i = 3; i < c.argc(); i++) {
      boolean more = i + 1 < c.argc();
      if (c.is(i, "rank") && more) {
        rank = c.longArg(++i);
        if (rank == Long.MIN_VALUE) {
          throw new RedisError(
              "ERR value is out of range, value must between -9223372036854775807 and"
                  + " 9223372036854775807");
        }
        if (rank == 0) {
          throw new RedisError(RANK_ZERO);
        }
      } else if (c.is(i, "count") && more) {
        count = c.longArg(++i, 0, "ERR COUNT can't be negative");
      } else if (c.is(i, "maxlen") && more) {
        maxlen = c.longArg(++i, 0, "ERR MAXLEN can't be negative");
      } else {
        throw new RedisError(Errors.SYNTAX);
      }
    }
    boolean fromTail = rank < 0;
    rank = Math.abs(rank);
    RedisList list = Lists.list(c.db().read(c.arg(1)));
    Reply reply = c.reply();
    if (list == null) {
      if (count != -1) {
        reply.array(0);
      } else {
        reply.nil();
      }
      return;
    }
    byte[] element = c.arg(2);
    int size = list.size();
    long limit = maxlen == 0 ? size : Math.min(maxlen, size);
    long matches = 0;
    if (count == -1) {
      for (int n = 0; n < limit; n++) {
        int index = fromTail ? size - 1 - n : n;
        if (Arrays.equals(list.get(index), element) && ++matches >= rank) {
          reply.integer(index);
          return;
        }
      }
      reply.nil();
      return;
    }
    List<Integer> found = new ArrayList<>();
    for (int n = 0; n < limit; n++) {
      int index = fromTail ? size - 1 - n : n;
      if (Arrays.equals(list.get(index), element) && ++matches >= rank) {
        found.add(index);
        if (count != 0 && found.size() >= count) {
          break;
        }
      }
    }
    reply.array(found.size());
    for (int index : found) {
      reply.integer(index);
    }
  }
}
