package dev.sluice.proxy.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GlobTest {

  /** Each row was checked against redis-server with SET string + KEYS pattern. */
  @ParameterizedTest(name = "[{index}] \"{0}\" vs \"{1}\" -> {2}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      '*' | 'anything' | true
      '*' | 'x' | true
      '*' | '*' | true
      '**' | 'abc' | true
      'a*' | 'a' | true
      'a*' | 'abc' | true
      'a*' | 'ba' | false
      '*a' | 'a' | true
      '*a' | 'cba' | true
      '*a' | 'ab' | false
      '*b*' | 'abc' | true
      '*b*' | 'ac' | false
      'a*b*c' | 'aXXbYYc' | true
      'a*b*c' | 'aXXbYY' | false
      'h?llo' | 'hello' | true
      'h?llo' | 'hallo' | true
      'h?llo' | 'hllo' | false
      'h?llo' | 'heello' | false
      '?' | 'é' | false
      '??' | 'é' | true
      'h[ae]llo' | 'hello' | true
      'h[ae]llo' | 'hallo' | true
      'h[ae]llo' | 'hillo' | false
      'h[^e]llo' | 'hallo' | true
      'h[^e]llo' | 'hello' | false
      'h[^e]llo' | 'hllo' | false
      'h[a-b]llo' | 'hallo' | true
      'h[a-b]llo' | 'hbllo' | true
      'h[a-b]llo' | 'hcllo' | false
      '[a-z]' | 'm' | true
      '[a-z]' | 'M' | false
      '[z-a]' | 'm' | true
      '[z-a]' | 'z' | true
      '[z-a]' | '0' | false
      '[^a-z]' | '0' | true
      '[^a-z]' | 'm' | false
      '[0-9a-f]' | 'c' | true
      '[0-9a-f]' | '7' | true
      '[0-9a-f]' | 'g' | false
      '[abc' | 'a' | true
      '[abc' | 'd' | false
      '[a-' | 'a' | true
      '[a-' | '-' | true
      '[]' | ']' | false
      '[]]' | ']' | false
      '[\\]]' | ']' | true
      '[\\]]' | '\\' | false
      '[\\-]' | '-' | true
      '[a\\-z]' | 'b' | false
      '[a\\-z]' | '-' | true
      '\\*' | '*' | true
      '\\*' | 'a' | false
      'a\\?b' | 'a?b' | true
      'a\\?b' | 'axb' | false
      '\\[a]' | '[a]' | true
      '\\\\' | '\\' | true
      'a\\' | 'a\\' | true
      'a\\' | 'ab' | false
      '*\\*' | 'abc*' | true
      '*\\*' | 'abc' | false
      'foo:*:bar' | 'foo:1:bar' | true
      'foo:*:bar' | 'foo:1:2:bar' | true
      'foo:*:bar' | 'foo:bar' | false
      'user:[0-9]*' | 'user:42' | true
      'user:[0-9]*' | 'user:x42' | false
      """)
  void matches_redisRules_agreeWithRedis(String pattern, String string, boolean expected) {
    assertEquals(expected, Glob.matches(pattern, string));
    assertEquals(
        expected,
        Glob.matches(
            pattern.getBytes(StandardCharsets.UTF_8), string.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void matches_emptyPatternAndString_matchOnlyEachOther() {
    assertTrue(Glob.matches("", ""));
    assertFalse(Glob.matches("", "a"));
    assertFalse(Glob.matches("a", ""));
    assertFalse(Glob.matches("?", ""));
  }

  @Test
  void matches_starsAgainstEmptyString_doNotMatch() {
    // Redis's stringmatchlen never enters its loop for an empty string: "**" does not match ""
    // (KEYS ** skips the empty key; only the exact pattern "*" is special-cased by callers).
    assertFalse(Glob.matches("*", ""));
    assertFalse(Glob.matches("**", ""));
  }

  @Test
  void matches_binaryBytes_compareExactly() {
    byte[] string = {0, (byte) 0xff, '\r', '\n'};
    assertTrue(Glob.matches(new byte[] {0, '?', '*'}, string));
    assertTrue(Glob.matches(new byte[] {'*', '\n'}, string));
    assertTrue(Glob.matches(new byte[] {'?', '[', (byte) 0xfe, (byte) 0xff, ']', '*'}, string));
    assertFalse(Glob.matches(new byte[] {'?', '[', (byte) 0xfe, ']', '*'}, string));
    assertTrue(
        Glob.matches(new byte[] {'?', '[', (byte) 0x80, '-', (byte) 0xff, ']', '*'}, string));
    assertFalse(Glob.matches(new byte[] {1, '*'}, string));
  }

  @Test
  void matches_caseSensitiveByDefault() {
    assertFalse(Glob.matches("HELLO", "hello"));
    assertFalse(Glob.matches("h[A-Z]llo", "hello"));
  }

  @Test
  void matchesIgnoreCase_literalsClassesAndRanges_ignoreAsciiCase() {
    assertTrue(Glob.matchesIgnoreCase("HELLO", "hello"));
    assertTrue(Glob.matchesIgnoreCase("hello", "HeLLo"));
    assertTrue(Glob.matchesIgnoreCase("h?LL*", "HeLLo world"));
    assertTrue(Glob.matchesIgnoreCase("h[E]llo", "hello"));
    assertTrue(Glob.matchesIgnoreCase("h[a-z]llo", "hEllo"));
    assertTrue(Glob.matchesIgnoreCase("h[A-Z]llo", "hello"));
    assertTrue(Glob.matchesIgnoreCase("max*", "MAXMEMORY-POLICY"));
    assertTrue(Glob.matchesIgnoreCase("\\A", "a"));
    assertFalse(Glob.matchesIgnoreCase("h[^E]llo", "hello"));
    assertFalse(Glob.matchesIgnoreCase("hello", "hellp"));
    assertFalse(Glob.matchesIgnoreCase("max*", "MINMEMORY"));
  }

  @Test
  void matches_pathologicalStarPattern_returnsQuickly() {
    String string = "a".repeat(30);
    String pattern = "a*a*a*a*a*a*a*a*a*a*b";

    boolean result =
        assertTimeoutPreemptively(Duration.ofSeconds(2), () -> Glob.matches(pattern, string));

    assertFalse(result);
  }

  @Test
  void matches_pathologicalPatternAgainstLongString_returnsQuickly() {
    String string = "a".repeat(10_000);
    String pattern = "*a".repeat(50) + "*b";

    boolean result =
        assertTimeoutPreemptively(Duration.ofSeconds(2), () -> Glob.matches(pattern, string));

    assertFalse(result);
    assertTrue(Glob.matches("*a".repeat(50) + "*", string));
  }
}
