package dev.sluice.proxy.commands;

import dev.sluice.proxy.engine.CommandContext;
import dev.sluice.proxy.engine.Errors;
import dev.sluice.proxy.engine.RedisError;
import dev.sluice.proxy.resp.Reply;
import dev.sluice.proxy.util.Glob;
import java.util.List;

/** Argument rules shared by the collection commands: HSCAN/SSCAN options, random counts. */
public final class CollectionArgs {
  private CollectionArgs() {}

  /** The options of HSCAN and SSCAN; {@code pattern} is null when absent or "*". */
  public record ScanOptions(long count, byte[] pattern, boolean noValues) {
    public boolean matches(byte[] element) {
      return pattern == null || Glob.matches(pattern, element);
    }

    /** Buckets a hashtable scan may visit in one call before it gives up, as Redis: COUNT × 10. */
    public long maxIterations() {
      return count > Long.MAX_VALUE / 10 ? Long.MAX_VALUE : count * 10;
    }
  }

  /**
   * Parses [MATCH pattern] [COUNT count] [NOVALUES] from argument {@code from}, in Redis 7.4's
   * order and words; NOVALUES is refused unless {@code hash}.
   */
  public static ScanOptions scanOptions(CommandContext c, int from, boolean hash) {
    long count = 10;
    byte[] pattern = null;
    boolean noValues = false;
    for (int i = from; i < c.argc(); i++) {
      boolean hasValue = i + 1 < c.argc();
      if (c.is(i, "count") && hasValue) {
        count = c.longArg(++i);
        if (count < 1) {
          throw new RedisError(Errors.SYNTAX);
        }
      } else if (c.is(i, "match") && hasValue) {
        pattern = c.arg(++i);
        if (pattern.length == 1 && pattern[0] == '*') {
          pattern = null;
        }
      } else if (c.is(i, "novalues")) {
        if (!hash) {
          throw new RedisError("ERR NOVALUES option can only be used in HSCAN");
        }
        noValues = true;
      } else {
        throw new RedisError(Errors.SYNTAX);
      }
    }
    return new ScanOptions(count, pattern, noValues);
  }

  public static void replyScan(Reply reply, long cursor, List<byte[]> elements) {
    reply.array(2);
    reply.bulk(Long.toUnsignedString(cursor));
    reply.array(elements.size());
    for (byte[] element : elements) {
      reply.bulk(element);
    }
  }

  /**
   * The count of HRANDFIELD and SRANDMEMBER: an integer between -LONG_MAX and LONG_MAX, with
   * Redis's two messages.
   */
  public static long randomCount(CommandContext c, int i) {
    long count = c.longArg(i);
    if (count == Long.MIN_VALUE) {
      throw new RedisError(
          "ERR value is out of range, value must between -9223372036854775807 and"
              + " 9223372036854775807");
    }
    return count;
  }

  /**
   * The length of a reply of {@code elements} repeated random picks. Redis streams such replies
   * without bound; one that cannot be announced as a 32-bit length is refused here instead.
   */
  public static int replyLength(long elements) {
    if (elements > Integer.MAX_VALUE - 8) {
      throw new RedisError("ERR value is out of range");
    }
    return (int) elements;
  }

  /** A SCAN cursor: an unsigned 64-bit decimal, as Redis parses it. */
  public static long parseCursor(byte[] text) {
    if (text.length == 0 || text.length > 20) {
      throw new RedisError(Errors.INVALID_CURSOR);
    }
    try {
      return Long.parseUnsignedLong(new String(text, java.nio.charset.StandardCharsets.US_ASCII));
    } catch (NumberFormatException e) {
      throw new RedisError(Errors.INVALID_CURSOR);
    }
  }
}
