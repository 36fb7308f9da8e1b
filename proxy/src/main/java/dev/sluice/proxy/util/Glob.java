package dev.sluice.proxy.util;

/**
 * Redis's glob-style matching ({@code stringmatchlen}): {@code *}, {@code ?}, {@code [abc]}, {@code
 * [^a-z]}, and {@code \} to escape. Binary-safe; recursion depth is bounded by the number of stars,
 * and runs of stars collapse, so a hostile pattern cannot blow the stack.
 */
public final class Glob {
  private Glob() {}

  public static boolean matches(byte[] pattern, byte[] string) {
    return match(pattern, string, false);
  }

  public static boolean matches(String pattern, String string) {
    return matches(
        pattern.getBytes(java.nio.charset.StandardCharsets.UTF_8),
        string.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  public static boolean matchesIgnoreCase(String pattern, String string) {
    return match(
        pattern.getBytes(java.nio.charset.StandardCharsets.UTF_8),
        string.getBytes(java.nio.charset.StandardCharsets.UTF_8),
        true);
  }

  private static boolean match(byte[] pattern, byte[] string, boolean nocase) {
    if (string.length == 0) {
      return pattern.length == 0; // as Redis: even "**" does not match an empty string
    }
    return matches(pattern, 0, string, 0, nocase, 0, new boolean[1]);
  }

  /**
   * {@code skipLonger[0]} is Redis's skipLongerMatches: once the rest of the pattern after a star
   * failed from every position, no earlier star can make it match either, so all of them give up.
   * This keeps patterns like "a*a*a*a*b" linear instead of exponential.
   */
  private static boolean matches(
      byte[] p, int pi, byte[] s, int si, boolean nocase, int depth, boolean[] skipLonger) {
    if (depth > 1000) {
      return false;
    }
    while (pi < p.length && si < s.length) {
      switch (p[pi]) {
        case '*' -> {
          while (pi + 1 < p.length && p[pi + 1] == '*') {
            pi++;
          }
          if (pi + 1 == p.length) {
            return true;
          }
          for (int k = si; k < s.length; k++) {
            if (matches(p, pi + 1, s, k, nocase, depth + 1, skipLonger)) {
              return true;
            }
            if (skipLonger[0]) {
              return false;
            }
          }
          skipLonger[0] = true;
          return false;
        }
        case '?' -> si++;
        case '[' -> {
          pi++;
          boolean not = pi < p.length && p[pi] == '^';
          if (not) {
            pi++;
          }
          boolean match = false;
          while (true) {
            if (pi >= p.length) {
              pi--;
              break;
            }
            if (p[pi] == '\\' && pi + 1 < p.length) {
              pi++;
              if (p[pi] == s[si]) {
                match = true;
              }
            } else if (p[pi] == ']') {
              break;
            } else if (pi + 2 < p.length && p[pi + 1] == '-') {
              int start = p[pi] & 0xff;
              int end = p[pi + 2] & 0xff;
              int c = s[si] & 0xff;
              if (start > end) {
                int t = start;
                start = end;
                end = t;
              }
              if (nocase) {
                start = Character.toLowerCase(start);
                end = Character.toLowerCase(end);
                c = Character.toLowerCase(c);
              }
              pi += 2;
              if (c >= start && c <= end) {
                match = true;
              }
            } else if (equal(p[pi], s[si], nocase)) {
              match = true;
            }
            pi++;
          }
          if (not) {
            match = !match;
          }
          if (!match) {
            return false;
          }
          si++;
        }
        case '\\' -> {
          if (pi + 1 < p.length) {
            pi++;
          }
          if (!equal(p[pi], s[si], nocase)) {
            return false;
          }
          si++;
        }
        default -> {
          if (!equal(p[pi], s[si], nocase)) {
            return false;
          }
          si++;
        }
      }
      pi++;
    }
    while (pi < p.length && p[pi] == '*') {
      pi++;
    }
    return pi == p.length && si == s.length;
  }

  private static boolean equal(byte a, byte b, boolean nocase) {
    if (a == b) {
      return true;
    }
    return nocase && Character.toLowerCase(a & 0xff) == Character.toLowerCase(b & 0xff);
  }
}
