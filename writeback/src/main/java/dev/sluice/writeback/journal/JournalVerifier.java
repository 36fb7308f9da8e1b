package dev.sluice.writeback.journal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Offline inspection of a journal directory for {@code sluice journal verify|stats}: reads, never
 * writes.
 */
public final class JournalVerifier {
  private JournalVerifier() {}

  public enum Status {
    OK,
    TORN_TAIL,
    CORRUPT
  }

  /**
   * The verdict: OK; a torn tail of {@code bytes} at {@code file}/{@code offset} (recovery will cut
   * it); or corrupt at {@code file}/{@code offset} (start-up would refuse).
   */
  public record Verdict(Status status, Path file, long offset, long bytes, String message) {}

  /** Segments, records, bytes on disk and the LSN range (0 and 0 when empty). */
  public record Stats(int segments, long records, long bytes, long firstLsn, long lastLsn) {}

  public static Verdict verify(Path dir) {
    try {
      SegmentScanner.Result result = SegmentScanner.scan(dir, (f, o, r) -> {}, 0);
      SegmentScanner.TornTail t = result.tornTail();
      if (t == null) {
        return new Verdict(
            Status.OK,
            null,
            -1,
            0,
            "OK: " + result.segments().size() + " segments, " + result.records() + " records");
      }
      return new Verdict(
          Status.TORN_TAIL,
          t.path(),
          t.offset(),
          t.bytes(),
          "torn tail of "
              + t.bytes()
              + " bytes at offset "
              + t.offset()
              + " of "
              + t.path()
              + " ("
              + t.reason()
              + "); recovery will truncate it");
    } catch (CorruptJournalException e) {
      return new Verdict(Status.CORRUPT, e.file(), e.offset(), 0, e.getMessage());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the journal in " + dir, e);
    }
  }

  /** A summary; throws {@link CorruptJournalException} when the journal is corrupt. */
  public static Stats stats(Path dir) {
    try {
      SegmentScanner.Result result = SegmentScanner.scan(dir, (f, o, r) -> {}, 0);
      long bytes = 0;
      for (Path p : SegmentScanner.segmentFiles(dir)) {
        bytes += Files.size(p);
      }
      var segments = result.segments();
      long records = result.records();
      long first = records == 0 ? 0 : segments.get(0).firstLsn();
      long last = segments.isEmpty() ? 0 : segments.get(segments.size() - 1).lastLsn();
      return new Stats(SegmentScanner.segmentFiles(dir).size(), records, bytes, first, last);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the journal in " + dir, e);
    }
  }
}
