package dev.sluice.proxy.net.http;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * CSV (RFC 4180) with a header row naming the columns. Fields may be quoted with {@code "} (doubled
 * inside to stand for itself) and then hold commas and line breaks. As in PostgreSQL's COPY ...
 * CSV, an unquoted empty field is SQL NULL and a quoted empty one ({@code ""}) the empty string.
 * Blank lines are skipped. Works on bytes: the delimiters are ASCII, so UTF-8 text passes through
 * unchanged.
 */
final class CsvParser implements RowParser {
  private enum State {
    FIELD_START,
    UNQUOTED,
    QUOTED,
    QUOTE_IN_QUOTED
  }

  private final Rows rows;
  private final Line field = new Line();
  private final List<byte[]> record = new ArrayList<>();
  private byte[] scratch = new byte[8192];
  private byte[][] header;
  private State state = State.FIELD_START;
  private boolean quoted;
  private long line = 1;
  private long recordLine = 1;

  CsvParser(Rows rows) {
    this.rows = rows;
  }

  /**
   * Runs of bytes that only extend the current field (no delimiter, quote or line end) are copied
   * into it at once; every other byte goes through {@link #accept}, the state machine.
   */
  @Override
  public void feed(ByteBuf chunk) {
    int n = chunk.readableBytes();
    byte[] bytes;
    int i;
    if (chunk.hasArray()) {
      bytes = chunk.array();
      i = chunk.arrayOffset() + chunk.readerIndex();
    } else {
      if (scratch.length < n) {
        scratch = new byte[Math.max(n, scratch.length * 2)];
      }
      bytes = scratch;
      chunk.getBytes(chunk.readerIndex(), bytes, 0, n);
      i = 0;
    }
    int end = i + n;
    while (i < end) {
      int run = i;
      if (state == State.UNQUOTED || (state == State.FIELD_START && bytes[i] != '"')) {
        while (run < end && plain(bytes[run])) {
          run++;
        }
        if (run > i) {
          state = State.UNQUOTED;
        }
      } else if (state == State.QUOTED) {
        while (run < end && bytes[run] != '"') {
          if (bytes[run] == '\n') {
            line++;
          }
          run++;
        }
      }
      if (run > i) {
        field.add(bytes, i, run - i, recordLine);
        i = run;
      } else {
        accept(bytes[i++]);
      }
    }
    chunk.skipBytes(n);
  }

  private static boolean plain(byte b) {
    return b != ',' && b != '\n' && b != '\r' && b != '"';
  }

  private void accept(byte b) {
    switch (state) {
      case FIELD_START -> {
        if (b == '"') {
          quoted = true;
          state = State.QUOTED;
        } else {
          state = State.UNQUOTED;
          accept(b);
        }
      }
      case UNQUOTED -> {
        if (b == ',') {
          endField();
        } else if (b == '\n') {
          endField();
          endRecord();
          line++;
        } else if (b == '\r') {
          // the \n that follows ends the record; a lone \r is dropped
        } else if (b == '"') {
          throw IngestException.badRow(
              recordLine, null, null, "a quote inside an unquoted CSV field");
        } else {
          field.add(b, recordLine);
        }
      }
      case QUOTED -> {
        if (b == '"') {
          state = State.QUOTE_IN_QUOTED;
        } else {
          if (b == '\n') {
            line++;
          }
          field.add(b, recordLine);
        }
      }
      case QUOTE_IN_QUOTED -> {
        if (b == '"') {
          field.add(b, recordLine);
          state = State.QUOTED;
        } else {
          state = State.UNQUOTED;
          if (b != ',' && b != '\n' && b != '\r') {
            throw IngestException.badRow(
                recordLine, null, null, "text after the closing quote of a CSV field");
          }
          accept(b);
        }
      }
    }
  }

  private void endField() {
    byte[] value = field.length == 0 && !quoted ? null : Arrays.copyOf(field.bytes, field.length);
    record.add(value);
    field.length = 0;
    quoted = false;
    state = State.FIELD_START;
  }

  private void endRecord() {
    long at = recordLine;
    recordLine = line + 1;
    if (record.size() == 1 && record.get(0) == null) {
      record.clear(); // blank line
      return;
    }
    if (header == null) {
      header = new byte[record.size()][];
      for (int i = 0; i < record.size(); i++) {
        if (record.get(i) == null) {
          throw IngestException.badRow(at, null, null, "empty column name in the CSV header");
        }
        header[i] = record.get(i);
      }
      record.clear();
      return;
    }
    if (record.size() != header.length) {
      int n = record.size();
      record.clear();
      throw IngestException.badRow(
          at, null, null, n + " fields where the header names " + header.length + " columns");
    }
    List<byte[]> pairs = new ArrayList<>(header.length * 2);
    for (int i = 0; i < header.length; i++) {
      pairs.add(header[i]);
      pairs.add(record.get(i));
    }
    record.clear();
    rows.row(at, pairs);
  }

  @Override
  public void finish() {
    if (state == State.QUOTED) {
      throw IngestException.badRow(recordLine, null, null, "unterminated quoted CSV field");
    }
    if (state != State.FIELD_START || !record.isEmpty()) {
      endField();
      endRecord();
    }
    if (header == null) {
      throw IngestException.badRow(1, null, null, "no CSV header row naming the columns");
    }
  }

  static String text(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }
}
