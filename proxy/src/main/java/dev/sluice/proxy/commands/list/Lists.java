package dev.sluice.proxy.commands.list;

import dev.sluice.proxy.commands.Values;
import dev.sluice.proxy.engine.CommandContext;
import dev.sluice.proxy.engine.Errors;
import dev.sluice.proxy.engine.RedisError;
import dev.sluice.proxy.keyspace.Entry;
import dev.sluice.proxy.keyspace.NotifyFlags;
import dev.sluice.proxy.types.RedisList;
import java.util.Arrays;
import java.util.List;

/**
 * What the list handlers share: the value of a key as a list, Redis's argument parsing for ranges
 * and LEFT|RIGHT, and the events and deletion once elements have left a list.
 */
final class Lists {
  private Lists() {}

  static RedisList list(Entry entry) {
    return Values.as(entry, RedisList.class);
  }

  /** LEFT or RIGHT, as Redis's getListPositionFromObjectOrReply; true for LEFT. */
  static boolean position(CommandContext c, int i) {
    if (c.is(i, "left")) {
      return true;
    } else if (c.is(i, "right")) {
      return false;
    }
    throw new RedisError(Errors.SYNTAX);
  }

  /**
   * After elements were popped from the head ({@code left}) or tail: the lpop/rpop event, and the
   * key's deletion (with a "del" event) once the list is empty.
   */
  static void popped(CommandContext c, Entry entry, RedisList list, boolean left) {
    c.notify(NotifyFlags.LIST, left ? "lpop" : "rpop", entry.key());
    deleteIfEmpty(c, entry, list);
  }

  static void deleteIfEmpty(CommandContext c, Entry entry, RedisList list) {
    if (list.isEmpty()) {
      c.db().remove(entry);
      c.notify(NotifyFlags.GENERIC, "del", entry.key());
    } else {
      c.db().changed(entry);
    }
  }

  static List<byte[]> keys(CommandContext c, int from, int to) {
    return List.of(Arrays.copyOfRange(c.args(), from, to));
  }
}
