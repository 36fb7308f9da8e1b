package dev.sluice.writeback.sink;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WriteRecordCodecTest {
  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static final List<WriteRecord> RECORDS =
      List.of(
          new AppendRow("views", List.of("path"), Arrays.asList(b("/"))),
          new RowUpsert(
              "users", List.of("7", "ü"), List.of("name", "email"), Arrays.asList(b("Ada"), null)),
          new RowDelete("users", List.of("7")),
          new KvWrite("sessions", new byte[] {0, -1, 'k'}, "hash", new byte[] {1, 2, 3}, 1234L),
          new KvWrite("sessions", b("session:plain"), "string", new byte[0], 0),
          new KvDelete("sessions", b("session:x")));

  @Test
  void roundTrip_everyRecordType_keepsEveryByteAndItsType() {
    byte[] types = {1, 2, 3, 4, 4, 5};
    for (int i = 0; i < RECORDS.size(); i++) {
      WriteRecord record = RECORDS.get(i);
      byte type = WriteRecordCodec.type(record);
      assertEquals(types[i], type, record.toString());
      assertTrue(WriteRecordCodec.known(type));
      assertEquals(record, WriteRecordCodec.decode(type, WriteRecordCodec.encode(record)));
    }
  }

  /** Bytes from hex groups, spaces ignored. */
  private static byte[] hex(String... groups) {
    return HexFormat.of().parseHex(String.join("", groups).replace(" ", ""));
  }

  /**
   * The journal's on-disk payload of each record type, byte for byte as the table in {@link
   * WriteRecordCodec} documents it (big-endian lengths, UTF-8 names, -1 for NULL): a change of the
   * format fails here, and must come with a new version byte that old journals still decode.
   */
  @Test
  void encode_layoutIsTheDocumentedOne_everyRecordType() {
    Map<WriteRecord, byte[]> layouts = new LinkedHashMap<>();
    layouts.put(
        new AppendRow("m", List.of("c"), Arrays.asList(b("vv"))),
        hex(
            "01", // version
            "0001 6d", // mapping "m"
            "0001", // one column
            "0001 63", // "c"
            "00000002 7676")); // 'vv'
    layouts.put(
        new RowUpsert("u", List.of("7", "ü"), List.of("n", "e"), Arrays.asList(b("A"), null)),
        hex(
            "01", // version
            "0001 75", // mapping "u"
            "0002 0001 37 0002 c3bc", // key values "7", "ü"
            "0002", // two columns
            "0001 6e 00000001 41", // n = 'A'
            "0001 65 ffffffff")); // e = NULL
    layouts.put(
        new RowDelete("u", List.of("7")),
        hex(
            "01", // version
            "0001 75", // mapping "u"
            "0001 0001 37")); // key value "7"
    layouts.put(
        new KvWrite("s", new byte[] {0, -1, 'k'}, "hash", new byte[] {1, 2, 3}, 1234L),
        hex(
            "01", // version
            "0001 73", // mapping "s"
            "00000003 00ff6b", // key
            "0004 68617368", // Redis type "hash"
            "00000000000004d2", // expire-at 1234
            "00000003 010203")); // value
    layouts.put(
        new KvDelete("s", b("x")),
        hex(
            "01", // version
            "0001 73", // mapping "s"
            "00000001 78")); // key "x"
    byte[] types = {1, 2, 3, 4, 5};
    int i = 0;
    for (Map.Entry<WriteRecord, byte[]> e : layouts.entrySet()) {
      WriteRecord record = e.getKey();
      assertEquals(types[i++], WriteRecordCodec.type(record), record.toString());
      assertArrayEquals(e.getValue(), WriteRecordCodec.encode(record), record.toString());
      assertEquals(record, WriteRecordCodec.decode(WriteRecordCodec.type(record), e.getValue()));
    }
  }

  @Test
  void decode_cutOrExtendedPayloadOrUnknownType_refused() {
    for (WriteRecord record : RECORDS.subList(1, RECORDS.size())) {
      byte type = WriteRecordCodec.type(record);
      byte[] payload = WriteRecordCodec.encode(record);
      for (int cut = 0; cut < payload.length; cut++) {
        byte[] shorter = Arrays.copyOf(payload, cut);
        assertThrows(
            IllegalArgumentException.class,
            () -> WriteRecordCodec.decode(type, shorter),
            record + " cut at " + cut);
      }
      byte[] longer = Arrays.copyOf(payload, payload.length + 1);
      assertThrows(IllegalArgumentException.class, () -> WriteRecordCodec.decode(type, longer));
    }
    assertThrows(IllegalArgumentException.class, () -> WriteRecordCodec.decode((byte) 9, b("x")));
  }
}
