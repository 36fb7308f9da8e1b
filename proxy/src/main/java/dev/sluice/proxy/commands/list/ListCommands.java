package dev.sluice.proxy.commands.list;

import static dev.sluice.proxy.engine.CommandFlag.BLOCKING;
import static dev.sluice.proxy.engine.CommandFlag.DENYOOM;
import static dev.sluice.proxy.engine.CommandFlag.FAST;
import static dev.sluice.proxy.engine.CommandFlag.NOSCRIPT;
import static dev.sluice.proxy.engine.CommandFlag.READONLY;
import static dev.sluice.proxy.engine.CommandFlag.WRITE;
import static dev.sluice.proxy.engine.CommandSpec.command;

import dev.sluice.proxy.commands.Timeouts;
import dev.sluice.proxy.commands.Values;
import dev.sluice.proxy.engine.CommandContext;
import dev.sluice.proxy.engine.CommandTable;
import dev.sluice.proxy.engine.Errors;
import dev.sluice.proxy.engine.KeyProcs;
import dev.sluice.proxy.engine.KeySpec;
import dev.sluice.proxy.engine.RedisError;
import dev.sluice.proxy.keyspace.Database;
import dev.sluice.proxy.keyspace.Entry;
import dev.sluice.proxy.keyspace.NotifyFlags;
import dev.sluice.proxy.resp.Reply;
import dev.sluice.proxy.types.RedisList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The list commands of Redis 7.4, blocking variants included. */
public final class ListCommands {
  private ListCommands() {}

  private static final String INDEX_OUT_OF_RANGE = "ERR index out of range";
  private static final String MUST_BE_POSITIVE = "ERR value is out of range, must be positive";
  private static final String RANK_ZERO =
      "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use"
          + " negative to start from the end of the list";

  private static final String PUSH_COMPLEXITY =
      "O(1) for each element added, so O(N) to add N elements when the command is called with"
          + " multiple arguments.";
  private static final String MPOP_COMPLEXITY =
      "O(N+M) where N is the number of provided keys and M is the number of elements returned.";

