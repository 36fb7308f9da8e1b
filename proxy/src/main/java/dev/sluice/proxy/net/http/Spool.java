package dev.sluice.proxy.net.http;

import dev.sluice.writeback.journal.JournalWriter;
import dev.sluice.writeback.sink.AppendRow;
import dev.sluice.writeback.sink.AppendRowCodec;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * The validated rows of one ingest request, between validation and the journal: each row's journal
 * payload ({@link AppendRowCodec}), length-prefixed. The first {@link #IN_MEMORY} bytes stay in
 * memory; past that the spool moves to a temporary file ({@code sluice-ingest-*.spool} in {@code
 * java.io.tmpdir}), deleted when the request ends. So a body of any size costs a bounded amount of
 * memory, and nothing reaches the journal before every row is known to be good.
 */
final class Spool implements AutoCloseable {
  static final int IN_MEMORY = 1 << 20;

  private ByteArrayOutputStream memory = new ByteArrayOutputStream(8192);
  private DataOutputStream out = new DataOutputStream(memory);
  private Path file;
  private long rows;
  private long recordBytes;

  void add(AppendRow row) {
    byte[] payload = AppendRowCodec.encode(row);
    try {
      out.writeInt(payload.length);
      out.write(payload);
      if (memory != null && memory.size() > IN_MEMORY) {
        file = Files.createTempFile("sluice-ingest-", ".spool");
        OutputStream disk = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
        memory.writeTo(disk);
        memory = null;
        out = new DataOutputStream(disk);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot spool the request's rows: " + e.getMessage(), e);
    }
    rows++;
    recordBytes += JournalWriter.recordSize(payload.length);
  }

  long rows() {
    return rows;
  }

  /** The journal budget the rows take. */
  long recordBytes() {
    return recordBytes;
  }

  boolean onDisk() {
    return file != null;
  }

  /** The rows in order; reading from disk may throw {@link UncheckedIOException}. */
  Iterator<AppendRow> read() throws IOException {
    out.flush();
    InputStream source =
        file == null
            ? new ByteArrayInputStream(memory.toByteArray())
            : new BufferedInputStream(Files.newInputStream(file), 1 << 16);
    DataInputStream in = new DataInputStream(source);
    return new Iterator<>() {
      long left = rows;

      @Override
      public boolean hasNext() {
        return left > 0;
      }

      @Override
      public AppendRow next() {
        if (left == 0) {
          throw new NoSuchElementException();
        }
        try {
          byte[] payload = new byte[in.readInt()];
          in.readFully(payload);
          if (--left == 0) {
            in.close();
          }
          return AppendRowCodec.decode(payload);
        } catch (IOException e) {
          throw new UncheckedIOException("cannot read the spooled rows: " + e.getMessage(), e);
        }
      }
    };
  }

  @Override
  public void close() {
    try {
      out.close();
      if (file != null) {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      // a temporary file left behind; nothing else to do
    }
  }
}
