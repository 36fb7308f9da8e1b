package dev.sluice.proxy.durable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.sluice.proxy.SluiceServer;
import dev.sluice.writeback.journal.CorruptJournalException;
import dev.sluice.writeback.journal.JournalOptions;
import dev.sluice.writeback.journal.JournalReader;
import dev.sluice.writeback.journal.JournalWriter;
import dev.sluice.writeback.sink.AppendRow;
import dev.sluice.writeback.sink.AppendRowCodec;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.StreamEntryID;

/**
 * A damaged journal met by Sluice's start-up, with PostgreSQL behind it: a journal whose last
 * record was cut (a crash during a write) starts, says how many bytes it truncated, and every
 * complete record reaches PostgreSQL exactly once; a journal with a flipped bit in a middle record
 * refuses to start, naming the file and the offset, as {@code sluice journal verify} does.
 *
 * <p>Every cut offset goes through {@link AppendWriteBack#start}, the write-back start-up the
 * server runs (journal recovery, replay, flush into PostgreSQL); a few representative cuts go
 * through the whole server, which also takes new XADDs after the repair.
 */
class JournalDamageTest extends WriteBackDatabaseTest {
  private static final int RECORDS = 6;

  /** Journals {@code RECORDS} rows of mapping crash_rows ({@code seq} 1.., {@code round}). */
  private static Path journal(String name, int round) throws Exception {
    Path journal = dir.resolve(name);
    try (JournalWriter w = JournalWriter.open(JournalOptions.defaults(journal))) {
      for (int seq = 1; seq <= RECORDS; seq++) {
        w.append(AppendRowCodec.TYPE, payload(seq, round)).get(10, TimeUnit.SECONDS);
      }
    }
    return journal;
  }

