package dev.sluice.proxy.commands.sortedset;

import static dev.sluice.proxy.engine.CommandFlag.BLOCKING;
import static dev.sluice.proxy.engine.CommandFlag.DENYOOM;
import static dev.sluice.proxy.engine.CommandFlag.FAST;
import static dev.sluice.proxy.engine.CommandFlag.NOSCRIPT;
import static dev.sluice.proxy.engine.CommandFlag.READONLY;
import static dev.sluice.proxy.engine.CommandFlag.WRITE;
import static dev.sluice.proxy.engine.CommandSpec.command;

import dev.sluice.proxy.commands.sortedset.ZSetAlgebra.SetOp;
import dev.sluice.proxy.commands.sortedset.ZSetReads.Direction;
import dev.sluice.proxy.engine.CommandTable;
import dev.sluice.proxy.engine.KeyProcs;
import dev.sluice.proxy.engine.KeySpec;

/**
 * The sorted set commands of Redis 7.4: their command-table declarations only. The handlers are
 * {@link ZSetWrites} (ZADD, ZINCRBY, ZREM, ZREMRANGEBY*), {@link ZSetReads} (scores, ranks, counts,
 * ZRANGE in all its forms, ZRANGESTORE), {@link ZSetAlgebra} (ZUNION, ZINTER, ZDIFF, their STORE
 * forms, ZINTERCARD), {@link ZSetPops} (ZPOPMIN/MAX, BZPOP*, ZMPOP, BZMPOP, ZRANDMEMBER) and {@link
 * ZSetScan}; the range arguments are read by {@link RangeBounds}.
 */
public final class ZSetCommands {
  private ZSetCommands() {}

  private static final String GROUP = "sorted-set";
  private static final String RANGE_COMPLEXITY =
      "O(log(N)+M) with N being the number of elements in the sorted set and M the number of"
          + " elements returned.";
  private static final String BY_RANGE_COMPLEXITY =
      "O(log(N)+M) with N being the number of elements in the sorted set and M the number of"
          + " elements being returned. If M is constant (e.g. always asking for the first 10"
          + " elements with LIMIT), you can consider it O(log(N)).";
  private static final String REMOVE_RANGE_COMPLEXITY =
      "O(log(N)+M) with N being the number of elements in the sorted set and M the number of"
          + " elements removed by the operation.";
  private static final String POP_COMPLEXITY =
      "O(log(N)*M) with N being the number of elements in the sorted set, and M being the number"
          + " of elements popped.";
  private static final String MPOP_COMPLEXITY =
      "O(K) + O(M*log(N)) where K is the number of provided keys, N being the number of elements"
          + " in the sorted set, and M being the number of elements popped.";
  private static final String UNION_COMPLEXITY =
      "O(N)+O(M*log(M)) with N being the sum of the sizes of the input sorted sets, and M being"
          + " the number of elements in the resulting sorted set.";
  private static final String INTER_COMPLEXITY =
      "O(N*K)+O(M*log(M)) worst case with N being the smallest input sorted set, K being the"
          + " number of input sorted sets and M being the number of elements in the resulting"
          + " sorted set.";
  private static final String DIFF_COMPLEXITY =
      "O(L + (N-K)log(N)) worst case where L is the total number of elements in all the sets, N"
          + " is the size of the first set, and K is the size of the result set.";
  private static final String LOG_N =
      "O(log(N)) with N being the number of elements in the sorted set.";

