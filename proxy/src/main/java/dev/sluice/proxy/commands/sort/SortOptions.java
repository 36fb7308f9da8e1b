package dev.sluice.proxy.commands.sort;

import dev.sluice.proxy.engine.CommandContext;
import dev.sluice.proxy.engine.Errors;
import dev.sluice.proxy.engine.RedisError;
import java.util.ArrayList;
import java.util.List;

/** SORT's options, read as Redis reads them: left to right, the last of each winning. */
final class SortOptions {
  boolean desc;
  boolean alpha;
  long limitStart;
  long limitCount = -1;
  boolean dontSort;
  byte[] by;
  byte[] store;
  final List<byte[]> gets = new ArrayList<>();

  private SortOptions() {}

  /**
   * Reads the options after the key. A keyword without enough arguments after it is a syntax error,
   * and so is STORE for SORT_RO. BY without '*' means "keep the natural order" (nosort); a later BY
   * with '*' does not undo that, as in Redis.
   */
  static SortOptions parse(CommandContext c, boolean readOnly) {
    SortOptions o = new SortOptions();
    for (int j = 2; j < c.argc(); j++) {
      int left = c.argc() - j - 1;
      if (c.is(j, "asc")) {
        o.desc = false;
      } else if (c.is(j, "desc")) {
        o.desc = true;
      } else if (c.is(j, "alpha")) {
        o.alpha = true;
      } else if (c.is(j, "limit") && left >= 2) {
        o.limitStart = c.longArg(j + 1);
        o.limitCount = c.longArg(j + 2);
        j += 2;
      } else if (!readOnly && c.is(j, "store") && left >= 1) {
        o.store = c.arg(++j);
      } else if (c.is(j, "by") && left >= 1) {
        o.by = c.arg(++j);
        if (!hasStar(o.by)) {
          o.dontSort = true;
        }
      } else if (c.is(j, "get") && left >= 1) {
        o.gets.add(c.arg(++j));
      } else {
        throw new RedisError(Errors.SYNTAX);
      }
    }
    return o;
  }

  /** Redis's strchr: a '*' before the first NUL byte. */
  private static boolean hasStar(byte[] pattern) {
    for (byte b : pattern) {
      if (b == 0) {
        return false;
      }
      if (b == '*') {
        return true;
      }
    }
    return false;
  }
}