  private static byte[] payload(int seq, int round) {
    return AppendRowCodec.encode(
        new AppendRow(
            "crash_rows",
            List.of("seq", "round"),
            List.of(bytes(Integer.toString(seq)), bytes(Integer.toString(round)))));
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static Path segment(Path journal) throws IOException {
    try (var files = Files.list(journal)) {
      List<Path> segments = files.sorted().toList();
      assertEquals(1, segments.size(), segments.toString());
      return segments.get(0);
    }
  }

  private static long lastRecordStart(Path segment, int round) throws IOException {
    return Files.size(segment) - JournalWriter.recordSize(payload(RECORDS, round).length);
  }

  private static void truncate(Path file, long size) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.truncate(size);
    }
  }

  /** seq -> how many rows of {@code round} have it. */
  private static Map<Long, Long> rows(int round) throws Exception {
    Map<Long, Long> counts = new java.util.TreeMap<>();
    try (var c = db.connect();
        var s =
            c.prepareStatement(
                "SELECT seq, count(*) FROM public.crash_rows WHERE round = ?" + " GROUP BY seq")) {
      s.setInt(1, round);
      try (var rs = s.executeQuery()) {
        while (rs.next()) {
          counts.put(rs.getLong(1), rs.getLong(2));
        }
      }
    }
    return counts;
  }

  /** Each of {@code seqs} exactly once. */
  private static Map<Long, Long> once(long... seqs) {
    Map<Long, Long> expected = new java.util.TreeMap<>();
    for (long s : seqs) {
      expected.put(s, 1L);
    }
    return expected;
  }

  private static final long[] COMPLETE = {1, 2, 3, 4, 5};

  /** Collects what the journal recovery logs. */
  private static ListAppender<ILoggingEvent> recoveryLog() {
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    ((Logger) LoggerFactory.getLogger(JournalReader.class)).addAppender(appender);
    return appender;
  }

  private static void stopLogging(ListAppender<ILoggingEvent> appender) {
    ((Logger) LoggerFactory.getLogger(JournalReader.class)).detachAppender(appender);
  }

  private static String truncationLogged(ListAppender<ILoggingEvent> appender) {
    return appender.list.stream()
        .map(ILoggingEvent::getFormattedMessage)
        .filter(m -> m.startsWith("journal: truncated a torn tail of "))
        .findFirst()
        .orElse(null);
  }

  @Test
  void writeBackStart_lastRecordCutAtEveryByte_truncatesAndWritesEveryCompleteRecordOnce()
      throws Exception {
    Path original = journal("every-cut-original", 1000);
    Path segment = segment(original);
    long size = Files.size(segment);
    long start = lastRecordStart(segment, 1000);
    int round = 1000; // four digits in every round: the records keep their sizes
    for (long cut = start; cut < size; cut++) {
      round++;
      // the same journal written for this round's rows, then cut at the same offset
      Path journal = journal("cut-" + cut, round);
      Path file = segment(journal);
      assertEquals(size, Files.size(file));
      truncate(file, cut);

      ListAppender<ILoggingEvent> log = recoveryLog();
      AppendWriteBack writeBack;
      try {
        writeBack =
            AppendWriteBack.start(
                WriteBackFixture.load(db.flags(journal, "cut-" + cut, Map.of())),
                db.owner,
                key -> -1); // append mappings only: no key routes to a row or kv mapping
      } finally {
        stopLogging(log);
      }
      try {
        long torn = cut - start;
        String logged = truncationLogged(log);
        if (torn == 0) {
          assertEquals(null, logged, "cut at a record boundary: nothing to truncate");
        } else {
          assertNotNull(logged, "no truncation logged for a cut at " + cut);
          assertTrue(
              logged.startsWith(
                  "journal: truncated a torn tail of "
                      + torn
                      + " bytes at offset "
                      + start
                      + " of "
                      + file),
              logged);
        }
        assertEquals(cut - torn, Files.size(file));
        assertEquals(RECORDS - 1, writeBack.journal().lastLsn(), "cut at " + cut);
        assertTrue(writeBack.flusher().flush(Duration.ofSeconds(10)), "flushed, cut at " + cut);
        assertEquals(once(COMPLETE), rows(round), "cut at " + cut);
      } finally {
        writeBack.close();
      }
    }
  }

  @Test
  void serverStart_lastRecordCut_startsTruncatesWritesCompleteRecordsOnceAndTakesNewRows()
      throws Exception {
    int round = 2000;
    Path probe = segment(journal("server-cut-probe", round));
    long size = Files.size(probe);
    long start = lastRecordStart(probe, round);
    // representative cuts: one byte of the record header, the whole header, half the payload,
    // everything but the last byte (every offset is covered through AppendWriteBack.start above)
    for (long cut : new long[] {start + 1, start + 17, (start + 17 + size) / 2, size - 1}) {
      round++;
      Path journal = journal("server-cut-" + cut, round);
      truncate(segment(journal), cut);
      ListAppender<ILoggingEvent> log = recoveryLog();
      SluiceServer server;
      try {
        server = db.server(journal, "server-cut-" + cut, Map.of());
      } finally {
        stopLogging(log);
      }
      try (server;
          Jedis jedis = new Jedis("127.0.0.1", server.port())) {
        String logged = truncationLogged(log);
        assertNotNull(logged, "no truncation logged for a cut at " + cut);
        assertTrue(logged.contains("torn tail of " + (cut - start) + " bytes"), logged);
        // the journal goes on after the last complete record
        StreamEntryID id =
            jedis.xadd(
                "ingest:crash",
                StreamEntryID.NEW_ENTRY,
                Map.of("seq", "7", "round", Integer.toString(round)));
        assertEquals(RECORDS, id.getSequence(), "the LSN after the last complete record");
        assertTrue(server.context().appends().flusher().flush(Duration.ofSeconds(10)));
        assertEquals(once(1, 2, 3, 4, 5, 7), rows(round), "cut at " + cut);
      }
      // a restart on the repaired journal writes nothing twice
      try (SluiceServer again = db.server(journal, "server-cut-" + cut, Map.of())) {
        assertTrue(again.context().appends().flusher().flush(Duration.ofSeconds(10)));
        assertEquals(once(1, 2, 3, 4, 5, 7), rows(round), "after a restart, cut at " + cut);
      }
    }
  }

  @Test
  void serverStart_flippedBitInAMiddleRecord_refusesNamingFileAndOffsetLikeJournalVerify()
      throws Exception {
    int round = 3000;
    Path journal = journal("flipped", round);
    Path file = segment(journal);
    long recordSize = JournalWriter.recordSize(payload(1, round).length);
    long third = 20 + 2 * recordSize; // after the 20-byte segment header and two records
    byte[] bytes = Files.readAllBytes(file);
    bytes[(int) (third + recordSize / 2)] ^= 0x04; // a bit in the middle of the third record
    Files.write(file, bytes);
    String where = file + " at byte offset " + third;

    CorruptJournalException e =
        assertThrows(
            CorruptJournalException.class, () -> db.server(journal, "flipped", Map.of()).close());
    assertTrue(e.getMessage().contains(where), e.getMessage());
    assertTrue(e.getMessage().contains("refusing to start"), e.getMessage());
    assertEquals(Map.of(), rows(round), "nothing of the damaged journal reached PostgreSQL");
    assertTrue(Arrays.equals(bytes, Files.readAllBytes(file)), "the refusal changed the file");

    // sluice journal verify, as an operator runs it
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("dev.sluice.cli.Main");
    command.add("journal");
    command.add("verify");
    command.add("--journal.dir");
    command.add(journal.toString());
    Process verify = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(verify.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(verify.waitFor(60, TimeUnit.SECONDS));
    assertEquals(1, verify.exitValue(), output);
    assertTrue(output.contains(where), output);
  }
}
