package dev.sluice.writeback.batch;

import dev.sluice.writeback.journal.JournalReader;
import dev.sluice.writeback.journal.JournalRecord;
import dev.sluice.writeback.journal.JournalWriter;
import dev.sluice.writeback.sink.WriteRecord;
import dev.sluice.writeback.sink.WriteRecordCodec;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Flusher#start}'s replay: queues again, into their mappings' lanes, the journaled records
 * PostgreSQL does not have yet, each already durable. A record at or below the node's applied LSN
 * or its mapping's own (committed while another mapping's rows waited) is skipped, so nothing is
 * written twice; a long replay logs how far it got.
 */
final class JournalReplay {
  /** How often a long start-up replay logs its progress. */
  private static final long REPLAY_REPORT_NANOS = 2_000_000_000L;

  // the flusher's logger: replay is part of its start, and its messages keep their category
  private static final Logger log = LoggerFactory.getLogger(Flusher.class);

  private final Path journalDir;
  private final Lanes<Flusher.Pending> lanes;
  private final Flusher.ReplayListener replayListener;

  JournalReplay(
      Path journalDir, Lanes<Flusher.Pending> lanes, Flusher.ReplayListener replayListener) {
    this.journalDir = journalDir;
    this.lanes = lanes;
    this.replayListener = replayListener;
  }

  /**
   * Queues the records above {@code applied} up to {@code last}, skipping those at or below their
   * mapping's applied LSN in {@code byMapping}; returns how many it queued.
   */
  long replay(long applied, long last, Map<String, Long> byMapping) {
    long[] count = {0};
    long toRead = Math.max(0, last - applied);
    if (toRead > 0) {
      log.info("write-back: replaying the journal from LSN {} to {}", applied + 1, last);
    }
    long[] nextReport = {System.nanoTime() + REPLAY_REPORT_NANOS};
    JournalReader.replay(
        journalDir,
        applied,
        (JournalRecord record) -> {
          if (record.type() == JournalWriter.FILLER) {
            return; // an LSN a promoted replica skipped over
          }
          if (!WriteRecordCodec.known(record.type())) {
            throw new IllegalStateException(
                "journal record LSN "
                    + record.lsn()
                    + " has type "
                    + record.type()
                    + ", which this version of Sluice does not know");
          }
          WriteRecord row = WriteRecordCodec.decode(record.type(), record.payload());
          if (record.lsn() <= Math.max(applied, byMapping.getOrDefault(row.mapping(), 0L))) {
            return; // committed while another mapping's rows waited (pause)
          }
          lanes.add(
              row.mapping(),
              record.lsn(),
              new Flusher.Pending(
                  record.lsn(), CompletableFuture.completedFuture(record.lsn()), row),
              record.payload().length);
          replayListener.replayed(record.lsn(), row);
          count[0]++;
          if (System.nanoTime() >= nextReport[0]) {
            // a long replay says how far it got, so an operator can tell it from a hang
            log.info(
                "write-back: replay at LSN {} of {} ({} records queued for PostgreSQL)",
                record.lsn(),
                last,
                count[0]);
            nextReport[0] = System.nanoTime() + REPLAY_REPORT_NANOS;
          }
        });
    return count[0];
  }
}
