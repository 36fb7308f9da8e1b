package dev.sluice.writeback.journal;

import dev.sluice.config.SluiceConfig;
import dev.sluice.config.WriteBackSettings;
import java.nio.file.Path;

/** Where the journal lives, when it rolls segments, its byte budget and its fsync policy. */
public record JournalOptions(Path dir, long segmentSize, long budget, FsyncPolicy fsync) {
  public JournalOptions {
    if (segmentSize < JournalFormat.HEADER_SIZE + JournalFormat.RECORD_HEADER_SIZE) {
      throw new IllegalArgumentException("segment size too small: " + segmentSize);
    }
    if (budget <= 0) {
      throw new IllegalArgumentException("budget must be positive: " + budget);
    }
  }

  public static JournalOptions from(SluiceConfig config) {
    return new JournalOptions(
        Path.of(config.get(WriteBackSettings.JOURNAL_DIR)),
        config.get(WriteBackSettings.JOURNAL_SEGMENT_SIZE),
        config.get(WriteBackSettings.JOURNAL_BUDGET),
        FsyncPolicy.of(config.get(WriteBackSettings.JOURNAL_FSYNC)));
  }

  public static JournalOptions defaults(Path dir) {
    return new JournalOptions(dir, 64L * 1024 * 1024, 1024L * 1024 * 1024, FsyncPolicy.ALWAYS);
  }

  public JournalOptions withSegmentSize(long bytes) {
    return new JournalOptions(dir, bytes, budget, fsync);
  }

  public JournalOptions withBudget(long bytes) {
    return new JournalOptions(dir, segmentSize, bytes, fsync);
  }

  public JournalOptions withFsync(FsyncPolicy policy) {
    return new JournalOptions(dir, segmentSize, budget, policy);
  }
}
