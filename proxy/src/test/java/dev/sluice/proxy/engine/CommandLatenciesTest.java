package dev.sluice.proxy.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/**
 * The per-command latency histograms: recording costs no allocation once a command has its
 * histogram (it runs for every command), and the buckets and percentiles are hdr_histogram's.
 */
class CommandLatenciesTest {
  private static CommandSpec spec(String name) {
    CommandTable table = new CommandTable();
    table.register(CommandSpec.command(name, 1, c -> {}));
    return table.lookup(name);
  }

  @Test
  void record_afterFirstCall_allocatesNothing() {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    CommandLatencies latencies = new CommandLatencies();
    CommandSpec get = spec("get");
    for (int i = 0; i < 20_000; i++) { // the first call creates the histogram; then warm up
      latencies.record(get, i * 1_000L);
    }
    long before = threads.getCurrentThreadAllocatedBytes();
    for (int i = 0; i < 100_000; i++) {
      latencies.record(get, i * 997L);
    }
    long allocated = threads.getCurrentThreadAllocatedBytes() - before;
    assertTrue(allocated < 1024, "100,000 recordings allocated " + allocated + " bytes");
    assertEquals(120_000, latencies.of(get).getTotalCount());
  }

  @Test
  void cumulativeMicros_values_bucketsOfPowersOfTwoFrom1024() {
    Histogram histogram = new Histogram(1, 1_000_000_000L, 2);
    histogram.recordValue(1); // under 1024 ns: the first bucket, whose top 1031 ns shows as 1
    histogram.recordValue(66_000); // in 65536's bucket [65536, 66047]: 66
    histogram.recordValue(66_000);
    // the largest: level 2^30 is past the last bucket, whose top (2^30 - 1 ns) C's iterator shows
    histogram.recordValue(1_000_000_000);
    long[] pairs = CommandLatencies.cumulativeMicros(histogram);
    assertArrayEquals(new long[] {1, 1, 66, 3, 1_073_741, 4}, pairs);
  }

  @Test
  void valueAtPercentile_rankRoundedAsHdrHistogramInC() {
    Histogram histogram = new Histogram(1, 1_000_000_000L, 2);
    for (int i = 1; i <= 10; i++) {
      histogram.recordValue(i * 1_000L);
    }
    // C's rank is (0.24 * 10 + 0.5) truncated, 2: the bucket of 2000, [2000, 2007]; HdrHistogram
    // in Java rounds 2.4 up, to 3000's bucket
    assertEquals(2_007, CommandLatencies.valueAtPercentile(histogram, 24));
    assertEquals(3_007, histogram.getValueAtPercentile(24));
    // p0 is the lowest value of the first bucket [1000, 1003], above 100 the highest of the last
    assertEquals(1_000, CommandLatencies.valueAtPercentile(histogram, 0));
    assertEquals(10_047, CommandLatencies.valueAtPercentile(histogram, 100));
  }
}
