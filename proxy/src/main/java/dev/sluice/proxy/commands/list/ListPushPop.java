package dev.sluice.proxy.commands.list;

import static java.nio.charset.StandardCharsets.US_ASCII;

import dev.sluice.proxy.commands.Timeouts;
import dev.sluice.proxy.engine.CommandContext;
import dev.sluice.proxy.engine.Errors;
import dev.sluice.proxy.engine.RedisError;
import dev.sluice.proxy.keyspace.Database;
import dev.sluice.proxy.keyspace.Entry;
import dev.sluice.proxy.keyspace.NotifyFlags;
import dev.sluice.proxy.resp.Reply;
import dev.sluice.proxy.types.RedisList;

/** LPUSH, RPUSH, LPUSHX, RPUSHX, LPOP, RPOP, LMOVE, RPOPLPUSH, LMPOP and BLMPOP. */
final class ListPushPop {
  private ListPushPop() {}

  private static final String MUST_BE_POSITIVE = "ERR value is out of range, must be positive";

  /**
   * Pops up to {@code count} elements from one end, replying with them as an array in pop order,
   * then sends the events and deletes the emptied list.
   */
  private static void popRange(
      CommandContext c, Entry entry, RedisList list, boolean left, long count) {
    int n = (int) Math.min(count, list.size());
    Reply reply = c.reply();
    reply.array(n);
    for (int i = 0; i < n; i++) {
      reply.bulk(list.remove(left));
    }
    c.dirty(n);
    Lists.popped(c, entry, list, left);
  }

  static void push(CommandContext c, boolean left, boolean onlyIfExists) {
    Database db = c.db();
    byte[] key = c.arg(1);
    Entry entry = db.write(key);
    RedisList list = Lists.list(entry);
    if (list == null) {
      if (onlyIfExists) {
        c.reply().integer(0);
        return;
      }
      list = new RedisList();
    }
    int longest = 0;
    for (int i = 2; i < c.argc(); i++) {
      longest = Math.max(longest, c.arg(i).length);
    }
    list.prepareAdd(c.argc() - 2, longest);
    for (int i = 2; i < c.argc(); i++) {
      list.add(left, c.arg(i));
    }
    if (entry == null) {
      db.insert(key, list);
    } else {
      db.changed(entry);
    }
    c.dirty(c.argc() - 2);
    c.reply().integer(list.size());
    c.notify(NotifyFlags.LIST, left ? "lpush" : "rpush", key);
  }

  /** LPOP/RPOP key [count]. */
  static void pop(CommandContext c, boolean left) {
    if (c.argc() > 3) {
      throw Errors.wrongArity(c.spec().fullName());
    }
    boolean hasCount = c.argc() == 3;
    long count = hasCount ? c.longArg(2, 0, MUST_BE_POSITIVE) : 0;
    Entry entry = c.db().write(c.arg(1));
    RedisList list = Lists.list(entry);
    if (list == null) {
      if (hasCount) {
        c.reply().nilArray();
      } else {
        c.reply().nil();
      }
      return;
    }
    if (!hasCount) {
      c.reply().bulk(list.remove(left));
      c.dirty(1);
      Lists.popped(c, entry, list, left);
    } else if (count == 0) {
      c.reply().array(0);
    } else {
      popRange(c, entry, list, left, count);
    }
  }

  static void lmove(CommandContext c) {
    boolean fromLeft = Lists.position(c, 3);
    boolean toLeft = Lists.position(c, 4);
    move(c, fromLeft, toLeft);
  }

  /** LMOVE's work once the positions are known: pop from arg 1, push onto arg 2. */
  static void move(CommandContext c, boolean fromLeft, boolean toLeft) {
    Database db = c.db();
    Entry source = db.write(c.arg(1));
    RedisList from = Lists.list(source);
    if (from == null) {
      c.reply().nil();
      return;
    }
    byte[] destinationKey = c.arg(2);
    Entry destination = db.write(destinationKey);
    RedisList to = Lists.list(destination);
    byte[] element = from.remove(fromLeft);
    if (to == null) {
      to = new RedisList();
      to.add(toLeft, element);
      db.insert(destinationKey, to);
    } else {
      to.prepareAdd(1, element.length);
      to.add(toLeft, element);
      db.changed(destination);
    }
    c.dirty(1);
    c.notify(NotifyFlags.LIST, toLeft ? "lpush" : "rpush", destinationKey);
    c.reply().bulk(element);
    Lists.popped(c, source, from, fromLeft);
  }

  private static final byte[] LPOP = {'L', 'P', 'O', 'P'};
  private static final byte[] RPOP = {'R', 'P', 'O', 'P'};

  /** LMPOP numkeys key... LEFT|RIGHT [COUNT count], and BLMPOP timeout numkeys .... */
  static void mpop(CommandContext c, int numkeysIndex, boolean blocking) {
    long numkeys = c.longArg(numkeysIndex, 1, "ERR numkeys should be greater than 0");
    if (numkeys >= c.argc() - numkeysIndex - 1) {
      throw new RedisError(Errors.SYNTAX);
    }
    int firstKey = numkeysIndex + 1;
    int whereIndex = firstKey + (int) numkeys;
    boolean left = Lists.position(c, whereIndex);
    long count = -1;
    for (int i = whereIndex + 1; i < c.argc(); i++) {
      if (count == -1 && c.is(i, "count") && i + 1 < c.argc()) {
        count = c.longArg(++i, 1, "ERR count should be greater than 0");
      } else {
        throw new RedisError(Errors.SYNTAX);
      }
    }
    if (count == -1) {
      count = 1;
    }
    long timeout = blocking ? Timeouts.seconds(c, 1) : 0;
    Database db = c.db();
    for (int i = firstKey; i < whereIndex; i++) {
      Entry entry = db.write(c.arg(i));
      RedisList list = Lists.list(entry);
      if (list == null) {
        continue;
      }
      c.reply().array(2);
      c.reply().bulk(entry.key());
      if (c.propagating()) { // as Redis: replicas pop what was there, they do not block
        byte[] popped = Long.toString(Math.min(count, list.size())).getBytes(US_ASCII);
        c.effects().replicateAs(new byte[][] {left ? LPOP : RPOP, c.arg(i), popped});
      }
      popRange(c, entry, list, left, count);
      return;
    }
    if (blocking) {
      c.block(Lists.keys(c, firstKey, whereIndex), RedisList.class, timeout, Reply::nilArray);
    } else {
      c.reply().nilArray();
    }
  }
}
