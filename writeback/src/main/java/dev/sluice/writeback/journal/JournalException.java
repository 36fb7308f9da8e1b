package dev.sluice.writeback.journal;

/** A journal operation failed; subclasses say why. */
public class JournalException extends RuntimeException {
  public JournalException(String message) {
    super(message);
  }

  public JournalException(String message, Throwable cause) {
    super(message, cause);
  }
}
