package dev.sluice.proxy.commands.set;

import static dev.sluice.proxy.engine.CommandFlag.DENYOOM;
import static dev.sluice.proxy.engine.CommandFlag.FAST;
import static dev.sluice.proxy.engine.CommandFlag.READONLY;
import static dev.sluice.proxy.engine.CommandFlag.WRITE;
import static dev.sluice.proxy.engine.CommandSpec.command;

import dev.sluice.proxy.engine.CommandTable;
import dev.sluice.proxy.engine.KeyProcs;
import dev.sluice.proxy.engine.KeySpec;

/**
 * The set commands of Redis 7.4: their declarations. The handlers are in {@link SetMembers} and
 * {@link SetAlgebra}.
 */
public final class SetCommands {
  private SetCommands() {}

  private static final String SCAN_COMPLEXITY =
      "O(1) for every call. O(N) for a complete iteration, including enough command calls for the"
          + " cursor to return back to 0. N is the number of elements inside the collection.";
  private static final String INTER_COMPLEXITY =
      "O(N*M) worst case where N is the cardinality of the smallest set and M is the number of"
          + " sets.";
  private static final String ALL_SETS_COMPLEXITY =
      "O(N) where N is the total number of elements in all given sets.";

  public static void register(CommandTable t) {
    t.register(
        command("sadd", -3, SetMembers::sadd)
            .flags(WRITE, DENYOOM, FAST)
            .keys(KeySpec.key(1, "RW insert"))
            .group("set")
            .doc(
                "Adds one or more members to a set. Creates the key if it doesn't exist.",
                "1.0.0",
                "O(1) for each element added, so O(N) to add N elements when the command is called"
                    + " with multiple arguments."));
    t.register(
        command("srem", -3, SetMembers::srem)
            .flags(WRITE, FAST)
            .keys(KeySpec.key(1, "RW delete"))
            .group("set")
            .doc(
                "Removes one or more members from a set. Deletes the set if the last member was"
                    + " removed.",
                "1.0.0",
                "O(N) where N is the number of members to be removed."));
    t.register(
        command("smembers", 2, SetMembers::smembers)
            .flags(READONLY)
            .keys(KeySpec.key(1, "RO access"))
            .tips("nondeterministic_output_order")
            .group("set")
            .doc("Returns all members of a set.", "1.0.0", "O(N) where N is the set cardinality."));
    t.register(
        command("sismember", 3, SetMembers::sismember)
            .flags(READONLY, FAST)
            .keys(KeySpec.key(1, "RO"))
            .group("set")
            .doc("Determines whether a member belongs to a set.", "1.0.0", "O(1)"));
    t.register(
        command("smismember", -3, SetMembers::smismember)
            .flags(READONLY, FAST)
            .keys(KeySpec.key(1, "RO access"))
            .group("set")
            .doc(
                "Determines whether multiple members belong to a set.",
                "6.2.0",
                "O(N) where N is the number of elements being checked for membership"));
    t.register(
        command("scard", 2, SetMembers::scard)
            .flags(READONLY, FAST)
            .keys(KeySpec.key(1, "RO"))
            .group("set")
            .doc("Returns the number of members in a set.", "1.0.0", "O(1)"));
    t.register(
        command("spop", -2, SetMembers::spop)
            .flags(WRITE, FAST)
            .keys(KeySpec.key(1, "RW access delete"))
            .tips("nondeterministic_output")
            .group("set")
            .doc(
                "Returns one or more random members from a set after removing them. Deletes the"
                    + " set if the last member was popped.",
                "1.0.0",
                "Without the count argument O(1), otherwise O(N) where N is the value of the"
                    + " passed count."));
    t.register(
        command("srandmember", -2, SetMembers::srandmember)
            .flags(READONLY)
            .keys(KeySpec.key(1, "RO access"))
            .tips("nondeterministic_output")
            .group("set")
            .doc(
                "Get one or multiple random members from a set",
                "1.0.0",
                "Without the count argument O(1), otherwise O(N) where N is the absolute value of"
                    + " the passed count."));
    t.register(
        command("smove", 4, SetMembers::smove)
            .flags(WRITE, FAST)
            .keys(KeySpec.key(1, "RW access delete"), KeySpec.key(2, "RW insert"))
            .group("set")
            .doc("Moves a member from one set to another.", "1.0.0", "O(1)"));
    t.register(
        command("sinter", -2, c -> SetAlgebra.sinter(c, 1, c.argc() - 1, null, false, 0))
            .flags(READONLY)
            .keys(KeySpec.range(1, -1, 1, "RO access"))
            .tips("nondeterministic_output_order")
            .group("set")
            .doc("Returns the intersect of multiple sets.", "1.0.0", INTER_COMPLEXITY));
    t.register(
        command("sintercard", -3, SetAlgebra::sintercard)
            .flags(READONLY)
            .keys(KeySpec.keyNum(1, 0, 1, 1, "RO access"))
            .keyProc(
                KeyProcs.numKeys(
                    0, 1, 2, 1)) // the keys follow numkeys, as Redis's legacy key range says
            .group("set")
            .doc(
                "Returns the number of members of the intersect of multiple sets.",
                "7.0.0",
                INTER_COMPLEXITY));
    t.register(
        command("sinterstore", -3, c -> SetAlgebra.sinter(c, 2, c.argc() - 2, c.arg(1), false, 0))
            .flags(WRITE, DENYOOM)
            .keys(KeySpec.key(1, "RW update"), KeySpec.range(2, -1, 1, "RO access"))
            .group("set")
            .doc("Stores the intersect of multiple sets in a key.", "1.0.0", INTER_COMPLEXITY));
    t.register(
        command("sunion", -2, c -> SetAlgebra.sunionOrDiff(c, 1, null, true))
            .flags(READONLY)
            .keys(KeySpec.range(1, -1, 1, "RO access"))
            .tips("nondeterministic_output_order")
            .group("set")
            .doc("Returns the union of multiple sets.", "1.0.0", ALL_SETS_COMPLEXITY));
    t.register(
        command("sunionstore", -3, c -> SetAlgebra.sunionOrDiff(c, 2, c.arg(1), true))
            .flags(WRITE, DENYOOM)
            .keys(KeySpec.key(1, "OW update"), KeySpec.range(2, -1, 1, "RO access"))
            .group("set")
            .doc("Stores the union of multiple sets in a key.", "1.0.0", ALL_SETS_COMPLEXITY));
    t.register(
        command("sdiff", -2, c -> SetAlgebra.sunionOrDiff(c, 1, null, false))
            .flags(READONLY)
            .keys(KeySpec.range(1, -1, 1, "RO access"))
            .tips("nondeterministic_output_order")
            .group("set")
            .doc("Returns the difference of multiple sets.", "1.0.0", ALL_SETS_COMPLEXITY));
    t.register(
        command("sdiffstore", -3, c -> SetAlgebra.sunionOrDiff(c, 2, c.arg(1), false))
            .flags(WRITE, DENYOOM)
            .keys(KeySpec.key(1, "OW update"), KeySpec.range(2, -1, 1, "RO access"))
            .group("set")
            .doc("Stores the difference of multiple sets in a key.", "1.0.0", ALL_SETS_COMPLEXITY));
    t.register(
        command("sscan", -3, SetMembers::sscan)
            .flags(READONLY)
            .keys(KeySpec.key(1, "RO access"))
            .tips("nondeterministic_output")
            .group("set")
            .doc("Iterates over members of a set.", "2.8.0", SCAN_COMPLEXITY));
  }
}
