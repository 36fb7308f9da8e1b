package dev.sluice.writeback.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32C;

/**
 * The file side of {@link JournalWriter}'s writer thread: encodes records into segment files in the
 * format the writer's Javadoc describes, through one direct buffer, closes a segment (forced) and
 * starts the next when a record would take it past the segment size, and forces on request. Used by
 * the writer thread only, except the force counters, which are read from anywhere.
 */
final class SegmentAppender implements AutoCloseable {
  private static final int WRITE_BUFFER = 1 << 20;

  /** Told of each new segment, once its header is written and before the directory is forced. */
  interface RollListener {
    void rolled(Path segment, long firstLsn);
  }

  private final Path dir;
  private final long segmentSize;
  private final RollListener rollListener;
  private final AtomicLong forces = new AtomicLong();
  private final AtomicLong forceNanos = new AtomicLong();
  private final ByteBuffer buffer = ByteBuffer.allocateDirect(WRITE_BUFFER);
  private final ByteBuffer crcView = buffer.duplicate(); // the same bytes, its own position
  private final CRC32C crc = new CRC32C();
  private FileChannel channel;
  private long channelSize;

  SegmentAppender(Path dir, long segmentSize, RollListener rollListener) {
    this.dir = dir;
    this.segmentSize = segmentSize;
    this.rollListener = rollListener;
  }

  /** Continues the last segment that recovery left, appending at its end. */
  void resume(Path segment) throws IOException {
    channel = FileChannel.open(segment, StandardOpenOption.WRITE);
    channelSize = channel.size();
    channel.position(channelSize);
  }

  /** Buffers one record, first starting a new segment when this one has no room for it. */
  void append(long lsn, byte type, byte[] payload) throws IOException {
    long size = JournalFormat.recordSize(payload.length);
    long buffered = buffer.position();
    if (channel == null
        || (channelSize + buffered + size > segmentSize
            && channelSize + buffered > JournalFormat.HEADER_SIZE)) {
      roll(lsn);
    }
    if (buffer.remaining() < size) {
      flush();
    }
    if (buffer.remaining() >= size) {
      // the CRC covers lsn, type and payload, which lie together in the buffer: computed there,
      // without a copy of the header bytes, then written into its place
      int start = buffer.position();
      buffer.putInt(payload.length).putInt(0).putLong(lsn).put(type).put(payload);
      crc.reset();
      crc.update(crcView.limit(buffer.position()).position(start + 8));
      buffer.putInt(start + 4, (int) crc.getValue());
    } else {
      int crc = JournalFormat.recordCrc(lsn, type, payload, 0, payload.length);
      ByteBuffer head = ByteBuffer.allocate(JournalFormat.RECORD_HEADER_SIZE);
      head.putInt(payload.length).putInt(crc).putLong(lsn).put(type).flip();
      writeFully(head);
      writeFully(ByteBuffer.wrap(payload));
    }
  }

  private void roll(long firstLsn) throws IOException {
    if (channel != null) {
      flush();
      force();
      channel.close();
    }
    Path path = dir.resolve(JournalFormat.fileName(firstLsn));
    channel =
        FileChannel.open(
            path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, StandardOpenOption.READ);
    channelSize = 0;
    writeFully(JournalFormat.header(firstLsn));
    rollListener.rolled(path, firstLsn);
    forceDirectory(dir);
  }

  /** Writes what is buffered to the segment. */
  void flush() throws IOException {
    buffer.flip();
    writeFully(buffer);
    buffer.clear();
  }

  private void writeFully(ByteBuffer b) throws IOException {
    while (b.hasRemaining()) {
      channelSize += channel.write(b);
    }
  }

  /** Forces what was written to the segment (not what is still buffered) to disk. */
  void force() throws IOException {
    if (channel == null) {
      return;
    }
    long start = System.nanoTime();
    channel.force(false);
    forceNanos.addAndGet(System.nanoTime() - start);
    forces.incrementAndGet();
  }

  long forceCount() {
    return forces.get();
  }

  long forceNanos() {
    return forceNanos.get();
  }

  /** Forces a directory, so that files created or deleted in it stay so after a crash. */
  static void forceDirectory(Path dir) {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // Not every platform can force a directory; the segment's own force still holds its data.
    }
  }

  /**
   * Closes the segment being written (what is buffered is written first); the next append starts a
   * new segment named after its LSN.
   */
  void closeSegment() throws IOException {
    if (channel != null) {
      flush();
      channel.close();
      channel = null;
    }
  }

  @Override
  public void close() throws IOException {
    if (channel != null) {
      channel.close();
    }
  }
}
