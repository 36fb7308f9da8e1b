package dev.sluice.proxy.commands.list;

import static dev.sluice.proxy.engine.CommandFlag.BLOCKING;
import static dev.sluice.proxy.engine.CommandFlag.DENYOOM;
import static dev.sluice.proxy.engine.CommandFlag.FAST;
import static dev.sluice.proxy.engine.CommandFlag.NOSCRIPT;
import static dev.sluice.proxy.engine.CommandFlag.READONLY;
import static dev.sluice.proxy.engine.CommandFlag.WRITE;
import static dev.sluice.proxy.engine.CommandSpec.command;

import dev.sluice.proxy.engine.CommandTable;
import dev.sluice.proxy.engine.KeyProcs;
import dev.sluice.proxy.engine.KeySpec;

/**
 * The list commands of Redis 7.4, blocking variants included: their declarations. The handlers are
 * in {@link ListPushPop}, {@link ListBlockingPops}, {@link ListReads} and {@link ListEdits}.
 */
public final class ListCommands {
  private ListCommands() {}

  private static final String PUSH_COMPLEXITY =
      "O(1) for each element added, so O(N) to add N elements when the command is called with"
          + " multiple arguments.";
  private static final String MPOP_COMPLEXITY =
      "O(N+M) where N is the number of provided keys and M is the number of elements returned.";

  public static void register(CommandTable t) {
    t.register(
        command("lpush", -3, c -> ListPushPop.push(c, true, false))
            .flags(WRITE, DENYOOM, FAST)
            .keys(KeySpec.key(1, "RW insert"))
            .group("list")
            .doc(
                "Prepends one or more elements to a list. Creates the key if it doesn't exist.",
                "1.0.0",
                PUSH_COMPLEXITY));
    t.register(
        command("rpush", -3, c -> ListPushPop.push(c, false, false))
            .flags(WRITE, DENYOOM, FAST)
            .keys(KeySpec.key(1, "RW insert"))
            .group("list")
            .doc(
                "Appends one or more elements to a list. Creates the key if it doesn't exist.",
                "1.0.0",
                PUSH_COMPLEXITY));
    t.register(
        command("lpushx", -3, c -> ListPushPop.push(c, true, true))
            .flags(WRITE, DENYOOM, FAST)
            .keys(KeySpec.key(1, "RW insert"))
            .group("list")
            .doc(
                "Prepends one or more elements to a list only when the list exists.",
                "2.2.0",
                PUSH_COMPLEXITY));
    t.register(
        command("rpushx", -3, c -> ListPushPop.push(c, false, true))
            .flags(WRITE, DENYOOM, FAST)
            .keys(KeySpec.key(1, "RW insert"))
            .group("list")
            .doc(
                "Appends an element to a list only when the list exists.",
                "2.2.0",
                PUSH_COMPLEXITY));
    t.register(
        command("lpop", -2, c -> ListPushPop.pop(c, true))
            .flags(WRITE, FAST)
            .keys(KeySpec.key(1, "RW access delete"))
            .group("list")
            .doc(
                "Returns the first elements in a list after removing it. Deletes the list if the"
                    + " last element was popped.",
                "1.0.0",
                "O(N) where N is the number of elements returned"));
    t.register(
        command("rpop", -2, c -> ListPushPop.pop(c, false))
            .flags(WRITE, FAST)
            .keys(KeySpec.key(1, "RW access delete"))
            .group("list")
            .doc(
                "Returns and removes the last elements of the list. Deletes the list if the last"
                    + " element was popped.",
                "1.0.0",
                "O(N) where N is the number of elements returned"));
    t.register(
        command("lrange", 4, ListReads::lrange)
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
        command("llen", 2, ListReads::llen)
            .flags(READONLY, FAST)
            .keys(KeySpec.key(1, "RO"))
            .group("list")
            .doc("Returns the length of a list.", "1.0.0", "O(1)"));
    t.register(
        command("lindex", 3, ListReads::lindex)
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
        command("lset", 4, ListEdits::lset)
            .flags(WRITE, DENYOOM)
            .keys(KeySpec.key(1, "RW update"))
            .group("list")
            .doc(
                "Sets the value of an element in a list by its index.",
                "1.0.0",
                "O(N) where N is the length of the list. Setting either the first or the last"
                    + " element of the list is O(1)."));
    t.register(
        command("linsert", 5, ListEdits::linsert)
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
        command("lrem", 4, ListEdits::lrem)
            .flags(WRITE)
            .keys(KeySpec.key(1, "RW delete"))
            .group("list")
            .doc(
                "Removes elements from a list. Deletes the list if the last element was removed.",
                "1.0.0",
                "O(N+M) where N is the length of the list and M is the number of elements"
                    + " removed."));
    t.register(
        command("ltrim", 4, ListEdits::ltrim)
            .flags(WRITE)
            .keys(KeySpec.key(1, "RW delete"))
            .group("list")
            .doc(
                "Removes elements from both ends a list. Deletes the list if all elements were"
                    + " trimmed.",
                "1.0.0",
                "O(N) where N is the number of elements to be removed by the operation."));
    t.register(
        command("lpos", -3, ListReads::lpos)
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
        command("lmove", 5, ListPushPop::lmove)
            .flags(WRITE, DENYOOM)
            .keys(KeySpec.key(1, "RW access delete"), KeySpec.key(2, "RW insert"))
            .group("list")
            .doc(
                "Returns an element after popping it from one list and pushing it to another."
                    + " Deletes the list if the last element was moved.",
                "6.2.0",
                "O(1)"));
    t.register(
        command("rpoplpush", 3, c -> ListPushPop.move(c, false, true))
            .flags(WRITE, DENYOOM)
            .keys(KeySpec.key(1, "RW access delete"), KeySpec.key(2, "RW insert"))
            .group("list")
            .doc(
                "Returns the last element of a list after removing and pushing it to another"
                    + " list. Deletes the list if the last element was popped.",
                "1.2.0",
                "O(1)"));
    t.register(
        command("lmpop", -4, c -> ListPushPop.mpop(c, 1, false))
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
        command("blpop", -3, c -> ListBlockingPops.blockingPop(c, true))
            .flags(WRITE, NOSCRIPT, BLOCKING)
            .keys(KeySpec.range(1, -2, 1, "RW access delete"))
            .group("list")
            .doc(
                "Removes and returns the first element in a list. Blocks until an element is"
                    + " available otherwise. Deletes the list if the last element was popped.",
                "2.0.0",
                "O(N) where N is the number of provided keys."));
    t.register(
        command("brpop", -3, c -> ListBlockingPops.blockingPop(c, false))
            .flags(WRITE, NOSCRIPT, BLOCKING)
            .keys(KeySpec.range(1, -2, 1, "RW access delete"))
            .group("list")
            .doc(
                "Removes and returns the last element in a list. Blocks until an element is"
                    + " available otherwise. Deletes the list if the last element was popped.",
                "2.0.0",
                "O(N) where N is the number of provided keys."));
    t.register(
        command("blmove", 6, ListBlockingPops::blmove)
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
        command("brpoplpush", 4, ListBlockingPops::brpoplpush)
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
        command("blmpop", -5, c -> ListPushPop.mpop(c, 2, true))
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
}
