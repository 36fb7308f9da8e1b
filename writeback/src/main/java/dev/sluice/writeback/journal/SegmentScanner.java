package dev.sluice.writeback.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads and validates the segments of a journal directory, never changing them: headers, lengths,
 * CRC-32C and contiguous LSNs. A bad record at the end of the last segment that no valid record
 * follows is a torn tail (reported, for the caller to truncate); any other damage is a {@link
 * CorruptJournalException}. Records are handed to the visitor only after their CRC matched.
 */
final class SegmentScanner {
  private SegmentScanner() {}

  /** Receives each valid record with the offset of its first byte in its segment. */
  interface Visitor {
    void record(Path segment, long offset, JournalRecord record);
  }

  /** A segment as found: first and last LSN (last = first - 1 when empty), valid end. */
  record SegmentInfo(Path path, long firstLsn, long lastLsn, long records, long validEnd) {}

  /** The damage at the end of the last segment, to cut at {@code offset}. */
  record TornTail(Path path, long offset, long bytes, String reason) {}

  record Result(List<SegmentInfo> segments, TornTail tornTail) {
    long records() {
      return segments.stream().mapToLong(SegmentInfo::records).sum();
    }
  }

  static List<Path> segmentFiles(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .filter(p -> JournalFormat.lsnOfName(p) >= 0 && Files.isRegularFile(p))
          .sorted(Comparator.comparingLong(JournalFormat::lsnOfName))
          .toList();
    }
  }

  /**
   * Scans every segment. With {@code skipBelow} > 0 segments whose successor starts at or below
   * {@code skipBelow} are not read (replay of what is already applied); pass 0 to validate all.
   */
  static Result scan(Path dir, Visitor visitor, long skipBelow) throws IOException {
    List<Path> files = segmentFiles(dir);
    List<SegmentInfo> infos = new ArrayList<>();
    TornTail torn = null;
    long expectedFirst = -1;
    for (int i = 0; i < files.size(); i++) {
      Path file = files.get(i);
      boolean last = i == files.size() - 1;
      if (!last && skipBelow > 0 && JournalFormat.lsnOfName(files.get(i + 1)) <= skipBelow) {
        long first = JournalFormat.lsnOfName(file);
        long next = JournalFormat.lsnOfName(files.get(i + 1));
        infos.add(new SegmentInfo(file, first, next - 1, next - first, Files.size(file)));
        expectedFirst = next;
        continue;
      }
      try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
        Outcome outcome = scanSegment(file, ch, last, expectedFirst, visitor);
        torn = outcome.torn();
        if (outcome.info() != null) {
          infos.add(outcome.info());
          expectedFirst = outcome.info().lastLsn() + 1;
        }
      }
    }
    return new Result(List.copyOf(infos), torn);
  }

  /** What one segment holds (null when its header is torn) and its torn tail, if any. */
  private record Outcome(SegmentInfo info, TornTail torn) {}

  private static Outcome scanSegment(
      Path file, FileChannel ch, boolean last, long expectedFirst, Visitor visitor)
      throws IOException {
    long size = ch.size();
    Window in = new Window(ch, size);
    if (size < JournalFormat.HEADER_SIZE) {
      if (last) {
        return new Outcome(null, new TornTail(file, 0, size, "incomplete segment header"));
      }
      throw new CorruptJournalException(file, 0, "incomplete segment header (" + size + " bytes)");
    }
    ByteBuffer h = ByteBuffer.wrap(in.read(0, JournalFormat.HEADER_SIZE));
    int magic = h.getInt();
    short version = h.getShort();
    h.getShort();
    long firstLsn = h.getLong();
    int headerCrc = h.getInt();
    java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
    crc.update(h.array(), 0, 16);
    if (magic != JournalFormat.MAGIC || (int) crc.getValue() != headerCrc) {
      if (last && in.allZero(0)) {
        return new Outcome(null, new TornTail(file, 0, size, "segment never written (zeros)"));
      }
      throw new CorruptJournalException(
          file,
          0,
          magic != JournalFormat.MAGIC
              ? "bad segment header (not a Sluice journal segment)"
              : "bad segment header (CRC mismatch)");
    }
    if (version != JournalFormat.VERSION) {
      throw new CorruptJournalException(
          file, 4, "unsupported journal format version " + version + " (this Sluice reads 1)");
    }
    if (firstLsn != JournalFormat.lsnOfName(file)) {
      throw new CorruptJournalException(
          file, 8, "segment header says first LSN " + firstLsn + " but the file name disagrees");
    }
    if (expectedFirst >= 0 && firstLsn != expectedFirst) {
      throw new CorruptJournalException(
          file,
          8,
          "LSN gap: expected the segment to start at LSN "
              + expectedFirst
              + ", it starts at "
              + firstLsn);
    }
    long pos = JournalFormat.HEADER_SIZE;
    long expected = firstLsn;
    while (pos < size) {
      String problem = null;
      long remaining = size - pos;
      int length = -1;
      if (remaining < JournalFormat.RECORD_HEADER_SIZE) {
        problem = "incomplete record header";
      } else {
        ByteBuffer rh = ByteBuffer.wrap(in.read(pos, JournalFormat.RECORD_HEADER_SIZE));
        length = rh.getInt();
        int storedCrc = rh.getInt();
        long lsn = rh.getLong();
        byte type = rh.get();
        if (length < 0 || length > JournalFormat.MAX_PAYLOAD) {
          problem = "record length " + length + " out of bounds";
        } else if (remaining < JournalFormat.recordSize(length)) {
          problem = "incomplete record (" + remaining + " of " + (17L + length) + " bytes)";
        } else {
          byte[] payload = in.read(pos + JournalFormat.RECORD_HEADER_SIZE, length);
          if (JournalFormat.recordCrc(lsn, type, payload, 0, length) != storedCrc) {
            problem = "CRC-32C mismatch";
          } else if (lsn != expected) {
            throw new CorruptJournalException(
                file, pos, "LSN out of order: expected " + expected + ", found " + lsn);
          } else {
            visitor.record(file, pos, new JournalRecord(lsn, type, payload));
            expected++;
            pos += JournalFormat.recordSize(length);
            continue;
          }
        }
      }
      if (!last) {
        throw new CorruptJournalException(file, pos, problem);
      }
      long follower = validRecordAfter(in, pos, expected);
      if (follower >= 0) {
        throw new CorruptJournalException(
            file, pos, problem + ", followed by a valid record at offset " + follower);
      }
      return new Outcome(
          new SegmentInfo(file, firstLsn, expected - 1, expected - firstLsn, pos),
          new TornTail(file, pos, size - pos, problem));
    }
    return new Outcome(
        new SegmentInfo(file, firstLsn, expected - 1, expected - firstLsn, size), null);
  }

  /** The offset of a valid record (correct CRC, a later LSN) after {@code from}, or -1. */
  private static long validRecordAfter(Window in, long from, long expected) throws IOException {
    long size = in.size;
    long maxLsn = expected + (size - from) / JournalFormat.RECORD_HEADER_SIZE + 1;
    for (long q = from + 1; q + JournalFormat.RECORD_HEADER_SIZE <= size; q++) {
      ByteBuffer rh = ByteBuffer.wrap(in.read(q, JournalFormat.RECORD_HEADER_SIZE));
      int length = rh.getInt();
      int storedCrc = rh.getInt();
      long lsn = rh.getLong();
      byte type = rh.get();
      if (length < 0
          || length > JournalFormat.MAX_PAYLOAD
          || q + JournalFormat.recordSize(length) > size
          || lsn < expected
          || lsn > maxLsn) {
        continue;
      }
      byte[] payload = in.read(q + JournalFormat.RECORD_HEADER_SIZE, length);
      if (JournalFormat.recordCrc(lsn, type, payload, 0, length) == storedCrc) {
        return q;
      }
    }
    return -1;
  }

  /** Positional reads through a 1 MiB read-ahead window. */
  private static final class Window {
    private static final int CAPACITY = 1 << 20;
    private final FileChannel ch;
    private final long size;
    private final ByteBuffer buf = ByteBuffer.allocate(CAPACITY);
    private long start = 0;
    private int filled = 0;

    Window(FileChannel ch, long size) {
      this.ch = ch;
      this.size = size;
    }

    byte[] read(long pos, int len) throws IOException {
      byte[] out = new byte[len];
      if (len > CAPACITY) {
        readFully(ByteBuffer.wrap(out), pos);
        return out;
      }
      if (pos < start || pos + len > start + filled) {
        buf.clear();
        start = pos;
        buf.limit((int) Math.min(CAPACITY, size - pos));
        readFully(buf, pos);
        filled = buf.position();
      }
      System.arraycopy(buf.array(), (int) (pos - start), out, 0, len);
      return out;
    }

    private void readFully(ByteBuffer dst, long pos) throws IOException {
      while (dst.hasRemaining()) {
        int n = ch.read(dst, pos + dst.position());
        if (n < 0) {
          throw new IOException("unexpected end of file");
        }
      }
    }

    boolean allZero(long from) throws IOException {
      for (long p = from; p < size; p += CAPACITY) {
        int n = (int) Math.min(CAPACITY, size - p);
        for (byte b : read(p, n)) {
          if (b != 0) {
            return false;
          }
        }
      }
      return true;
    }
  }
}
