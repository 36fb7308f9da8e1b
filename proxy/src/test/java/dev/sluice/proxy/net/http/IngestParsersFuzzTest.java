package dev.sluice.proxy.net.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Fuzz targets for the streaming ingest parsers ({@link CsvParser}, {@link NdjsonParser}). Any body
 * either yields rows or one 400 error that names a line of the body; the outcome does not depend on
 * how the body is split into chunks; and rows written by a conforming encoder come back unchanged.
 */
class IngestParsersFuzzTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What a parse produced: rows (line and readable pairs) or the error. */
  private record Outcome(List<String> rows, Integer status, Object line) {}

  @FuzzTest
  void parse_anyBody_rowsOrPositionedErrorWhateverTheChunks(FuzzedDataProvider data) {
    boolean csv = data.consumeBoolean();
    int chunk = data.consumeInt(1, 64);
    byte[] body = data.consumeRemainingAsBytes();
    Function<RowParser.Rows, RowParser> parser = csv ? CsvParser::new : NdjsonParser::new;

    Outcome whole = parse(parser, body, Math.max(1, body.length));
    Outcome chunked = parse(parser, body, chunk);

    assertEquals(whole, chunked, "same outcome whole and in chunks of " + chunk);
    long lines = 1;
    for (byte b : body) {
      lines += b == '\n' ? 1 : 0;
    }
    if (whole.status() != null) {
      assertEquals(400, whole.status());
      long line = ((Number) whole.line()).longValue();
      assertTrue(line >= 1 && line <= lines + 1, "error line " + line + " within the body");
    }
  }

  @FuzzTest
  void parse_csvFromConformingEncoder_yieldsSameRows(FuzzedDataProvider data) {
    int columns = data.consumeInt(1, 4);
    List<String> header = new ArrayList<>();
    for (int c = 0; c < columns; c++) {
      header.add("c" + c + data.consumeAsciiString(8));
    }
    int chunk = data.consumeInt(1, 32);
    List<List<String>> rows = new ArrayList<>();
    int count = data.consumeInt(0, 6);
    for (int r = 0; r < count; r++) {
      List<String> row = new ArrayList<>();
      for (int c = 0; c < columns; c++) {
        row.add(data.consumeBoolean() ? null : data.consumeString(24));
      }
      rows.add(row);
    }
    StringBuilder body = new StringBuilder();
    body.append(String.join(",", header.stream().map(IngestParsersFuzzTest::quote).toList()));
    for (List<String> row : rows) {
      body.append(data.consumeBoolean() ? "\r\n" : "\n");
      body.append(String.join(",", row.stream().map(IngestParsersFuzzTest::quote).toList()));
    }

    Outcome outcome =
        parse(CsvParser::new, body.toString().getBytes(StandardCharsets.UTF_8), chunk);

    List<String> expected = new ArrayList<>();
    for (List<String> row : rows) {
      if (columns == 1 && row.get(0) == null) {
        continue; // a lone empty field is a blank line, which CSV cannot tell from NULL
      }
      expected.add(pairs(header, row));
    }
    assertEquals(null, outcome.status(), () -> "refused: " + outcome);
    assertEquals(
        expected, outcome.rows().stream().map(r -> r.substring(r.indexOf(' ') + 1)).toList());
  }

  @FuzzTest
  void parse_ndjsonFromJackson_yieldsSameRows(FuzzedDataProvider data)
      throws JsonProcessingException {
    int chunk = data.consumeInt(1, 32);
    int count = data.consumeInt(0, 6);
    List<String> expected = new ArrayList<>();
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (int r = 0; r < count; r++) {
      Map<String, String> row = new LinkedHashMap<>();
      int columns = data.consumeInt(0, 4);
      for (int c = 0; c < columns; c++) {
        row.put(data.consumeString(12), data.consumeBoolean() ? null : data.consumeString(24));
      }
      body.writeBytes(JSON.writeValueAsBytes(row));
      body.writeBytes(data.consumeBoolean() ? new byte[] {'\r', '\n'} : new byte[] {'\n'});
      expected.add(
          (r + 1) + " " + pairs(new ArrayList<>(row.keySet()), new ArrayList<>(row.values())));
    }

    Outcome outcome = parse(NdjsonParser::new, body.toByteArray(), chunk);

    assertEquals(null, outcome.status(), () -> "refused: " + outcome);
    assertEquals(expected, outcome.rows());
  }

  private static String quote(String value) {
    return value == null ? "" : '"' + value.replace("\"", "\"\"") + '"';
  }

  private static String pairs(List<String> columns, List<String> values) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < columns.size(); i++) {
      out.add(columns.get(i) + "=" + (values.get(i) == null ? "NULL" : "'" + values.get(i) + "'"));
    }
    return out.toString();
  }

  private static Outcome parse(Function<RowParser.Rows, RowParser> make, byte[] body, int chunk) {
    List<String> rows = new ArrayList<>();
    RowParser parser =
        make.apply(
            (line, pairs) -> {
              List<String> columns = new ArrayList<>();
              List<String> values = new ArrayList<>();
              for (int i = 0; i < pairs.size(); i += 2) {
                columns.add(new String(pairs.get(i), StandardCharsets.UTF_8));
                byte[] value = pairs.get(i + 1);
                values.add(value == null ? null : new String(value, StandardCharsets.UTF_8));
              }
              rows.add(line + " " + pairs(columns, values));
            });
    try {
      for (int from = 0; from < body.length; from += chunk) {
        byte[] part = Arrays.copyOfRange(body, from, Math.min(body.length, from + chunk));
        // the whole body in a heap buffer, chunks in direct buffers as Netty's: both reads
        io.netty.buffer.ByteBuf buffer =
            chunk < body.length
                ? Unpooled.directBuffer(part.length).writeBytes(part)
                : Unpooled.wrappedBuffer(part);
        try {
          parser.feed(buffer);
        } finally {
          buffer.release();
        }
      }
      parser.finish();
      return new Outcome(rows, null, null);
    } catch (IngestException e) {
      return new Outcome(rows, e.status, e.body.get("line"));
    }
  }
}
