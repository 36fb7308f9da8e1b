package dev.sluice.writeback.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class CopyTextTest {
  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void rowText_escapesSeparatorsAndBackslashAndWritesNull() {
    assertEquals(
        "a\\tb\\nc\\rd\\\\e\t\\N\t\n",
        CopyText.rowText(Arrays.asList(b("a\tb\nc\rd\\e"), null, b(""))));
  }

  @Test
  void appendRow_manyRowsSentInChunks_joinToTheRowsText() {
    CopyText text = new CopyText();
    ByteArrayOutputStream sent = new ByteArrayOutputStream();
    StringBuilder expected = new StringBuilder();
    int chunks = 0;
    for (int i = 0; i < 20_000; i++) {
      List<byte[]> row = Arrays.asList(b(Integer.toString(i)), b("x\ty" + i), null);
      text.appendRow(row);
      expected.append(i).append("\tx\\ty").append(i).append("\t\\N\n");
      if (text.full()) {
        assertTrue(text.size() >= CopyText.CHUNK);
        sent.write(text.bytes(), 0, text.size());
        text.clear();
        chunks++;
      }
    }
    sent.write(text.bytes(), 0, text.size());
    assertTrue(chunks >= 3, "chunks sent: " + chunks);
    assertEquals(expected.toString(), sent.toString(StandardCharsets.UTF_8));
  }

  @Test
  void appendRow_valueLargerThanAChunkOfBackslashes_growsAndEscapesEveryByte() {
    byte[] value = new byte[CopyText.CHUNK * 2];
    Arrays.fill(value, (byte) '\\');
    CopyText text = new CopyText();
    text.appendRow(List.of(value));
    assertEquals(value.length * 2 + 1, text.size());
    text.clear();
    assertFalse(text.full());
    assertEquals(0, text.size());
  }
}