  public static void register(CommandTable t) {
    t.register(
        command("lpush", -3, c -> push(c, true, false))
            .flags(WRITE, DENYOOM, FAST)
            .keys(KeySpec.key(1, "RW insert"))
            .group("list")
            .doc(
                "Prepends one or more elements to a list. Creates the key if it doesn't exist.",
                "1.0.0",
                PUSH_COMPLEXITY));
    t.register(
        command("rpush", -3, c -> push(c, false, false))
            .flags(WRITE, DENYOOM, FAST)
            .keys(KeySpec.key(1, "RW insert"))
            .group("list")
            .doc(
                "Appends one or more elements to a list. Creates the key if it doesn't exist.",
                "1.0.0",
                PUSH_COMPLEXITY));
    t.register(
        command("lpushx", -3, c -> push(c, true, true))
            .flags(WRITE, DENYOOM, FAST)
            .keys(KeySpec.key(1, "RW insert"))
            .group("list")
            .doc(
                "Prepends one or more elements to a list only when the list exists.",
                "2.2.0",
                PUSH_COMPLEXITY));
    t.register(
        command("rpushx", -3, c -> push(c, false, true))
            .flags(WRITE, DENYOOM, FAST)
            .keys(KeySpec.key(1, "RW insert"))
            .group("list")
            .doc(
                "Appends an element to a list only when the list exists.",
                "2.2.0",
                PUSH_COMPLEXITY));
    t.register(
        command("lpop", -2, c -> pop(c, true))
            .flags(WRITE, FAST)
            .keys(KeySpec.key(1, "RW access delete"))
            .group("list")
            .doc(
                "Returns the first elements in a list after removing it. Deletes the list if the"
                    + " last element was popped.",
                "1.0.0",
                "O(N) where N is the number of elements returned"));
    t.register(
        command("rpop", -2, c -> pop(c, false))
            .flags(WRITE, FAST)
            .keys(KeySpec.key(1, "RW access delete"))
            .group("list")
            .doc(
                "Returns and removes the last elements of the list. Deletes the list if the last"
                    + " element was popped.",
                "1.0.0",
                "O(N) where N is the number of elements returned"));
    t.register(
        command("lrange", 4, ListCommands::lrange)
            .flags(READONLY)
            .keys(KeySpec.key(1, "RO access"))
            .group("list")
            .doc(
                "Returns a range of elements from a list.",
                "1.0.0",
                "O(S+N) where S is the distance of start offset from HEAD for small lists, from"
                    + " nearest end (HEAD or TAIL) for large lists; and N is the number of"
                    + " elements in the specified range."));
    t.register(
        command("llen", 2, ListCommands::llen)
            .flags(READONLY, FAST)
            .keys(KeySpec.key(1, "RO"))
            .group("list")
            .doc("Returns the length of a list.", "1.0.0", "O(1)"));
    t.register(
        command("lindex", 3, ListCommands::lindex)
            .flags(READONLY)
            .keys(KeySpec.key(1, "RO access"))
            .group("list")
            .doc(
                "Returns an element from a list by its index.",
                "1.0.0",
                "O(N) where N is the number of elements to traverse to get to the element at"
                    + " index. This makes asking for the first or the last element of the list"
                    + " O(1)."));
    t.register(
        command("lset", 4, ListCommands::lset)
            .flags(WRITE, DENYOOM)
            .keys(KeySpec.key(1, "RW update"))
            .group("list")
            .doc(
                "Sets the value of an element in a list by its index.",
                "1.0.0",
                "O(N) where N is the length of the list. Setting either the first or the last"
                    + " element of the list is O(1)."));
    t.register(
        command("linsert", 5, ListCommands::linsert)
            .flags(WRITE, DENYOOM)
            .keys(KeySpec.key(1, "RW insert"))
            .group("list")
            .doc(
                "Inserts an element before or after another element in a list.",
                "2.2.0",
                "O(N) where N is the number of elements to traverse before seeing the value"
                    + " pivot. This means that inserting somewhere on the left end on the list"
                    + " (head) can be considered O(1) and inserting somewhere on the right end"
                    + " (tail) is O(N)."));
    t.register(
        command("lrem", 4, ListCommands::lrem)
            .flags(WRITE)
            .keys(KeySpec.key(1, "RW delete"))
            .group("list")
            .doc(
                "Removes elements from a list. Deletes the list if the last element was removed.",
                "1.0.0",
                "O(N+M) where N is the length of the list and M is the number of elements"
                    + " removed."));
    t.register(
        command("ltrim", 4, ListCommands::ltrim)
            .flags(WRITE)
            .keys(KeySpec.key(1, "RW delete"))
            .group("list")
            .doc(
                "Removes elements from both ends a list. Deletes the list if all elements were"
                    + " trimmed.",
                "1.0.0",
                "O(N) where N is the number of elements to be removed by the operation."));
    t.register(
        command("lpos", -3, ListCommands::lpos)
            .flags(READONLY)
            .keys(KeySpec.key(1, "RO access"))
            .group("list")
            .doc(
                "Returns the index of matching elements in a list.",
                "6.0.6",
                "O(N) where N is the number of elements in the list, for the average case. When"
                    + " searching for elements near the head or the tail of the list, or when the"
                    + " MAXLEN option is provided, the command may run in constant time."));
    t.register(
        command("lmove", 5, ListCommands::lmove)
            .flags(WRITE, DENYOOM)
            .keys(KeySpec.key(1, "RW access delete"), KeySpec.key(2, "RW insert"))
            .group("list")
            .doc(
                "Returns an element after popping it from one list and pushing it to another."
                    + " Deletes the list if the last element was moved.",
                "6.2.0",
                "O(1)"));
    t.register(
        command("rpoplpush", 3, c -> move(c, false, true))
            .flags(WRITE, DENYOOM)
            .keys(KeySpec.key(1, "RW access delete"), KeySpec.key(2, "RW insert"))
            .group("list")
            .doc(
                "Returns the last element of a list after removing and pushing it to another"
                    + " list. Deletes the list if the last element was popped.",
                "1.2.0",
                "O(1)"));
    t.register(
        command("lmpop", -4, c -> mpop(c, 1, false))
            .flags(WRITE)
            .keys(KeySpec.keyNum(1, 0, 1, 1, "RW access delete"))
            .keyProc(KeyProcs.numKeys(0, 1, 2, 1))
            .group("list")
            .doc(
                "Returns multiple elements from a list after removing them. Deletes the list if"
                    + " the last element was popped.",
                "7.0.0",
                MPOP_COMPLEXITY));
    t.register(
        command("blpop", -3, c -> blockingPop(c, true))
            .flags(WRITE, NOSCRIPT, BLOCKING)
            .keys(KeySpec.range(1, -2, 1, "RW access delete"))
            .group("list")
            .doc(
                "Removes and returns the first element in a list. Blocks until an element is"
                    + " available otherwise. Deletes the list if the last element was popped.",
                "2.0.0",
                "O(N) where N is the number of provided keys."));
    t.register(
        command("brpop", -3, c -> blockingPop(c, false))
            .flags(WRITE, NOSCRIPT, BLOCKING)
            .keys(KeySpec.range(1, -2, 1, "RW access delete"))
            .group("list")
            .doc(
                "Removes and returns the last element in a list. Blocks until an element is"
                    + " available otherwise. Deletes the list if the last element was popped.",
                "2.0.0",
                "O(N) where N is the number of provided keys."));
    t.register(
        command("blmove", 6, ListCommands::blmove)
            .flags(WRITE, DENYOOM, NOSCRIPT, BLOCKING)
            .keys(KeySpec.key(1, "RW access delete"), KeySpec.key(2, "RW insert"))
            .group("list")
            .doc(
                "Pops an element from a list, pushes it to another list and returns it. Blocks"
                    + " until an element is available otherwise. Deletes the list if the last"
                    + " element was moved.",
                "6.2.0",
                "O(1)"));
    t.register(
        command("brpoplpush", 4, ListCommands::brpoplpush)
            .flags(WRITE, DENYOOM, NOSCRIPT, BLOCKING)
            .keys(KeySpec.key(1, "RW access delete"), KeySpec.key(2, "RW insert"))
            .group("list")
            .doc(
                "Pops an element from a list, pushes it to another list and returns it. Block"
                    + " until an element is available otherwise. Deletes the list if the last"
                    + " element was popped.",
                "2.2.0",
                "O(1)"));
    t.register(
        command("blmpop", -5, c -> mpop(c, 2, true))
            .flags(WRITE, BLOCKING)
            .keys(KeySpec.keyNum(2, 0, 1, 1, "RW access delete"))
            .keyProc(KeyProcs.numKeys(0, 2, 3, 1))
            .group("list")
            .doc(
                "Pops the first element from one of multiple lists. Blocks until an element is"
                    + " available otherwise. Deletes the list if the last element was popped.",
                "7.0.0",
                MPOP_COMPLEXITY));
  }

