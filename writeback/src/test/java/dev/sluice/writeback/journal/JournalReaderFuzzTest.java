package dev.sluice.writeback.journal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * Fuzz target for journal recovery ({@link JournalReader#recover}): a segment of records made from
 * the fuzzer's bytes is damaged the ways a disk or a crash damages files, then recovered. Whatever
 * the damage, no record is handed out whose CRC-32C (recomputed here, independently of the reader)
 * does not match, and handed-out records are the ones written, in order. A cut (a crash while
 * appending) is always a torn tail that recovery trims, never "corruption"; a changed byte in a
 * record that another record follows is always corruption, never silently trimmed away.
 */
class JournalReaderFuzzTest {
  static {
    // recovery warns about every torn tail it trims: thousands a second here
    ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(JournalReader.class))
        .setLevel(ch.qos.logback.classic.Level.ERROR);
  }

  private static final Path DIR = tempDir();
  private static final String SEGMENT = JournalFormat.fileName(1);

  private enum Damage {
    NONE,
    CUT,
    FLIP,
    APPEND
  }

  private record Written(long offset, byte type, byte[] payload) {}

  @FuzzTest
  void recover_damagedSegment_neverReturnsBadRecordAndTellsTornTailFromCorruption(
      FuzzedDataProvider data) throws IOException {
    Damage damage = data.pickValue(Damage.values());
    int count = data.consumeInt(0, 8);
    ByteArrayOutputStream segment = new ByteArrayOutputStream();
    segment.writeBytes(JournalFormat.header(1).array());
    List<Written> written = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      byte type = data.consumeByte();
      byte[] payload = data.consumeBytes(data.consumeInt(0, 48));
      written.add(new Written(segment.size(), type, payload));
      segment.writeBytes(record(i + 1, type, payload));
    }
    byte[] original = segment.toByteArray();
    byte[] file = damage(damage, original, data);
    reset(file);

    List<long[]> offsets = new ArrayList<>();
    List<JournalRecord> returned = new ArrayList<>();
    CorruptJournalException corrupt = null;
    try {
      JournalReader.recover(
          DIR,
          (path, offset, record) -> {
            offsets.add(new long[] {offset});
            returned.add(record);
          });
    } catch (CorruptJournalException e) {
      corrupt = e;
    }

    for (int i = 0; i < returned.size(); i++) {
      JournalRecord record = returned.get(i);
      long offset = offsets.get(i)[0];
      assertEquals(i + 1, record.lsn(), "records come in LSN order from 1");
      assertTrue(crcMatches(file, (int) offset, record), "returned record has a matching CRC");
      if (i < written.size() && offset == written.get(i).offset()) {
        assertEquals(written.get(i).type(), record.type());
        assertArrayEquals(written.get(i).payload(), record.payload());
      } else {
        assertTrue(offset >= original.length, "only appended bytes may hold other records");
      }
    }
    switch (damage) {
      case NONE -> {
        assertEquals(null, corrupt, "an intact segment is not corrupt");
        assertEquals(count, returned.size());
      }
      case CUT -> {
        assertEquals(null, corrupt, "a cut segment has a torn tail, not corruption");
        long complete = written.stream().filter(w -> end(w) <= file.length).count();
        assertEquals(complete, returned.size(), "every record before the cut survives");
      }
      case FLIP -> {
        int at = firstDifference(original, file);
        int hit = recordAt(written, at);
        if (at < JournalFormat.HEADER_SIZE || (hit >= 0 && hit < written.size() - 1)) {
          if (corrupt == null) {
            fail("a changed byte at " + at + " with a record after it must be corruption");
          }
        } else if (hit == written.size() - 1) {
          assertEquals(null, corrupt, "damage in the last record is a torn tail");
          assertEquals(written.size() - 1, returned.size());
        }
      }
      case APPEND -> {
        if (corrupt == null) {
          assertTrue(returned.size() >= count, "appended bytes never cost a written record");
        }
      }
    }
  }

  private static byte[] damage(Damage damage, byte[] original, FuzzedDataProvider data) {
    return switch (damage) {
      case NONE -> original;
      case CUT -> java.util.Arrays.copyOf(original, data.consumeInt(0, original.length - 1));
      case FLIP -> {
        byte[] copy = original.clone();
        int at = data.consumeInt(0, original.length - 1);
        copy[at] ^= (byte) (data.consumeInt(1, 255));
        yield copy;
      }
      case APPEND -> {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(original);
        out.writeBytes(data.consumeBytes(data.consumeInt(1, 96)));
        yield out.toByteArray();
      }
    };
  }

  private static long end(Written w) {
    return w.offset() + JournalFormat.recordSize(w.payload().length);
  }

  /** The index of the written record holding byte {@code at}, or -1 (header, or none). */
  private static int recordAt(List<Written> written, int at) {
    for (int i = 0; i < written.size(); i++) {
      if (at >= written.get(i).offset() && at < end(written.get(i))) {
        return i;
      }
    }
    return -1;
  }

  private static int firstDifference(byte[] a, byte[] b) {
    for (int i = 0; i < a.length; i++) {
      if (a[i] != b[i]) {
        return i;
      }
    }
    return -1;
  }

  /** The record's bytes as the format describes them, encoded here rather than by the writer. */
  private static byte[] record(long lsn, byte type, byte[] payload) {
    ByteBuffer b = ByteBuffer.allocate(JournalFormat.RECORD_HEADER_SIZE + payload.length);
    b.putInt(payload.length).putInt(crc(lsn, type, payload)).putLong(lsn).put(type).put(payload);
    return b.array();
  }

  private static int crc(long lsn, byte type, byte[] payload) {
    CRC32C crc = new CRC32C();
    crc.update(ByteBuffer.allocate(9).putLong(lsn).put(type).array());
    crc.update(payload);
    return (int) crc.getValue();
  }

  /** Whether the bytes at {@code offset} are exactly this record with its CRC-32C. */
  private static boolean crcMatches(byte[] file, int offset, JournalRecord record) {
    ByteBuffer b = ByteBuffer.wrap(file, offset, file.length - offset);
    int length = b.getInt();
    int stored = b.getInt();
    long lsn = b.getLong();
    byte type = b.get();
    byte[] payload = new byte[length];
    b.get(payload);
    return length == record.payload().length
        && lsn == record.lsn()
        && type == record.type()
        && java.util.Arrays.equals(payload, record.payload())
        && stored == crc(lsn, type, payload);
  }

  private static void reset(byte[] segment) throws IOException {
    try (Stream<Path> files = Files.list(DIR)) {
      for (Path f : files.toList()) {
        Files.delete(f);
      }
    }
    Files.write(DIR.resolve(SEGMENT), segment);
  }

  private static Path tempDir() {
    try {
      // in memory where the machine has it: recovery forces the file it trims
      Path shm = Path.of("/dev/shm");
      Path dir =
          Files.isDirectory(shm) && Files.isWritable(shm)
              ? Files.createTempDirectory(shm, "journal-fuzz")
              : Files.createTempDirectory("journal-fuzz");
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    try {
                      reset(new byte[0]);
                      Files.deleteIfExists(dir.resolve(SEGMENT));
                      Files.deleteIfExists(dir);
                    } catch (IOException e) {
                      // a temporary directory left behind
                    }
                  }));
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
