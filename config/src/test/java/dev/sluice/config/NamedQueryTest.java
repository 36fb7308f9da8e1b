package dev.sluice.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NamedQueryTest {
  private static NamedQuery parse(String sql) {
    try {
      return NamedQuery.parse(sql);
    } catch (InvalidValueException e) {
      throw new AssertionError(e.getMessage(), e);
    }
  }

  @Test
  void parse_namedParameters_becomeQuestionMarksInOrder() {
    NamedQuery query =
        parse("SELECT id FROM t WHERE tenant = :tenant AND (id = :id OR parent = :id)");

    assertEquals("SELECT id FROM t WHERE tenant = ? AND (id = ? OR parent = ?)", query.jdbcSql());
    assertEquals(List.of("tenant", "id", "id"), query.parameters());
    assertEquals(Set.of("tenant", "id"), query.parameterNames());
  }

  @Test
  void parse_colonsThatAreNotParameters_areKept() {
    NamedQuery query =
        parse(
            "SELECT a::text, b[1:2], ':x', \"col:y\", $$ :z $$, $t$ :w $t$, E'\\' :v'"
                + " -- :c\n FROM t /* :d /* :e */ */ WHERE k = :k");

    assertEquals(List.of("k"), query.parameters());
    assertTrue(query.jdbcSql().endsWith("WHERE k = ?"), query.jdbcSql());
    assertTrue(query.jdbcSql().contains("a::text, b[1:2], ':x', \"col:y\", $$ :z $$"));
  }

  @Test
  void parse_questionMarkOperator_isDoubledForTheDriver() {
    NamedQuery query = parse("SELECT doc FROM t WHERE doc ? 'tag' AND id = :id");

    assertEquals("SELECT doc FROM t WHERE doc ?? 'tag' AND id = ?", query.jdbcSql());
  }

  @Test
  void parse_questionMarkInsideString_isLeftAlone() {
    assertEquals("SELECT '?' FROM t", parse("SELECT '?' FROM t").jdbcSql());
  }

  @Test
  void parse_trailingSemicolonAndBlanks_areDropped() {
    NamedQuery query = parse("  WITH x AS (SELECT 1) SELECT * FROM x;  \n");

    assertEquals("WITH x AS (SELECT 1) SELECT * FROM x", query.jdbcSql());
    assertEquals(List.of(), query.parameters());
  }

  @Test
  void parse_keepsOriginalText() {
    String sql = "SELECT :a";

    assertEquals(sql, parse(sql).sql());
    assertEquals(sql, parse(sql).toString());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "\"\"| it is empty",
        "SELECT 1; SELECT 2| more than one statement",
        "SELECT * FROM t WHERE id = $1| positional parameter at position 27",
        "DELETE FROM t WHERE id = :id| must start with SELECT, WITH, VALUES or TABLE, not 'delete'",
        "SELECT 'open| the quote ' at position 7 is not closed",
        "SELECT /* open| the comment at position 7 is not closed",
        "SELECT $a$ open| the dollar quote $a$ at position 7 is not closed"
      })
  void parse_unusable_saysWhy(String sql, String expected) {
    InvalidValueException e =
        assertThrows(InvalidValueException.class, () -> NamedQuery.parse(sql));

    assertTrue(e.getMessage().startsWith("one SELECT with :name parameters; "), e.getMessage());
    assertTrue(e.getMessage().contains(expected), () -> "expected '" + expected + "' in: " + e);
  }
}
