package dev.sluice.proxy.engine;

import java.util.Arrays;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * The latency histogram of each command (latency-tracking), as Redis keeps one per command with
 * hdr_histogram: 1 ns to 1 s at two significant digits, of the command's duration in whole
 * microseconds. Created at a command's first call, dropped by CONFIG RESETSTAT. Recorded and read
 * under the keyspace lock; recording allocates nothing once a command has its histogram.
 */
public final class CommandLatencies {
  static final long LOWEST = 1;
  static final long HIGHEST = 1_000_000_000L;
  static final int SIGNIFICANT_DIGITS = 2;

  /** LATENCY HISTOGRAM's first bucket (1024 ns) and the factor between buckets. */
  private static final long FIRST_BUCKET = 1024;

  private static final int BUCKET_FACTOR = 2;

  private Histogram[] byId = new Histogram[0];
  private volatile boolean enabled = true;

  public void enabled(boolean enabled) {
    this.enabled = enabled;
  }

  public boolean enabled() {
    return enabled;
  }

  /** Redis's updateCommandLatencyHistogram, of a duration truncated to microseconds. */
  void record(CommandSpec spec, long nanos) {
    int id = spec.id();
    if (id >= byId.length) {
      byId = Arrays.copyOf(byId, Math.max(id + 1, byId.length * 2));
    }
    Histogram histogram = byId[id];
    if (histogram == null) {
      histogram = new Histogram(LOWEST, HIGHEST, SIGNIFICANT_DIGITS);
      byId[id] = histogram;
    }
    histogram.recordValue(Math.max(LOWEST, Math.min(HIGHEST, nanos / 1000 * 1000)));
  }

  /** The command's histogram, or null before its first call. */
  public Histogram of(CommandSpec spec) {
    int id = spec.id();
    return id >= 0 && id < byId.length ? byId[id] : null;
  }

  public void reset() {
    Arrays.fill(byId, null);
  }

  /**
   * LATENCY HISTOGRAM's buckets as Redis's fillCommandCDF walks them (hdr_iter_log_init with 1024
   * and 2): for each power of two from 1024 ns, the highest value of its bucket in microseconds and
   * the calls up to it, as pairs; only the buckets that added calls, up to the last call.
   */
  public static long[] cumulativeMicros(Histogram histogram) {
    long total = histogram.getTotalCount();
    // the highest value of the histogram's last bucket, where hdr_iter_log stops when a level is
    // beyond it (its buckets end at the power of two above the highest trackable value)
    long top = Long.highestOneBit(histogram.getHighestTrackableValue()) * 2 - 1;
    long[] pairs = new long[2 * 32];
    int n = 0;
    long previous = 0;
    for (long level = FIRST_BUCKET; ; level *= BUCKET_FACTOR) {
      long upTo = Math.min(level, top);
      long cumulative = histogram.getCountBetweenValues(0, upTo);
      if (cumulative > previous) {
        pairs[n++] = histogram.highestEquivalentValue(upTo) / 1000;
        pairs[n++] = cumulative;
      }
      previous = cumulative;
      if (cumulative >= total || level > top) {
        return Arrays.copyOf(pairs, n);
      }
    }
  }

  /** hdr_value_at_percentile, whose rounding of the rank differs from HdrHistogram's own. */
  public static long valueAtPercentile(Histogram histogram, double percentile) {
    double requested = Math.min(percentile, 100.0);
    long rank = (long) ((requested / 100) * histogram.getTotalCount() + 0.5);
    rank = Math.max(rank, 1);
    for (HistogramIterationValue value : histogram.recordedValues()) {
      if (value.getTotalCountToThisValue() >= rank) {
        long at = value.getValueIteratedTo();
        return percentile == 0.0
            ? histogram.lowestEquivalentValue(at)
            : histogram.highestEquivalentValue(at);
      }
    }
    return 0;
  }
}
