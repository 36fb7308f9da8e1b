package dev.sluice.proxy.testing;

import java.util.ArrayList;
import java.util.List;

/**
 * A raw reply (one char a byte) with the order Redis leaves open sorted away, so that two servers'
 * replies compare byte for byte: {@code tools/golden/resp_conn.py}'s {@code canonical}, for the
 * steps of a golden file marked {@code "unordered"}. Modes: {@code set} (the top-level elements in
 * any order), {@code pairs} (field/value pairs in any order; a RESP3 map or two-element arrays),
 * {@code scan} and {@code scan_pairs} (the same for the elements of a SCAN-like [cursor, elements]
 * reply), {@code doubles} (numbers within a relative 1e-12, {@link #closeDoubles}: Redis 7.0 prints
 * scores with %.17g, 7.2+ the shortest text that reads back as the same double, and geo distances
 * can differ in their last bits between glibc's libm and Java's StrictMath) and {@code ttl} (a
 * positive integer as such: EXPIRETIME after a relative expiry depends on when it ran) and {@code
 * ties} (SORT ALPHA's runs of elements alike up to a NUL, which strcoll finds equal, in any order:
 * their order is the input's, a set's hash order).
 */
public final class RespCanonical {
  private RespCanonical() {}

  /** A leaf's text (header through CRLF), or an aggregate's header and children. */
  private record Node(String text, List<Node> children) {
    String render() {
      if (children == null) {
        return text;
      }
      StringBuilder out = new StringBuilder(text);
      children.forEach(c -> out.append(c.render()));
      return out.toString();
    }
  }

  public static String canonical(String reply, String mode) {
    int[] pos = {0};
    Node node = parse(reply, pos);
    if (mode.equals("ttl")) {
      return reply.charAt(0) == ':' && Long.parseLong(reply.substring(1, reply.length() - 2)) > 0
          ? ":+\r\n"
          : reply;
    }
    if (node.children == null) {
      return reply;
    }
    return switch (mode) {
      case "ties" -> node.text + tiesSorted(node.children);
      case "set", "pairs" ->
          node.text + sorted(node.children, flatPairs(node, mode.equals("pairs")));
      case "scan", "scan_pairs" -> {
        if (node.children.size() != 2 || node.children.get(1).children == null) {
          yield reply;
        }
        Node elements = node.children.get(1);
        yield node.text
            + node.children.get(0).render()
            + elements.text
            + sorted(elements.children, mode.equals("scan_pairs"));
      }
      default -> throw new IllegalArgumentException("unordered mode " + mode + " in a golden file");
    };
  }

  // RESP3 gives pairs as a map, or as two-element arrays (each then one unit)
  private static boolean flatPairs(Node node, boolean pairs) {
    return node.text.charAt(0) == '%'
        || (pairs && node.children.stream().allMatch(c -> c.children == null));
  }

  private static String sorted(List<Node> children, boolean pairs) {
    List<String> units = new ArrayList<>();
    int step = pairs ? 2 : 1;
    for (int i = 0; i + step <= children.size(); i += step) {
      units.add(
          pairs
              ? children.get(i).render() + children.get(i + 1).render()
              : children.get(i).render());
    }
    units.sort(null);
    return String.join("", units);
  }

  /** Runs of elements strcoll finds equal (alike up to a NUL), each run sorted. */
  private static String tiesSorted(List<Node> children) {
    StringBuilder out = new StringBuilder();
    List<String> run = new ArrayList<>();
    String runKey = null;
    for (Node child : children) {
      String key = cString(child.render());
      if (runKey != null && !runKey.equals(key)) {
        run.sort(null);
        run.forEach(out::append);
        run.clear();
      }
      runKey = key;
      run.add(child.render());
    }
    run.sort(null);
    run.forEach(out::append);
    return out.toString();
  }

  private static String cString(String bulk) {
    String content =
        bulk.charAt(0) == '$' ? bulk.substring(bulk.indexOf("\r\n") + 2, bulk.length() - 2) : bulk;
    int nul = content.indexOf('\0');
    return nul < 0 ? content : content.substring(0, nul);
  }

  /**
   * Whether two replies have the same shape with every finite number within a relative 1e-12 of the
   * other's (mode {@code doubles}).
   */
  public static boolean closeDoubles(String a, String b) {
    return close(parse(a, new int[] {0}), parse(b, new int[] {0}));
  }

  private static boolean close(Node a, Node b) {
    if (a.children == null || b.children == null) {
      Double x = number(a);
      Double y = number(b);
      if (x != null && y != null) {
        return Math.abs(x - y) <= 1e-12 * Math.max(Math.abs(x), Math.abs(y));
      }
      return a.render().equals(b.render());
    }
    if (!a.text.equals(b.text) || a.children.size() != b.children.size()) {
      return false;
    }
    for (int i = 0; i < a.children.size(); i++) {
      if (!close(a.children.get(i), b.children.get(i))) {
        return false;
      }
    }
    return true;
  }

  private static Double number(Node node) {
    if (node.children != null) {
      return null;
    }
    char kind = node.text.charAt(0);
    if (kind != '$' && kind != ',') {
      return null;
    }
    String text =
        kind == '$'
            ? node.text.substring(node.text.indexOf("\r\n") + 2, node.text.length() - 2)
            : node.text.substring(1, node.text.length() - 2);
    try {
      double value = Double.parseDouble(text.trim().equals(text) ? text : "x");
      return Double.isFinite(value) ? value : null;
    } catch (NumberFormatException notANumber) {
      return null;
    }
  }

  private static Node parse(String s, int[] pos) {
    int start = pos[0];
    int end = s.indexOf("\r\n", start);
    char kind = s.charAt(start);
    String head = s.substring(start + 1, end);
    if ("$=!".indexOf(kind) >= 0 && Integer.parseInt(head) >= 0) {
      pos[0] = end + 2 + Integer.parseInt(head) + 2;
      return new Node(s.substring(start, pos[0]), null);
    }
    pos[0] = end + 2;
    if ("*~>%|".indexOf(kind) >= 0 && Integer.parseInt(head) >= 0) {
      int n = Integer.parseInt(head) * ("%|".indexOf(kind) >= 0 ? 2 : 1);
      List<Node> children = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        children.add(parse(s, pos));
      }
      return new Node(s.substring(start, end + 2), children);
    }
    return new Node(s.substring(start, pos[0]), null);
  }
}
