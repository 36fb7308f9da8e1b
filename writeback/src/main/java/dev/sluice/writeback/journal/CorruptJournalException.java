package dev.sluice.writeback.journal;

import java.nio.file.Path;

/**
 * The journal holds damage that is not a torn tail: a bad record followed by valid data, a bad
 * segment header, or LSNs that are not contiguous. Start-up stops; the message names the file and
 * the byte offset ({@code sluice journal verify} reports the same offline).
 */
public final class CorruptJournalException extends JournalException {
  private final Path file;
  private final long offset;
  private final String reason;

  public CorruptJournalException(Path file, long offset, String reason) {
    super(
        "corrupt journal: "
            + reason
            + " in "
            + file
            + " at byte offset "
            + offset
            + "; refusing to start (inspect with 'sluice journal verify')");
    this.file = file;
    this.offset = offset;
    this.reason = reason;
  }

  public Path file() {
    return file;
  }

  public long offset() {
    return offset;
  }

  public String reason() {
    return reason;
  }
}
