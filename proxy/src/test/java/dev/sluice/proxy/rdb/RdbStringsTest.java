package dev.sluice.proxy.rdb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** CRC-64, LZF and RDB strings against values taken from Redis (crc64.c's test, redis-server). */
class RdbStringsTest {
  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  @Test
  void crc64_checkString_isRedisTestValue() {
    byte[] check = ascii("123456789");
    assertEquals(0xe9c6d914c4b8d9caL, Crc64.update(0, check, 0, check.length));
  }

  @Test
  void writeString_libraryCode_isRedisServerBytes() {
    // FUNCTION DUMP of this library on redis-server 7.0.15: opcode 245, then this string
    String code =
        "#!lua name=lib1\nredis.register_function('setf', function(keys, args) return"
            + " redis.call('set', keys[1], args[1]) end)";
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    RdbStrings.writeString(out, ascii(code));
    assertEquals(
        "c3406640741f23216c7561206e616d653d6c6962310a72656469732e72656769737465725f660f756e6374"
            + "696f6e282773657466272c20e00010116b6579732c2061726773292072657475726e2006403b0363"
            + "616c6c602e202d4024025b315d80272008052920656e6429",
        HexFormat.of().formatHex(out.toByteArray()));
  }

  @Test
  void writeThenRead_randomAndRepetitiveStrings_comeBackWhole() {
    Random random = new Random(7);
    for (int n : new int[] {0, 1, 20, 21, 63, 64, 300, 16383, 16384, 70000}) {
      byte[] noise = new byte[n];
      random.nextBytes(noise);
      byte[] repetitive = new byte[n];
      for (int i = 0; i < n; i++) {
        repetitive[i] = (byte) "abcabcabd".charAt(i % 9);
      }
      for (byte[] s : new byte[][] {noise, repetitive}) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        RdbStrings.writeString(out, s);
        byte[] written = out.toByteArray();
        RdbStrings.Reader in = new RdbStrings.Reader(written, 0, written.length);
        assertArrayEquals(s, in.readString(), "length " + n);
        assertEquals(written.length, in.position());
      }
    }
  }

  @Test
  void readString_integerEncodings_areDecimalText() {
    byte[] encoded = HexFormat.of().parseHex("c0f6c13930c2ffffff7f");
    RdbStrings.Reader in = new RdbStrings.Reader(encoded, 0, encoded.length);
    assertEquals("-10", new String(in.readString(), StandardCharsets.US_ASCII));
    assertEquals("12345", new String(in.readString(), StandardCharsets.US_ASCII));
    assertEquals("2147483647", new String(in.readString(), StandardCharsets.US_ASCII));
  }

  @Test
  void readString_truncated_isAFormatError() {
    byte[] truncated = HexFormat.of().parseHex("0a6162");
    RdbStrings.Reader in = new RdbStrings.Reader(truncated, 0, truncated.length);
    assertThrows(RdbFormatException.class, in::readString);
  }

  @Test
  void canonicalLong_edgeCases_asString2ll() {
    java.util.Map<String, Long> cases = new java.util.LinkedHashMap<>();
    cases.put("0", 0L);
    cases.put("7", 7L);
    cases.put("-7", -7L);
    cases.put("9223372036854775807", Long.MAX_VALUE);
    cases.put("-9223372036854775808", Long.MIN_VALUE);
    for (String no :
        new String[] {
          "",
          "-",
          "-0",
          "00",
          "01",
          "-01",
          "+1",
          " 1",
          "1 ",
          "12a",
          "9223372036854775808",
          "-9223372036854775809",
          "99999999999999999999",
          "1.0"
        }) {
      cases.put(no, null);
    }
    cases.forEach(
        (text, expected) ->
            org.junit.jupiter.api.Assertions.assertEquals(
                expected,
                Listpack.canonicalLong(text.getBytes(java.nio.charset.StandardCharsets.US_ASCII)),
                text));
  }
}
