package dev.sluice.writeback.sink;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Rows in the text format of PostgreSQL's {@code COPY … FROM STDIN}: columns separated by a tab,
 * rows ended by a newline, NULL as {@code \N}. In a value, backslash, newline, carriage return and
 * tab are written as {@code \\ \n \r \t}; every other byte goes as it is, so any UTF-8 text
 * survives unchanged (the server checks the encoding and refuses invalid bytes for that row).
 *
 * <p>Rows collect in a plain byte array that the flusher hands to the COPY in chunks (see {@link
 * #full}), so PostgreSQL parses one chunk while the next is written. No {@code
 * ByteArrayOutputStream}: its synchronized {@code write}, a dozen times per row, cost more than the
 * copying.
 */
final class CopyText {
  /** A chunk worth sending: PostgreSQL starts on it while the next one is written. */
  static final int CHUNK = 64 * 1024;

  // bytes that must be escaped: a table lookup per byte rather than four comparisons
  private static final boolean[] ESCAPED = new boolean[256];

  static {
    ESCAPED['\\'] = true;
    ESCAPED['\n'] = true;
    ESCAPED['\r'] = true;
    ESCAPED['\t'] = true;
  }

  private byte[] bytes = new byte[CHUNK + 1024];
  private int size;

  void appendRow(List<byte[]> values) {
    for (int i = 0; i < values.size(); i++) {
      if (i > 0) {
        put((byte) '\t');
      }
      byte[] value = values.get(i);
      if (value == null) {
        put((byte) '\\');
        put((byte) 'N');
      } else {
        putEscaped(value);
      }
    }
    put((byte) '\n');
  }

  private void putEscaped(byte[] value) {
    // at most two bytes out per byte in
    ensure(2 * value.length);
    byte[] out = bytes;
    int at = size;
    for (byte b : value) {
      if (ESCAPED[b & 0xff]) {
        out[at++] = '\\';
        b =
            switch (b) {
              case '\n' -> (byte) 'n';
              case '\r' -> (byte) 'r';
              case '\t' -> (byte) 't';
              default -> b;
            };
      }
      out[at++] = b;
    }
    size = at;
  }

  private void put(byte b) {
    ensure(1);
    bytes[size++] = b;
  }

  private void ensure(int more) {
    if (size + more > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
    }
  }

  /** Whether a chunk is ready to be sent. */
  boolean full() {
    return size >= CHUNK;
  }

  byte[] bytes() {
    return bytes;
  }

  int size() {
    return size;
  }

  /** Forgets the rows written (after they were sent); the array is kept for the next ones. */
  void clear() {
    size = 0;
  }

  static String rowText(List<byte[]> values) {
    CopyText text = new CopyText();
    text.appendRow(values);
    return new String(text.bytes, 0, text.size, StandardCharsets.UTF_8);
  }
}
