package dev.sluice.writeback.sink;

import java.util.List;

/** A journaled record as {@code sluice.dead_letter} keeps it: a JSON object. */
final class DeadLetterJson {
  private DeadLetterJson() {}

  /**
   * The record as a JSON object, for {@code sluice.dead_letter}: an append row is column to value
   * (string, or null); a row upsert {@code {"key": [values], "set": {column: value}}}; a row delete
   * {@code {"delete": [key values]}}; kv records their key and type. Invalid UTF-8 and NUL
   * characters, which jsonb cannot hold, become U+FFFD.
   */
  static String of(WriteRecord record) {
    if (record instanceof AppendRow row) {
      return json(row.columns(), row.values());
    }
    StringBuilder out = new StringBuilder("{");
    if (record instanceof RowUpsert u) {
      out.append("\"key\": ");
      jsonArray(out, u.keyValues());
      out.append(", \"set\": ").append(json(u.columns(), u.values()));
    } else if (record instanceof RowDelete d) {
      out.append("\"delete\": ");
      jsonArray(out, d.keyValues());
    } else if (record instanceof KvWrite w) {
      out.append("\"key\": ");
      jsonString(out, new String(w.key(), java.nio.charset.StandardCharsets.UTF_8));
      out.append(", \"type\": ");
      jsonString(out, w.type());
    } else {
      out.append("\"delete\": ");
      jsonString(
          out, new String(((KvDelete) record).key(), java.nio.charset.StandardCharsets.UTF_8));
    }
    return out.append('}').toString();
  }

  private static void jsonArray(StringBuilder out, List<String> values) {
    out.append('[');
    for (int i = 0; i < values.size(); i++) {
      out.append(i == 0 ? "" : ", ");
      jsonString(out, values.get(i));
    }
    out.append(']');
  }

  private static String json(List<String> columns, List<byte[]> values) {
    StringBuilder out = new StringBuilder("{");
    for (int i = 0; i < columns.size(); i++) {
      if (i > 0) {
        out.append(", ");
      }
      jsonString(out, columns.get(i));
      out.append(": ");
      byte[] value = values.get(i);
      if (value == null) {
        out.append("null");
      } else {
        jsonString(out, new String(value, java.nio.charset.StandardCharsets.UTF_8));
      }
    }
    return out.append('}').toString();
  }

  private static void jsonString(StringBuilder out, String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      switch (ch) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\0' -> out.append('\uFFFD');
        default -> {
          if (ch < 0x20) {
            out.append(String.format("\\u%04x", (int) ch));
          } else {
            out.append(ch);
          }
        }
      }
    }
    out.append('"');
  }
}
