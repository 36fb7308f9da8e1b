package dev.sluice.proxy.rdb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * RDB files through {@link RdbFileWriter} and {@link RdbFileLoader}: every value read back, the
 * opcodes redis-server 7.0 and 7.4 may write, and damaged files (seeded): each one is read or
 * refused with an {@link RdbFormatException} naming the file and a byte offset, never another
 * exception.
 */
class RdbFileTest {
  private static final String NAME = "/data/dump.rdb";

  /** What a loader saw, as text: "db key expireAt value-dump-hex", "function code". */
  private static final class Collected implements RdbFileLoader.Sink {
    final List<String> seen = new ArrayList<>();

    @Override
    public void function(byte[] code) {
      seen.add("function " + new String(code, StandardCharsets.UTF_8));
    }

    @Override
    public void key(int db, byte[] key, Object value, long expireAt) {
      seen.add(
          db
              + " "
              + new String(key, StandardCharsets.UTF_8)
              + " "
              + expireAt
              + " "
              + HexFormat.of().formatHex(DumpPayload.create(value)));
    }
  }

  private static final RdbFileLoader.Sink IGNORED =
      new RdbFileLoader.Sink() {
        @Override
        public void function(byte[] code) {}

        @Override
        public void key(int db, byte[] key, Object value, long expireAt) {}
      };

  private static byte[] file(boolean checksum, boolean compress) throws IOException {
    List<Object> values = DumpPayloadCorruptionTest.values();
    RdbOutput db0 = new RdbOutput(compress);
    RdbOutput db5 = new RdbOutput(compress);
    for (int i = 0; i < values.size(); i++) {
      RdbFileWriter.writeKey(db0, ("k" + i).getBytes(StandardCharsets.UTF_8), values.get(i), -1);
    }
    RdbFileWriter.writeKey(db5, "ttl".getBytes(StandardCharsets.UTF_8), "v".getBytes(), 1234567L);
    Map<String, Object> aux = new LinkedHashMap<>();
    aux.put("redis-ver", "7.4.0");
    aux.put("ctime", 1700000000L);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    RdbFileWriter.write(
        out,
        aux,
        List.of("#!lua name=lib\n".getBytes(StandardCharsets.UTF_8)),
        List.of(
            new RdbFileWriter.Database(0, values.size(), 0, db0),
            new RdbFileWriter.Database(5, 1, 1, db5)),
        checksum,
        compress);
    return out.toByteArray();
  }

  private static List<String> load(byte[] file) {
    Collected sink = new Collected();
    RdbFileLoader.load(file, NAME, 16, true, sink);
    return sink.seen;
  }

  @Test
  void load_writtenFile_everyKeyFunctionAndExpiryBack() throws IOException {
    byte[] file = file(true, true);
    RdbFileLoader.Summary summary = RdbFileLoader.load(file, NAME, 16, true, new Collected());
    assertEquals(10, summary.version());
    assertEquals(Map.of("redis-ver", "7.4.0", "ctime", "1700000000"), summary.aux());
    List<String> seen = load(file);
    List<Object> values = DumpPayloadCorruptionTest.values();
    assertEquals(values.size() + 2, seen.size());
    assertEquals("function #!lua name=lib\n", seen.get(0));
    assertTrue(seen.get(1).startsWith("0 k0 -1 "), seen.get(1));
    assertEquals(
        "5 ttl 1234567 " + HexFormat.of().formatHex(DumpPayload.create("v".getBytes())),
        seen.get(seen.size() - 1));
  }

  @Test
  void load_withoutCompressionOrChecksum_sameKeys() throws IOException {
    byte[] plain = file(false, false);
    assertArrayEquals(
        new byte[8], java.util.Arrays.copyOfRange(plain, plain.length - 8, plain.length));
    assertTrue(plain.length > file(true, true).length, "uncompressed is longer");
    assertEquals(load(file(true, true)), load(plain));
  }

  @Test
  void load_truncated_errorNamesTheFileAndOffset() throws IOException {
    byte[] good = file(false, true);
    byte[] cut = java.util.Arrays.copyOf(good, 200);
    RdbFormatException e = assertThrows(RdbFormatException.class, () -> load(cut));
    assertTrue(
        e.getMessage().matches("RDB file " + NAME + " is not readable at byte 1\\d\\d: .+"),
        e.getMessage());
  }

