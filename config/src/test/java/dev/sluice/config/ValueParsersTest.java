package dev.sluice.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ValueParsersTest {
  private static final ValueParser<Long> MEMORY = ValueParsers.memory(0, Long.MAX_VALUE);

  @ParameterizedTest(name = "{0} = {1}")
  @CsvSource({
    "0, 0",
    "42, 42",
    "42b, 42",
    "1k, 1000",
    "1kb, 1024",
    "1m, 1000000",
    "1mb, 1048576",
    "100mb, 104857600",
    "1g, 1000000000",
    "1gb, 1073741824",
    "4gb, 4294967296",
    "1KB, 1024",
    "100MB, 104857600",
    "1Gb, 1073741824",
    "'  5mb  ', 5242880"
  })
  void memory_withUnit_isRedisByteCount(String raw, long expected) throws Exception {
    assertEquals(expected, MEMORY.parse(raw));
  }

  @ParameterizedTest
  @ValueSource(strings = {"lots", "", "mb", "-1", "-1kb", "1tb", "1.5mb", "1 kb", "9999999999gb"})
  void memory_malformed_isRefusedSayingWhatIsExpected(String raw) {
    InvalidValueException e = assertThrows(InvalidValueException.class, () -> MEMORY.parse(raw));
    assertTrue(e.getMessage().startsWith("a byte count between 0 and "), e.getMessage());
    assertTrue(e.getMessage().contains("(kb, mb, gb)"), e.getMessage());
  }

  @Test
  void memory_outsideBounds_isRefused() throws Exception {
    ValueParser<Long> bounded = ValueParsers.memory(1024, 2048);
    assertEquals(1024L, bounded.parse("1kb"));
    assertEquals(2048L, bounded.parse("2kb"));
    InvalidValueException e = assertThrows(InvalidValueException.class, () -> bounded.parse("3kb"));
    assertEquals(
        "a byte count between 1024 and 2048, optionally with a unit (kb, mb, gb)", e.getMessage());
    assertThrows(InvalidValueException.class, () -> bounded.parse("1023"));
  }

  @Test
  void memory_format_isPlainByteCount() {
    assertEquals("104857600", MEMORY.format(104_857_600L));
  }

  @ParameterizedTest(name = "{0} = {1}")
  @CsvSource({"yes, true", "no, false", "YES, true", "No, false", "true, true", "false, false"})
  void yesNo_acceptedWords_parse(String raw, boolean expected) throws Exception {
    assertEquals(expected, ValueParsers.yesNo().parse(raw));
  }

  @ParameterizedTest
  @ValueSource(strings = {"maybe", "", "1", "0", "y", "on"})
  void yesNo_otherWords_areRefused(String raw) {
    InvalidValueException e =
        assertThrows(InvalidValueException.class, () -> ValueParsers.yesNo().parse(raw));
    assertEquals("yes or no", e.getMessage());
  }

  @Test
  void yesNo_format_isYesOrNo() {
    assertEquals("yes", ValueParsers.yesNo().format(true));
    assertEquals("no", ValueParsers.yesNo().format(false));
  }

  @Test
  void integer_withinBounds_parses() throws Exception {
    ValueParser<Integer> port = ValueParsers.integer(0, 65535);
    assertEquals(0, port.parse("0"));
    assertEquals(65535, port.parse("65535"));
    assertEquals(6379, port.parse(" 6379 "));
  }

  @ParameterizedTest
  @ValueSource(strings = {"65536", "-1", "70000", "abc", "", "12.5", "99999999999999999999"})
  void integer_outsideBoundsOrNotANumber_isRefused(String raw) {
    InvalidValueException e =
        assertThrows(InvalidValueException.class, () -> ValueParsers.integer(0, 65535).parse(raw));
    assertEquals("an integer between 0 and 65535", e.getMessage());
  }

  @Test
  void oneOf_matchesCaseInsensitivelyAndLowerCases() throws Exception {
    ValueParser<String> policy = ValueParsers.oneOf("noeviction", "allkeys-lru");
    assertEquals("allkeys-lru", policy.parse("ALLKEYS-LRU"));
    assertEquals("noeviction", policy.parse(" noeviction "));
  }

  @Test
  void oneOf_unknownWord_isRefusedListingChoices() {
    ValueParser<String> policy = ValueParsers.oneOf("noeviction", "allkeys-lru");
    InvalidValueException e =
        assertThrows(InvalidValueException.class, () -> policy.parse("sometimes"));
    assertEquals("one of noeviction, allkeys-lru", e.getMessage());
  }

  @Test
  void words_spaceOrCommaSeparated_splitIntoList() throws Exception {
    ValueParser<List<String>> words = ValueParsers.words();
    assertEquals(List.of("127.0.0.1", "::1"), words.parse("127.0.0.1 ::1"));
    assertEquals(List.of("127.0.0.1", "::1"), words.parse("  127.0.0.1,  ::1  "));
    assertEquals(List.of("a", "b", "c"), words.parse("a,b\tc"));
    assertEquals(List.of("0.0.0.0"), words.parse("0.0.0.0"));
  }

  @Test
  void words_blank_isRefused() {
    InvalidValueException e =
        assertThrows(InvalidValueException.class, () -> ValueParsers.words().parse("   "));
    assertEquals("at least one value", e.getMessage());
  }

  @Test
  void words_format_joinsWithSpaces() {
    assertEquals("a b", ValueParsers.words().format(List.of("a", "b")));
  }

  @Test
  void string_keepsTextAsIs() throws Exception {
    assertEquals(" pass word ", ValueParsers.string().parse(" pass word "));
    assertEquals("", ValueParsers.string().parse(""));
  }

  @Test
  void settingDefaults_parseAndFormatBack() {
    for (Setting<?> setting : Settings.ALL) {
      Object value = setting.defaultValue();
      assertEquals(value, setting.parse(setting.format(value), "test"), setting.key());
      assertFalse(setting.description().isBlank(), setting.key());
    }
    assertEquals(6379, Settings.PORT.defaultValue());
    assertEquals(16, Settings.DATABASES.defaultValue());
    assertEquals(512L * 1024 * 1024, Settings.PROTO_MAX_BULK_LEN.defaultValue());
    assertEquals(List.of("127.0.0.1"), Settings.BIND.defaultValue());
  }
}
