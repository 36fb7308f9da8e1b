package dev.sluice.proxy.commands;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * cmsgpack and struct inside scripts. The expected bytes and error texts were obtained from
 * redis-server 7.0.15 ({@code redis-server --port 6580 --save ''}) with {@code redis-cli -p 6580
 * --no-raw eval "<the same script>" 0}, the printed escapes copied as they are.
 */
class ScriptBinaryLibrariesTest extends JedisServerTest {

  private static byte[] b(int... v) {
    byte[] out = new byte[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = (byte) v[i];
    }
    return out;
  }

  private static byte[] concat(byte[]... parts) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  private byte[] evalBytes(String script) {
    return (byte[]) jedis(RedisProtocol.RESP2).eval(ascii(script), 0);
  }

  private String errorOf(String script) {
    JedisDataException e =
        assertThrows(JedisDataException.class, () -> jedis(RedisProtocol.RESP2).eval(script));
    String m = e.getMessage();
    return m.substring(0, m.indexOf(" script: "));
  }

  @Test
  void cmsgpackPack_arraysMapsAndScalars_redisBytes() {
    assertArrayEquals(b(0x93, 1, 2, 3), evalBytes("return cmsgpack.pack({1,2,3})"));
    assertArrayEquals(b(0x81, 0xa1, 'a', 1), evalBytes("return cmsgpack.pack({a=1})"));
    assertArrayEquals(
        b(0x82, 1, 0xa1, 'a', 3, 0xa1, 'c'), evalBytes("return cmsgpack.pack({[1]='a',[3]='c'})"));
    // nil, true, false, a binary string, {} (an empty array), {1,nil,3} (a map: keys 1 and 3)
    assertArrayEquals(
        b(0xc0, 0xc3, 0xc2, 0xa4, 'a', 'b', 0, 'c', 0x90, 0x82, 1, 1, 3, 3),
        evalBytes("return cmsgpack.pack(nil, true, false, 'ab\\0c', {}, {1,nil,3})"));
    assertArrayEquals(
        concat(b(0xd9, 40), ascii("x".repeat(40))),
        evalBytes("return cmsgpack.pack(string.rep('x',40))"));
  }

  @Test
  void cmsgpackPack_numbers_integersByWidthFloatsByPrecision() {
    assertArrayEquals(
        b(
            0xca, '?', 0xc0, 0, 0, 0xff, 0xd0, 0xdf, 0xcc, 0xc8, 0xce, 0, 1, 0x11, 'p', 0xcf, 0, 0,
            0, 1, '*', 5, 0xf2, 0, 0xd3, 0xff, 0xff, 0xff, 0xfe, 0xd5, 0xfa, 0x0e, 0, 0xcb, '?',
            0xb9, 0x99, 0x99, 0x99, 0x99, 0x99, 0x9a),
        evalBytes("return cmsgpack.pack(1.5, -1, -33, 200, 70000, 5000000000, -5000000000, 0.1)"));
    assertArrayEquals(
        b(
            0xe0, 0xd0, 0x80, 0xd1, 0xff, 0x7f, 0xcd, 0xff, 0xff, 0xce, 0, 1, 0, 0, 0x7f, 0xcc,
            0x80, 0xcc, 0xff, 0xcd, 1, 0),
        evalBytes("return cmsgpack.pack(-32, -128, -129, 65535, 65536, 127, 128, 255, 256)"));
    assertArrayEquals(b(0xca, 0x7f, 0x80, 0, 0), evalBytes("return cmsgpack.pack(1/0)"));
  }

  @Test
  void cmsgpackUnpack_roundTrip_valuesAsRedis() {
    assertEquals(
        List.of(List.of(1L, 2L, List.of()), 1L, "x", 9007199254740992L),
        jedis(RedisProtocol.RESP2)
            .eval("return {cmsgpack.unpack(cmsgpack.pack({1,2,{a='b'}}, 1.5, 'x', 2^53))}"));
    assertEquals(
        List.of("b", "ab\u0000c", 1L, -5000000000L, 3L),
        jedis(RedisProtocol.RESP2)
            .eval(
                "local t, s, yes, big, f = cmsgpack.unpack(cmsgpack.pack({1,2,{a='b'}},"
                    + " 'ab\\0c', true, -5000000000, 3.75))\n"
                    + "return {t[3].a, s, yes and 1 or 0, big, f}"));
  }

