package dev.sluice.proxy.commands.sortedset;

import static dev.sluice.proxy.engine.CommandFlag.BLOCKING;
import static dev.sluice.proxy.engine.CommandFlag.DENYOOM;
import static dev.sluice.proxy.engine.CommandFlag.FAST;
import static dev.sluice.proxy.engine.CommandFlag.NOSCRIPT;
import static dev.sluice.proxy.engine.CommandFlag.READONLY;
import static dev.sluice.proxy.engine.CommandFlag.WRITE;
import static dev.sluice.proxy.engine.CommandSpec.command;

import dev.sluice.proxy.commands.CollectionArgs;
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
import dev.sluice.proxy.resp.Doubles;
import dev.sluice.proxy.resp.Reply;
import dev.sluice.proxy.types.LexRange;
import dev.sluice.proxy.types.RedisSet;
import dev.sluice.proxy.types.RedisZSet;
import dev.sluice.proxy.types.RedisZSet.Node;
import dev.sluice.proxy.types.ScoreRange;
import dev.sluice.proxy.util.Glob;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/** The sorted set commands of Redis 7.4. */
public final class ZSetCommands {
  private ZSetCommands() {}

  private static final String GROUP = "sorted-set";
  private static final String MIN_MAX_NOT_FLOAT = "ERR min or max is not a float";
  private static final String MIN_MAX_NOT_LEX = "ERR min or max not valid string range item";
  private static final String NAN_RESULT = "ERR resulting score is not a number (NaN)";
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
        command("zadd", -4, c -> zadd(c, false))
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
        command("zincrby", 4, c -> zadd(c, true))
            .flags(WRITE, DENYOOM, FAST)
            .keys(KeySpec.key(1, "RW access update"))
            .group(GROUP)
            .doc(
                "Increments the score of a member in a sorted set.",
                "1.2.0",
                "O(log(N)) where N is the number of elements in the sorted set."));
    t.register(
        command("zscore", 3, ZSetCommands::zscore)
            .flags(READONLY, FAST)
            .keys(KeySpec.key(1, "RO access"))
            .group(GROUP)
            .doc("Returns the score of a member in a sorted set.", "1.2.0", "O(1)"));
    t.register(
        command("zmscore", -3, ZSetCommands::zmscore)
            .flags(READONLY, FAST)
            .keys(KeySpec.key(1, "RO access"))
            .group(GROUP)
            .doc(
                "Returns the score of one or more members in a sorted set.",
                "6.2.0",
                "O(N) where N is the number of members being requested."));
    t.register(
        command("zrank", -3, c -> zrank(c, false))
            .flags(READONLY, FAST)
            .keys(KeySpec.key(1, "RO access"))
            .group(GROUP)
            .doc(
                "Returns the index of a member in a sorted set ordered by ascending scores.",
                "2.0.0",
                "O(log(N))"));
    t.register(
        command("zrevrank", -3, c -> zrank(c, true))
            .flags(READONLY, FAST)
            .keys(KeySpec.key(1, "RO access"))
            .group(GROUP)
            .doc(
                "Returns the index of a member in a sorted set ordered by descending scores.",
                "2.0.0",
                "O(log(N))"));
    t.register(
        command("zcard", 2, ZSetCommands::zcard)
            .flags(READONLY, FAST)
            .keys(KeySpec.key(1, "RO"))
            .group(GROUP)
            .doc("Returns the number of members in a sorted set.", "1.2.0", "O(1)"));
    t.register(
        command("zcount", 4, ZSetCommands::zcount)
            .flags(READONLY, FAST)
            .keys(KeySpec.key(1, "RO access"))
            .group(GROUP)
            .doc(
                "Returns the count of members in a sorted set that have scores within a range.",
                "2.0.0",
                LOG_N));
    t.register(
        command("zlexcount", 4, ZSetCommands::zlexcount)
            .flags(READONLY, FAST)
            .keys(KeySpec.key(1, "RO access"))
            .group(GROUP)
            .doc(
                "Returns the number of members in a sorted set within a lexicographical range.",
                "2.8.9",
                LOG_N));
    t.register(
        command("zrange", -4, c -> zrange(c, 1, false, RangeType.AUTO, Direction.AUTO))
            .flags(READONLY)
            .keys(KeySpec.key(1, "RO access"))
            .group(GROUP)
            .doc(
                "Returns members in a sorted set within a range of indexes.",
                "1.2.0",
                RANGE_COMPLEXITY));
    t.register(
        command("zrangestore", -5, c -> zrange(c, 2, true, RangeType.AUTO, Direction.AUTO))
            .flags(WRITE, DENYOOM)
            .keys(KeySpec.key(1, "OW update"), KeySpec.key(2, "RO access"))
            .group(GROUP)
            .doc(
                "Stores a range of members from sorted set in a key.",
                "6.2.0",
                "O(log(N)+M) with N being the number of elements in the sorted set and M the"
                    + " number of elements stored into the destination key."));
    t.register(
        command("zrevrange", -4, c -> zrange(c, 1, false, RangeType.RANK, Direction.REVERSE))
            .flags(READONLY)
            .keys(KeySpec.key(1, "RO access"))
            .group(GROUP)
            .doc(
                "Returns members in a sorted set within a range of indexes in reverse order.",
                "1.2.0",
                RANGE_COMPLEXITY));
    t.register(
        command("zrangebyscore", -4, c -> zrange(c, 1, false, RangeType.SCORE, Direction.FORWARD))
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
                c -> zrange(c, 1, false, RangeType.SCORE, Direction.REVERSE))
            .flags(READONLY)
            .keys(KeySpec.key(1, "RO access"))
            .group(GROUP)
            .doc(
                "Returns members in a sorted set within a range of scores in reverse order.",
                "2.2.0",
                BY_RANGE_COMPLEXITY));
    t.register(
        command("zrangebylex", -4, c -> zrange(c, 1, false, RangeType.LEX, Direction.FORWARD))
            .flags(READONLY)
            .keys(KeySpec.key(1, "RO access"))
            .group(GROUP)
            .doc(
                "Returns members in a sorted set within a lexicographical range.",
                "2.8.9",
                BY_RANGE_COMPLEXITY));
    t.register(
        command("zrevrangebylex", -4, c -> zrange(c, 1, false, RangeType.LEX, Direction.REVERSE))
            .flags(READONLY)
            .keys(KeySpec.key(1, "RO access"))
            .group(GROUP)
            .doc(
                "Returns members in a sorted set within a lexicographical range in reverse order.",
                "2.8.9",
                BY_RANGE_COMPLEXITY));
    t.register(
        command("zrem", -3, ZSetCommands::zrem)
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
        command("zremrangebyscore", 4, c -> zremrange(c, RangeType.SCORE))
            .flags(WRITE)
            .keys(KeySpec.key(1, "RW delete"))
            .group(GROUP)
            .doc(
                "Removes members in a sorted set within a range of scores. Deletes the sorted set"
                    + " if all members were removed.",
                "1.2.0",
                REMOVE_RANGE_COMPLEXITY));
    t.register(
        command("zremrangebyrank", 4, c -> zremrange(c, RangeType.RANK))
            .flags(WRITE)
            .keys(KeySpec.key(1, "RW delete"))
            .group(GROUP)
            .doc(
                "Removes members in a sorted set within a range of indexes. Deletes the sorted"
                    + " set if all members were removed.",
                "2.0.0",
                REMOVE_RANGE_COMPLEXITY));
    t.register(
        command("zremrangebylex", 4, c -> zremrange(c, RangeType.LEX))
            .flags(WRITE)
            .keys(KeySpec.key(1, "RW delete"))
            .group(GROUP)
            .doc(
                "Removes members in a sorted set within a lexicographical range. Deletes the"
                    + " sorted set if all members were removed.",
                "2.8.9",
                REMOVE_RANGE_COMPLEXITY));
    t.register(
        command("zpopmin", -2, c -> zpop(c, false))
            .flags(WRITE, FAST)
            .keys(KeySpec.key(1, "RW access delete"))
            .group(GROUP)
            .doc(
                "Returns the lowest-scoring members from a sorted set after removing them."
                    + " Deletes the sorted set if the last member was popped.",
                "5.0.0",
                POP_COMPLEXITY));
    t.register(
        command("zpopmax", -2, c -> zpop(c, true))
            .flags(WRITE, FAST)
            .keys(KeySpec.key(1, "RW access delete"))
            .group(GROUP)
            .doc(
                "Returns the highest-scoring members from a sorted set after removing them."
                    + " Deletes the sorted set if the last member was popped.",
                "5.0.0",
                POP_COMPLEXITY));
    t.register(
        command("zmpop", -4, c -> zmpop(c, 1, false))
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
        command("bzpopmin", -3, c -> bzpop(c, false))
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
        command("bzpopmax", -3, c -> bzpop(c, true))
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
        command("bzmpop", -5, c -> zmpop(c, 2, true))
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
        command("zunion", -3, c -> setOperation(c, null, 1, SetOp.UNION, false))
            .flags(READONLY)
            .keys(KeySpec.keyNum(1, 0, 1, 1, "RO access"))
            .keyProc(KeyProcs.numKeys(0, 1, 2, 1))
            .group(GROUP)
            .doc("Returns the union of multiple sorted sets.", "6.2.0", UNION_COMPLEXITY));
    t.register(
        command("zinter", -3, c -> setOperation(c, null, 1, SetOp.INTER, false))
            .flags(READONLY)
            .keys(KeySpec.keyNum(1, 0, 1, 1, "RO access"))
            .keyProc(KeyProcs.numKeys(0, 1, 2, 1))
            .group(GROUP)
            .doc("Returns the intersect of multiple sorted sets.", "6.2.0", INTER_COMPLEXITY));
    t.register(
        command("zdiff", -3, c -> setOperation(c, null, 1, SetOp.DIFF, false))
            .flags(READONLY)
            .keys(KeySpec.keyNum(1, 0, 1, 1, "RO access"))
            .keyProc(KeyProcs.numKeys(0, 1, 2, 1))
            .group(GROUP)
            .doc("Returns the difference between multiple sorted sets.", "6.2.0", DIFF_COMPLEXITY));
    t.register(
        command("zunionstore", -4, c -> setOperation(c, c.arg(1), 2, SetOp.UNION, false))
            .flags(WRITE, DENYOOM)
            .keys(KeySpec.key(1, "OW update"), KeySpec.keyNum(2, 0, 1, 1, "RO access"))
            .keyProc(KeyProcs.numKeys(1, 2, 3, 1))
            .group(GROUP)
            .doc("Stores the union of multiple sorted sets in a key.", "2.0.0", UNION_COMPLEXITY));
    t.register(
        command("zinterstore", -4, c -> setOperation(c, c.arg(1), 2, SetOp.INTER, false))
            .flags(WRITE, DENYOOM)
            .keys(KeySpec.key(1, "OW update"), KeySpec.keyNum(2, 0, 1, 1, "RO access"))
            .keyProc(KeyProcs.numKeys(1, 2, 3, 1))
            .group(GROUP)
            .doc(
                "Stores the intersect of multiple sorted sets in a key.",
                "2.0.0",
                INTER_COMPLEXITY));
    t.register(
        command("zdiffstore", -4, c -> setOperation(c, c.arg(1), 2, SetOp.DIFF, false))
            .flags(WRITE, DENYOOM)
            .keys(KeySpec.key(1, "OW update"), KeySpec.keyNum(2, 0, 1, 1, "RO access"))
            .keyProc(KeyProcs.numKeys(1, 2, 3, 1))
            .group(GROUP)
            .doc(
                "Stores the difference of multiple sorted sets in a key.",
                "6.2.0",
                DIFF_COMPLEXITY));
    t.register(
        command("zintercard", -3, c -> setOperation(c, null, 1, SetOp.INTER, true))
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
        command("zrandmember", -2, ZSetCommands::zrandmember)
            .flags(READONLY)
            .keys(KeySpec.key(1, "RO access"))
            .tips("nondeterministic_output")
            .group(GROUP)
            .doc(
                "Returns one or more random members from a sorted set.",
                "6.2.0",
                "O(N) where N is the number of members returned"));
    t.register(
        command("zscan", -3, ZSetCommands::zscan)
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

  // ---- number and range parsing, as Redis's strtod-based checks ----

  /**
   * A score argument as Redis's getDoubleFromObject reads it: the whole string must be a number for
   * strtod (decimal, hexadecimal, "inf"), with no leading space, no NaN and no overflow or
   * underflow to zero.
   */
  static double parseScore(byte[] text, String error) {
    if (text.length == 0 || isSpace(text[0])) {
      throw new RedisError(error);
    }
    long integer = smallInteger(text);
    if (integer != Long.MIN_VALUE) {
      return integer;
    }
    double value = strtod(text, 0, true);
    if (Double.isNaN(value)) {
      throw new RedisError(error);
    }
    return value;
  }

  /**
   * The common case without allocation: an optional '-' and up to 15 digits, exactly representable
   * as a double. Long.MIN_VALUE when the text is anything else.
   */
  private static long smallInteger(byte[] text) {
    int i = text[0] == '-' ? 1 : 0;
    int n = text.length;
    if (n == i || n - i > 15) {
      return Long.MIN_VALUE;
    }
    long value = 0;
    for (; i < n; i++) {
      int digit = text[i] - '0';
      if (digit < 0 || digit > 9) {
        return Long.MIN_VALUE;
      }
      value = value * 10 + digit;
    }
    if (text[0] == '-') {
      return value == 0 ? Long.MIN_VALUE : -value; // "-0" is the double -0.0
    }
    return value;
  }

  private static boolean isSpace(byte b) {
    return b == ' ' || (b >= '\t' && b <= '\r');
  }

  /**
   * The value of {@code text[from..]} if C's strtod consumes all of it, NaN otherwise (NaN itself
   * is refused by every caller). With {@code checkRange}, overflow to infinity and underflow to
   * zero are refused too, as strtod's ERANGE.
   */
  static double strtod(byte[] text, int from, boolean checkRange) {
    int n = text.length;
    int i = from;
    while (i < n && isSpace(text[i])) {
      i++;
    }
    if (i == n) {
      // strtod consumes nothing: valid only if nothing was there at all ("(" or "")
      return from == n ? 0 : Double.NaN;
    }
    int start = i;
    boolean negative = false;
    if (text[i] == '+' || text[i] == '-') {
      negative = text[i] == '-';
      i++;
    }
    String rest = new String(text, i, n - i, StandardCharsets.ISO_8859_1);
    String lower = rest.toLowerCase(java.util.Locale.ROOT);
    if (lower.equals("inf") || lower.equals("infinity")) {
      return negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }
    boolean hex = lower.startsWith("0x");
    int digits = 0;
    boolean nonZero = false;
    int j = hex ? 2 : 0;
    int len = lower.length();
    boolean point = false;
    for (; j < len; j++) {
      char ch = lower.charAt(j);
      if (ch == '.' && !point) {
        point = true;
      } else if (ch >= '0' && ch <= '9' || (hex && ch >= 'a' && ch <= 'f')) {
        digits++;
        nonZero |= ch != '0';
      } else {
        break;
      }
    }
    if (digits == 0) {
      return Double.NaN;
    }
    if (j < len) {
      char marker = lower.charAt(j);
      if (marker != (hex ? 'p' : 'e')) {
        return Double.NaN;
      }
      j++;
      if (j < len && (lower.charAt(j) == '+' || lower.charAt(j) == '-')) {
        j++;
      }
      int expDigits = 0;
      for (; j < len && lower.charAt(j) >= '0' && lower.charAt(j) <= '9'; j++) {
        expDigits++;
      }
      if (expDigits == 0 || j < len) {
        return Double.NaN;
      }
    }
    String number = new String(text, start, n - start, StandardCharsets.ISO_8859_1);
    double value;
    try {
      value = Double.parseDouble(hex && lower.indexOf('p') < 0 ? number + "p0" : number);
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
    if (checkRange && (Double.isInfinite(value) || (value == 0 && nonZero))) {
      return Double.NaN;
    }
    return value;
  }

  /** The bounds of ZRANGEBYSCORE and friends: "(" for exclusive, anything strtod reads. */
  static ScoreRange parseScoreRange(byte[] min, byte[] max) {
    boolean minExclusive = min.length > 0 && min[0] == '(';
    boolean maxExclusive = max.length > 0 && max[0] == '(';
    double low = strtod(min, minExclusive ? 1 : 0, false);
    double high = strtod(max, maxExclusive ? 1 : 0, false);
    if (Double.isNaN(low) || Double.isNaN(high)) {
      throw new RedisError(MIN_MAX_NOT_FLOAT);
    }
    return new ScoreRange(low, minExclusive, high, maxExclusive);
  }

  /** The bounds of ZRANGEBYLEX and friends: "[a", "(a", "-", "+". */
  static LexRange parseLexRange(byte[] min, byte[] max) {
    byte[][] bounds = new byte[2][];
    boolean[] exclusive = new boolean[2];
    byte[][] items = {min, max};
    for (int k = 0; k < 2; k++) {
      byte[] item = items[k];
      if (item.length == 0) {
        throw new RedisError(MIN_MAX_NOT_LEX);
      }
      switch (item[0]) {
        case '+', '-' -> {
          if (item.length != 1) {
            throw new RedisError(MIN_MAX_NOT_LEX);
          }
          bounds[k] = item[0] == '+' ? LexRange.MAX : LexRange.MIN;
          exclusive[k] = true;
        }
        case '(', '[' -> {
          bounds[k] = Arrays.copyOfRange(item, 1, item.length);
          exclusive[k] = item[0] == '(';
        }
        default -> throw new RedisError(MIN_MAX_NOT_LEX);
      }
    }
    return new LexRange(bounds[0], exclusive[0], bounds[1], exclusive[1]);
  }

  /** getRangeLongFromObjectOrReply with a message: the message for any failure. */
  private static long longAtLeast(CommandContext c, int i, long min, String error) {
    long value = c.longArg(i, error);
    if (value < min) {
      throw new RedisError(error);
    }
    return value;
  }

  /** getPositiveLongFromObjectOrReply without a message: one text for any failure. */
  private static long nonNegativeLong(CommandContext c, int i) {
    return longAtLeast(c, i, 0, "ERR value is out of range, must be positive");
  }

  // ---- replies ----

  /** The array header for {@code count} members, flat pairs in RESP2 when with scores. */
  private static void arrayOfMembers(Reply reply, long count, boolean withScores) {
    reply.array(toInt(withScores && reply.protocol() == 2 ? count * 2 : count));
  }

  /** A member, with its score: [member, score] in RESP3, as Redis 7 sends it. */
  private static void member(Reply reply, Node node, boolean withScores) {
    if (withScores && reply.protocol() > 2) {
      reply.array(2);
    }
    reply.bulk(node.member());
    if (withScores) {
      reply.doubleValue(node.score());
    }
  }

  private static int toInt(long count) {
    if (count > Integer.MAX_VALUE) {
      throw new RedisError("ERR value is out of range");
    }
    return (int) count;
  }

  /** After members were removed: deletes the key if it became empty, as Redis. */
  private static void removedFrom(CommandContext c, Entry entry, RedisZSet zset, String event) {
    c.notify(NotifyFlags.ZSET, event, entry.key());
    if (zset.isEmpty()) {
      c.db().remove(entry);
      c.notify(NotifyFlags.GENERIC, "del", entry.key());
    } else {
      c.db().changed(entry);
    }
  }

  // ---- ZADD, ZINCRBY ----

  /** ZADD key [NX | XX] [GT | LT] [CH] [INCR] score member [score member ...]; ZINCRBY. */
  private static void zadd(CommandContext c, boolean incrCommand) {
    boolean nx = false;
    boolean xx = false;
    boolean gt = false;
    boolean lt = false;
    boolean ch = false;
    boolean incr = incrCommand;
    int first = 2;
    for (; first < c.argc(); first++) {
      if (c.is(first, "nx")) {
        nx = true;
      } else if (c.is(first, "xx")) {
        xx = true;
      } else if (c.is(first, "ch")) {
        ch = true;
      } else if (c.is(first, "incr")) {
        incr = true;
      } else if (c.is(first, "gt")) {
        gt = true;
      } else if (c.is(first, "lt")) {
        lt = true;
      } else {
        break;
      }
    }
    int elements = c.argc() - first;
    if (elements % 2 != 0 || elements == 0) {
      throw new RedisError(Errors.SYNTAX);
    }
    elements /= 2;
    if (nx && xx) {
      throw new RedisError("ERR XX and NX options at the same time are not compatible");
    }
    if ((gt && nx) || (lt && nx) || (gt && lt)) {
      throw new RedisError("ERR GT, LT, and/or NX options at the same time are not compatible");
    }
    if (incr && elements > 1) {
      throw new RedisError("ERR INCR option supports a single increment-element pair");
    }
    double[] scores = new double[elements];
    for (int j = 0; j < elements; j++) {
      scores[j] = parseScore(c.arg(first + 2 * j), Errors.NOT_FLOAT);
    }
    Database db = c.db();
    byte[] key = c.arg(1);
    Entry entry = db.write(key);
    RedisZSet zset = Values.as(entry, RedisZSet.class);
    if (zset == null) {
      if (xx) {
        if (incr) {
          c.reply().nil();
        } else {
          c.reply().integer(0);
        }
        return;
      }
      zset = RedisZSet.withHint(elements, c.arg(first + 1).length);
    } else {
      zset.sizeHint(elements);
    }
    int added = 0;
    int updated = 0;
    int processed = 0;
    double result = 0;
    for (int j = 0; j < elements; j++) {
      byte[] member = c.arg(first + 1 + 2 * j);
      double score = scores[j];
      Node node = zset.find(member);
      if (node != null) {
        if (nx) {
          continue;
        }
        double current = node.score();
        if (incr) {
          score += current;
          if (Double.isNaN(score)) {
            // INCR takes one pair, so nothing has changed yet
            throw new RedisError(NAN_RESULT);
          }
        }
        if ((lt && score >= current) || (gt && score <= current)) {
          continue;
        }
        processed++;
        result = score;
        if (score != current) {
          zset.setScore(node, score);
          updated++;
        }
      } else if (!xx) {
        zset.add(member, score);
        added++;
        processed++;
        result = score;
      }
    }
    if (added + updated > 0) {
      if (entry == null) {
        db.insert(key, zset);
      } else {
        db.changed(entry);
      }
      c.dirty(added + updated);
      c.notify(NotifyFlags.ZSET, incr ? "zincr" : "zadd", key);
    }
    if (incr) {
      if (processed > 0) {
        c.reply().doubleValue(result);
      } else {
        c.reply().nil();
      }
    } else {
      c.reply().integer(ch ? added + updated : added);
    }
  }

  // ---- reads of single members ----

  private static void zscore(CommandContext c) {
    RedisZSet zset = Values.as(c.db().read(c.arg(1)), RedisZSet.class);
    Node node = zset == null ? null : zset.find(c.arg(2));
    if (node == null) {
      c.reply().nil();
    } else {
      c.reply().doubleValue(node.score());
    }
  }

  private static void zmscore(CommandContext c) {
    RedisZSet zset = Values.as(c.db().read(c.arg(1)), RedisZSet.class);
    Reply reply = c.reply();
    reply.array(c.argc() - 2);
    for (int i = 2; i < c.argc(); i++) {
      Node node = zset == null ? null : zset.find(c.arg(i));
      if (node == null) {
        reply.nil();
      } else {
        reply.doubleValue(node.score());
      }
    }
  }

  /** ZRANK / ZREVRANK key member [WITHSCORE]. */
  private static void zrank(CommandContext c, boolean reverse) {
    if (c.argc() > 4) {
      throw Errors.wrongArity(c.spec().fullName());
    }
    boolean withScore = false;
    if (c.argc() == 4) {
      if (!c.is(3, "withscore")) {
        throw new RedisError(Errors.SYNTAX);
      }
      withScore = true;
    }
    RedisZSet zset = Values.as(c.db().read(c.arg(1)), RedisZSet.class);
    Node node = zset == null ? null : zset.find(c.arg(2));
    Reply reply = c.reply();
    if (node == null) {
      if (withScore) {
        reply.nilArray();
      } else {
        reply.nil();
      }
      return;
    }
    long rank = zset.rank(node);
    if (reverse) {
      rank = zset.size() - 1L - rank;
    }
    if (withScore) {
      reply.array(2);
      reply.integer(rank);
      reply.doubleValue(node.score());
    } else {
      reply.integer(rank);
    }
  }

  private static void zcard(CommandContext c) {
    RedisZSet zset = Values.as(c.db().read(c.arg(1)), RedisZSet.class);
    c.reply().integer(zset == null ? 0 : zset.size());
  }

  private static void zcount(CommandContext c) {
    ScoreRange range = parseScoreRange(c.arg(2), c.arg(3));
    RedisZSet zset = Values.as(c.db().read(c.arg(1)), RedisZSet.class);
    if (zset == null) {
      c.reply().integer(0);
      return;
    }
    c.reply().integer(Math.max(0, zset.countThrough(range) - zset.countBefore(range)));
  }

  private static void zlexcount(CommandContext c) {
    LexRange range = parseLexRange(c.arg(2), c.arg(3));
    RedisZSet zset = Values.as(c.db().read(c.arg(1)), RedisZSet.class);
    if (zset == null) {
      c.reply().integer(0);
      return;
    }
    c.reply().integer(Math.max(0, zset.countThrough(range) - zset.countBefore(range)));
  }

  // ---- ZRANGE and its older forms ----

  private enum RangeType {
    AUTO,
    RANK,
    SCORE,
    LEX
  }

  private enum Direction {
    AUTO,
    FORWARD,
    REVERSE
  }

  /**
   * A run of consecutive ranks: {@code count} members from rank {@code start}, walking down when
   * {@code reverse}.
   */
  private record Window(long start, long count, boolean reverse) {
    static final Window EMPTY = new Window(0, 0, false);
  }

  /**
   * ZRANGE key start stop [BYSCORE | BYLEX] [REV] [LIMIT offset count] [WITHSCORES], ZRANGESTORE
   * dst src … and the deprecated Z[REV]RANGE[BYSCORE|BYLEX], as Redis's zrangeGenericCommand:
   * {@code keyIndex} is the source key, the range follows it.
   */
  private static void zrange(
      CommandContext c, int keyIndex, boolean store, RangeType type, Direction direction) {
    int minIndex = keyIndex + 1;
    int maxIndex = keyIndex + 2;
    boolean withScores = false;
    long offset = 0;
    long limit = -1;
    for (int j = keyIndex + 3; j < c.argc(); j++) {
      int left = c.argc() - j - 1;
      if (!store && c.is(j, "withscores")) {
        withScores = true;
      } else if (c.is(j, "limit") && left >= 2) {
        offset = c.longArg(j + 1);
        limit = c.longArg(j + 2);
        j += 2;
      } else if (direction == Direction.AUTO && c.is(j, "rev")) {
        direction = Direction.REVERSE;
      } else if (type == RangeType.AUTO && c.is(j, "bylex")) {
        type = RangeType.LEX;
      } else if (type == RangeType.AUTO && c.is(j, "byscore")) {
        type = RangeType.SCORE;
      } else {
        throw new RedisError(Errors.SYNTAX);
      }
    }
    if (direction == Direction.AUTO) {
      direction = Direction.FORWARD;
    }
    if (type == RangeType.AUTO) {
      type = RangeType.RANK;
    }
    if (limit != -1 && type == RangeType.RANK) {
      throw new RedisError(
          "ERR syntax error, LIMIT is only supported in combination with either BYSCORE or"
              + " BYLEX");
    }
    if (withScores && type == RangeType.LEX) {
      throw new RedisError("ERR syntax error, WITHSCORES not supported in combination with BYLEX");
    }
    boolean reverse = direction == Direction.REVERSE;
    if (reverse && type != RangeType.RANK) {
      int swap = maxIndex;
      maxIndex = minIndex;
      minIndex = swap;
    }
    long start = 0;
    long end = 0;
    ScoreRange scores = null;
    LexRange lex = null;
    switch (type) {
      case SCORE -> scores = parseScoreRange(c.arg(minIndex), c.arg(maxIndex));
      case LEX -> lex = parseLexRange(c.arg(minIndex), c.arg(maxIndex));
      default -> {
        start = c.longArg(minIndex);
        end = c.longArg(maxIndex);
      }
    }
    Database db = c.db();
    RedisZSet zset = Values.as(db.read(c.arg(keyIndex)), RedisZSet.class);
    Window window;
    if (zset == null) {
      window = Window.EMPTY;
    } else if (type == RangeType.RANK) {
      window = rankWindow(zset.size(), start, end, reverse);
    } else if (scores != null) {
      window =
          limitWindow(
              zset.size(),
              zset.countBefore(scores),
              zset.countThrough(scores),
              offset,
              limit,
              reverse);
    } else {
      window =
          limitWindow(
              zset.size(), zset.countBefore(lex), zset.countThrough(lex), offset, limit, reverse);
    }
    if (store) {
      storeRange(c, zset, window, type == RangeType.RANK ? window.count() : 0);
      return;
    }
    Reply reply = c.reply();
    arrayOfMembers(reply, window.count(), withScores);
    if (window.count() > 0) {
      Node node = zset.byRank(window.start());
      for (long k = 0; k < window.count(); k++) {
        member(reply, node, withScores);
        node = window.reverse() ? node.prev() : node.next();
      }
    }
  }

  /** Z[REV]RANGE by index: negative indexes count from the end, as Redis sanitizes them. */
  private static Window rankWindow(long length, long start, long end, boolean reverse) {
    if (start < 0) {
      start = length + start;
    }
    if (end < 0) {
      end = length + end;
    }
    if (start < 0) {
      start = 0;
    }
    if (start > end || start >= length) {
      return Window.EMPTY;
    }
    if (end >= length) {
      end = length - 1;
    }
    long count = end - start + 1;
    return reverse ? new Window(length - 1 - start, count, true) : new Window(start, count, false);
  }

  /**
   * A score or lex range holding ranks [{@code low}, {@code high}), narrowed by LIMIT: a negative
   * offset yields nothing, a negative count means all.
   */
  private static Window limitWindow(
      long length, long low, long high, long offset, long limit, boolean reverse) {
    if (offset < 0 || (offset > 0 && offset >= length) || high <= low) {
      return Window.EMPTY;
    }
    long available = high - low - offset;
    if (available <= 0 || limit == 0) {
      return Window.EMPTY;
    }
    long count = limit < 0 ? available : Math.min(limit, available);
    return reverse
        ? new Window(high - 1 - offset, count, true)
        : new Window(low + offset, count, false);
  }

  /** ZRANGESTORE's result: the destination is replaced, or deleted when the range is empty. */
  private static void storeRange(CommandContext c, RedisZSet source, Window window, long sizeHint) {
    byte[] destination = c.arg(1);
    if (window.count() == 0) {
      c.reply().integer(0);
      if (c.db().delete(destination)) {
        c.dirty(1);
        c.notify(NotifyFlags.GENERIC, "del", destination);
      }
      return;
    }
    RedisZSet result = RedisZSet.withHint(sizeHint, 0);
    Node node = source.byRank(window.start());
    for (long k = 0; k < window.count(); k++) {
      result.add(node.member(), node.score());
      node = window.reverse() ? node.prev() : node.next();
    }
    c.db().set(destination, result, false);
    c.dirty(1);
    c.reply().integer(result.size());
    c.notify(NotifyFlags.ZSET, "zrangestore", destination);
  }

  // ---- removal ----

  private static void zrem(CommandContext c) {
    Entry entry = c.db().write(c.arg(1));
    RedisZSet zset = Values.as(entry, RedisZSet.class);
    if (zset == null) {
      c.reply().integer(0);
      return;
    }
    int deleted = 0;
    for (int i = 2; i < c.argc() && !zset.isEmpty(); i++) {
      if (zset.remove(c.arg(i))) {
        deleted++;
      }
    }
    if (deleted > 0) {
      c.dirty(deleted);
      removedFrom(c, entry, zset, "zrem");
    }
    c.reply().integer(deleted);
  }

  /** ZREMRANGEBYRANK / ZREMRANGEBYSCORE / ZREMRANGEBYLEX key min max. */
  private static void zremrange(CommandContext c, RangeType type) {
    long start = 0;
    long end = 0;
    ScoreRange scores = null;
    LexRange lex = null;
    String event;
    switch (type) {
      case RANK -> {
        start = c.longArg(2);
        end = c.longArg(3);
        event = "zremrangebyrank";
      }
      case SCORE -> {
        scores = parseScoreRange(c.arg(2), c.arg(3));
        event = "zremrangebyscore";
      }
      default -> {
        lex = parseLexRange(c.arg(2), c.arg(3));
        event = "zremrangebylex";
      }
    }
    Entry entry = c.db().write(c.arg(1));
    RedisZSet zset = Values.as(entry, RedisZSet.class);
    if (zset == null) {
      c.reply().integer(0);
      return;
    }
    long low;
    long high; // exclusive
    if (type == RangeType.RANK) {
      Window window = rankWindow(zset.size(), start, end, false);
      low = window.start();
      high = window.start() + window.count();
    } else if (scores != null) {
      low = zset.countBefore(scores);
      high = zset.countThrough(scores);
    } else {
      low = zset.countBefore(lex);
      high = zset.countThrough(lex);
    }
    long deleted = high > low ? zset.removeRange(low, high - 1) : 0;
    if (deleted > 0) {
      c.dirty(deleted);
      removedFrom(c, entry, zset, event);
    }
    c.reply().integer(deleted);
  }

  // ---- popping ----

  /** ZPOPMIN / ZPOPMAX key [count]. */
  private static void zpop(CommandContext c, boolean max) {
    if (c.argc() > 3) {
      throw new RedisError(Errors.SYNTAX);
    }
    long count = c.argc() == 3 ? nonNegativeLong(c, 2) : -1;
    boolean nested = c.reply().protocol() > 2 && count != -1;
    Entry entry = c.db().write(c.arg(1));
    RedisZSet zset = Values.as(entry, RedisZSet.class);
    if (zset == null) {
      c.reply().array(0);
      return;
    }
    pop(c, entry, zset, max, false, count, nested);
  }

  /**
   * Redis's genericZpopCommand once a non-empty set is chosen. Replies: flat [member, score, …]
   * (ZPOP without nesting), [[member, score], …] (nested), [key, member, score] (BZPOP), [key,
   * [[member, score], …]] (ZMPOP).
   */
  private static void pop(
      CommandContext c,
      Entry entry,
      RedisZSet zset,
      boolean max,
      boolean emitKey,
      long count,
      boolean nested) {
    Reply reply = c.reply();
    if (count == 0) {
      reply.array(0);
      return;
    }
    if (count == -1) {
      count = 1;
    }
    int popped = (int) Math.min(count, zset.size());
    if (!nested && !emitKey) {
      reply.array(popped * 2);
    } else if (nested && !emitKey) {
      reply.array(popped);
    } else if (!nested) {
      reply.array(popped * 2 + 1);
      reply.bulk(entry.key());
    } else {
      reply.array(2);
      reply.bulk(entry.key());
      reply.array(popped);
    }
    for (int k = 0; k < popped; k++) {
      Node node = max ? zset.last() : zset.first();
      zset.remove(node);
      if (nested) {
        reply.array(2);
      }
      reply.bulk(node.member());
      reply.doubleValue(node.score());
    }
    c.dirty(popped);
    removedFrom(c, entry, zset, max ? "zpopmax" : "zpopmin");
  }

  /** BZPOPMIN / BZPOPMAX key [key ...] timeout. */
  private static void bzpop(CommandContext c, boolean max) {
    long timeout = Timeouts.seconds(c, c.argc() - 1);
    Database db = c.db();
    for (int i = 1; i < c.argc() - 1; i++) {
      Entry entry = db.write(c.arg(i));
      RedisZSet zset = Values.as(entry, RedisZSet.class);
      if (zset != null && !zset.isEmpty()) {
        pop(c, entry, zset, max, true, -1, false);
        return;
      }
    }
    c.block(keyList(c, 1, c.argc() - 2), RedisZSet.class, timeout, Reply::nilArray);
  }

  /** ZMPOP numkeys key [key ...] MIN | MAX [COUNT count]; BZMPOP timeout numkeys …. */
  private static void zmpop(CommandContext c, int numkeysIndex, boolean blocking) {
    long numkeys = longAtLeast(c, numkeysIndex, 1, "ERR numkeys should be greater than 0");
    if (numkeys >= c.argc() - numkeysIndex - 1) {
      throw new RedisError(Errors.SYNTAX);
    }
    int whereIndex = (int) (numkeysIndex + numkeys + 1);
    boolean max;
    if (c.is(whereIndex, "min")) {
      max = false;
    } else if (c.is(whereIndex, "max")) {
      max = true;
    } else {
      throw new RedisError(Errors.SYNTAX);
    }
    long count = -1;
    for (int j = whereIndex + 1; j < c.argc(); j++) {
      boolean more = j < c.argc() - 1;
      if (count == -1 && c.is(j, "count") && more) {
        count = longAtLeast(c, ++j, 1, "ERR count should be greater than 0");
      } else {
        throw new RedisError(Errors.SYNTAX);
      }
    }
    if (count == -1) {
      count = 1;
    }
    long timeout = blocking ? Timeouts.seconds(c, 1) : 0;
    Database db = c.db();
    int firstKey = numkeysIndex + 1;
    for (int i = firstKey; i < whereIndex; i++) {
      Entry entry = db.write(c.arg(i));
      RedisZSet zset = Values.as(entry, RedisZSet.class);
      if (zset != null && !zset.isEmpty()) {
        pop(c, entry, zset, max, true, count, true);
        return;
      }
    }
    if (blocking) {
      c.block(keyList(c, firstKey, whereIndex - 1), RedisZSet.class, timeout, Reply::nilArray);
    } else {
      c.reply().nilArray();
    }
  }

  private static List<byte[]> keyList(CommandContext c, int first, int last) {
    List<byte[]> keys = new ArrayList<>(last - first + 1);
    for (int i = first; i <= last; i++) {
      keys.add(c.arg(i));
    }
    return keys;
  }

  // ---- ZUNION, ZINTER, ZDIFF and their STORE forms, ZINTERCARD ----

  private enum SetOp {
    UNION,
    INTER,
    DIFF
  }

  private static final int AGGREGATE_SUM = 0;
  private static final int AGGREGATE_MIN = 1;
  private static final int AGGREGATE_MAX = 2;

  /** A sorted set as it is, a plain set as members with score 1, null for a missing key. */
  private static RedisZSet sortedView(Entry entry) {
    if (entry != null && entry.value() instanceof RedisSet set) {
      RedisZSet view = RedisZSet.withHint(set.size(), 16);
      set.forEach(member -> view.add(member, 1.0));
      return view;
    }
    return Values.as(entry, RedisZSet.class);
  }

  /** One input: a sorted set (or null for a missing key) and its weight. */
  private record Source(RedisZSet zset, double weight) {
    int size() {
      return zset == null ? 0 : zset.size();
    }
  }

  /**
   * Redis's zunionInterDiffGenericCommand. Input keys may hold plain sets, whose members count with
   * score 1, as in Redis.
   */
  private static void setOperation(
      CommandContext c, byte[] destination, int numkeysIndex, SetOp op, boolean cardinalityOnly) {
    long setCount = c.longArg(numkeysIndex);
    if (setCount < 1) {
      throw new RedisError(
          "ERR at least 1 input key is needed for '" + c.spec().fullName() + "' command");
    }
    if (setCount > c.argc() - (numkeysIndex + 1)) {
      throw new RedisError(Errors.SYNTAX);
    }
    int n = (int) setCount;
    Database db = c.db();
    RedisZSet[] sets = new RedisZSet[n];
    double[] weights = new double[n];
    int j = numkeysIndex + 1;
    for (int i = 0; i < n; i++, j++) {
      sets[i] = sortedView(db.read(c.arg(j)));
      weights[i] = 1.0;
    }
    int aggregate = AGGREGATE_SUM;
    boolean withScores = false;
    long limit = 0;
    while (j < c.argc()) {
      int remaining = c.argc() - j;
      if (op != SetOp.DIFF && !cardinalityOnly && remaining >= n + 1 && c.is(j, "weights")) {
        j++;
        for (int i = 0; i < n; i++, j++) {
          weights[i] = parseScore(c.arg(j), "ERR weight value is not a float");
        }
      } else if (op != SetOp.DIFF && !cardinalityOnly && remaining >= 2 && c.is(j, "aggregate")) {
        j++;
        if (c.is(j, "sum")) {
          aggregate = AGGREGATE_SUM;
        } else if (c.is(j, "min")) {
          aggregate = AGGREGATE_MIN;
        } else if (c.is(j, "max")) {
          aggregate = AGGREGATE_MAX;
        } else {
          throw new RedisError(Errors.SYNTAX);
        }
        j++;
      } else if (destination == null && !cardinalityOnly && c.is(j, "withscores")) {
        j++;
        withScores = true;
      } else if (cardinalityOnly && remaining >= 2 && c.is(j, "limit")) {
        j++;
        limit = c.longArg(j, "ERR LIMIT can't be negative");
        if (limit < 0) {
          throw new RedisError("ERR LIMIT can't be negative");
        }
        j++;
      } else {
        throw new RedisError(Errors.SYNTAX);
      }
    }
    List<Source> sources = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      sources.add(new Source(sets[i], weights[i]));
    }
    if (op != SetOp.DIFF) {
      // smallest first, as Redis sorts its inputs by cardinality (a stable sort here)
      sources.sort((a, b) -> Integer.compare(a.size(), b.size()));
    }
    RedisZSet result = new RedisZSet();
    long cardinality = 0;
    switch (op) {
      case INTER -> cardinality = inter(sources, aggregate, cardinalityOnly, limit, result);
      case UNION -> union(sources, aggregate, result);
      default -> diff(sources, result);
    }
    Reply reply = c.reply();
    if (destination != null) {
      if (!result.isEmpty()) {
        db.set(destination, result, false);
        c.dirty(1);
        reply.integer(result.size());
        String event =
            switch (op) {
              case UNION -> "zunionstore";
              case INTER -> "zinterstore";
              default -> "zdiffstore";
            };
        c.notify(NotifyFlags.ZSET, event, destination);
      } else {
        reply.integer(0);
        if (db.delete(destination)) {
          c.dirty(1);
          c.notify(NotifyFlags.GENERIC, "del", destination);
        }
      }
    } else if (cardinalityOnly) {
      reply.integer(cardinality);
    } else {
      arrayOfMembers(reply, result.size(), withScores);
      for (Node node = result.first(); node != null; node = node.next()) {
        member(reply, node, withScores);
      }
    }
  }

  private static double aggregate(double target, double value, int aggregate) {
    switch (aggregate) {
      case AGGREGATE_SUM -> {
        double sum = target + value;
        // inf + -inf: Redis keeps 0 rather than NaN
        return Double.isNaN(sum) ? 0.0 : sum;
      }
      case AGGREGATE_MIN -> {
        return value < target ? value : target;
      }
      default -> {
        return value > target ? value : target;
      }
    }
  }

  private static double weighted(double score, double weight) {
    double value = score * weight;
    return Double.isNaN(value) ? 0 : value;
  }

  private static long inter(
      List<Source> sources, int aggregate, boolean cardinalityOnly, long limit, RedisZSet result) {
    Source smallest = sources.get(0);
    if (smallest.size() == 0) {
      return 0;
    }
    long cardinality = 0;
    for (Node node = smallest.zset().last(); node != null; node = node.prev()) {
      double score = weighted(node.score(), smallest.weight());
      int j = 1;
      for (; j < sources.size(); j++) {
        Source other = sources.get(j);
        if (other.zset() == smallest.zset()) {
          score = aggregate(score, node.score() * other.weight(), aggregate);
        } else {
          Node found = other.zset().find(node.member());
          if (found == null) {
            break;
          }
          score = aggregate(score, found.score() * other.weight(), aggregate);
        }
      }
      if (j < sources.size()) {
        continue;
      }
      if (cardinalityOnly) {
        cardinality++;
        if (limit > 0 && cardinality >= limit) {
          break;
        }
      } else {
        result.add(node.member(), score);
      }
    }
    return cardinality;
  }

  private static void union(List<Source> sources, int aggregate, RedisZSet result) {
    result.sizeHint(sources.get(sources.size() - 1).size());
    for (Source source : sources) {
      if (source.size() == 0) {
        continue;
      }
      for (Node node = source.zset().last(); node != null; node = node.prev()) {
        double score = weighted(node.score(), source.weight());
        Node existing = result.find(node.member());
        if (existing == null) {
          result.add(node.member(), score);
        } else {
          result.setScore(existing, aggregate(existing.score(), score, aggregate));
        }
      }
    }
  }

  private static void diff(List<Source> sources, RedisZSet result) {
    Source first = sources.get(0);
    if (first.size() == 0) {
      return;
    }
    for (int j = 1; j < sources.size(); j++) {
      if (sources.get(j).zset() == first.zset()) {
        return; // subtracting a set from itself leaves nothing
      }
    }
    for (Node node = first.zset().last(); node != null; node = node.prev()) {
      boolean elsewhere = false;
      for (int j = 1; j < sources.size() && !elsewhere; j++) {
        RedisZSet other = sources.get(j).zset();
        elsewhere = other != null && other.find(node.member()) != null;
      }
      if (!elsewhere) {
        result.add(node.member(), node.score());
      }
    }
  }

  // ---- ZRANDMEMBER ----

  /** ZRANDMEMBER key [count [WITHSCORES]]. */
  private static void zrandmember(CommandContext c) {
    if (c.argc() >= 3) {
      long count = c.longArg(2);
      if (count == Long.MIN_VALUE) {
        throw new RedisError(
            "ERR value is out of range, value must between -9223372036854775807 and"
                + " 9223372036854775807");
      }
      if (c.argc() > 4 || (c.argc() == 4 && !c.is(3, "withscores"))) {
        throw new RedisError(Errors.SYNTAX);
      }
      boolean withScores = c.argc() == 4;
      if (withScores && (count < -Long.MAX_VALUE / 2 || count > Long.MAX_VALUE / 2)) {
        throw new RedisError("ERR value is out of range");
      }
      randomMembers(c, count, withScores);
      return;
    }
    RedisZSet zset = Values.as(c.db().read(c.arg(1)), RedisZSet.class);
    if (zset == null) {
      c.reply().nil();
      return;
    }
    c.reply().bulk(randomNode(zset).member());
  }

  private static Node randomNode(RedisZSet zset) {
    return zset.byRank(ThreadLocalRandom.current().nextInt(zset.size()));
  }

  private static void randomMembers(CommandContext c, long requested, boolean withScores) {
    RedisZSet zset = Values.as(c.db().read(c.arg(1)), RedisZSet.class);
    Reply reply = c.reply();
    if (zset == null || requested == 0) {
      reply.array(0);
      return;
    }
    boolean unique = requested > 0;
    long count = Math.abs(requested);
    int size = zset.size();
    if (!unique || count == 1) {
      // with repetitions, in random order
      arrayOfMembers(reply, count, withScores);
      for (long k = 0; k < count; k++) {
        member(reply, randomNode(zset), withScores);
      }
      return;
    }
    if (count >= size) {
      // the whole set, from the highest score down, as Redis iterates it
      arrayOfMembers(reply, size, withScores);
      for (Node node = zset.last(); node != null; node = node.prev()) {
        member(reply, node, withScores);
      }
      return;
    }
    int wanted = (int) count;
    List<Node> picked = new ArrayList<>(wanted);
    if (!zset.isSkiplistEncoded() || (long) wanted * 3 > size) {
      // selection sampling: each member kept with probability needed / left, in set order
      ThreadLocalRandom random = ThreadLocalRandom.current();
      int left = size;
      for (Node node = zset.first(); node != null && picked.size() < wanted; node = node.next()) {
        if (random.nextInt(left) < wanted - picked.size()) {
          picked.add(node);
        }
        left--;
      }
      if (zset.isSkiplistEncoded()) {
        Collections.shuffle(picked, random);
      }
    } else {
      Map<Node, Boolean> seen = new IdentityHashMap<>(wanted * 2);
      while (picked.size() < wanted) {
        Node node = randomNode(zset);
        if (seen.put(node, Boolean.TRUE) == null) {
          picked.add(node);
        }
      }
    }
    arrayOfMembers(reply, wanted, withScores);
    for (Node node : picked) {
      member(reply, node, withScores);
    }
  }

  // ---- ZSCAN ----

  /** ZSCAN key cursor [MATCH pattern] [COUNT count]. */
  private static void zscan(CommandContext c) {
    long cursor = CollectionArgs.parseCursor(c.arg(2));
    RedisZSet zset = Values.as(c.db().read(c.arg(1)), RedisZSet.class);
    Reply reply = c.reply();
    if (zset == null) {
      reply.array(2);
      reply.bulk("0");
      reply.array(0);
      return;
    }
    byte[] pattern = null;
    long count = 10;
    for (int i = 3; i < c.argc(); ) {
      int left = c.argc() - i;
      if (c.is(i, "count") && left >= 2) {
        count = c.longArg(i + 1);
        if (count < 1) {
          throw new RedisError(Errors.SYNTAX);
        }
        i += 2;
      } else if (c.is(i, "match") && left >= 2) {
        pattern = c.arg(i + 1);
        if (pattern.length == 1 && pattern[0] == '*') {
          pattern = null;
        }
        i += 2;
      } else if (c.is(i, "novalues")) {
        throw new RedisError("ERR NOVALUES option can only be used in HSCAN");
      } else {
        throw new RedisError(Errors.SYNTAX);
      }
    }
    List<Node> visited = new ArrayList<>();
    if (!zset.isSkiplistEncoded()) {
      // a listpack is returned whole in one call, as Redis does
      for (Node node = zset.first(); node != null; node = node.next()) {
        visited.add(node);
      }
      cursor = 0;
    } else {
      long maxSteps = count * 10;
      do {
        cursor = zset.scan(cursor, visited::add);
      } while (cursor != 0 && --maxSteps > 0 && visited.size() < count);
    }
    if (pattern != null) {
      List<Node> matching = new ArrayList<>(visited.size());
      for (Node node : visited) {
        if (Glob.matches(pattern, node.member())) {
          matching.add(node);
        }
      }
      visited = matching;
    }
    reply.array(2);
    reply.bulk(Long.toUnsignedString(cursor));
    reply.array(visited.size() * 2);
    boolean skiplist = zset.isSkiplistEncoded();
    for (Node node : visited) {
      reply.bulk(node.member());
      // as Redis: a listpack's scores as stored (d2string), a skiplist's with "%.17g"
      reply.bulk(skiplist ? Doubles.g17(node.score()) : Doubles.reply(node.score()));
    }
  }
}