  // ---- helpers ----

  private static RedisList list(Entry entry) {
    return Values.as(entry, RedisList.class);
  }

  /** Redis's getRangeLongFromObjectOrReply: one message for "not a number" and "out of range". */
  private static long rangeArg(CommandContext c, int i, long min, String error) {
    long value = c.longArg(i, error);
    if (value < min) {
      throw new RedisError(error);
    }
    return value;
  }

  /** LEFT or RIGHT, as Redis's getListPositionFromObjectOrReply; true for LEFT. */
  private static boolean position(CommandContext c, int i) {
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
  private static void popped(CommandContext c, Entry entry, RedisList list, boolean left) {
    c.notify(NotifyFlags.LIST, left ? "lpop" : "rpop", entry.key());
    deleteIfEmpty(c, entry, list);
  }

  private static void deleteIfEmpty(CommandContext c, Entry entry, RedisList list) {
    if (list.isEmpty()) {
      c.db().remove(entry);
      c.notify(NotifyFlags.GENERIC, "del", entry.key());
    } else {
      c.db().changed(entry);
    }
  }

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
    popped(c, entry, list, left);
  }

  // ---- push / pop ----

  private static void push(CommandContext c, boolean left, boolean onlyIfExists) {
    Database db = c.db();
    byte[] key = c.arg(1);
    Entry entry = db.write(key);
    RedisList list = list(entry);
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
  private static void pop(CommandContext c, boolean left) {
    if (c.argc() > 3) {
      throw Errors.wrongArity(c.spec().fullName());
    }
    boolean hasCount = c.argc() == 3;
    long count = hasCount ? rangeArg(c, 2, 0, MUST_BE_POSITIVE) : 0;
    Entry entry = c.db().write(c.arg(1));
    RedisList list = list(entry);
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
      popped(c, entry, list, left);
    } else if (count == 0) {
      c.reply().array(0);
    } else {
      popRange(c, entry, list, left, count);
    }
  }

