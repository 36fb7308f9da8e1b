package dev.sluice.proxy.types.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class StreamIdTest {
  private static final long U64_MAX = -1L;

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  private static StreamId id(String s) {
    return StreamId.parseStrict(b(s));
  }

  private static void assertInvalid(Runnable parse) {
    StreamException e = assertThrows(StreamException.class, parse::run);
    assertEquals("ERR Invalid stream ID specified as stream command argument", e.getMessage());
  }

  @Test
  void compareTo_highBitSet_ordersAsUnsigned() {
    StreamId small = new StreamId(1, 0);
    StreamId huge = new StreamId(Long.MIN_VALUE, 0); // 2^63, negative as a signed long
    assertTrue(small.compareTo(huge) < 0);
    assertTrue(new StreamId(5, 1).compareTo(new StreamId(5, U64_MAX)) < 0);
    assertTrue(StreamId.MAX.compareTo(new StreamId(U64_MAX, U64_MAX - 1)) > 0);
    List<StreamId> ids = new ArrayList<>(List.of(StreamId.MAX, huge, small, StreamId.MIN));
    Collections.sort(ids);
    assertEquals(List.of(StreamId.MIN, small, huge, StreamId.MAX), ids);
  }

  @Test
  void toString_largestParts_printsUnsignedDecimal() {
    assertEquals("18446744073709551615-18446744073709551615", StreamId.MAX.toString());
    assertEquals("0-0", StreamId.MIN.toString());
    assertArrayEquals(b("1526919030474-55"), new StreamId(1526919030474L, 55).toBytes());
  }

  @Test
  void next_andPrevious_carryAndStopAtTheEnds() {
    assertEquals(new StreamId(5, 1), new StreamId(5, 0).next());
    assertEquals(new StreamId(6, 0), new StreamId(5, U64_MAX).next());
    assertNull(StreamId.MAX.next());
    assertEquals(StreamId.MIN, StreamId.MAX.nextWrapping());
    assertEquals(new StreamId(4, U64_MAX), new StreamId(5, 0).previous());
    assertEquals(new StreamId(5, 0), new StreamId(5, 1).previous());
    assertNull(StreamId.MIN.previous());
  }

  @Test
  void parseStrict_plainForms_defaultSequenceZero() {
    assertEquals(new StreamId(5, 3), id("5-3"));
    assertEquals(new StreamId(5, 0), id("5"));
    assertEquals(StreamId.MAX, id("18446744073709551615-18446744073709551615"));
    assertEquals(new StreamId(U64_MAX, 0), id("18446744073709551615"));
  }

  @Test
  void parseStrict_specialOrMalformed_failsWithRedisText() {
    for (String bad :
        new String[] {
          "-", "+", "", "5 ", "0x5", "-0", "5-*", "*", "18446744073709551616", "1-2-3", "a-1", "1-"
        }) {
      assertInvalid(() -> id(bad));
    }
    assertInvalid(() -> id("1".repeat(128))); // longer than Redis's 127-byte buffer
  }

  /** Forms redis-server 7.0.15 accepted by hand (string2ull falling back to strtoull). */
  @Test
  void parseStrict_strtoullLeniency_acceptsAsRedis() {
    assertEquals(new StreamId(5, 0), id("+5"));
    assertEquals(new StreamId(5, 0), id(" 5"));
    assertEquals(new StreamId(7, 1), id("007-1"));
    assertEquals(new StreamId(1, -5L), id("1--05")); // seq 2^64-5
    assertEquals(new StreamId(1, -5L), id("1- -5"));
    assertInvalid(() -> id("1--5")); // the strict parser sees -5 and refuses
    assertEquals(new StreamId(5, 0), id("5\0junk")); // read as a C string
  }

  @Test
  void parse_nonStrict_acceptsMinusAndPlus() {
    assertEquals(StreamId.MIN, StreamId.parse(b("-"), 0));
    assertEquals(StreamId.MAX, StreamId.parse(b("+"), 0));
    assertEquals(new StreamId(9, U64_MAX), StreamId.parse(b("9"), U64_MAX));
  }

  @Test
  void parseRangeStart_formsAndExclusive_areInclusiveStarts() {
    assertEquals(StreamId.MIN, StreamId.parseRangeStart(b("-")));
    assertEquals(StreamId.MAX, StreamId.parseRangeStart(b("+")));
    assertEquals(new StreamId(3, 0), StreamId.parseRangeStart(b("3")));
    assertEquals(new StreamId(3, 1), StreamId.parseRangeStart(b("(3")));
    assertEquals(new StreamId(4, 0), StreamId.parseRangeStart(b("(3-18446744073709551615")));
    StreamException e =
        assertThrows(
            StreamException.class,
            () -> StreamId.parseRangeStart(b("(18446744073709551615-18446744073709551615")));
    assertEquals("ERR invalid start ID for the interval", e.getMessage());
    assertInvalid(() -> StreamId.parseRangeStart(b("(")));
    assertInvalid(() -> StreamId.parseRangeStart(b("(-")));
    assertInvalid(() -> StreamId.parseRangeStart(b("((1")));
  }

  @Test
  void parseRangeEnd_formsAndExclusive_areInclusiveEnds() {
    assertEquals(StreamId.MAX, StreamId.parseRangeEnd(b("+")));
    assertEquals(new StreamId(3, U64_MAX), StreamId.parseRangeEnd(b("3")));
    assertEquals(new StreamId(3, 0), StreamId.parseRangeEnd(b("(3-1")));
    // "(3" is 3-18446744073709551615 exclusive, as Redis fills the end's missing sequence
    assertEquals(new StreamId(3, U64_MAX - 1), StreamId.parseRangeEnd(b("(3")));
    StreamException e =
        assertThrows(StreamException.class, () -> StreamId.parseRangeEnd(b("(0-0")));
    assertEquals("ERR invalid end ID for the interval", e.getMessage());
    assertInvalid(() -> StreamId.parseRangeEnd(b("(+")));
  }

  @Test
  void addIdParse_forms_distinguishAutoPartialAndExplicit() {
    assertTrue(StreamAddId.parse(b("*")).auto());
    StreamAddId partial = StreamAddId.parse(b("7-*"));
    assertFalse(partial.auto());
    assertFalse(partial.seqGiven());
    assertEquals(7, partial.ms());
    StreamAddId explicit = StreamAddId.parse(b("7"));
    assertTrue(explicit.seqGiven());
    assertEquals(0, explicit.seq());
    assertTrue(StreamAddId.parse(b("0")).isExplicitZero());
    assertTrue(StreamAddId.parse(b("0-0")).isExplicitZero());
    assertFalse(StreamAddId.parse(b("0-*")).isExplicitZero());
    assertEquals("7-*", partial.toString());
  }

  @Test
  void addIdParse_minusPlusOrStarElsewhere_invalid() {
    for (String bad : new String[] {"-", "+", "*-1", "1-**", "**"}) {
      assertInvalid(() -> StreamAddId.parse(b(bad)));
    }
  }
}
