package dev.sluice.proxy.commands.list;

import dev.sluice.proxy.commands.Timeouts;
import dev.sluice.proxy.engine.CommandContext;
import dev.sluice.proxy.keyspace.Database;
import dev.sluice.proxy.keyspace.Entry;
import dev.sluice.proxy.resp.Reply;
import dev.sluice.proxy.types.RedisList;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * BLPOP, BRPOP, BLMOVE and BRPOPLPUSH: served at once from a list that has elements, or the client
 * blocks (BLMPOP is {@link ListPushPop#mpop}).
 */
final class ListBlockingPops {
  private ListBlockingPops() {}

  private static final byte[] LPOP = {'L', 'P', 'O', 'P'};
  private static final byte[] RPOP = {'R', 'P', 'O', 'P'};
  private static final byte[] LMOVE = {'L', 'M', 'O', 'V', 'E'};
  private static final byte[] LEFT = {'l', 'e', 'f', 't'};
  private static final byte[] RIGHT = {'r', 'i', 'g', 'h', 't'};

  /** BLPOP/BRPOP key [key ...] timeout: served from the first non-empty list, or blocks. */
  static void blockingPop(CommandContext c, boolean left) {
    int timeoutIndex = c.argc() - 1;
    long timeout = Timeouts.seconds(c, timeoutIndex);
    Database db = c.db();
    for (int i = 1; i < timeoutIndex; i++) {
      Entry entry = db.write(c.arg(i));
      RedisList list = Lists.list(entry);
      if (list == null) {
        continue;
      }
      Reply reply = c.reply();
      reply.array(2);
      reply.bulk(entry.key());
      reply.bulk(list.remove(left));
      if (c.propagating()) { // as Redis: replicas pop, they do not block
        c.effects().replicateAs(new byte[][] {left ? LPOP : RPOP, entry.key()});
      }
      c.dirty(1);
      Lists.popped(c, entry, list, left);
      return;
    }
    c.block(Lists.keys(c, 1, timeoutIndex), RedisList.class, timeout, Reply::nilArray);
  }

  /** BLMOVE source destination LEFT|RIGHT LEFT|RIGHT timeout. */
  static void blmove(CommandContext c) {
    boolean fromLeft = Lists.position(c, 3);
    boolean toLeft = Lists.position(c, 4);
    long timeout = Timeouts.seconds(c, 5);
    blockingMove(c, fromLeft, toLeft, timeout);
  }

  /** BRPOPLPUSH source destination timeout. */
  static void brpoplpush(CommandContext c) {
    long timeout = Timeouts.seconds(c, 3);
    blockingMove(c, false, true, timeout);
  }

  private static final byte[] RPOPLPUSH = "RPOPLPUSH".getBytes(StandardCharsets.US_ASCII);

  private static void blockingMove(
      CommandContext c, boolean fromLeft, boolean toLeft, long timeout) {
    RedisList source = Lists.list(c.db().write(c.arg(1)));
    if (source == null) {
      // as Redis: a null bulk where it cannot block (MULTI, scripts), a null array on timeout
      if (!c.canBlock()) {
        c.reply().nil();
        return;
      }
      c.block(List.of(c.arg(1)), RedisList.class, timeout, Reply::nilArray, servedArgs(c), null);
      return;
    }
    ListPushPop.move(c, fromLeft, toLeft);
    if (c.propagating() && c.argc() == 4) { // BRPOPLPUSH as RPOPLPUSH, as Redis
      c.effects().replicateAs(new byte[][] {RPOPLPUSH, c.arg(1), c.arg(2)});
    } else if (c.propagating()) {
      c.effects()
          .replicateAs(new byte[][] {LMOVE, c.arg(1), c.arg(2), c.arg(3), c.arg(4)}); // as sent
    }
  }

  /**
   * BLMOVE runs again, once served, with its directions as Redis's serveClientBlockedOnList names
   * them to replicas ("left", "right"); BRPOPLPUSH as it is.
   */
  private static byte[][] servedArgs(CommandContext c) {
    if (c.argc() != 6) {
      return null;
    }
    byte[][] args = c.args().clone();
    args[3] = Lists.position(c, 3) ? LEFT : RIGHT;
    args[4] = Lists.position(c, 4) ? LEFT : RIGHT;
    return args;
  }
}