  // ---- reading ----

  private static void lrange(CommandContext c) {
    long start = c.longArg(2);
    long end = c.longArg(3);
    RedisList list = list(c.db().read(c.arg(1)));
    if (list == null) {
      c.reply().array(0);
      return;
    }
    rangeReply(c.reply(), list, start, end, false);
  }

  private static void llen(CommandContext c) {
    RedisList list = list(c.db().read(c.arg(1)));
    c.reply().integer(list == null ? 0 : list.size());
  }

  private static void lindex(CommandContext c) {
    RedisList list = list(c.db().read(c.arg(1)));
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
  private static void lpos(CommandContext c) {
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
        count = rangeArg(c, ++i, 0, "ERR COUNT can't be negative");
      } else if (c.is(i, "maxlen") && more) {
        maxlen = rangeArg(c, ++i, 0, "ERR MAXLEN can't be negative");
      } else {
        throw new RedisError(Errors.SYNTAX);
      }
    }
    boolean fromTail = rank < 0;
    rank = Math.abs(rank);
    RedisList list = list(c.db().read(c.arg(1)));
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

  // ---- changing in place ----

  private static void lset(CommandContext c) {
    Entry entry = c.db().write(c.arg(1));
    if (entry == null) {
      throw new RedisError(Errors.NO_SUCH_KEY);
    }
    RedisList list = list(entry);
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
  private static void linsert(CommandContext c) {
    boolean after;
    if (c.is(2, "after")) {
      after = true;
    } else if (c.is(2, "before")) {
      after = false;
    } else {
      throw new RedisError(Errors.SYNTAX);
    }
    Entry entry = c.db().write(c.arg(1));
    RedisList list = list(entry);
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
  private static void lrem(CommandContext c) {
    long count = c.longArg(2);
    Entry entry = c.db().write(c.arg(1));
    RedisList list = list(entry);
    if (list == null) {
      c.reply().integer(0);
      return;
    }
    // -Long.MIN_VALUE stays negative: no limit, as in Redis
    int removed = list.removeMatching(c.arg(3), count < 0 ? -count : count, count < 0);
    if (removed > 0) {
      c.dirty(removed);
      c.notify(NotifyFlags.LIST, "lrem", entry.key());
      deleteIfEmpty(c, entry, list);
    }
    c.reply().integer(removed);
  }

  private static void ltrim(CommandContext c) {
    long start = c.longArg(2);
    long end = c.longArg(3);
    Entry entry = c.db().write(c.arg(1));
    RedisList list = list(entry);
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
    deleteIfEmpty(c, entry, list);
    c.reply().simple("OK");
  }

  // ---- moving between lists ----

  private static void lmove(CommandContext c) {
    boolean fromLeft = position(c, 3);
    boolean toLeft = position(c, 4);
    move(c, fromLeft, toLeft);
  }

  /** LMOVE's work once the positions are known: pop from arg 1, push onto arg 2. */
  private static void move(CommandContext c, boolean fromLeft, boolean toLeft) {
    Database db = c.db();
    Entry source = db.write(c.arg(1));
    RedisList from = list(source);
    if (from == null) {
      c.reply().nil();
      return;
    }
    byte[] destinationKey = c.arg(2);
    Entry destination = db.write(destinationKey);
    RedisList to = list(destination);
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
    popped(c, source, from, fromLeft);
  }

  // ---- multiple keys ----

  /** LMPOP numkeys key... LEFT|RIGHT [COUNT count], and BLMPOP timeout numkeys .... */
  private static void mpop(CommandContext c, int numkeysIndex, boolean blocking) {
    long numkeys = rangeArg(c, numkeysIndex, 1, "ERR numkeys should be greater than 0");
    if (numkeys >= c.argc() - numkeysIndex - 1) {
      throw new RedisError(Errors.SYNTAX);
    }
    int firstKey = numkeysIndex + 1;
    int whereIndex = firstKey + (int) numkeys;
    boolean left = position(c, whereIndex);
    long count = -1;
    for (int i = whereIndex + 1; i < c.argc(); i++) {
      if (count == -1 && c.is(i, "count") && i + 1 < c.argc()) {
        count = rangeArg(c, ++i, 1, "ERR count should be greater than 0");
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
      RedisList list = list(entry);
      if (list == null) {
        continue;
      }
      c.reply().array(2);
      c.reply().bulk(entry.key());
      popRange(c, entry, list, left, count);
      return;
    }
    if (blocking) {
      c.block(keys(c, firstKey, whereIndex), RedisList.class, timeout, Reply::nilArray);
    } else {
      c.reply().nilArray();
    }
  }

  private static List<byte[]> keys(CommandContext c, int from, int to) {
    return List.of(Arrays.copyOfRange(c.args(), from, to));
  }

  // ---- blocking ----

  /** BLPOP/BRPOP key [key ...] timeout: served from the first non-empty list, or blocks. */
  private static void blockingPop(CommandContext c, boolean left) {
    int timeoutIndex = c.argc() - 1;
    long timeout = Timeouts.seconds(c, timeoutIndex);
    Database db = c.db();
    for (int i = 1; i < timeoutIndex; i++) {
      Entry entry = db.write(c.arg(i));
      RedisList list = list(entry);
      if (list == null) {
        continue;
      }
      Reply reply = c.reply();
      reply.array(2);
      reply.bulk(entry.key());
      reply.bulk(list.remove(left));
      c.dirty(1);
      popped(c, entry, list, left);
      return;
    }
    c.block(keys(c, 1, timeoutIndex), RedisList.class, timeout, Reply::nilArray);
  }

  /** BLMOVE source destination LEFT|RIGHT LEFT|RIGHT timeout. */
  private static void blmove(CommandContext c) {
    boolean fromLeft = position(c, 3);
    boolean toLeft = position(c, 4);
    long timeout = Timeouts.seconds(c, 5);
    blockingMove(c, fromLeft, toLeft, timeout);
  }

  /** BRPOPLPUSH source destination timeout. */
  private static void brpoplpush(CommandContext c) {
    long timeout = Timeouts.seconds(c, 3);
    blockingMove(c, false, true, timeout);
  }

  private static void blockingMove(
      CommandContext c, boolean fromLeft, boolean toLeft, long timeout) {
    RedisList source = list(c.db().write(c.arg(1)));
    if (source == null) {
      // as Redis: a null bulk where it cannot block (MULTI, scripts), a null array on timeout
      if (!c.canBlock()) {
        c.reply().nil();
        return;
      }
      c.block(List.of(c.arg(1)), RedisList.class, timeout, Reply::nilArray);
      return;
    }
    move(c, fromLeft, toLeft);
  }
}
