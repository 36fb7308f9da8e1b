package dev.sluice.writeback.journal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The journal's segment files in LSN order, each with the LSNs it holds, for {@link JournalWriter}:
 * the writer thread extends the last one and adds new ones; {@link JournalWriter#markApplied}
 * deletes the closed ones whose records are all applied. Thread-safe (its own lock).
 */
final class SegmentList {
  private static final Logger LOG = LoggerFactory.getLogger(SegmentList.class);

  /** A segment on disk; {@code lastLsn} changes only while it is the one being written. */
  private static final class Segment {
    final Path path;
    final long firstLsn;
    long lastLsn;

    Segment(Path path, long firstLsn, long lastLsn) {
      this.path = path;
      this.firstLsn = firstLsn;
      this.lastLsn = lastLsn;
    }
  }

  private final Path dir;
  private final Deque<Segment> segments = new ArrayDeque<>();

  /**
   * The segments of {@code dir}, as recovery left them: each ends where the next begins, the last
   * at {@code lastLsn}.
   */
  SegmentList(Path dir, long lastLsn) throws IOException {
    this.dir = dir;
    Segment previous = null;
    for (Path file : SegmentScanner.segmentFiles(dir)) {
      Segment s = new Segment(file, JournalFormat.lsnOfName(file), 0);
      if (previous != null) {
        previous.lastLsn = s.firstLsn - 1;
      }
      segments.add(s);
      previous = s;
    }
    if (previous != null) {
      previous.lastLsn = lastLsn;
    }
  }

  /** The segment being written, or null when there is none yet. */
  synchronized Path last() {
    return segments.isEmpty() ? null : segments.peekLast().path;
  }

  synchronized List<Path> files() {
    return segments.stream().map(s -> s.path).toList();
  }

  /** The last segment now holds records up to {@code lsn}. */
  synchronized void extendLast(long lsn) {
    segments.peekLast().lastLsn = lsn;
  }

  /** A new segment from {@code firstLsn}: the previous one ends before it. */
  synchronized void rolled(Path path, long firstLsn) {
    if (!segments.isEmpty()) {
      segments.peekLast().lastLsn = firstLsn - 1;
    }
    segments.addLast(new Segment(path, firstLsn, firstLsn - 1));
  }

  /** Deletes the closed segments whose last LSN is at or below {@code lsn}. */
  void deleteApplied(long lsn) {
    boolean deleted = false;
    synchronized (this) {
      while (segments.size() > 1 && segments.peekFirst().lastLsn <= lsn) {
        Segment s = segments.pollFirst();
        try {
          Files.deleteIfExists(s.path);
          deleted = true;
        } catch (IOException e) {
          LOG.warn("journal: cannot delete applied segment {}: {}", s.path, e.toString());
        }
      }
    }
    if (deleted) {
      SegmentAppender.forceDirectory(dir);
    }
  }

  /** Deletes every segment (the appender closed the last one). */
  void deleteAll() throws IOException {
    synchronized (this) {
      for (Segment s : segments) {
        Files.deleteIfExists(s.path);
      }
      segments.clear();
    }
    SegmentAppender.forceDirectory(dir);
  }
}
