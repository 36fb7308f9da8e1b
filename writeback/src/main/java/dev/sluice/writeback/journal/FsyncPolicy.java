package dev.sluice.writeback.journal;

import java.time.Duration;

/**
 * When the writer forces the journal to disk. {@link #ALWAYS}: an append's future completes only
 * after {@code FileChannel.force}. An interval: futures complete once the record is written to the
 * file (the page cache) and the writer forces at most {@code interval} later — a crash of the
 * machine (not only of Sluice) may lose up to that window of acknowledged appends.
 */
public record FsyncPolicy(Duration interval) {
  public static final FsyncPolicy ALWAYS = new FsyncPolicy(Duration.ZERO);

  public FsyncPolicy {
    if (interval.isNegative()) {
      throw new IllegalArgumentException("negative fsync interval: " + interval);
    }
  }

  public static FsyncPolicy every(Duration interval) {
    return new FsyncPolicy(interval);
  }

  /** From the {@code journal.fsync} setting, where {@link Duration#ZERO} means always. */
  public static FsyncPolicy of(Duration setting) {
    return setting.isZero() ? ALWAYS : every(setting);
  }

  public boolean always() {
    return interval.isZero();
  }
}