  @Test
  void load_wrongChecksum_refused() throws IOException {
    byte[] file = file(true, true);
    file[file.length - 1] ^= 1;
    RdbFormatException e = assertThrows(RdbFormatException.class, () -> load(file));
    assertTrue(e.getMessage().contains("wrong RDB checksum"), e.getMessage());
  }

  @Test
  void load_headerAndOpcodes_asRedisReadsThem() {
    // REDIS0012, AUX, SLOT_INFO, SELECTDB 1, RESIZEDB, EXPIRETIME (s), IDLE, FREQ, a string, EOF
    String hex =
        hex("REDIS0012")
            + "fa"
            + "0161"
            + "0162"
            + "f4"
            + "05"
            + "01"
            + "00"
            + "fe01"
            + "fb0101"
            + "fd"
            + "00f15365" // 1700000000 s, little-endian
            + "f80a"
            + "f905"
            + "00"
            + "016b"
            + "0176"
            + "ff"
            + "0000000000000000";
    Collected sink = new Collected();
    RdbFileLoader.Summary summary =
        RdbFileLoader.load(HexFormat.of().parseHex(hex), NAME, 16, true, sink);
    assertEquals(12, summary.version());
    assertEquals(
        List.of(
            "1 k 1700000000000 " + HexFormat.of().formatHex(DumpPayload.create("v".getBytes()))),
        sink.seen);
  }

  @Test
  void load_unsupportedContent_clearErrors() {
    Map<String, String> cases = new LinkedHashMap<>();
    cases.put(hex("REDIS0013") + "ff" + "00".repeat(8), "RDB version 13, expected 1 to 12");
    cases.put(hex("RUDIS0010") + "ff" + "00".repeat(8), "wrong signature");
    cases.put(hex("REDIS0010") + "f7" + "01", "module data (MODULE_AUX)");
    cases.put(hex("REDIS0010") + "f6" + "01", "release candidates");
    cases.put(
        hex("REDIS0010") + "fe10" + "ff" + "00".repeat(8), "database 16, but this server has 16");
    cases.put(hex("REDIS0010") + "07" + "016b" + "00", "RDB object type 7 is not read");
    cases.put(hex("REDIS0010") + "ff" + "00".repeat(8) + "00", "1 bytes after the end");
    cases.put(hex("REDIS0010") + "fc" + "00".repeat(8) + "ff" + "00".repeat(8), "an expiry not");
    cases.forEach(
        (file, expected) -> {
          RdbFormatException e =
              assertThrows(RdbFormatException.class, () -> load(HexFormat.of().parseHex(file)));
          assertTrue(e.getMessage().contains(expected), e.getMessage() + " / " + expected);
          assertTrue(e.getMessage().startsWith("RDB file " + NAME), e.getMessage());
        });
  }

  @Test
  void load_randomlyDamagedFiles_readOrFormatErrorOnly() throws IOException {
    byte[] good = file(false, true); // no checksum: the damage reaches the parser
    Random random = new Random(20261207);
    int refused = 0;
    int read = 0;
    for (int round = 0; round < 3000; round++) {
      byte[] bad = damage(good, random);
      try {
        RdbFileLoader.load(bad, NAME, 16, true, IGNORED);
        read++;
      } catch (RdbFormatException e) {
        assertTrue(e.getMessage().startsWith("RDB file " + NAME + " is not readable at byte "));
        refused++;
      }
    }
    assertTrue(refused > 1500, "refused " + refused);
    assertTrue(read > 10, "read " + read);
  }

  private static byte[] damage(byte[] good, Random random) {
    int body = good.length - 8;
    byte[] bad;
    switch (random.nextInt(3)) {
      case 0 -> {
        bad = good.clone();
        for (int n = 1 + random.nextInt(3); n > 0; n--) {
          bad[9 + random.nextInt(body - 9)] = (byte) random.nextInt(256);
        }
      }
      case 1 -> bad = java.util.Arrays.copyOf(good, random.nextInt(good.length));
      default -> {
        int at = 9 + random.nextInt(body - 9);
        byte[] extra = new byte[1 + random.nextInt(8)];
        random.nextBytes(extra);
        bad = new byte[good.length + extra.length];
        System.arraycopy(good, 0, bad, 0, at);
        System.arraycopy(extra, 0, bad, at, extra.length);
        System.arraycopy(good, at, bad, at + extra.length, good.length - at);
      }
    }
    return bad;
  }

  private static String hex(String ascii) {
    return HexFormat.of().formatHex(ascii.getBytes(StandardCharsets.US_ASCII));
  }
}
