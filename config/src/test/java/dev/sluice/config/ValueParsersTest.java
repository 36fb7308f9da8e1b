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

  private static final ValueParser<java.time.Duration> DURATION = ValueParsers.duration();

  @ParameterizedTest(name = "{0} = {1} ms")
  @CsvSource({
    "500ms, 500",
    "5s, 5000",
    "5, 5000",
    "0, 0",
    "10m, 600000",
    "1h, 3600000",
    "2d, 172800000",
    "'  3S ', 3000",
    "1MS, 1"
  })
  void duration_withUnit_isParsed(String raw, long millis) throws Exception {
    assertEquals(java.time.Duration.ofMillis(millis), DURATION.parse(raw));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"", "s", "-1s", "1.5s", "1 s", "10 minutes", "1w", "5sec", "999999999999d"})
  void duration_malformed_isRefusedSayingWhatIsExpected(String raw) {
    InvalidValueException e = assertThrows(InvalidValueException.class, () -> DURATION.parse(raw));
    assertEquals(
        "a duration between 0s and 365d, a whole number with a unit: ms, s, m, h or d (e.g."
            + " 500ms, 5s, 10m, 1h; a plain number is seconds)",
        e.getMessage());
  }

  @Test
  void duration_outsideBounds_isRefused() throws Exception {
    ValueParser<java.time.Duration> bounded =
        ValueParsers.duration(java.time.Duration.ofMillis(250), java.time.Duration.ofMinutes(1));
    assertEquals(java.time.Duration.ofMillis(250), bounded.parse("250ms"));
    assertThrows(InvalidValueException.class, () -> bounded.parse("249ms"));
    assertThrows(InvalidValueException.class, () -> bounded.parse("61s"));
    assertTrue(
        assertThrows(InvalidValueException.class, () -> bounded.parse("0"))
            .getMessage()
            .startsWith("a duration between 250ms and 1m"));
  }

  @Test
  void duration_format_isShortestExactUnit() {
    assertEquals("500ms", DURATION.format(java.time.Duration.ofMillis(500)));
    assertEquals("1500ms", DURATION.format(java.time.Duration.ofMillis(1500)));
    assertEquals("5s", DURATION.format(java.time.Duration.ofSeconds(5)));
    assertEquals("90s", DURATION.format(java.time.Duration.ofSeconds(90)));
    assertEquals("10m", DURATION.format(java.time.Duration.ofMinutes(10)));
    assertEquals("1h", DURATION.format(java.time.Duration.ofHours(1)));
    assertEquals("0s", DURATION.format(java.time.Duration.ZERO));
  }

  @ParameterizedTest
  @CsvSource({
    "embedded, embedded",
    "EMBEDDED, embedded",
    "jdbc:postgresql://db/app, jdbc:postgresql://db/app"
  })
  void postgresUrl_embeddedOrJdbc_isAccepted(String raw, String expected) throws Exception {
    assertEquals(expected, ValueParsers.postgresUrl().parse(raw));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "postgres://db/app", "jdbc:mysql://db/app", "jdbc:postgresql://"})
  void postgresUrl_other_isRefused(String raw) {
    InvalidValueException e =
        assertThrows(InvalidValueException.class, () -> ValueParsers.postgresUrl().parse(raw));
    assertTrue(e.getMessage().startsWith("'embedded' or a JDBC URL"), e.getMessage());
  }

  @Test
  void nonEmpty_spacesAroundAName_strippedAndKept() throws InvalidValueException {
    assertEquals("app user", ValueParsers.nonEmpty("a user name").parse("  app user\t"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "  ", "\u0000\u0006", "app\u0000", "\tname\u007f"})
  void nonEmpty_blankOrWithControlCharacters_refused(String raw) {
    assertThrows(
        InvalidValueException.class, () -> ValueParsers.nonEmpty("a user name").parse(raw));
  }
}
