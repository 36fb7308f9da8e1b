package dev.sluice.proxy.durable;

import dev.sluice.proxy.engine.Errors;
import dev.sluice.proxy.engine.PipelineBatch;
import dev.sluice.proxy.engine.ServerStats;
import dev.sluice.proxy.resp.Reply;
import dev.sluice.writeback.batch.Flusher;
import dev.sluice.writeback.journal.JournalException;
import dev.sluice.writeback.journal.JournalFullException;
import dev.sluice.writeback.sink.AppendRow;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The XADDs to append mappings that one connection pipelined back to back, checked but not yet
 * journaled, with their replies held back. When anything else is about to reply on the connection
 * (another command, the end of the chunk), {@link #flush} journals the checked rows as one group
 * ({@link Flusher#appendGroup}: one lock, one future, one record per row with consecutive LSNs, so
 * replay and exactly-once are as for single appends) and writes the replies in request order: an ID
 * per journaled row, the error of each refused one in its place. Rows journaled together are
 * acknowledged together, once the group is durable.
 *
 * <p>If the group does not fit in the journal's budget, its rows are journaled one by one, as
 * without a burst, so those that fit are accepted and only the rest get the journal-full error.
 */
public final class XaddBurst implements PipelineBatch {
  /** Rows journaled as one group at most; bounds the replies a burst holds back. */
  static final int MAX_ROWS = 4096;

  private final Flusher flusher;
  private final ServerStats stats;
  // per command in order: null for a row (the next one in rows), else the error to reply
  private final List<String> errors = new ArrayList<>();
  private final List<AppendRow> rows = new ArrayList<>();

  public XaddBurst(Flusher flusher, ServerStats stats) {
    this.flusher = flusher;
    this.stats = stats;
  }

  @Override
  public boolean isEmpty() {
    return errors.isEmpty();
  }

  public boolean full() {
    return rows.size() >= MAX_ROWS;
  }

  /** A checked row, journaled at the next {@link #flush}. */
  public void add(AppendRow row) {
    errors.add(null);
    rows.add(row);
  }

  /** A refused XADD: {@code error} is its reply, written in its place among the burst's. */
  public void refuse(String error) {
    errors.add(error);
  }

  /**
   * Journals the rows and writes every held reply to {@code reply}, in order.
   *
   * @return the future the replies must wait for, or null when no row was journaled
   */
  @Override
  public CompletableFuture<?> flush(Reply reply) {
    int n = rows.size();
    long[] lsns = new long[n];
    String[] rowErrors = new String[n];
    CompletableFuture<?> durable = null;
    if (n > 0) {
      try {
        Flusher.Appended group = flusher.appendGroup(rows);
        for (int i = 0; i < n; i++) {
          lsns[i] = group.lsn() + i;
        }
        durable = group.durable();
      } catch (JournalFullException | IllegalArgumentException e) {
        // row by row, the rows that fit are accepted (a row larger than the budget: only it fails)
        durable = appendOneByOne(flusher, lsns, rowErrors);
      } catch (JournalException e) {
        java.util.Arrays.fill(rowErrors, "ERR journal unavailable: " + e.getMessage());
      }
    }
    long millis = System.currentTimeMillis();
    int row = 0;
    for (String error : errors) {
      if (error == null) {
        error = rowErrors[row];
        if (error == null) {
          reply.streamId(millis, lsns[row]);
        }
        row++;
      }
      if (error != null) {
        stats.errorReplies.increment();
        reply.error(error);
      }
    }
    errors.clear();
    rows.clear();
    return durable;
  }

  private CompletableFuture<?> appendOneByOne(Flusher flusher, long[] lsns, String[] rowErrors) {
    CompletableFuture<?> last = null;
    for (int i = 0; i < rows.size(); i++) {
      try {
        Flusher.Appended appended = flusher.append(rows.get(i));
        lsns[i] = appended.lsn();
        last = appended.durable();
      } catch (JournalFullException e) {
        rowErrors[i] = Errors.JOURNAL_FULL + e.getMessage();
      } catch (JournalException e) {
        rowErrors[i] = "ERR journal unavailable: " + e.getMessage();
      } catch (IllegalArgumentException e) {
        rowErrors[i] = "ERR " + e.getMessage();
      }
    }
    return last;
  }
}
