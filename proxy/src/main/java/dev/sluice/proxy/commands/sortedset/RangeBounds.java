package dev.sluice.proxy.commands.sortedset;

import dev.sluice.proxy.engine.Numbers;
import dev.sluice.proxy.engine.RedisError;
import dev.sluice.proxy.types.LexRange;
import dev.sluice.proxy.types.ScoreRange;
import java.util.Arrays;

/** The range arguments of the sorted set commands: score bounds and lex bounds. */
final class RangeBounds {
  private RangeBounds() {}

  private static final String MIN_MAX_NOT_FLOAT = "ERR min or max is not a float";
  private static final String MIN_MAX_NOT_LEX = "ERR min or max not valid string range item";

  /**
   * The bounds of ZRANGEBYSCORE and friends, as zslParseRange: "(" for exclusive, then anything
   * strtod reads ({@link Numbers#parseBound}).
   */
  static ScoreRange scores(byte[] min, byte[] max) {
    boolean minExclusive = min.length > 0 && min[0] == '(';
    boolean maxExclusive = max.length > 0 && max[0] == '(';
    double low = Numbers.parseBound(min, minExclusive ? 1 : 0);
    double high = Numbers.parseBound(max, maxExclusive ? 1 : 0);
    if (Double.isNaN(low) || Double.isNaN(high)) {
      throw new RedisError(MIN_MAX_NOT_FLOAT);
    }
    return new ScoreRange(low, minExclusive, high, maxExclusive);
  }

  /** The bounds of ZRANGEBYLEX and friends, as zslParseLexRange: "[a", "(a", "-", "+". */
  static LexRange lex(byte[] min, byte[] max) {
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
}
