package dev.sluice.writeback.sink;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Rows in the text format of PostgreSQL's {@code COPY … FROM STDIN}: columns separated by a tab,
 * rows ended by a newline, NULL as {@code \N}. In a value, backslash, newline, carriage return and
 * tab are written as {@code \\ \n \r \t}; every other byte goes as it is, so any UTF-8 text
 * survives unchanged (the server checks the encoding and refuses invalid bytes for that row).
 */
final class CopyText {
  private CopyText() {}

  static void appendRow(ByteArrayOutputStream out, java.util.List<byte[]> values) {
    for (int i = 0; i < values.size(); i++) {
      if (i > 0) {
        out.write('\t');
      }
      byte[] value = values.get(i);
      if (value == null) {
        out.write('\\');
        out.write('N');
        continue;
      }
      if (!needsEscape(value)) {
        out.write(value, 0, value.length); // the usual case: one copy, not a call per byte
        continue;
      }
      for (byte b : value) {
        switch (b) {
          case '\\' -> {
            out.write('\\');
            out.write('\\');
          }
          case '\n' -> {
            out.write('\\');
            out.write('n');
          }
          case '\r' -> {
            out.write('\\');
            out.write('r');
          }
          case '\t' -> {
            out.write('\\');
            out.write('t');
          }
          default -> out.write(b);
        }
      }
    }
    out.write('\n');
  }

  private static boolean needsEscape(byte[] value) {
    for (byte b : value) {
      if (b == '\\' || b == '\n' || b == '\r' || b == '\t') {
        return true;
      }
    }
    return false;
  }

  static String rowText(java.util.List<byte[]> values) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    appendRow(out, values);
    return out.toString(StandardCharsets.UTF_8);
  }
}
