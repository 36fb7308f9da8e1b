package dev.sluice.proxy.commands.list;

import dev.sluice.proxy.engine.CommandContext;
import dev.sluice.proxy.engine.Errors;
import dev.sluice.proxy.engine.RedisError;
import dev.sluice.proxy.keyspace.Entry;
import dev.sluice.proxy.keyspace.NotifyFlags;
import dev.sluice.proxy.types.RedisList;

/** LSET, LINSERT, LREM and LTRIM: lists changed in place. */
final class ListEdits {
  private ListEdits() {}

  private static final String INDEX_OUT_OF_RANGE = "ERR index out of range";

  static void lset(CommandContext c) {
    Entry entry = c.db().write(c.arg(1));
    if (entry == null) {
      throw new RedisError(Errors.NO_SUCH_KEY);
    }
    RedisList list = Lists.list(entry);
    long index = c.longArg(2);
    byte[] element = c.arg(3);
    list.prepareAdd(0, element.length);
    if (index < 0) {
      index += list.size();
    }
    if (index < 0 || index >= list.size()) {
      throw new RedisError(INDEX_OUT_OF_RANGE);
    }
    list.set((int) index, element);
    c.db().changed(entry);
    c.dirty(1);
    c.reply().simple("OK");
    c.notify(NotifyFlags.LIST, "lset", entry.key());
  }

  /** LINSERT key BEFORE|AFTER pivot element. */
  static void linsert(CommandContext c) {
    boolean after;
    if (c.is(2, "after")) {
      after = true;
    } else if (c.is(2, "before")) {
      after = false;
    } else {
      throw new RedisError(Errors.SYNTAX);
    }
    Entry entry = c.db().write(c.arg(1));
    RedisList list = Lists.list(entry);
    if (list == null) {
      c.reply().integer(0);
      return;
    }
    byte[] element = c.arg(4);
    list.prepareAdd(1, element.length);
    int pivot = list.indexOf(c.arg(3));
    if (pivot < 0) {
      c.reply().integer(-1);
      return;
    }
    list.insert(after ? pivot + 1 : pivot, element);
    c.db().changed(entry);
    c.dirty(1);
    c.notify(NotifyFlags.LIST, "linsert", entry.key());
    c.reply().integer(list.size());
  }

  /** LREM key count element: from the head if count > 0, the tail if < 0, all if 0. */
  static void lrem(CommandContext c) {
    long count = c.longArg(2);
    Entry entry = c.db().write(c.arg(1));
    RedisList list = Lists.list(entry);
    if (list == null) {
      c.reply().integer(0);
      return;
    }
    // -Long.MIN_VALUE stays negative: no limit, as in Redis
    int removed = list.removeMatching(c.arg(3), count < 0 ? -count : count, count < 0);
    if (removed > 0) {
      c.dirty(removed);
      c.notify(NotifyFlags.LIST, "lrem", entry.key());
      Lists.deleteIfEmpty(c, entry, list);
    }
    c.reply().integer(removed);
  }

  static void ltrim(CommandContext c) {
    long start = c.longArg(2);
    long end = c.longArg(3);
    Entry entry = c.db().write(c.arg(1));
    RedisList list = Lists.list(entry);
    if (list == null) {
      c.reply().simple("OK");
      return;
    }
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
    long fromHead;
    long fromTail;
    if (start > end || start >= length) {
      fromHead = length;
      fromTail = 0;
    } else {
      if (end >= length) {
        end = length - 1;
      }
      fromHead = start;
      fromTail = length - end - 1;
    }
    list.removeFirst((int) fromHead);
    list.removeLast((int) fromTail);
    c.dirty(fromHead + fromTail);
    c.notify(NotifyFlags.LIST, "ltrim", entry.key());
    Lists.deleteIfEmpty(c, entry, list);
    c.reply().simple("OK");
  }
}
