package dev.sluice.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The SQL of a query mapping, with {@code :name} parameters found and rewritten for JDBC.
 *
 * <p>{@code SELECT … WHERE category = :category} becomes {@link #jdbcSql()} {@code SELECT … WHERE
 * category = ?} with {@link #parameters()} {@code [category]}: one entry per {@code ?}, in order,
 * so a name used twice appears twice. Values are always bound, never written into the SQL.
 *
 * <p>The scanner knows PostgreSQL's lexical rules well enough not to see parameters where there are
 * none: inside {@code '…'}, {@code E'…'}, {@code "…"} and {@code $tag$…$tag$} quotes, in {@code --}
 * and (nested) {@code /* … *}{@code /} comments, in {@code ::type} casts and in array slices such
 * as {@code a[1:2]}. A literal {@code ?} (a jsonb operator) is doubled so the driver does not take
 * it for a parameter. Refused: positional {@code $1} parameters, more than one statement, and
 * statements that do not start with SELECT, WITH, VALUES or TABLE.
 */
public final class NamedQuery {
  private final String sql;
  private final String jdbcSql;
  private final List<String> parameters;

  private NamedQuery(String sql, String jdbcSql, List<String> parameters) {
    this.sql = sql;
    this.jdbcSql = jdbcSql;
    this.parameters = Collections.unmodifiableList(parameters);
  }

  /** The SQL as configured. */
  public String sql() {
    return sql;
  }

  /** The SQL with each {@code :name} replaced by {@code ?}, ready for a PreparedStatement. */
  public String jdbcSql() {
    return jdbcSql;
  }

  /** The name bound to each {@code ?} of {@link #jdbcSql()}, in order (1-based index − 1). */
  public List<String> parameters() {
    return parameters;
  }

  /** The distinct parameter names, in order of first use. */
  public Set<String> parameterNames() {
    return Collections.unmodifiableSet(new LinkedHashSet<>(parameters));
  }

  /**
   * @throws InvalidValueException naming what is wrong
   */
  public static NamedQuery parse(String sql) throws InvalidValueException {
    if (sql == null || sql.isBlank()) {
      throw invalid("it is empty");
    }
    StringBuilder out = new StringBuilder(sql.length());
    List<String> parameters = new ArrayList<>();
    int n = sql.length();
    int i = 0;
    int statementEnd = -1;
    while (i < n) {
      char c = sql.charAt(i);
      if (statementEnd >= 0 && !Character.isWhitespace(c)) {
        throw invalid("it holds more than one statement (text after ';' at position " + i + ")");
      }
      if (c == '\'') {
        boolean escapes = i > 0 && (sql.charAt(i - 1) == 'E' || sql.charAt(i - 1) == 'e');
        int end = skipQuoted(sql, i, '\'', escapes);
        out.append(sql, i, end);
        i = end;
      } else if (c == '"') {
        int end = skipQuoted(sql, i, '"', false);
        out.append(sql, i, end);
        i = end;
      } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
        int end = sql.indexOf('\n', i);
        end = end < 0 ? n : end;
        out.append(sql, i, end);
        i = end;
      } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
        int end = skipBlockComment(sql, i);
        out.append(sql, i, end);
        i = end;
      } else if (c == '$') {
        if (i + 1 < n && Character.isDigit(sql.charAt(i + 1))) {
          throw invalid(
              "positional parameter at position "
                  + i
                  + "; name parameters after the key's placeholders, e.g. :id");
        }
        int end = skipDollarQuoted(sql, i);
        out.append(sql, i, end);
        i = end;
      } else if (c == ':') {
        if (i + 1 < n && sql.charAt(i + 1) == ':') {
          out.append("::");
          i += 2;
        } else if (i + 1 < n && isNameStart(sql.charAt(i + 1))) {
          int end = i + 1;
          while (end < n && isNamePart(sql.charAt(end))) {
            end++;
          }
          parameters.add(sql.substring(i + 1, end));
          out.append('?');
          i = end;
        } else {
          out.append(c);
          i++;
        }
      } else if (c == '?') {
        out.append("??");
        i++;
      } else if (c == ';') {
        statementEnd = i;
        i++;
      } else {
        out.append(c);
        i++;
      }
    }
    String first = firstWord(out.toString());
    if (!List.of("select", "with", "values", "table").contains(first)) {
      throw invalid(
          "a query mapping only reads: it must start with SELECT, WITH, VALUES or TABLE, not '"
              + first
              + "'");
    }
    return new NamedQuery(sql, out.toString().strip(), parameters);
  }

  private static int skipQuoted(String sql, int start, char quote, boolean backslashEscapes)
      throws InvalidValueException {
    int i = start + 1;
    while (i < sql.length()) {
      char c = sql.charAt(i);
      if (backslashEscapes && c == '\\') {
        i += 2;
      } else if (c == quote) {
        if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
          i += 2;
        } else {
          return i + 1;
        }
      } else {
        i++;
      }
    }
    throw invalid("the quote " + quote + " at position " + start + " is not closed");
  }

  private static int skipBlockComment(String sql, int start) throws InvalidValueException {
    int depth = 0;
    int i = start;
    while (i < sql.length() - 1) {
      if (sql.startsWith("/*", i)) {
        depth++;
        i += 2;
      } else if (sql.startsWith("*/", i)) {
        depth--;
        i += 2;
        if (depth == 0) {
          return i;
        }
      } else {
        i++;
      }
    }
    throw invalid("the comment at position " + start + " is not closed");
  }

  /** {@code $tag$ … $tag$} (tag possibly empty); a lone {@code $} is kept as it is. */
  private static int skipDollarQuoted(String sql, int start) throws InvalidValueException {
    int i = start + 1;
    while (i < sql.length() && isNamePart(sql.charAt(i))) {
      i++;
    }
    if (i >= sql.length() || sql.charAt(i) != '$') {
      return start + 1;
    }
    String tag = sql.substring(start, i + 1);
    int close = sql.indexOf(tag, i + 1);
    if (close < 0) {
      throw invalid("the dollar quote " + tag + " at position " + start + " is not closed");
    }
    return close + tag.length();
  }

  private static String firstWord(String sql) {
    int i = 0;
    while (i < sql.length()) {
      char c = sql.charAt(i);
      if (Character.isWhitespace(c) || c == '(') {
        i++;
      } else if (sql.startsWith("--", i)) {
        int end = sql.indexOf('\n', i);
        i = end < 0 ? sql.length() : end;
      } else if (sql.startsWith("/*", i)) {
        try {
          i = skipBlockComment(sql, i);
        } catch (InvalidValueException e) {
          return "";
        }
      } else {
        break;
      }
    }
    int end = i;
    while (end < sql.length() && Character.isLetter(sql.charAt(end))) {
      end++;
    }
    return sql.substring(i, end).toLowerCase(Locale.ROOT);
  }

  private static boolean isNameStart(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
  }

  private static boolean isNamePart(char c) {
    return isNameStart(c) || (c >= '0' && c <= '9');
  }

  private static InvalidValueException invalid(String why) {
    return new InvalidValueException("one SELECT with :name parameters; " + why);
  }

  @Override
  public String toString() {
    return sql;
  }
}
