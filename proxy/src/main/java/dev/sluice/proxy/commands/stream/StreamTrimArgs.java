package dev.sluice.proxy.commands.stream;

import dev.sluice.proxy.engine.CommandContext;
import dev.sluice.proxy.engine.Errors;
import dev.sluice.proxy.engine.RedisError;
import dev.sluice.proxy.types.stream.RedisStream;
import dev.sluice.proxy.types.stream.StreamAddId;
import dev.sluice.proxy.types.stream.StreamId;

/**
 * The options XADD and XTRIM share, read as Redis's streamParseAddOrTrimArgsOrReply reads them:
 * NOMKSTREAM and the ID (XADD only), MAXLEN or MINID with "=" or "~", and LIMIT.
 */
final class StreamTrimArgs {
  private boolean noMkStream;
  private StreamAddId id = StreamAddId.AUTO;
  private boolean byLength;
  private boolean byMinId;
  private long maxLen;
  private StreamId minId;
  private boolean approx;
  private boolean limitGiven;
  private long limit;

  /** Where the MAXLEN or MINID threshold is (its "~" or "=" right before it). */
  private int thresholdIndex;

  /** Where XADD's ID is (the fields follow it); argc when the arguments ran out first. */
  private int idIndex;

  private StreamTrimArgs() {}

  /** Parses from argument 2; XADD stops at its ID, XTRIM takes trimming options only. */
  static StreamTrimArgs parse(CommandContext c, boolean xadd) {
    StreamTrimArgs a = new StreamTrimArgs();
    int i = 2;
    for (; i < c.argc(); i++) {
      int more = c.argc() - 1 - i;
      if (xadd && StreamArgs.isSymbol(c, i, '*')) {
        break; // the common case, an automatic ID
      } else if ((c.is(i, "maxlen") || c.is(i, "minid")) && more > 0) {
        boolean length = c.is(i, "maxlen");
        if (a.byLength || a.byMinId) {
          throw new RedisError(
              "ERR syntax error, MAXLEN and MINID options at the same time are not compatible");
        }
        a.approx = false;
        if (more >= 2 && StreamArgs.isSymbol(c, i + 1, '~')) {
          a.approx = true;
          i++;
        } else if (more >= 2 && StreamArgs.isSymbol(c, i + 1, '=')) {
          i++;
        }
        a.thresholdIndex = i + 1;
        if (length) {
          a.maxLen = StreamArgs.integer(c, i + 1);
          if (a.maxLen < 0) {
            throw new RedisError("ERR The MAXLEN argument must be >= 0.");
          }
          a.byLength = true;
        } else {
          a.minId = StreamId.parseStrict(c.arg(i + 1));
          a.byMinId = true;
        }
        i++;
      } else if (c.is(i, "limit") && more > 0) {
        a.limit = StreamArgs.integer(c, i + 1);
        if (a.limit < 0) {
          throw new RedisError("ERR The LIMIT argument must be >= 0.");
        }
        a.limitGiven = true;
        i++;
      } else if (xadd && c.is(i, "nomkstream")) {
        a.noMkStream = true;
      } else if (xadd) {
        a.id = StreamAddId.parse(c.arg(i)); // a syntax error reads as an invalid ID, as in Redis
        break;
      } else {
        throw new RedisError(Errors.SYNTAX);
      }
    }
    a.idIndex = i;
    if (a.limit != 0 && !a.trims()) {
      throw new RedisError(
          "ERR syntax error, LIMIT cannot be used without specifying a trimming strategy");
    }
    if (!xadd && !a.trims()) {
      throw new RedisError("ERR syntax error, XTRIM must be called with a trimming strategy");
    }
    if (a.limitGiven && !a.approx) {
      throw new RedisError("ERR syntax error, LIMIT cannot be used without the special ~ option");
    }
    return a;
  }

  boolean noMkStream() {
    return noMkStream;
  }

  StreamAddId id() {
    return id;
  }

  int idIndex() {
    return idIndex;
  }

  boolean trims() {
    return byLength || byMinId;
  }

  /**
   * As Redis's streamRewriteApproxSpecifier and streamRewriteTrimArgument: replicas get an
   * approximate trim as the exact one it came to here ("= length", or "= first ID" for MINID), so
   * that they keep the same entries whatever their nodes look like. {@code args} is the command as
   * replicas will run it.
   */
  void rewriteApproximation(byte[][] args, RedisStream s) {
    if (!approx) {
      return;
    }
    args[thresholdIndex - 1] = new byte[] {'='};
    args[thresholdIndex] =
        byLength
            ? Long.toString(s.length()).getBytes(java.nio.charset.StandardCharsets.US_ASCII)
            : s.edgeId(true, false).toBytes();
  }

  /**
   * Trims {@code s}; returns the number of entries removed. An approximate trim without LIMIT is
   * limited to Redis's default (100 nodes' worth), an exact one never.
   */
  long trim(RedisStream s) {
    long effectiveLimit = limitGiven ? limit : approx ? s.defaultApproxLimit() : 0;
    return byLength
        ? s.trimByLength(maxLen, approx, effectiveLimit)
        : s.trimByMinId(minId, approx, effectiveLimit);
  }
}
