package dev.sluice.writeback.journal;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;

/**
 * Child JVM of {@link JournalCrashTest}: appends records to the journal in {@code args[0]} as fast
 * as it can (many in flight, so group commit is exercised) and prints each acknowledged LSN, one
 * per line, until it is killed.
 */
public final class CrashAppender {
  private CrashAppender() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
    JournalWriter writer =
        JournalWriter.open(JournalOptions.defaults(dir).withSegmentSize(64 * 1024));
    out.println("ready " + writer.lastLsn());
    out.flush();
    Semaphore inFlight = new Semaphore(256);
    while (true) {
      inFlight.acquire();
      // One appending thread: the next LSN is known before append assigns it.
      byte[] payload = payload(writer.lastLsn() + 1);
      CompletableFuture<Long> f = writer.append((byte) 3, payload);
      f.whenComplete(
          (lsn, error) -> {
            inFlight.release();
            if (lsn != null) {
              synchronized (out) {
                out.println(lsn);
                out.flush();
              }
            }
          });
    }
  }

  /** The payload of a record, derived from its LSN so the test can check it. */
  static byte[] payload(long lsn) {
    return ("lsn=" + lsn + ";" + "p".repeat((int) (lsn % 200))).getBytes(StandardCharsets.UTF_8);
  }
}
