package dev.sluice.proxy.durable;

/** A strict JSON syntax check (RFC 8259), as PostgreSQL's json input applies it. */
final class Json {
  private final String s;
  private int i;

  private Json(String s) {
    this.s = s;
  }

  static boolean valid(String text) {
    Json p = new Json(text);
    try {
      p.ws();
      p.value(0);
      p.ws();
      return p.i == text.length();
    } catch (IllegalStateException | StringIndexOutOfBoundsException e) {
      return false;
    }
  }

  private void ws() {
    while (i < s.length() && " \t\n\r".indexOf(s.charAt(i)) >= 0) {
      i++;
    }
  }

  private void value(int depth) {
    if (depth > 6400) {
      throw new IllegalStateException("too deep");
    }
    char c = s.charAt(i);
    switch (c) {
      case '{' -> {
        i++;
        ws();
        if (s.charAt(i) == '}') {
          i++;
          return;
        }
        while (true) {
          ws();
          string();
          ws();
          expect(':');
          ws();
          value(depth + 1);
          ws();
          if (s.charAt(i) == ',') {
            i++;
            continue;
          }
          expect('}');
          return;
        }
      }
      case '[' -> {
        i++;
        ws();
        if (s.charAt(i) == ']') {
          i++;
          return;
        }
        while (true) {
          ws();
          value(depth + 1);
          ws();
          if (s.charAt(i) == ',') {
            i++;
            continue;
          }
          expect(']');
          return;
        }
      }
      case '"' -> string();
      case 't' -> word("true");
      case 'f' -> word("false");
      case 'n' -> word("null");
      default -> number();
    }
  }

  private void expect(char c) {
    if (s.charAt(i) != c) {
      throw new IllegalStateException("expected " + c);
    }
    i++;
  }

  private void word(String w) {
    if (!s.startsWith(w, i)) {
      throw new IllegalStateException("expected " + w);
    }
    i += w.length();
  }

  private void string() {
    expect('"');
    while (true) {
      char c = s.charAt(i++);
      if (c == '"') {
        return;
      }
      if (c < 0x20) {
        throw new IllegalStateException("control character in string");
      }
      if (c == '\\') {
        char e = s.charAt(i++);
        if (e == 'u') {
          for (int k = 0; k < 4; k++) {
            if (Character.digit(s.charAt(i++), 16) < 0) {
              throw new IllegalStateException("bad \\u escape");
            }
          }
        } else if ("\"\\/bfnrt".indexOf(e) < 0) {
          throw new IllegalStateException("bad escape");
        }
      }
    }
  }

  private void number() {
    int start = i;
    if (s.charAt(i) == '-') {
      i++;
    }
    if (s.charAt(i) == '0') {
      i++;
    } else {
      digits();
    }
    if (i < s.length() && s.charAt(i) == '.') {
      i++;
      digits();
    }
    if (i < s.length() && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
      i++;
      if (s.charAt(i) == '+' || s.charAt(i) == '-') {
        i++;
      }
      digits();
    }
    if (i == start) {
      throw new IllegalStateException("expected a value");
    }
  }

  private void digits() {
    int start = i;
    while (i < s.length() && Character.isDigit(s.charAt(i)) && s.charAt(i) < 128) {
      i++;
    }
    if (i == start) {
      throw new IllegalStateException("expected digits");
    }
  }
}
