package dev.sluice.writeback.journal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The journal's LSNs across replicated nodes: a replica appends with its primary's LSNs, a full
 * resync restarts the journal, a promoted replica skips LSNs its old primary used.
 */
class JournalLsnTest {
  @TempDir Path dir;

  private JournalOptions options() {
    return JournalOptions.defaults(dir).withSegmentSize(1024);
  }

  private static byte[][] payloads(String... texts) {
    byte[][] out = new byte[texts.length][];
    for (int i = 0; i < texts.length; i++) {
      out[i] = texts[i].getBytes(UTF_8);
    }
    return out;
  }

  private static long await(CompletableFuture<Long> f) throws Exception {
    return f.get(10, TimeUnit.SECONDS);
  }

  @Test
  void appendAt_heldAndNewRecords_skipsTheHeldAppendsTheRest() throws Exception {
    try (JournalWriter w = JournalWriter.open(options())) {
      assertEquals(2, await(w.appendAt(1, new byte[] {1, 1}, payloads("a", "b"))));
      assertNull(w.appendAt(1, new byte[] {1, 1}, payloads("a", "b")), "all held");
      assertEquals(4, await(w.appendAt(2, new byte[] {1, 1, 1}, payloads("b", "c", "d"))));
    }
    List<JournalRecord> records = JournalReader.readAll(dir, 0);
    assertEquals(4, records.size());
    assertArrayEquals("d".getBytes(UTF_8), records.get(3).payload());
  }

  @Test
  void appendAt_gapAfterTheLastLsn_refusedNamingTheMissingRecords() throws Exception {
    try (JournalWriter w = JournalWriter.open(options())) {
      await(w.appendAt(1, new byte[] {1}, payloads("a")));
      JournalException refused =
          assertThrows(JournalException.class, () -> w.appendAt(4, new byte[] {1}, payloads("d")));
      assertTrue(
          refused.getMessage().contains("ends at LSN 1, records 2..3 are missing"),
          refused.getMessage());
      assertEquals(1, w.lastLsn());
    }
  }

  @Test
  void reset_recordsHeld_journalContinuesEmptyAtTheLsnAcrossRestarts() throws Exception {
    try (JournalWriter w = JournalWriter.open(options())) {
      for (int i = 0; i < 60; i++) {
        w.append((byte) 1, ("old-" + i).getBytes(UTF_8));
      }
      w.reset(500);
      assertEquals(500, await(w.appendAt(500, new byte[] {1}, payloads("new"))));
    }
    try (JournalWriter w = JournalWriter.open(options())) {
      assertEquals(500, w.lastLsn());
    }
    List<JournalRecord> records = JournalReader.readAll(dir, 0);
    assertEquals(1, records.size(), "the old records are gone");
    assertEquals(500, records.get(0).lsn());
  }

  @Test
  void skipTo_unappliedRecords_fillsTheLsnsInBetweenWithFillers() throws Exception {
    try (JournalWriter w = JournalWriter.open(options())) {
      await(w.append((byte) 1, "a".getBytes(UTF_8)));
      JournalWriter.Filled filled = w.skipTo(5);
      assertEquals(2, filled.firstLsn());
      assertEquals(4, await(filled.durable()));
      assertEquals(5, await(w.append((byte) 1, "e".getBytes(UTF_8))));
    }
    List<JournalRecord> records = JournalReader.readAll(dir, 0);
    assertEquals(5, records.size());
    for (int i = 1; i < 4; i++) {
      assertEquals(JournalWriter.FILLER, records.get(i).type());
      assertEquals(0, records.get(i).payload().length);
    }
  }

  @Test
  void skipTo_everythingApplied_restartsEmptyAtTheLsn() throws Exception {
    try (JournalWriter w = JournalWriter.open(options())) {
      await(w.append((byte) 1, "a".getBytes(UTF_8)));
      w.markApplied(1);
      assertNull(w.skipTo(10));
      assertEquals(9, w.lastLsn());
      assertEquals(10, await(w.append((byte) 1, "j".getBytes(UTF_8))));
    }
    List<JournalRecord> records = JournalReader.readAll(dir, 0);
    assertEquals(1, records.size());
    assertEquals(10, records.get(0).lsn());
  }
}
