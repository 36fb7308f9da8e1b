package dev.sluice.proxy.commands.sort;

import dev.sluice.proxy.engine.CommandContext;
import dev.sluice.proxy.engine.Errors;
import dev.sluice.proxy.engine.Numbers;
import dev.sluice.proxy.engine.RedisError;
import dev.sluice.proxy.keyspace.Database;
import dev.sluice.proxy.keyspace.Entry;
import dev.sluice.proxy.keyspace.NotifyFlags;
import dev.sluice.proxy.resp.Reply;
import dev.sluice.proxy.types.RedisList;
import dev.sluice.proxy.types.RedisSet;
import dev.sluice.proxy.types.RedisZSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * SORT and SORT_RO, following Redis 7.4's sortCommandGeneric step by step: the options are read
 * (and refused) before the key is looked at, the elements are gathered (only the LIMIT window when
 * a list or sorted set is not sorted), scored, sorted, then answered or stored.
 */
final class SortCommand {
  private SortCommand() {}

  private static final String NOT_DOUBLE = "ERR One or more scores can't be converted into double";

  /** One element with what it sorts by: a numeric score, or the BY value for ALPHA. */
  static final class Item {
    final byte[] element;
    double score;
    byte[] byValue;

    Item(byte[] element) {
      this.element = element;
    }
  }

  static void sort(CommandContext c, boolean readOnly) {
    SortOptions o = SortOptions.parse(c, readOnly);
    Database db = c.db();
    Entry entry = db.read(c.arg(1));
    Object value = entry == null ? null : entry.value();
    if (value != null
        && !(value instanceof RedisList
            || value instanceof RedisSet
            || value instanceof RedisZSet)) {
      throw new RedisError(Errors.WRONGTYPE);
    }
    boolean dontSort = o.dontSort;
    boolean alpha = o.alpha;
    byte[] by = o.by;
    // a set has no order of its own to keep: Redis sorts it when the result must be reproducible
    // (stored, or in a script); Sluice has no script flag here, so only STORE does so
    if (dontSort && value instanceof RedisSet && o.store != null) {
      dontSort = false;
      alpha = true;
      by = null;
    }
    long length = sizeOf(value);
    long start = Math.min(Math.max(o.limitStart, 0), length);
    long count = Math.min(Math.max(o.limitCount, -1), length);
    long end = count < 0 ? length - 1 : start + count - 1;
    if (start >= length) {
      start = length - 1;
      end = length - 2;
    }
    if (end >= length) {
      end = length - 1;
    }
    List<Item> items;
    if (dontSort && (value instanceof RedisList || value instanceof RedisZSet)) {
      // unsorted lists and sorted sets: only the LIMIT window is read, from the end for DESC
      items = window(value, start, end, o.desc);
      end -= start;
      start = 0;
    } else {
      items = all(value);
    }
    boolean notDouble = false;
    if (!dontSort) {
      notDouble = score(db, items, by, alpha);
      items.sort(new SortOrder(alpha, by != null, o.desc, o.store != null));
    }
    int getCount = o.gets.size();
    long outputLength = (getCount == 0 ? 1 : getCount) * (end - start + 1);
    if (notDouble) {
      throw new RedisError(NOT_DOUBLE);
    }
    if (o.store == null) {
      reply(c.reply(), db, items, (int) start, (int) end, o.gets, outputLength);
    } else {
      store(c, items, (int) start, (int) end, o, outputLength);
    }
  }

  private static long sizeOf(Object value) {
    if (value instanceof RedisList list) {
      return list.size();
    }
    if (value instanceof RedisSet set) {
      return set.size();
    }
    return value instanceof RedisZSet zset ? zset.size() : 0;
  }

