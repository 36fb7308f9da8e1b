package dev.sluice.proxy.net.http;

import io.netty.buffer.ByteBuf;
import java.util.List;

/**
 * Turns a request body, fed chunk by chunk as it arrives, into rows of column/value pairs. Keeps
 * only the line (or CSV record) being read; a line longer than {@link #MAX_LINE} bytes is refused.
 */
interface RowParser {
  int MAX_LINE = 64 * 1024 * 1024;

  /** Receives each row: the line it starts on and its column names and values, alternating. */
  interface Rows {
    void row(long line, List<byte[]> columnsAndValues);
  }

  /** Parses what {@code chunk} holds, calling the sink for every complete row. */
  void feed(ByteBuf chunk);

  /** The body ended: parses the last row if it had no line end. */
  void finish();

  /** A growable byte buffer for the line being read. */
  final class Line {
    byte[] bytes = new byte[256];
    int length;

    void add(byte b, long line) {
      if (length == bytes.length) {
        if (length >= MAX_LINE) {
          throw IngestException.badRow(line, null, null, "longer than " + MAX_LINE + " bytes");
        }
        bytes = java.util.Arrays.copyOf(bytes, Math.min(MAX_LINE, length * 2));
      }
      bytes[length++] = b;
    }

    /** {@link #add(byte, long)} of each of {@code n} bytes of {@code src} from {@code from}. */
    void add(byte[] src, int from, int n, long line) {
      if (length + n > bytes.length) {
        if (length + n > MAX_LINE) {
          throw IngestException.badRow(line, null, null, "longer than " + MAX_LINE + " bytes");
        }
        bytes =
            java.util.Arrays.copyOf(bytes, Math.min(MAX_LINE, Math.max(length * 2, length + n)));
      }
      System.arraycopy(src, from, bytes, length, n);
      length += n;
    }
  }
}
