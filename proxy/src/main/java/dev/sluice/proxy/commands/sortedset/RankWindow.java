package dev.sluice.proxy.commands.sortedset;

/**
 * A run of consecutive ranks: {@code count} members from rank {@code start}, walking down when
 * {@code reverse}.
 */
record RankWindow(long start, long count, boolean reverse) {
  static final RankWindow EMPTY = new RankWindow(0, 0, false);

  /** Z[REV]RANGE by index: negative indexes count from the end, as Redis sanitizes them. */
  static RankWindow ofRanks(long length, long start, long end, boolean reverse) {
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
      return EMPTY;
    }
    if (end >= length) {
      end = length - 1;
    }
    long count = end - start + 1;
    return reverse
        ? new RankWindow(length - 1 - start, count, true)
        : new RankWindow(start, count, false);
  }

  /**
   * A score or lex range holding ranks [{@code low}, {@code high}), narrowed by LIMIT: a negative
   * offset yields nothing, a negative count means all.
   */
  static RankWindow ofLimit(
      long length, long low, long high, long offset, long limit, boolean reverse) {
    if (offset < 0 || (offset > 0 && offset >= length) || high <= low) {
      return EMPTY;
    }
    long available = high - low - offset;
    if (available <= 0 || limit == 0) {
      return EMPTY;
    }
    long count = limit < 0 ? available : Math.min(limit, available);
    return reverse
        ? new RankWindow(high - 1 - offset, count, true)
        : new RankWindow(low + offset, count, false);
  }
}