  public static void register(CommandTable t) {
    t.register(
        command("zadd", -4, c -> ZSetWrites.zadd(c, false))
            .flags(WRITE, DENYOOM, FAST)
            .keys(KeySpec.key(1, "RW update"))
            .group(GROUP)
            .doc(
                "Adds one or more members to a sorted set, or updates their scores. Creates the"
                    + " key if it doesn't exist.",
                "1.2.0",
                "O(log(N)) for each item added, where N is the number of elements in the sorted"
                    + " set."));
    t.register(
        command("zincrby", 4, c -> ZSetWrites.zadd(c, true))
            .flags(WRITE, DENYOOM, FAST)
            .keys(KeySpec.key(1, "RW access update"))
            .group(GROUP)
            .doc(
                "Increments the score of a member in a sorted set.",
                "1.2.0",
                "O(log(N)) where N is the number of elements in the sorted set."));
    t.register(
        command("zscore", 3, ZSetReads::zscore)
            .flags(READONLY, FAST)
            .keys(KeySpec.key(1, "RO access"))
            .group(GROUP)
            .doc("Returns the score of a member in a sorted set.", "1.2.0", "O(1)"));
    t.register(
        command("zmscore", -3, ZSetReads::zmscore)
            .flags(READONLY, FAST)
            .keys(KeySpec.key(1, "RO access"))
            .group(GROUP)
            .doc(
                "Returns the score of one or more members in a sorted set.",
                "6.2.0",
                "O(N) where N is the number of members being requested."));
    t.register(
        command("zrank", -3, c -> ZSetReads.zrank(c, false))
            .flags(READONLY, FAST)
            .keys(KeySpec.key(1, "RO access"))
            .group(GROUP)
            .doc(
                "Returns the index of a member in a sorted set ordered by ascending scores.",
                "2.0.0",
                "O(log(N))"));
    t.register(
        command("zrevrank", -3, c -> ZSetReads.zrank(c, true))
            .flags(READONLY, FAST)
            .keys(KeySpec.key(1, "RO access"))
            .group(GROUP)
            .doc(
                "Returns the index of a member in a sorted set ordered by descending scores.",
                "2.0.0",
                "O(log(N))"));
    t.register(
        command("zcard", 2, ZSetReads::zcard)
            .flags(READONLY, FAST)
            .keys(KeySpec.key(1, "RO"))
            .group(GROUP)
            .doc("Returns the number of members in a sorted set.", "1.2.0", "O(1)"));
    t.register(
        command("zcount", 4, ZSetReads::zcount)
            .flags(READONLY, FAST)
            .keys(KeySpec.key(1, "RO access"))
            .group(GROUP)
            .doc(
                "Returns the count of members in a sorted set that have scores within a range.",
                "2.0.0",
                LOG_N));
    t.register(
        command("zlexcount", 4, ZSetReads::zlexcount)
            .flags(READONLY, FAST)
            .keys(KeySpec.key(1, "RO access"))
            .group(GROUP)
            .doc(
                "Returns the number of members in a sorted set within a lexicographical range.",
                "2.8.9",
                LOG_N));
    t.register(
        command("zrange", -4, c -> ZSetReads.zrange(c, 1, false, RangeType.AUTO, Direction.AUTO))
            .flags(READONLY)
            .keys(KeySpec.key(1, "RO access"))
            .group(GROUP)
            .doc(
                "Returns members in a sorted set within a range of indexes.",
                "1.2.0",
                RANGE_COMPLEXITY));
    t.register(
        command(
                "zrangestore",
                -5,
                c -> ZSetReads.zrange(c, 2, true, RangeType.AUTO, Direction.AUTO))
            .flags(WRITE, DENYOOM)
            .keys(KeySpec.key(1, "OW update"), KeySpec.key(2, "RO access"))
            .group(GROUP)
            .doc(
                "Stores a range of members from sorted set in a key.",
                "6.2.0",
                "O(log(N)+M) with N being the number of elements in the sorted set and M the"
                    + " number of elements stored into the destination key."));
    t.register(
        command(
                "zrevrange",
                -4,
                c -> ZSetReads.zrange(c, 1, false, RangeType.RANK, Direction.REVERSE))
            .flags(READONLY)
            .keys(KeySpec.key(1, "RO access"))
            .group(GROUP)
            .doc(
                "Returns members in a sorted set within a range of indexes in reverse order.",
                "1.2.0",
                RANGE_COMPLEXITY));
    t.register(
        command(
                "zrangebyscore",
                -4,
                c -> ZSetReads.zrange(c, 1, false, RangeType.SCORE, Direction.FORWARD))
            .flags(READONLY)
            .keys(KeySpec.key(1, "RO access"))
            .group(GROUP)
            .doc(
                "Returns members in a sorted set within a range of scores.",
                "1.0.5",
                BY_RANGE_COMPLEXITY));
    t.register(
        command(
                "zrevrangebyscore",
                -4,
                c -> ZSetReads.zrange(c, 1, false, RangeType.SCORE, Direction.REVERSE))
            .flags(READONLY)
            .keys(KeySpec.key(1, "RO access"))
            .group(GROUP)
            .doc(
                "Returns members in a sorted set within a range of scores in reverse order.",
                "2.2.0",
                BY_RANGE_COMPLEXITY));
    t.register(
        command(
                "zrangebylex",
                -4,
                c -> ZSetReads.zrange(c, 1, false, RangeType.LEX, Direction.FORWARD))
            .flags(READONLY)
            .keys(KeySpec.key(1, "RO access"))
            .group(GROUP)
            .doc(
                "Returns members in a sorted set within a lexicographical range.",
                "2.8.9",
                BY_RANGE_COMPLEXITY));
    t.register(
        command(
                "zrevrangebylex",
                -4,
                c -> ZSetReads.zrange(c, 1, false, RangeType.LEX, Direction.REVERSE))
            .flags(READONLY)
            .keys(KeySpec.key(1, "RO access"))
            .group(GROUP)
            .doc(
                "Returns members in a sorted set within a lexicographical range in reverse order.",
                "2.8.9",
                BY_RANGE_COMPLEXITY));
    t.register(
        command("zrem", -3, ZSetWrites::zrem)
            .flags(WRITE, FAST)
            .keys(KeySpec.key(1, "RW delete"))
            .group(GROUP)
            .doc(
                "Removes one or more members from a sorted set. Deletes the sorted set if all"
                    + " members were removed.",
                "1.2.0",
                "O(M*log(N)) with N being the number of elements in the sorted set and M the"
                    + " number of elements to be removed."));
    t.register(
        command("zremrangebyscore", 4, c -> ZSetWrites.zremrange(c, RangeType.SCORE))
            .flags(WRITE)
            .keys(KeySpec.key(1, "RW delete"))
            .group(GROUP)
            .doc(
                "Removes members in a sorted set within a range of scores. Deletes the sorted set"
                    + " if all members were removed.",
                "1.2.0",
                REMOVE_RANGE_COMPLEXITY));
    t.register(
        command("zremrangebyrank", 4, c -> ZSetWrites.zremrange(c, RangeType.RANK))
            .flags(WRITE)
            .keys(KeySpec.key(1, "RW delete"))
            .group(GROUP)
            .doc(
                "Removes members in a sorted set within a range of indexes. Deletes the sorted"
                    + " set if all members were removed.",
                "2.0.0",
                REMOVE_RANGE_COMPLEXITY));
    t.register(
        command("zremrangebylex", 4, c -> ZSetWrites.zremrange(c, RangeType.LEX))
            .flags(WRITE)
            .keys(KeySpec.key(1, "RW delete"))
            .group(GROUP)
            .doc(
                "Removes members in a sorted set within a lexicographical range. Deletes the"
                    + " sorted set if all members were removed.",
                "2.8.9",
                REMOVE_RANGE_COMPLEXITY));
    t.register(
        command("zpopmin", -2, c -> ZSetPops.zpop(c, false))
            .flags(WRITE, FAST)
            .keys(KeySpec.key(1, "RW access delete"))
            .group(GROUP)
            .doc(
                "Returns the lowest-scoring members from a sorted set after removing them."
                    + " Deletes the sorted set if the last member was popped.",
                "5.0.0",
                POP_COMPLEXITY));
    t.register(
        command("zpopmax", -2, c -> ZSetPops.zpop(c, true))
            .flags(WRITE, FAST)
            .keys(KeySpec.key(1, "RW access delete"))
            .group(GROUP)
            .doc(
                "Returns the highest-scoring members from a sorted set after removing them."
                    + " Deletes the sorted set if the last member was popped.",
                "5.0.0",
                POP_COMPLEXITY));
    t.register(
        command("zmpop", -4, c -> ZSetPops.zmpop(c, 1, false))
            .flags(WRITE)
            .keys(KeySpec.keyNum(1, 0, 1, 1, "RW access delete"))
            .keyProc(KeyProcs.numKeys(0, 1, 2, 1))
            .group(GROUP)
            .doc(
                "Returns the highest- or lowest-scoring members from one or more sorted sets"
                    + " after removing them. Deletes the sorted set if the last member was popped.",
                "7.0.0",
                MPOP_COMPLEXITY));
    t.register(
        command("bzpopmin", -3, c -> ZSetPops.bzpop(c, false))
            .flags(WRITE, NOSCRIPT, BLOCKING, FAST)
            .keys(KeySpec.range(1, -2, 1, "RW access delete"))
            .group(GROUP)
            .doc(
                "Removes and returns the member with the lowest score from one or more sorted"
                    + " sets. Blocks until a member is available otherwise. Deletes the sorted set"
                    + " if the last element was popped.",
                "5.0.0",
                LOG_N));
    t.register(
        command("bzpopmax", -3, c -> ZSetPops.bzpop(c, true))
            .flags(WRITE, NOSCRIPT, BLOCKING, FAST)
            .keys(KeySpec.range(1, -2, 1, "RW access delete"))
            .group(GROUP)
            .doc(
                "Removes and returns the member with the highest score from one or more sorted"
                    + " sets. Blocks until a member available otherwise. Deletes the sorted set if"
                    + " the last element was popped.",
                "5.0.0",
                LOG_N));
    t.register(
        command("bzmpop", -5, c -> ZSetPops.zmpop(c, 2, true))
            .flags(WRITE, BLOCKING)
            .keys(KeySpec.keyNum(2, 0, 1, 1, "RW access delete"))
            .keyProc(KeyProcs.numKeys(0, 2, 3, 1))
            .group(GROUP)
            .doc(
                "Removes and returns a member by score from one or more sorted sets. Blocks until"
                    + " a member is available otherwise. Deletes the sorted set if the last element"
                    + " was popped.",
                "7.0.0",
                MPOP_COMPLEXITY));
    t.register(
        command("zunion", -3, c -> ZSetAlgebra.setOperation(c, null, 1, SetOp.UNION, false))
            .flags(READONLY)
            .keys(KeySpec.keyNum(1, 0, 1, 1, "RO access"))
            .keyProc(KeyProcs.numKeys(0, 1, 2, 1))
            .group(GROUP)
            .doc("Returns the union of multiple sorted sets.", "6.2.0", UNION_COMPLEXITY));
    t.register(
        command("zinter", -3, c -> ZSetAlgebra.setOperation(c, null, 1, SetOp.INTER, false))
            .flags(READONLY)
            .keys(KeySpec.keyNum(1, 0, 1, 1, "RO access"))
            .keyProc(KeyProcs.numKeys(0, 1, 2, 1))
            .group(GROUP)
            .doc("Returns the intersect of multiple sorted sets.", "6.2.0", INTER_COMPLEXITY));
    t.register(
        command("zdiff", -3, c -> ZSetAlgebra.setOperation(c, null, 1, SetOp.DIFF, false))
            .flags(READONLY)
            .keys(KeySpec.keyNum(1, 0, 1, 1, "RO access"))
            .keyProc(KeyProcs.numKeys(0, 1, 2, 1))
            .group(GROUP)
            .doc("Returns the difference between multiple sorted sets.", "6.2.0", DIFF_COMPLEXITY));
    t.register(
        command(
                "zunionstore",
                -4,
                c -> ZSetAlgebra.setOperation(c, c.arg(1), 2, SetOp.UNION, false))
            .flags(WRITE, DENYOOM)
            .keys(KeySpec.key(1, "OW update"), KeySpec.keyNum(2, 0, 1, 1, "RO access"))
            .keyProc(KeyProcs.numKeys(1, 2, 3, 1))
            .group(GROUP)
            .doc("Stores the union of multiple sorted sets in a key.", "2.0.0", UNION_COMPLEXITY));
    t.register(
        command(
                "zinterstore",
                -4,
                c -> ZSetAlgebra.setOperation(c, c.arg(1), 2, SetOp.INTER, false))
            .flags(WRITE, DENYOOM)
            .keys(KeySpec.key(1, "OW update"), KeySpec.keyNum(2, 0, 1, 1, "RO access"))
            .keyProc(KeyProcs.numKeys(1, 2, 3, 1))
            .group(GROUP)
            .doc(
                "Stores the intersect of multiple sorted sets in a key.",
                "2.0.0",
                INTER_COMPLEXITY));
    t.register(
        command("zdiffstore", -4, c -> ZSetAlgebra.setOperation(c, c.arg(1), 2, SetOp.DIFF, false))
            .flags(WRITE, DENYOOM)
            .keys(KeySpec.key(1, "OW update"), KeySpec.keyNum(2, 0, 1, 1, "RO access"))
            .keyProc(KeyProcs.numKeys(1, 2, 3, 1))
            .group(GROUP)
            .doc(
                "Stores the difference of multiple sorted sets in a key.",
                "6.2.0",
                DIFF_COMPLEXITY));
    t.register(
        command("zintercard", -3, c -> ZSetAlgebra.setOperation(c, null, 1, SetOp.INTER, true))
            .flags(READONLY)
            .keys(KeySpec.keyNum(1, 0, 1, 1, "RO access"))
            .keyProc(KeyProcs.numKeys(0, 1, 2, 1))
            .group(GROUP)
            .doc(
                "Returns the number of members of the intersect of multiple sorted sets.",
                "7.0.0",
                "O(N*K) worst case with N being the smallest input sorted set, K being the number"
                    + " of input sorted sets."));
    t.register(
        command("zrandmember", -2, ZSetPops::zrandmember)
            .flags(READONLY)
            .keys(KeySpec.key(1, "RO access"))
            .tips("nondeterministic_output")
            .group(GROUP)
            .doc(
                "Returns one or more random members from a sorted set.",
                "6.2.0",
                "O(N) where N is the number of members returned"));
    t.register(
        command("zscan", -3, ZSetScan::zscan)
            .flags(READONLY)
            .keys(KeySpec.key(1, "RO access"))
            .tips("nondeterministic_output")
            .group(GROUP)
            .doc(
                "Iterates over members and scores of a sorted set.",
                "2.8.0",
                "O(1) for every call. O(N) for a complete iteration, including enough command"
                    + " calls for the cursor to return back to 0. N is the number of elements"
                    + " inside the collection."));
  }
}