  /** The elements from {@code start} to {@code end} in the value's own order, or from its end. */
  private static List<Item> window(Object value, long start, long end, boolean fromTail) {
    List<Item> items = new ArrayList<>();
    if (end < start) {
      return items;
    }
    if (value instanceof RedisList list) {
      int n = list.size();
      for (long i = start; i <= end; i++) {
        items.add(new Item(list.get((int) (fromTail ? n - 1 - i : i))));
      }
      return items;
    }
    RedisZSet zset = (RedisZSet) value;
    int n = zset.size();
    RedisZSet.Node node = zset.byRank(fromTail ? n - 1 - start : start);
    for (long i = start; i <= end && node != null; i++) {
      items.add(new Item(node.member()));
      node = fromTail ? node.prev() : node.next();
    }
    return items;
  }

  private static List<Item> all(Object value) {
    List<Item> items = new ArrayList<>();
    if (value instanceof RedisList list) {
      for (int i = 0; i < list.size(); i++) {
        items.add(new Item(list.get(i)));
      }
    } else if (value instanceof RedisSet set) {
      set.forEach(member -> items.add(new Item(member)));
    } else if (value instanceof RedisZSet zset) {
      for (RedisZSet.Node node = zset.first(); node != null; node = node.next()) {
        items.add(new Item(node.member()));
      }
    }
    return items;
  }

  /**
   * Gives every element what it sorts by. Returns whether a numeric value failed to read as a
   * double: Redis keeps sorting and only then answers with the error.
   */
  private static boolean score(Database db, List<Item> items, byte[] by, boolean alpha) {
    boolean notDouble = false;
    for (Item item : items) {
      byte[] byValue = by == null ? item.element : SortPatterns.lookup(db, by, item.element);
      if (byValue == null) {
        continue;
      }
      if (alpha) {
        item.byValue = by == null ? null : byValue;
      } else {
        double score = strtodScore(byValue);
        if (Double.isNaN(score)) {
          notDouble = true;
        } else {
          item.score = score;
        }
      }
    }
    return notDouble;
  }

  /**
   * A value as SORT reads it with strtod on the C string: up to the first NUL, leading blanks
   * allowed, nothing at all is 0, and NaN or out of range (ERANGE) is refused (NaN here).
   */
  static double strtodScore(byte[] text) {
    int end = 0;
    while (end < text.length && text[end] != 0) {
      end++;
    }
    if (end == 0) {
      return 0;
    }
    int from = 0;
    while (from < end && (text[from] == ' ' || (text[from] >= '\t' && text[from] <= '\r'))) {
      from++;
    }
    if (from == end) {
      return Double.NaN;
    }
    try {
      return Numbers.parseDouble(Arrays.copyOfRange(text, from, end), NOT_DOUBLE);
    } catch (RedisError notANumber) {
      return Double.NaN;
    }
  }

  private static void reply(
      Reply reply,
      Database db,
      List<Item> items,
      int start,
      int end,
      List<byte[]> gets,
      long outputLength) {
    reply.array((int) outputLength);
    for (int j = start; j <= end; j++) {
      byte[] element = items.get(j).element;
      if (gets.isEmpty()) {
        reply.bulk(element);
      }
      for (byte[] pattern : gets) {
        byte[] got = SortPatterns.lookup(db, pattern, element);
        if (got == null) {
          reply.nil();
        } else {
          reply.bulk(got);
        }
      }
    }
  }

  /** STORE: the result as a list, replacing the key; an empty result deletes it. */
  private static void store(
      CommandContext c, List<Item> items, int start, int end, SortOptions o, long outputLength) {
    Database db = c.db();
    RedisList result = new RedisList();
    for (int j = start; j <= end; j++) {
      byte[] element = items.get(j).element;
      if (o.gets.isEmpty()) {
        result.addLast(element);
      }
      for (byte[] pattern : o.gets) {
        byte[] got = SortPatterns.lookup(db, pattern, element);
        result.addLast(got == null ? new byte[0] : got);
      }
    }
    if (outputLength > 0) {
      db.set(o.store, result, false);
      c.notify(NotifyFlags.LIST, "sortstore", o.store);
      c.dirty(outputLength);
    } else if (db.delete(o.store)) {
      c.notify(NotifyFlags.GENERIC, "del", o.store);
      c.dirty(1);
    }
    c.reply().integer(outputLength);
  }
}
