package dev.sluice.writeback.journal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalWriterTest {
  @TempDir Path dir;

  private JournalOptions options() {
    return JournalOptions.defaults(dir).withSegmentSize(1024);
  }

  private static byte[] payload(long i) {
    return ("record-" + i + "-" + "x".repeat((int) (i % 50))).getBytes(UTF_8);
  }

  private static long await(CompletableFuture<Long> f) throws Exception {
    return f.get(10, TimeUnit.SECONDS);
  }

  @Test
  void append_reopen_readsBackSameRecordsInOrderAcrossRollsAndRestarts() throws Exception {
    long expected = 1;
    for (int round = 0; round < 3; round++) {
      try (JournalWriter w = JournalWriter.open(options())) {
        assertEquals(expected - 1, w.lastLsn());
        for (int i = 0; i < 40; i++) {
          assertEquals(expected, await(w.append((byte) (expected % 7), payload(expected))));
          expected++;
        }
      }
    }
    List<JournalRecord> records = JournalReader.readAll(dir, 0);
    assertEquals(120, records.size());
    for (int i = 0; i < records.size(); i++) {
      JournalRecord r = records.get(i);
      assertEquals(i + 1, r.lsn());
      assertEquals((byte) ((i + 1) % 7), r.type());
      assertArrayEquals(payload(i + 1), r.payload());
    }
    assertTrue(SegmentScanner.segmentFiles(dir).size() > 3, "segments rolled");
    assertEquals(List.of(), JournalReader.readAll(dir, 120));
    assertEquals(20, JournalReader.readAll(dir, 100).size());
    assertEquals(101, JournalReader.readAll(dir, 100).get(0).lsn());
  }

  @Test
  void append_manyConcurrentAppenders_groupCommitForcesFewerTimesThanRecords() throws Exception {
    int threads = 8;
    int perThread = 250;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    long forces;
    try (JournalWriter w = JournalWriter.open(JournalOptions.defaults(dir))) {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<List<Long>>> results = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        results.add(
            pool.submit(
                () -> {
                  start.await();
                  List<CompletableFuture<Long>> futures = new ArrayList<>();
                  for (int i = 0; i < perThread; i++) {
                    futures.add(w.append((byte) thread, ("t" + thread + ":" + i).getBytes(UTF_8)));
                  }
                  List<Long> lsns = new ArrayList<>();
                  for (CompletableFuture<Long> f : futures) {
                    lsns.add(f.get(20, TimeUnit.SECONDS));
                  }
                  return lsns;
                }));
      }
      start.countDown();
      Set<Long> all = new HashSet<>();
      for (Future<List<Long>> r : results) {
        all.addAll(r.get(30, TimeUnit.SECONDS));
      }
      assertEquals(threads * perThread, all.size());
      // Every acknowledged LSN is durable by then.
      assertTrue(w.awaitDurable(threads * perThread, Duration.ZERO));
      forces = w.forceCount();
    } finally {
      pool.shutdownNow();
    }
    assertTrue(forces < threads * perThread, "forces " + forces + " < records");
    List<JournalRecord> records = JournalReader.readAll(dir, 0);
    assertEquals(threads * perThread, records.size());
    Set<String> payloads = new HashSet<>();
    for (JournalRecord r : records) {
      payloads.add(new String(r.payload(), UTF_8));
    }
    for (int t = 0; t < threads; t++) {
      for (int i = 0; i < perThread; i++) {
        assertTrue(payloads.contains("t" + t + ":" + i));
      }
    }
  }

  @Test
  void append_beyondBudget_failsFastWithJournalFull_untilMarkApplied() throws Exception {
    byte[] record = new byte[100 - JournalFormat.RECORD_HEADER_SIZE];
    JournalOptions opts = JournalOptions.defaults(dir).withSegmentSize(1000).withBudget(2000);
    try (JournalWriter w = JournalWriter.open(opts)) {
      long last = 0;
      for (int i = 0; i < 20; i++) {
        last = await(w.append((byte) 1, record));
      }
      JournalFullException full =
          assertThrows(JournalFullException.class, () -> w.append((byte) 1, record));
      assertEquals(
          "journal full: 2000 bytes pending of budget 2000; PostgreSQL flushing is behind or"
              + " paused",
          full.getMessage());
      assertEquals(20, w.lastLsn(), "nothing journaled for the refused append");
      int segmentsBefore = SegmentScanner.segmentFiles(dir).size();
      w.markApplied(last);
      assertEquals(0, w.pendingBytes());
      assertTrue(SegmentScanner.segmentFiles(dir).size() < segmentsBefore);
      for (int i = 0; i < 20; i++) {
        await(w.append((byte) 1, record));
      }
      assertThrows(JournalFullException.class, () -> w.append((byte) 1, record));
    }
    // What was not deleted still reads back contiguously, starting after the deleted segments.
    List<JournalRecord> left = JournalReader.readAll(dir, 0);
    assertEquals(40, left.get(left.size() - 1).lsn());
  }

  @Test
  void appendAll_groupAcrossSegmentRolls_oneRecordPerPayloadWithConsecutiveLsns() throws Exception {
    try (JournalWriter w = JournalWriter.open(options())) {
      assertEquals(1, await(w.append((byte) 1, payload(1))));
      byte[] types = new byte[60];
      byte[][] payloads = new byte[60][];
      for (int i = 0; i < 60; i++) {
        types[i] = (byte) ((i + 2) % 7);
        payloads[i] = payload(i + 2);
      }
      assertEquals(61, await(w.appendAll(types, payloads)), "the future gives the last LSN");
      assertEquals(61, w.lastLsn());
      assertEquals(62, await(w.append((byte) 3, payload(62))));
    }
    List<JournalRecord> records = JournalReader.readAll(dir, 0);
    assertEquals(62, records.size());
    assertTrue(SegmentScanner.segmentFiles(dir).size() > 2, "the group spans segment rolls");
    for (int i = 0; i < records.size(); i++) {
      JournalRecord r = records.get(i);
      assertEquals(i + 1, r.lsn());
      assertArrayEquals(payload(i + 1), r.payload());
      if (i > 0 && i < 61) {
        assertEquals((byte) ((i + 1) % 7), r.type());
      }
    }
  }

  @Test
  void appendAll_groupBeyondBudget_journalsNothingOfIt() throws Exception {
    byte[] record = new byte[100 - JournalFormat.RECORD_HEADER_SIZE];
    JournalOptions opts = JournalOptions.defaults(dir).withSegmentSize(1000).withBudget(2000);
    try (JournalWriter w = JournalWriter.open(opts)) {
      await(w.appendAll(new byte[] {1, 1, 1}, new byte[][] {record, record, record}));
      byte[] types = new byte[18];
      byte[][] payloads = new byte[18][];
      java.util.Arrays.fill(types, (byte) 1);
      java.util.Arrays.fill(payloads, record);
      assertThrows(JournalFullException.class, () -> w.appendAll(types, payloads));
      assertEquals(3, w.lastLsn(), "nothing of the refused group journaled");
      assertEquals(300, w.pendingBytes());
      assertEquals(20, await(w.appendAll(new byte[17], java.util.Arrays.copyOf(payloads, 17))));
    }
    assertEquals(20, JournalReader.readAll(dir, 0).size());
  }

  @Test
  void markApplied_deletesOnlySegmentsWhoseLastLsnIsApplied() throws Exception {
    byte[] record = new byte[100 - JournalFormat.RECORD_HEADER_SIZE];
    // 20-byte header + 9 records of 100 bytes per 1000-byte segment.
    JournalOptions opts = JournalOptions.defaults(dir).withSegmentSize(1000);
    try (JournalWriter w = JournalWriter.open(opts)) {
      for (int i = 0; i < 30; i++) {
        await(w.append((byte) 1, record));
      }
      List<Path> files = w.segmentFiles();
      assertEquals(4, files.size());
      w.markApplied(8); // the first segment holds 1..9
      assertTrue(Files.exists(files.get(0)));
      w.markApplied(9);
      assertFalse(Files.exists(files.get(0)));
      assertTrue(Files.exists(files.get(1)));
      w.markApplied(30); // everything, but the segment being written stays
      assertEquals(List.of(files.get(3)), w.segmentFiles());
      assertThrows(IllegalArgumentException.class, () -> w.markApplied(31));
    }
    try (JournalWriter w = JournalWriter.open(opts)) {
      assertEquals(30, w.lastLsn());
      assertEquals(31, await(w.append((byte) 1, record)));
    }
  }

  /**
   * Under an interval policy an append is acknowledged once written, before any force: with an
   * interval of an hour no force can come first, whatever the machine's load. Close forces.
   */
  @Test
  void intervalPolicy_acknowledgesBeforeAnyForce() throws Exception {
    JournalOptions opts =
        JournalOptions.defaults(dir).withFsync(FsyncPolicy.every(Duration.ofHours(1)));
    long lsn;
    try (JournalWriter w = JournalWriter.open(opts)) {
      lsn = await(w.append((byte) 1, payload(1)));
      assertEquals(0, w.forceCount(), "acknowledged before any force");
      assertFalse(w.awaitDurable(lsn, Duration.ZERO), "not durable yet");
      w.close();
      assertEquals(1, w.forceCount(), "close forces what is written");
      assertTrue(w.awaitDurable(lsn, Duration.ZERO));
    }
    assertEquals(1, JournalReader.readAll(dir, 0).size());
  }

  /**
   * Under an interval policy the writer forces once the interval has passed since the first
   * unforced write, not at once. Only the lower bound is timed (a slow machine only makes it
   * later); the force itself is awaited with a generous bound.
   */
  @Test
  void intervalPolicy_forcesOnceTheIntervalHasPassed() throws Exception {
    Duration interval = Duration.ofMillis(300);
    JournalOptions opts = JournalOptions.defaults(dir).withFsync(FsyncPolicy.every(interval));
    try (JournalWriter w = JournalWriter.open(opts)) {
      long started = System.nanoTime();
      long lsn = await(w.append((byte) 1, payload(1)));
      assertTrue(w.awaitDurable(lsn, Duration.ofSeconds(30)), "forced within 30 s");
      long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
      assertEquals(1, w.forceCount());
      assertTrue(
          waited >= interval.toMillis(),
          "forced after the " + interval.toMillis() + " ms interval, not at once: " + waited);
    }
  }

  @Test
  void append_afterClose_isRefused() {
    JournalWriter w = JournalWriter.open(options());
    w.close();
    assertThrows(JournalException.class, () -> w.append((byte) 1, payload(1)));
  }
}
