package dev.sluice.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class KeyTemplateTest {
  private static KeyTemplate template(String text) {
    try {
      return KeyTemplate.parse(text);
    } catch (InvalidValueException e) {
      throw new AssertionError(e.getMessage(), e);
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String refusal(String text) {
    return assertThrows(InvalidValueException.class, () -> KeyTemplate.parse(text)).getMessage();
  }

  @Test
  void match_onePlaceholder_extractsValue() {
    KeyTemplate.Match match = template("user:{id}").match(bytes("user:42"));

    assertNotNull(match);
    assertEquals("42", match.value(0));
    assertEquals("42", match.value("id"));
    assertEquals(List.of("42"), match.values());
  }

  @Test
  void match_twoPlaceholders_extractsBothInOrder() {
    KeyTemplate.Match match = template("order:{tenant}:{id}").match(bytes("order:acme:17"));

    assertEquals(List.of("acme", "17"), match.values());
    assertEquals("acme", match.value("tenant"));
    assertEquals(List.of("tenant", "id"), match.template().placeholders());
  }

  @ParameterizedTest(name = "{0} does not match {1}")
  @CsvSource({
    "user:{id}, user:",
    "user:{id}, user",
    "user:{id}, users:1",
    "user:{id}, User:1",
    "user:{id}, user:1:orders",
    "user:{id}, xuser:1",
    "user:{id}, ''",
    "order:{tenant}:{id}, order:acme:",
    "order:{tenant}:{id}, order::17",
    "order:{tenant}:{id}, order:acme",
    "order:{tenant}:{id}, order:a:b:c",
    "user:{id}:orders, user:1:orders:x",
    "user:{id}:orders, user:1:order",
    "user:{id}:orders, user::orders",
    "item:{sku}-{size}, item:a-b-c",
    "ingest:page_views, ingest:page_views2",
    "ingest:page_views, ingest:page_view",
    "session:*, sessio",
    "session:*, Session:1"
  })
  void matches_keyOfAnotherShape_isFalse(String text, String key) {
    KeyTemplate template = template(text);

    assertFalse(template.matches(bytes(key)));
    assertNull(template.match(bytes(key)));
  }

  @ParameterizedTest(name = "{0} matches {1}")
  @CsvSource({
    "user:{id}, user:1",
    "user:{id}, user:a b c",
    "user:{id}, user:{}",
    "user:{id}:orders, user:77:orders",
    "item:{sku}-{size}, item:a:b-XL",
    "ingest:page_views, ingest:page_views",
    "session:*, session:",
    "session:*, session:abc",
    "session:*, session:a:b:c",
    "*, anything",
    "{id}, a:b:c",
    "v{major}.{minor}, v1.2"
  })
  void matches_keyOfTheShape_isTrue(String text, String key) {
    KeyTemplate template = template(text);

    assertTrue(template.matches(bytes(key)));
    assertNotNull(template.match(bytes(key)));
  }

  @Test
  void match_valueWithSeparatorOfTrailingPlaceholder_isNoMatch() {
    // {size} ends the template; its separator is the '-' before it.
    assertNull(template("item:{sku}-{size}").match(bytes("item:a-b-c")));
    assertEquals(
        List.of("a:b", "XL"), template("item:{sku}-{size}").match(bytes("item:a:b-XL")).values());
  }

  @Test
  void match_wildcard_capturesNothing() {
    KeyTemplate template = template("session:{tenant}:*");

    assertEquals(List.of("acme"), template.match(bytes("session:acme:x:y")).values());
    assertNull(template.match(bytes("session:acme")));
  }

  @Test
  void match_nonAsciiValue_isDecodedAsUtf8() {
    assertEquals("Zoë ✓", template("user:{name}").match(bytes("user:Zoë ✓")).value(0));
  }

  @Test
  void match_invalidUtf8Value_matchesButValueThrowsNamingPlaceholder() {
    byte[] key = {'u', 's', 'e', 'r', ':', (byte) 0xff, (byte) 0xfe};

    KeyTemplate.Match match = template("user:{id}").match(key);

    assertNotNull(match);
    KeyTemplate.MalformedKeyException e =
        assertThrows(KeyTemplate.MalformedKeyException.class, () -> match.value(0));
    assertEquals("id", e.placeholder());
    assertTrue(e.getMessage().contains("{id}"), e.getMessage());
    assertArrayEquals(new byte[] {(byte) 0xff, (byte) 0xfe}, match.bytes(0));
  }

  @Test
  void match_binaryBytesAndNul_areOrdinaryValueBytes() {
    byte[] key = {'k', ':', 0, 1, 2};

    assertEquals("\0\1\2", template("k:{v}").match(key).value(0));
  }

  @Test
  void parse_escapes_areLiterals() {
    KeyTemplate template = template("\\{user\\}:{id}\\*\\\\");

    assertEquals(List.of("7"), template.match(bytes("{user}:7*\\")).values());
    assertNull(template.match(bytes("{user}:7")));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "\"\"| it is empty",
        "user:{id| '{' at position 5 is not closed",
        "user:id}| '}' at position 7 has no '{'",
        "user:{}| '{}' at position 5 is not a placeholder name",
        "user:{1d}| '{1d}' at position 5 is not a placeholder name",
        "user:{a-b}| '{a-b}' at position 5 is not a placeholder name",
        "a:{x}:{x}| placeholder {x} appears twice",
        "{a}{b}| two placeholders (or a placeholder and *) touch at position 3",
        "user:{id}*| touch at position 9",
        "*:meta| '*' at position 0 is only allowed at the end",
        "a\\b| '\\' at position 1 must be followed by",
        "user:{id}é| the separator of {id} ('é', the character next to it) must be an ASCII"
      })
  void parse_malformed_saysWhatAndWhere(String text, String expected) {
    String message = refusal(text);

    assertTrue(message.startsWith("a key template such as user:{id} or session:*; "), message);
    assertTrue(message.contains(expected), () -> "expected '" + expected + "' in: " + message);
  }

  @Test
  void accessors_describeTheTemplate() {
    KeyTemplate rows = template("order:{tenant}:{id}");
    KeyTemplate fixed = template("ingest:page_views");
    KeyTemplate star = template("session:*");

    assertEquals("order:{tenant}:{id}", rows.text());
    assertArrayEquals(bytes("order:"), rows.literalPrefix());
    assertFalse(rows.isFixed());
    assertTrue(fixed.isFixed());
    assertTrue(star.hasWildcard());
    assertFalse(rows.hasWildcard());
    assertEquals("order:{}:{}", rows.shape());
    assertEquals(template("order:{a}:{b}").shape(), rows.shape());
    assertArrayEquals(new byte[0], template("{id}:x").literalPrefix());
  }

  @Test
  void expand_isTheInverseOfMatch() {
    KeyTemplate template = template("order:{tenant}:{id}");

    String key = template.expand(List.of("acme", "17"));

    assertEquals("order:acme:17", key);
    assertEquals(List.of("acme", "17"), template.match(key).values());
    assertEquals("order:acme:17", template.expand(Map.of("id", "17", "tenant", "acme")));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "a:b"})
  void expand_valueThatWouldNotMatchBack_isRefused(String value) {
    KeyTemplate template = template("user:{id}");

    assertThrows(IllegalArgumentException.class, () -> template.expand(List.of(value)));
  }

  @Test
  void expand_wildcardTemplate_isRefused() {
    assertThrows(IllegalArgumentException.class, () -> template("session:*").expand(List.of()));
  }

  @Test
  void toGlob_escapesGlobCharactersAndStarsCaptures() {
    assertEquals("user:*", template("user:{id}").toGlob());
    assertEquals("order:*:*", template("order:{tenant}:{id}").toGlob());
    assertEquals("a\\[x\\]\\?:*", template("a[x]?:*").toGlob());
    assertEquals("\\*:*", template("\\*:{id}").toGlob());
  }

  @Test
  void equality_isByText() {
    assertEquals(template("user:{id}"), template("user:{id}"));
    assertEquals(template("user:{id}").hashCode(), template("user:{id}").hashCode());
    assertFalse(template("user:{id}").equals(template("user:{uid}")));
  }

  /**
   * Random keys against a few templates: match agrees with matches, expand(match(k)) == k, and
   * every extracted value is non-empty and free of its separator.
   */
  @Test
  void match_randomKeys_roundTripsAndHonoursSeparators() {
    List<KeyTemplate> templates =
        List.of(
            template("user:{id}"),
            template("order:{tenant}:{id}"),
            template("item:{sku}-{size}"),
            template("user:{id}:orders"),
            template("{id}"));
    String alphabet = "ab:-1ré{}*";
    Random random = new Random(42);
    int matched = 0;
    for (int n = 0; n < 20_000; n++) {
      StringBuilder key = new StringBuilder();
      String[] prefixes = {"user:", "order:", "item:", ""};
      key.append(prefixes[random.nextInt(prefixes.length)]);
      int length = random.nextInt(8);
      for (int i = 0; i < length; i++) {
        key.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      if (random.nextBoolean()) {
        key.append(":orders");
      }
      byte[] bytes = bytes(key.toString());
      for (KeyTemplate template : templates) {
        KeyTemplate.Match match = template.match(bytes);
        assertEquals(match != null, template.matches(bytes), template + " / " + key);
        if (match != null) {
          matched++;
          List<String> values = match.values();
          for (String value : values) {
            assertFalse(value.isEmpty(), template + " / " + key);
          }
          assertEquals(key.toString(), template.expand(values), template + " / " + key);
        }
      }
    }
    assertTrue(matched > 1000, "too few matches to mean anything: " + matched);
  }

  @Test
  void match_keyOfOtherMappingShape_neverMatchesBoth() {
    KeyTemplate user = template("user:{id}");
    KeyTemplate orders = template("user:{id}:orders");
    List<String> keys = new ArrayList<>(List.of("user:1", "user:1:orders", "user:1:x"));

    for (String key : keys) {
      assertFalse(user.matches(bytes(key)) && orders.matches(bytes(key)), key);
    }
    assertTrue(orders.matches(bytes("user:1:orders")));
    assertFalse(user.matches(bytes("user:1:orders")));
  }
}
