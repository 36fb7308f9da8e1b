package dev.sluice.writeback.sink;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class AppendRowCodecTest {
  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void roundTrip_keepsEveryByteAndNull() {
    byte[] binary = new byte[256];
    for (int i = 0; i < binary.length; i++) {
      binary[i] = (byte) i;
    }
    AppendRow row =
        new AppendRow(
            "page_views",
            List.of("path", "blob", "note", "ünï"),
            Arrays.asList(b("/a\tb\nc\\d"), binary, null, b("")));
    AppendRow decoded = AppendRowCodec.decode(AppendRowCodec.encode(row));
    assertEquals(row, decoded);
    assertArrayEquals(binary, decoded.values().get(1));
    assertEquals(null, decoded.values().get(2));
  }

  @Test
  void encode_rowsAlternatingMappingsAndColumnLists_eachKeepsItsOwnNames() {
    List<String> shared = List.of("user_id", "path");
    AppendRow[] rows = {
      new AppendRow("page_views", shared, List.of(b("1"), b("/a"))),
      new AppendRow("page_views", shared, List.of(b("2"), b("/b"))),
      new AppendRow("clicks", shared, List.of(b("3"), b("/c"))),
      new AppendRow("clicks", List.of("path"), List.of(b("/d"))),
      new AppendRow("clicks", List.of("user_id", "path"), List.of(b("4"), b("/e"))),
      new AppendRow("page_views", shared, List.of(b("5"), b("/f"))),
    };
    for (int round = 0; round < 2; round++) {
      for (AppendRow row : rows) {
        assertEquals(row, AppendRowCodec.decode(AppendRowCodec.encode(row)));
      }
    }
  }

  @Test
  void encode_layoutIsTheDocumentedOne() {
    byte[] payload =
        AppendRowCodec.encode(new AppendRow("m", List.of("c"), Arrays.asList(b("vv"))));
    assertArrayEquals(new byte[] {1, 0, 1, 'm', 0, 1, 0, 1, 'c', 0, 0, 0, 2, 'v', 'v'}, payload);
  }

  @Test
  void decode_truncatedOrTrailingBytes_isRefused() {
    byte[] payload =
        AppendRowCodec.encode(new AppendRow("m", List.of("c"), Arrays.asList(b("value"))));
    for (int cut = 0; cut < payload.length; cut++) {
      byte[] shorter = Arrays.copyOf(payload, cut);
      assertThrows(IllegalArgumentException.class, () -> AppendRowCodec.decode(shorter));
    }
    byte[] longer = Arrays.copyOf(payload, payload.length + 1);
    assertThrows(IllegalArgumentException.class, () -> AppendRowCodec.decode(longer));
  }

  @Test
  void json_escapesQuotesControlsAndNul() {
    AppendRow row =
        new AppendRow("m", List.of("a", "b"), Arrays.asList(b("x\"y\u0001\u0000"), null));
    assertEquals("{\"a\": \"x\\\"y\\u0001\uFFFD\", \"b\": null}", DeadLetterJson.of(row));
  }
}
