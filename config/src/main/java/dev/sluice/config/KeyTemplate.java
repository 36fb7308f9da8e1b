package dev.sluice.config;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The {@code keys} of a mapping: which Redis keys belong to it, and the values its placeholders
 * take in a given key.
 *
 * <h2>Syntax</h2>
 *
 * <ul>
 *   <li>Literal text matches itself, byte for byte (as UTF-8): {@code user:}.
 *   <li>{@code {name}} is a placeholder ({@code name} is {@code [A-Za-z_][A-Za-z0-9_]*}, unique in
 *       the template): {@code user:{id}}, {@code order:{tenant}:{id}}.
 *   <li>{@code *}, only at the very end, matches any rest of the key, including none and including
 *       separators: {@code session:*}. It captures nothing.
 *   <li>{@code \{}, {@code \}}, {@code \*} and {@code \\} are a literal brace, star and backslash
 *       (Redis Cluster hash tags: {@code \{user\}:{id}}).
 *   <li>Two captures may not touch ({@code {a}{b}}, {@code {a}*}): where one ends would be a guess.
 * </ul>
 *
 * <h2>Matching is strict</h2>
 *
 * Each placeholder has a <em>separator</em>: the first character of the literal after it or, for a
 * placeholder that ends the template, the last character of the literal before it ({@code :} in all
 * the examples above). A placeholder's value is <b>non-empty and never contains its separator</b>.
 * So {@code user:{id}} matches {@code user:42} but not {@code user:} nor {@code user:42:orders}
 * (which {@code user:{id}:orders} matches), and {@code order:{tenant}:{id}} does not match {@code
 * order:a:b:c}. The key either has exactly the template's shape or is not the mapping's; no key can
 * be read two ways. Separators must be ASCII. A template that is a single placeholder ({@code
 * {id}}) has no separator and takes any non-empty key.
 *
 * <h2>Speed</h2>
 *
 * Matching walks the key once, comparing literal bytes and scanning for one separator byte per
 * placeholder; no regular expression, no allocation for {@link #matches}. {@link #match} allocates
 * one small object; placeholder values are decoded only when asked for.
 *
 * <p>Values are UTF-8: {@link Match#value} throws {@link MalformedKeyException} for a value that is
 * not, because such a key has the mapping's shape but cannot name a row (callers answer with an
 * error naming the mapping and the placeholder).
 */
public final class KeyTemplate {
  private static final int LITERAL = 0;
  private static final int PLACEHOLDER = 1;
  private static final int WILDCARD = 2;
  private static final int NO_SEPARATOR = -1;

  private final String text;
  private final int[] kinds;
  private final byte[][] literals; // per part; null for captures
  private final int[] slots; // per part: placeholder index, or -1
  private final int[] separators; // per part: separator byte of a placeholder, or NO_SEPARATOR
  private final List<String> names;
  private final boolean wildcard;
  private final int minLength;

  private KeyTemplate(String text, List<Object> parts) {
    this.text = text;
    int n = parts.size();
    this.kinds = new int[n];
    this.literals = new byte[n][];
    this.slots = new int[n];
    this.separators = new int[n];
    List<String> placeholderNames = new ArrayList<>();
    int fixed = 0;
    boolean star = false;
    for (int i = 0; i < n; i++) {
      Object part = parts.get(i);
      slots[i] = -1;
      separators[i] = NO_SEPARATOR;
      if (part instanceof byte[] literal) {
        kinds[i] = LITERAL;
        literals[i] = literal;
        fixed += literal.length;
      } else if (part instanceof String name) {
        kinds[i] = PLACEHOLDER;
        slots[i] = placeholderNames.size();
        placeholderNames.add(name);
        fixed += 1;
        if (i + 1 < n) {
          separators[i] = ((byte[]) parts.get(i + 1))[0] & 0xff;
        } else if (i > 0) {
          byte[] before = (byte[]) parts.get(i - 1);
          separators[i] = before[before.length - 1] & 0xff;
        }
      } else {
        kinds[i] = WILDCARD;
        star = true;
      }
    }
    this.names = Collections.unmodifiableList(placeholderNames);
    this.wildcard = star;
    this.minLength = fixed;
  }

  /**
   * Parses a template.
   *
   * @throws InvalidValueException saying what is wrong and where, e.g. "a key template such as
   *     user:{id}: '{' at position 5 is not closed"
   */
  public static KeyTemplate parse(String text) throws InvalidValueException {
    if (text == null || text.isEmpty()) {
      throw invalid("it is empty");
    }
    List<Object> parts = new ArrayList<>();
    StringBuilder literal = new StringBuilder();
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == '\\') {
        if (i + 1 >= text.length() || "{}*\\".indexOf(text.charAt(i + 1)) < 0) {
          throw invalid(
              "'\\' at position " + i + " must be followed by {, }, * or \\ (to write them)");
        }
        literal.append(text.charAt(i + 1));
        i += 2;
      } else if (c == '{') {
        int close = text.indexOf('}', i + 1);
        if (close < 0) {
          throw invalid("'{' at position " + i + " is not closed");
        }
        String name = text.substring(i + 1, close);
        if (!isName(name)) {
          throw invalid(
              "'{"
                  + name
                  + "}' at position "
                  + i
                  + " is not a placeholder name (letters, digits and _, not starting with a"
                  + " digit)");
        }
        if (parts.contains(name)) {
          throw invalid("placeholder {" + name + "} appears twice");
        }
        addCapture(parts, literal, name, i);
        i = close + 1;
      } else if (c == '}') {
        throw invalid("'}' at position " + i + " has no '{' (write \\} for a literal brace)");
      } else if (c == '*') {
        if (i != text.length() - 1) {
          throw invalid(
              "'*' at position " + i + " is only allowed at the end (write \\* for a star)");
        }
        addCapture(parts, literal, Wildcard.INSTANCE, i);
        i++;
      } else {
        literal.append(c);
        i++;
      }
    }
    flush(parts, literal);
    for (int p = 0; p < parts.size(); p++) {
      if (parts.get(p) instanceof String name) {
        String separator = separatorOf(parts, p);
        if (separator != null && separator.charAt(0) > 0x7f) {
          throw invalid(
              "the separator of {"
                  + name
                  + "} ('"
                  + separator
                  + "', the character next to it) must be an ASCII character");
        }
      }
    }
    return new KeyTemplate(text, parts);
  }

  private static String separatorOf(List<Object> parts, int p) {
    if (p + 1 < parts.size()) {
      byte[] after = (byte[]) parts.get(p + 1);
      return new String(after, StandardCharsets.UTF_8).substring(0, 1);
    }
    if (p > 0) {
      String before = new String((byte[]) parts.get(p - 1), StandardCharsets.UTF_8);
      return before.substring(before.length() - 1);
    }
    return null;
  }

  private static void addCapture(List<Object> parts, StringBuilder literal, Object capture, int at)
      throws InvalidValueException {
    flush(parts, literal);
    if (!parts.isEmpty() && !(parts.get(parts.size() - 1) instanceof byte[])) {
      throw invalid(
          "two placeholders (or a placeholder and *) touch at position "
              + at
              + "; put a separator such as ':' between them");
    }
    parts.add(capture);
  }

  private static void flush(List<Object> parts, StringBuilder literal) {
    if (!literal.isEmpty()) {
      parts.add(literal.toString().getBytes(StandardCharsets.UTF_8));
      literal.setLength(0);
    }
  }

  private static boolean isName(String name) {
    if (name.isEmpty() || Character.isDigit(name.charAt(0))) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  private static InvalidValueException invalid(String why) {
    return new InvalidValueException("a key template such as user:{id} or session:*; " + why);
  }

  /** The template as written in the configuration. */
  public String text() {
    return text;
  }

  /** Placeholder names in template order. */
  public List<String> placeholders() {
    return names;
  }

  /** Whether the template ends with {@code *}. */
  public boolean hasWildcard() {
    return wildcard;
  }

  /** Whether the template is one fixed key (no placeholder, no {@code *}). */
  public boolean isFixed() {
    return kinds.length == 1 && kinds[0] == LITERAL;
  }

  /**
   * The literal bytes every matching key starts with (empty when the template starts with a
   * capture): a cheap first filter, e.g. for an index of mappings by prefix.
   */
  public byte[] literalPrefix() {
    return kinds.length > 0 && kinds[0] == LITERAL ? literals[0].clone() : new byte[0];
  }

  /** The same template with every placeholder written as {@code {}}: equal shapes match alike. */
  public String shape() {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < kinds.length; i++) {
      switch (kinds[i]) {
        case LITERAL -> out.append(escape(new String(literals[i], StandardCharsets.UTF_8)));
        case PLACEHOLDER -> out.append("{}");
        default -> out.append('*');
      }
    }
    return out.toString();
  }

  /** Whether {@code key} belongs to this template; allocates nothing. */
  public boolean matches(byte[] key) {
    return scan(key, null, null);
  }

  /** The placeholder values of {@code key}, or null when the key does not match. */
  public Match match(byte[] key) {
    int[] starts = new int[names.size()];
    int[] ends = new int[names.size()];
    return scan(key, starts, ends) ? new Match(key, starts, ends) : null;
  }

  /** Matches the UTF-8 bytes of {@code key}. */
  public Match match(String key) {
    return match(key.getBytes(StandardCharsets.UTF_8));
  }

  private boolean scan(byte[] key, int[] starts, int[] ends) {
    if (key.length < minLength) {
      return false;
    }
    int pos = 0;
    for (int i = 0; i < kinds.length; i++) {
      switch (kinds[i]) {
        case LITERAL -> {
          byte[] literal = literals[i];
          if (key.length - pos < literal.length
              || Arrays.mismatch(key, pos, pos + literal.length, literal, 0, literal.length)
                  != -1) {
            return false;
          }
          pos += literal.length;
        }
        case PLACEHOLDER -> {
          int separator = separators[i];
          int end = pos;
          while (end < key.length && (key[end] & 0xff) != separator) {
            end++;
          }
          boolean last = i == kinds.length - 1;
          if (end == pos || (last && end != key.length)) {
            return false;
          }
          if (starts != null) {
            starts[slots[i]] = pos;
            ends[slots[i]] = end;
          }
          pos = end;
        }
        default -> {
          return true; // the wildcard is last and takes the rest
        }
      }
    }
    return pos == key.length;
  }

  /**
   * The key for the given placeholder values, in {@link #placeholders()} order: the inverse of
   * {@link #match}. A template ending in {@code *} cannot be expanded.
   *
   * @throws IllegalArgumentException if a value is empty or contains its separator (the key would
   *     not match back), or the count is wrong
   */
  public String expand(List<String> values) {
    if (wildcard) {
      throw new IllegalArgumentException("template " + text + " ends in * and names no one key");
    }
    if (values.size() != names.size()) {
      throw new IllegalArgumentException(
          "template " + text + " has " + names.size() + " placeholders, got " + values.size());
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < kinds.length; i++) {
      if (kinds[i] == LITERAL) {
        out.append(new String(literals[i], StandardCharsets.UTF_8));
      } else {
        String value = values.get(slots[i]);
        String name = names.get(slots[i]);
        if (value == null || value.isEmpty()) {
          throw new IllegalArgumentException("placeholder {" + name + "} needs a non-empty value");
        }
        if (separators[i] != NO_SEPARATOR && value.indexOf((char) separators[i]) >= 0) {
          throw new IllegalArgumentException(
              "value '"
                  + value
                  + "' of placeholder {"
                  + name
                  + "} contains its separator '"
                  + (char) separators[i]
                  + "'");
        }
        out.append(value);
      }
    }
    return out.toString();
  }

  /** {@link #expand(List)} with values by placeholder name. */
  public String expand(Map<String, String> values) {
    List<String> ordered = new ArrayList<>(names.size());
    for (String name : names) {
      ordered.add(values.get(name));
    }
    return expand(ordered);
  }

  /**
   * A Redis glob (as for KEYS and SCAN MATCH) that every matching key matches: literals escaped,
   * each capture a {@code *}. It can match more keys than the template (a glob {@code *} also spans
   * separators), so check candidates with {@link #matches}.
   */
  public String toGlob() {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < kinds.length; i++) {
      if (kinds[i] == LITERAL) {
        for (char c : new String(literals[i], StandardCharsets.UTF_8).toCharArray()) {
          if ("*?[]\\".indexOf(c) >= 0) {
            out.append('\\');
          }
          out.append(c);
        }
      } else {
        out.append('*');
      }
    }
    return out.toString();
  }

  private static String escape(String literal) {
    StringBuilder out = new StringBuilder();
    for (char c : literal.toCharArray()) {
      if ("{}*\\".indexOf(c) >= 0) {
        out.append('\\');
      }
      out.append(c);
    }
    return out.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KeyTemplate other && other.text.equals(text);
  }

  @Override
  public int hashCode() {
    return text.hashCode();
  }

  @Override
  public String toString() {
    return text;
  }

  /** The placeholder values of one matching key, decoded from UTF-8 on demand. */
  public final class Match {
    private final byte[] key;
    private final int[] starts;
    private final int[] ends;

    private Match(byte[] key, int[] starts, int[] ends) {
      this.key = key;
      this.starts = starts;
      this.ends = ends;
    }

    public KeyTemplate template() {
      return KeyTemplate.this;
    }

    /**
     * The value of the {@code index}-th placeholder.
     *
     * @throws MalformedKeyException if those bytes are not UTF-8
     */
    public String value(int index) {
      try {
        return StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT)
            .decode(ByteBuffer.wrap(key, starts[index], ends[index] - starts[index]))
            .toString();
      } catch (CharacterCodingException e) {
        throw new MalformedKeyException(names.get(index));
      }
    }

    /** The value of the placeholder called {@code name}. */
    public String value(String name) {
      int index = names.indexOf(name);
      if (index < 0) {
        throw new IllegalArgumentException(
            "template " + text + " has no placeholder {" + name + "}");
      }
      return value(index);
    }

    /** The raw bytes of the {@code index}-th placeholder's value. */
    public byte[] bytes(int index) {
      return Arrays.copyOfRange(key, starts[index], ends[index]);
    }

    /** Every value in {@link #placeholders()} order. */
    public List<String> values() {
      List<String> values = new ArrayList<>(names.size());
      for (int i = 0; i < names.size(); i++) {
        values.add(value(i));
      }
      return values;
    }
  }

  /** A key of the template's shape whose placeholder value is not valid UTF-8. */
  public static final class MalformedKeyException extends IllegalArgumentException {
    private final String placeholder;

    MalformedKeyException(String placeholder) {
      super("the value of placeholder {" + placeholder + "} is not valid UTF-8");
      this.placeholder = placeholder;
    }

    public String placeholder() {
      return placeholder;
    }
  }

  private enum Wildcard {
    INSTANCE
  }
}
