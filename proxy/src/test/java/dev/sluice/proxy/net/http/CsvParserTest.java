package dev.sluice.proxy.net.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CsvParserTest {
  private final List<String> rows = new ArrayList<>();
  private final CsvParser parser =
      new CsvParser(
          (line, pairs) -> {
            StringBuilder row = new StringBuilder().append(line);
            for (int i = 0; i < pairs.size(); i += 2) {
              byte[] value = pairs.get(i + 1);
              row.append(' ')
                  .append(CsvParser.text(pairs.get(i)))
                  .append('=')
                  .append(value == null ? "NULL" : CsvParser.text(value));
            }
            rows.add(row.toString());
          });

  private void feed(String text, boolean direct) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    ByteBuf buffer =
        direct
            ? Unpooled.directBuffer(bytes.length).writeBytes(bytes)
            : Unpooled.wrappedBuffer(bytes);
    try {
      parser.feed(buffer);
    } finally {
      buffer.release();
    }
  }

  @Test
  void feed_quotedFieldWithLineBreak_nextRowOnItsLine() {
    feed("a,b\n1,\"two\nlines\"\n3,4\n", true);
    parser.finish();
    assertEquals(List.of("2 a=1 b=two\nlines", "4 a=3 b=4"), rows);
  }

  @Test
  void feed_fieldSplitAcrossChunks_oneField() {
    feed("name,note\nlong", false);
    feed("er than one,\"quo", true);
    feed("ted \"\"x\"\"\"", false);
    feed("\r\n,\n", true);
    parser.finish();
    assertEquals(
        List.of("2 name=longer than one note=quoted \"x\"", "3 name=NULL note=NULL"), rows);
  }

  @Test
  void feed_quoteInsideUnquotedField_errorNamesItsLine() {
    IngestException e = assertThrows(IngestException.class, () -> feed("a\n\"x\"\nab\"c\n", true));
    assertEquals(3L, ((Number) e.body.get("line")).longValue());
  }
}