  @Test
  void cmsgpackUnpackOneAndLimit_returnNextOffsetFirst() {
    assertEquals(
        List.of(2L, 2L),
        jedis(RedisProtocol.RESP2).eval("return {cmsgpack.unpack_one(cmsgpack.pack(1,2,3), 1)}"));
    assertEquals(
        List.of(2L, 1L, 2L),
        jedis(RedisProtocol.RESP2).eval("return {cmsgpack.unpack_limit(cmsgpack.pack(1,2,3), 2)}"));
    assertEquals(
        List.of(-1L, 3L),
        jedis(RedisProtocol.RESP2).eval("return {cmsgpack.unpack_one(cmsgpack.pack(1,2,3), 2)}"));
  }

  @Test
  void cmsgpack_badInput_redisErrors() {
    assertEquals(
        "ERR user_script:1: Bad data format in input.", errorOf("return cmsgpack.unpack('\\193')"));
    assertEquals(
        "ERR user_script:1: Missing bytes in input.",
        errorOf("return cmsgpack.unpack('\\146\\1')"));
    assertEquals(
        "ERR user_script:1: bad argument #0 to 'pack' (MessagePack pack needs input.)",
        errorOf("return cmsgpack.pack()"));
    assertEquals(
        "ERR user_script:1: Start offset 5 greater than input length 1.",
        errorOf("return cmsgpack.unpack_one('\\1', 5)"));
  }

  @Test
  void structPack_formats_redisBytes() {
    assertArrayEquals(
        b(0xff, 0xfe, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 1),
        evalBytes("return struct.pack('>hHbBi', -2, 65535, -1, 255, 1)"));
    assertArrayEquals(
        b(
            0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 2, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 0,
            0, 0, 0, 4, 0, 0),
        evalBytes("return struct.pack('<lLTI3', -1, 2, 3, 4)"));
    assertArrayEquals(b(1, 0, 0, 0, 2, 0, 0, 0), evalBytes("return struct.pack('!4bi', 1, 2)"));
    assertArrayEquals(
        b('?', 0xc0, 0, 0, '?', 0xb9, 0x99, 0x99, 0x99, 0x99, 0x99, 0x9a),
        evalBytes("return struct.pack('>fd', 1.5, 0.1)"));
    assertArrayEquals(
        ascii("hi\u0000abcxyz\u0000"),
        evalBytes("return struct.pack('sc3c0x', 'hi', 'abcd', 'xyz')"));
  }

  @Test
  void structUnpackAndSize_roundTrips_redisResults() {
    Jedis j = jedis(RedisProtocol.RESP2);
    assertEquals(List.of(16L, 4L), j.eval("return {struct.size('!4bid'), struct.size('bhx')}"));
    assertEquals(
        List.of(-2L, 7L, "zz", 7L),
        j.eval("return {struct.unpack('>hBs', struct.pack('>hBs', -2, 7, 'zz'))}"));
    assertEquals(
        List.of("abc", 5L), j.eval("return {struct.unpack('bc0', struct.pack('bc0', 3, 'abc'))}"));
    assertEquals(
        List.of(-5L, 65535L, 7L, "xy", 16L),
        j.eval("return {struct.unpack('<i3I2Lc2', struct.pack('<i3I2Lc2', -5, 65535, 7, 'xy'))}"));
    assertEquals(List.of(1L, 9L), j.eval("return {struct.unpack('>d', struct.pack('>d', 1.25))}"));
    assertEquals(
        List.of("1.25", "-2.5"),
        j.eval(
            "local a, b = struct.unpack('<fd', struct.pack('<fd', 1.25, -2.5))"
                + " return {tostring(a), tostring(b)}"));
  }

  @Test
  void struct_badFormats_redisErrors() {
    assertEquals(
        "ERR user_script:1: bad argument #1 to 'pack' (invalid format option 'z')",
        errorOf("return struct.pack('z', 1)"));
    assertEquals(
        "ERR user_script:1: integral size 33 is larger than limit of 32",
        errorOf("return struct.pack('i33', 1)"));
    assertEquals(
        "ERR user_script:1: bad argument #2 to 'unpack' (data string too short)",
        errorOf("return struct.unpack('>h', 'a')"));
    assertEquals(
        "ERR user_script:1: bad argument #1 to 'size' (option 's' has no fixed size)",
        errorOf("return struct.size('s')"));
    assertEquals(
        "ERR user_script:1: bad argument #1 to 'size' (option 'c0' has no fixed size)",
        errorOf("return struct.size('c0')"));
    assertEquals(
        "ERR user_script:1: bad argument #3 to 'pack' (string too short)",
        errorOf("return struct.pack('c5', 'ab')"));
    assertEquals(
        "ERR user_script:1: format 'c0' needs a previous size",
        errorOf("return struct.unpack('c0', 'abc')"));
  }
}
