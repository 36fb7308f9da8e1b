package dev.sluice.proxy.lookaside;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of one mapping, updated without locks from any thread.
 *
 * <ul>
 *   <li>{@code accesses}: keys of the mapping named by commands (each time the executor asks the
 *       loader whether a key needs loading, hit or miss);
 *   <li>{@code misses}: keys handed to the loader because they were not in memory;
 *   <li>{@code negativeHits}: misses answered as absent from the negative cache, without a query;
 *   <li>{@code hits} = accesses − misses − negative hits;
 *   <li>{@code loads}: queries run (single-flight: concurrent misses of a key share one);
 *   <li>{@code loadErrors}: loads that failed (database down, timeout, a key that does not fit);
 *   <li>load latency: total and maximum time of the queries, in microseconds.
 * </ul>
 */
final class MappingStats {
  final LongAdder accesses = new LongAdder();
  final LongAdder misses = new LongAdder();
  final LongAdder negativeHits = new LongAdder();
  final LongAdder loads = new LongAdder();
  final LongAdder loadErrors = new LongAdder();
  final LongAdder loadMicros = new LongAdder();
  final AtomicLong maxLoadMicros = new AtomicLong();

  void loaded(long micros) {
    loads.increment();
    loadMicros.add(micros);
    maxLoadMicros.accumulateAndGet(micros, Math::max);
  }

  long hits() {
    return Math.max(0, accesses.sum() - misses.sum() - negativeHits.sum());
  }

  /** Mean load latency in milliseconds, 0 before the first load. */
  double meanLoadMillis() {
    long n = loads.sum();
    return n == 0 ? 0 : loadMicros.sum() / 1000.0 / n;
  }

  double maxLoadMillis() {
    return maxLoadMicros.get() / 1000.0;
  }
}
