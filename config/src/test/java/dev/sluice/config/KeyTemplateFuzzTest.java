package dev.sluice.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fuzz target for {@link KeyTemplate}: for any template that parses and any key, {@link
 * KeyTemplate#matches} and the captured bytes agree with a regular expression built independently
 * from the documented rules (literals match themselves, a placeholder is one or more bytes other
 * than its separator, a final {@code *} anything). Keys are compared as ISO-8859-1, one char per
 * byte, so the regex sees the same bytes the matcher does.
 */
class KeyTemplateFuzzTest {
  /**
   * Input: one byte n, n bytes of template (UTF-8), one byte choosing whether the rest is the key
   * itself (even) or fills the template's placeholders to make a key of its shape (odd).
   */
  @FuzzTest
  void match_anyTemplateAndKey_agreesWithReferenceRegex(byte[] input) {
    if (input.length < 2) {
      return;
    }
    int n = Math.min(input[0] & 0xff, input.length - 2);
    String text = new String(input, 1, n, StandardCharsets.UTF_8);
    boolean shaped = (input[1 + n] & 1) == 1;
    byte[] rest = Arrays.copyOfRange(input, 2 + n, input.length);
    byte[] key = shaped ? expandish(text, rest) : rest;
    KeyTemplate template;
    try {
      template = KeyTemplate.parse(text);
    } catch (InvalidValueException e) {
      return;
    }
    Pattern reference = reference(text);

    Matcher m = reference.matcher(new String(key, StandardCharsets.ISO_8859_1));
    boolean expected = m.matches();

    assertEquals(expected, template.matches(key), () -> "template " + text + " key " + show(key));
    KeyTemplate.Match match = template.match(key);
    assertEquals(expected, match != null);
    if (match != null) {
      for (int i = 0; i < template.placeholders().size(); i++) {
        assertArrayEquals(m.group(i + 1).getBytes(StandardCharsets.ISO_8859_1), match.bytes(i));
      }
    }
  }

  /** A key shaped like the template: its text with each placeholder replaced by fuzzer bytes. */
  private static byte[] expandish(String text, byte[] filler) {
    String latin = new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    String fill = new String(filler, StandardCharsets.ISO_8859_1);
    return latin
        .replaceAll("\\{[A-Za-z_][A-Za-z0-9_]*\\}", Matcher.quoteReplacement(fill))
        .replace("\\", "")
        .getBytes(StandardCharsets.ISO_8859_1);
  }

  /** The documented rules as a regex over ISO-8859-1 text of UTF-8 bytes. */
  static Pattern reference(String text) {
    List<Object> parts = new ArrayList<>(); // literal StringBuilders, names, or '*'
    StringBuilder literal = new StringBuilder();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\\') {
        literal.append(text.charAt(++i));
      } else if (c == '{') {
        int close = text.indexOf('}', i);
        parts.add(literal.toString());
        parts.add(text.substring(i + 1, close));
        literal = new StringBuilder();
        i = close;
      } else if (c == '*') {
        parts.add(literal.toString());
        parts.add('*');
        literal = new StringBuilder();
      } else {
        literal.append(c);
      }
    }
    parts.add(literal.toString());
    StringBuilder regex = new StringBuilder();
    for (int i = 0; i < parts.size(); i++) {
      Object part = parts.get(i);
      if (part instanceof Character) {
        regex.append("(?:.*)");
      } else if (i % 2 == 0) {
        regex.append(Pattern.quote(latin((String) part)));
      } else {
        String after = latin((String) parts.get(i + 1));
        String before = latin((String) parts.get(i - 1));
        String separator =
            !after.isEmpty()
                ? after.substring(0, 1)
                : before.isEmpty() ? null : before.substring(before.length() - 1);
        regex.append(
            separator == null
                ? "(.+)"
                : "([^\\x{" + Integer.toHexString(separator.charAt(0)) + "}]+)");
      }
    }
    return Pattern.compile(regex.toString(), Pattern.DOTALL);
  }

  private static String latin(String s) {
    return new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
  }

  private static String show(byte[] key) {
    return new String(key, StandardCharsets.ISO_8859_1).replace("\r", "\\r").replace("\n", "\\n");
  }
}
