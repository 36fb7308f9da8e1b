package dev.sluice.writeback.journal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalRecoveryTest {
  @TempDir Path tmp;

  private static byte[] payload(long i) {
    return ("payload of record " + i).getBytes(UTF_8);
  }

  /** Writes {@code n} records (segment size {@code segmentSize}) and returns the directory. */
  private Path journal(String name, int n, long segmentSize) throws Exception {
    Path dir = tmp.resolve(name);
    try (JournalWriter w =
        JournalWriter.open(JournalOptions.defaults(dir).withSegmentSize(segmentSize))) {
      for (int i = 1; i <= n; i++) {
        w.append((byte) 2, payload(i)).get(10, TimeUnit.SECONDS);
      }
    }
    return dir;
  }

  private static Path copy(Path from, Path to) throws IOException {
    Files.createDirectories(to);
    try (Stream<Path> files = Files.list(from)) {
      for (Path f : files.toList()) {
        Files.copy(f, to.resolve(f.getFileName()));
      }
    }
    return to;
  }

  private static Path lastSegment(Path dir) throws IOException {
    List<Path> files = SegmentScanner.segmentFiles(dir);
    return files.get(files.size() - 1);
  }

  private static void truncate(Path file, long size) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.truncate(size);
    }
  }

  private static void flipBit(Path file, long offset) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    bytes[(int) offset] ^= 0x10;
    Files.write(file, bytes);
  }

  @Test
  void recover_cutAtEveryByteOfTheLastRecord_keepsTheOthersAndTruncatesTheRest() throws Exception {
    int n = 5;
    Path original = journal("original", n, 1 << 20);
    Path segment = lastSegment(original);
    long size = Files.size(segment);
    long lastRecordStart = size - JournalFormat.recordSize(payload(n).length);
    for (long cut = lastRecordStart; cut < size; cut++) {
      Path dir = copy(original, tmp.resolve("cut-" + cut));
      Path file = dir.resolve(segment.getFileName());
      truncate(file, cut);

      JournalVerifier.Verdict verdict = JournalVerifier.verify(dir);
      long torn = cut - lastRecordStart;
      if (torn == 0) {
        assertEquals(JournalVerifier.Status.OK, verdict.status(), "cut at " + cut);
      } else {
        assertEquals(JournalVerifier.Status.TORN_TAIL, verdict.status(), "cut at " + cut);
        assertEquals(torn, verdict.bytes());
      }

      JournalReader.Recovery recovery = JournalReader.recover(dir);
      assertEquals(torn, recovery.truncatedBytes(), "cut at " + cut);
      assertEquals(torn > 0, recovery.truncated());
      assertEquals(n - 1, recovery.lastLsn());
      assertEquals(lastRecordStart, Files.size(file));
      List<JournalRecord> records = JournalReader.readAll(dir, 0);
      assertEquals(n - 1, records.size());
      for (int i = 0; i < n - 1; i++) {
        assertEquals(i + 1, records.get(i).lsn());
        assertArrayEquals(payload(i + 1), records.get(i).payload());
      }
      // The journal continues at the LSN after the last intact record.
      try (JournalWriter w = JournalWriter.open(JournalOptions.defaults(dir))) {
        assertEquals(n, w.append((byte) 2, payload(n)).get(10, TimeUnit.SECONDS));
      }
      assertEquals(n, JournalReader.readAll(dir, 0).size());
    }
  }

  @Test
  void recover_flippedBitInAMiddleRecord_refusesWithFileAndOffset() throws Exception {
    Path dir = journal("flip", 10, 1 << 20);
    Path file = lastSegment(dir);
    long recordSize = JournalFormat.recordSize(payload(1).length); // records 1..9 same size
    long fourth = JournalFormat.HEADER_SIZE + 3 * recordSize;
    long sizeBefore = Files.size(file);
    flipBit(file, fourth + JournalFormat.RECORD_HEADER_SIZE + 3);

    CorruptJournalException e =
        assertThrows(CorruptJournalException.class, () -> JournalReader.recover(dir));
    assertEquals(file, e.file());
    assertEquals(fourth, e.offset());
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("offset " + fourth), e.getMessage());
    assertThrows(
        CorruptJournalException.class, () -> JournalWriter.open(JournalOptions.defaults(dir)));
    JournalVerifier.Verdict verdict = JournalVerifier.verify(dir);
    assertEquals(JournalVerifier.Status.CORRUPT, verdict.status());
    assertEquals(fourth, verdict.offset());
    assertEquals(file, verdict.file());
    // Nothing was truncated by the refusal.
    assertEquals(sizeBefore, Files.size(file));
  }

  @Test
  void recover_flippedBitInTheLengthOfAMiddleRecord_refuses() throws Exception {
    Path dir = journal("length", 10, 1 << 20);
    Path file = lastSegment(dir);
    long recordSize = JournalFormat.recordSize(payload(1).length);
    long third = JournalFormat.HEADER_SIZE + 2 * recordSize;
    byte[] bytes = Files.readAllBytes(file);
    bytes[(int) third] = 0x7f; // a huge length
    Files.write(file, bytes);
    CorruptJournalException e =
        assertThrows(CorruptJournalException.class, () -> JournalReader.recover(dir));
    assertEquals(third, e.offset());
  }

  @Test
  void recover_flippedBitInAnEarlierSegment_refuses() throws Exception {
    Path dir = journal("earlier", 30, 300);
    List<Path> files = SegmentScanner.segmentFiles(dir);
    assertTrue(files.size() > 2);
    Path first = files.get(0);
    flipBit(first, Files.size(first) - 2); // the last record of a closed segment
    CorruptJournalException e =
        assertThrows(CorruptJournalException.class, () -> JournalReader.recover(dir));
    assertEquals(first, e.file());
  }

  @Test
  void recover_corruptSegmentHeader_isRefusedNamingTheFile() throws Exception {
    Path dir = journal("header", 30, 300);
    Path second = SegmentScanner.segmentFiles(dir).get(1);
    flipBit(second, 1);
    CorruptJournalException e =
        assertThrows(CorruptJournalException.class, () -> JournalReader.recover(dir));
    assertEquals(second, e.file());
    assertEquals(0, e.offset());
    assertTrue(e.getMessage().contains(second.getFileName().toString()), e.getMessage());
  }

  @Test
  void recover_lsnGapBetweenSegments_isRefused() throws Exception {
    Path dir = journal("gap", 30, 300);
    List<Path> files = SegmentScanner.segmentFiles(dir);
    assertTrue(files.size() > 2);
    Files.delete(files.get(1));
    CorruptJournalException e =
        assertThrows(CorruptJournalException.class, () -> JournalReader.recover(dir));
    assertEquals(files.get(2), e.file());
    assertTrue(e.getMessage().contains("LSN gap"), e.getMessage());
  }

  @Test
  void recover_lastSegmentWithATornHeader_isRemoved() throws Exception {
    Path dir = journal("tornheader", 5, 1 << 20);
    Path next = dir.resolve(JournalFormat.fileName(6));
    Files.write(next, new byte[] {0x53, 0x4C, 0x4A});
    JournalReader.Recovery recovery = JournalReader.recover(dir);
    assertEquals(3, recovery.truncatedBytes());
    assertTrue(Files.notExists(next));
    assertEquals(5, recovery.lastLsn());
  }

  @Test
  void stats_summariseSegmentsRecordsBytesAndLsns() throws Exception {
    Path dir = journal("stats", 30, 300);
    JournalVerifier.Stats stats = JournalVerifier.stats(dir);
    List<Path> files = SegmentScanner.segmentFiles(dir);
    long bytes = 0;
    for (Path f : files) {
      bytes += Files.size(f);
    }
    assertEquals(new JournalVerifier.Stats(files.size(), 30, bytes, 1, 30), stats);
    assertEquals(
        new JournalVerifier.Stats(0, 0, 0, 0, 0), JournalVerifier.stats(tmp.resolve("none")));
  }
}
