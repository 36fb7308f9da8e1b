package dev.sluice.writeback.journal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Recovery and replay of a journal directory. {@link #recover} validates every segment, cuts a torn
 * tail (logging how many bytes went) and refuses corruption with a {@link CorruptJournalException};
 * {@link #replay} hands over, in LSN order, every record above an applied LSN. No record whose
 * CRC-32C does not match is ever returned.
 */
public final class JournalReader {
  private static final Logger LOG = LoggerFactory.getLogger(JournalReader.class);

  private JournalReader() {}

  /** What recovery found and did. {@code lastLsn} is 0 for an empty journal. */
  public record Recovery(
      int segments,
      long records,
      long firstLsn,
      long lastLsn,
      long truncatedBytes,
      Path truncatedFile,
      long truncatedAt) {
    public boolean truncated() {
      return truncatedFile != null;
    }
  }

  /** Validates the journal in {@code dir} and cuts its torn tail, if any. */
  public static Recovery recover(Path dir) {
    return recover(dir, (file, offset, record) -> {});
  }

  static Recovery recover(Path dir, SegmentScanner.Visitor visitor) {
    try {
      SegmentScanner.Result result = SegmentScanner.scan(dir, visitor, 0);
      SegmentScanner.TornTail torn = result.tornTail();
      if (torn != null) {
        if (torn.offset() == 0) {
          Files.delete(torn.path());
        } else {
          try (FileChannel ch = FileChannel.open(torn.path(), StandardOpenOption.WRITE)) {
            ch.truncate(torn.offset());
            ch.force(true);
          }
        }
        LOG.warn(
            "journal: truncated a torn tail of {} bytes at offset {} of {} ({}); these bytes"
                + " were never acknowledged",
            torn.bytes(),
            torn.offset(),
            torn.path(),
            torn.reason());
      }
      List<SegmentScanner.SegmentInfo> segments = result.segments();
      long first = segments.isEmpty() ? 0 : segments.get(0).firstLsn();
      long last = segments.isEmpty() ? 0 : segments.get(segments.size() - 1).lastLsn();
      if (segments.isEmpty() || result.records() == 0) {
        first = 0;
      }
      return new Recovery(
          segments.size(),
          result.records(),
          first,
          last,
          torn == null ? 0 : torn.bytes(),
          torn == null ? null : torn.path(),
          torn == null ? -1 : torn.offset());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the journal in " + dir, e);
    }
  }

  /**
   * Hands every record with an LSN above {@code appliedLsn} to {@code consumer}, in order. Meant
   * for a recovered journal (after {@link #recover} or {@link JournalWriter#open}); segments that
   * hold only applied records are skipped without being read.
   */
  public static void replay(Path dir, long appliedLsn, Consumer<JournalRecord> consumer) {
    try {
      SegmentScanner.Result result =
          SegmentScanner.scan(
              dir,
              (file, offset, record) -> {
                if (record.lsn() > appliedLsn) {
                  consumer.accept(record);
                }
              },
              appliedLsn + 1);
      if (result.tornTail() != null) {
        SegmentScanner.TornTail t = result.tornTail();
        throw new JournalException(
            "journal not recovered: torn tail of "
                + t.bytes()
                + " bytes at offset "
                + t.offset()
                + " of "
                + t.path());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the journal in " + dir, e);
    }
  }

  /** Every record above {@code appliedLsn}, in order (for tests and small journals). */
  public static List<JournalRecord> readAll(Path dir, long appliedLsn) {
    List<JournalRecord> records = new ArrayList<>();
    replay(dir, appliedLsn, records::add);
    return records;
  }
}
