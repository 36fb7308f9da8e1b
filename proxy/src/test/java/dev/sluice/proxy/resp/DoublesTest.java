package dev.sluice.proxy.resp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * Doubles as Redis writes them. The expected texts are redis-server's: ZSCORE of 7.4.0 for {@link
 * Doubles#reply}, ZSCAN of a skiplist-encoded set (7.0.15 and 7.4.0 alike) for {@link Doubles#g17},
 * GET of what EVAL's redis.call stored for {@link Doubles#luaArgument} (7.4.0). Many more are
 * replayed against a server in golden/divergences.json.
 */
class DoublesTest {
  @Test
  void reply_grisu2Digits_asRedis74() {
    assertEquals("0.6996794932986048", Doubles.reply(0.69967949329860479));
    assertEquals("0.1", Doubles.reply(0.1));
    assertEquals("0.30000000000000004", Doubles.reply(0.1 + 0.2));
    // not the shortest: Grisu2 stops at digits within the bounds, not at the fewest
    assertEquals("5453580388999999000", Doubles.reply(5453580389e9));
    // Java's Double.toString gives 4.9E-324 and 5.5677138085341327E18 here
    assertEquals("5e-324", Doubles.reply(Double.MIN_VALUE));
    assertEquals("5567713808534133000", Doubles.reply(5.567713808534133e18));
    assertEquals("2.2250738585072014e-308", Doubles.reply(Double.MIN_NORMAL));
    assertEquals("1.7976931348623157e+308", Doubles.reply(Double.MAX_VALUE));
  }

  @Test
  void reply_layout_integersPlainDecimalsAndExponents() {
    assertEquals("4611686018427387904", Doubles.reply(0x1p62));
    assertEquals("-4611686018427389000", Doubles.reply(-4611686018427388928.0)); // past -2^62
    assertEquals("123456789012345680", Doubles.reply(123456789012345678.0));
    assertEquals("1e+20", Doubles.reply(1e20));
    assertEquals("8409999999999999000000", Doubles.reply(8.41e21)); // 16 digits, then zeros
    assertEquals("1.5e-7", Doubles.reply(1.5e-7));
    assertEquals("0.00001", Doubles.reply(1e-5));
    assertEquals("0.000123", Doubles.reply(0.000123));
    assertEquals("-0", Doubles.reply(-0.0));
    assertEquals("inf", Doubles.reply(Double.POSITIVE_INFINITY));
    assertEquals("-inf", Doubles.reply(Double.NEGATIVE_INFINITY));
    assertEquals("nan", Doubles.reply(Double.NaN));
  }

  @Test
  void g17_seventeenDigits_asPrintf() {
    assertEquals("0.10000000000000001", Doubles.g17(0.1));
    assertEquals("1.0000000000000001e-05", Doubles.g17(1e-5));
    assertEquals("4.6116860184273879e+18", Doubles.g17(4611686018427387905.0));
    assertEquals("9.9999999999999997e+199", Doubles.g17(1e200));
    assertEquals("4.9406564584124654e-324", Doubles.g17(Double.MIN_VALUE));
    assertEquals("0.0001", Doubles.g17(0.0001));
    assertEquals("123456789", Doubles.g17(123456789.0));
    assertEquals("1e+17", Doubles.g17(1e17));
    assertEquals("-0", Doubles.g17(-0.0));
  }

  @Test
  void luaArgument_integersAndFpconvDigits_asRedis74() {
    assertEquals("0.30000000000000004", Doubles.luaArgument(0.1 + 0.2));
    assertEquals("0", Doubles.luaArgument(-0.0));
    assertEquals("9223372036854776000", Doubles.luaArgument(0x1p63));
    assertEquals("inf", Doubles.luaArgument(Double.POSITIVE_INFINITY));
    assertEquals("-inf", Doubles.luaArgument(Double.NEGATIVE_INFINITY));
    // 0/0 on x86 is the NaN with the sign bit set
    assertEquals("-nan", Doubles.luaArgument(Double.longBitsToDouble(0xfff8000000000000L)));
    assertEquals("nan", Doubles.luaArgument(Double.longBitsToDouble(0x7ff8000000000000L)));
  }
}
