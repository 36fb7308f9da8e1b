package dev.sluice.writeback.journal;

/**
 * An append was refused because the bytes journaled but not yet applied to PostgreSQL would exceed
 * the byte budget ({@code journal.budget}). Nothing of the refused append was written.
 */
public final class JournalFullException extends JournalException {
  private final long pendingBytes;
  private final long budgetBytes;

  public JournalFullException(long pendingBytes, long budgetBytes) {
    super(
        "journal full: "
            + pendingBytes
            + " bytes pending of budget "
            + budgetBytes
            + "; PostgreSQL flushing is behind or paused");
    this.pendingBytes = pendingBytes;
    this.budgetBytes = budgetBytes;
  }

  public long pendingBytes() {
    return pendingBytes;
  }

  public long budgetBytes() {
    return budgetBytes;
  }
}
