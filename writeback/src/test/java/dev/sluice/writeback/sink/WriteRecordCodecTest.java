package dev.sluice.writeback.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
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
