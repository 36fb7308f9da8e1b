package dev.sluice.proxy.types.stream;

/**
 * The consumer-group lag arithmetic of t_stream.c (7.4), which works from the stream's counters
 * alone: entries-added, length, first and last IDs and max-deleted-entry-id. A deletion anywhere
 * after a group's position makes its entries-read unknowable, so the lag is then null unless the
 * position is at either end of the stream.
 */
final class StreamLag {
  private StreamLag() {}

  /**
   * streamRangeHasTombstones from {@code start} to the end (7.4): whether the largest deleted ID
   * may lie at or after {@code start}, judged by max-deleted-entry-id alone.
   */
  static boolean hasTombstonesFrom(RedisStream s, StreamId start) {
    if (s.length() == 0 || s.maxDeletedId().isZero()) {
      return false;
    }
    if (s.firstId().compareTo(s.maxDeletedId()) > 0) {
      return false; // the latest tombstone is before the first entry
    }
    return start.compareTo(s.maxDeletedId()) <= 0;
  }

  /**
   * streamEstimateDistanceFromFirstEverEntry (7.4): the entries-read counter that {@code id}
   * corresponds to, or -1 when it cannot be known (the ID lies inside a fragmented stream, or in
   * the future).
   */
  static long estimateDistanceFromFirstEverEntry(RedisStream s, StreamId id) {
    if (s.entriesAdded() == 0) {
      return 0;
    }
    if (s.length() == 0 && id.compareTo(s.lastId()) < 1) {
      return s.entriesAdded();
    }
    int cmpLast = id.compareTo(s.lastId());
    if (cmpLast == 0) {
      return s.entriesAdded();
    } else if (cmpLast > 0) {
      return ConsumerGroup.INVALID_ENTRIES_READ;
    }
    int cmpIdFirst = id.compareTo(s.firstId());
    if (s.maxDeletedId().isZero() || s.maxDeletedId().compareTo(s.firstId()) < 0) {
      if (cmpIdFirst < 0) {
        return s.entriesAdded() - s.length();
      } else if (cmpIdFirst == 0) {
        return s.entriesAdded() - s.length() + 1;
      }
    }
    return ConsumerGroup.INVALID_ENTRIES_READ;
  }
}
