package dev.sluice.proxy.durable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.sluice.proxy.postgres.Column;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The byte-level checks that decide common values without decoding agree with PostgreSQL's input
 * rules at their edges: every value here is either decided by them or left to the general check.
 */
class ColumnValuesTest {
  private static final Column INT2 = new Column("n", "smallint", Column.INT2, true);
  private static final Column INT4 = new Column("n", "integer", Column.INT4, true);
  private static final Column INT8 = new Column("n", "bigint", Column.INT8, true);
  private static final Column NUMERIC = new Column("n", "numeric", Column.NUMERIC, true);
  private static final Column FLOAT8 = new Column("n", "double precision", Column.FLOAT8, true);
  private static final Column TEXT = new Column("t", "text", ColumnValues.TEXT, true);
  private static final Column BOOL = new Column("b", "boolean", ColumnValues.BOOL, true);

  private static String check(Column c, String value) {
    return ColumnValues.check(c, value.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void check_integers_rangeSignsAndOtherFormsAsPostgresql() {
    assertNull(check(INT2, "32767"));
    assertNull(check(INT2, "-32768"));
    assertEquals("not a valid smallint", check(INT2, "32768"));
    assertNull(check(INT4, "+5"));
    assertNull(check(INT4, "007"));
    assertNull(check(INT4, " 42 "), "spaces around: the general check");
    assertNull(check(INT4, "1_000"), "underscores between digits: the general check");
    assertEquals("not a valid integer", check(INT4, "2147483648"));
    assertEquals("not a valid integer", check(INT4, "-"));
    assertEquals("not a valid integer", check(INT4, ""));
    assertEquals("not a valid integer", check(INT4, "1.5"));
    assertNull(check(INT8, "-9223372036854775808"), "19 digits: the general check");
    assertEquals("not a valid bigint", check(INT8, "9223372036854775808"));
    assertNull(check(INT8, "123456789012345678"));
  }

  @Test
  void check_decimals_plainFormsAndTheRest() {
    assertNull(check(NUMERIC, "12.34"));
    assertNull(check(NUMERIC, "-0.5"));
    assertNull(check(NUMERIC, ".5"), "no digit before the point: the general check");
    assertNull(check(NUMERIC, "5."), "no digit after the point: the general check");
    assertNull(check(NUMERIC, "NaN"));
    assertEquals("not a valid numeric", check(NUMERIC, "1.2.3"));
    assertEquals("not a valid numeric", check(NUMERIC, "."));
    assertEquals("not a valid numeric", check(NUMERIC, "-"));
    assertNull(check(FLOAT8, "1e10"));
    assertEquals("not a valid double precision", check(FLOAT8, "1e"));
  }

  @Test
  void check_textAndOtherTypes_asciiFastNulAndBadUtf8Refused() {
    assertNull(check(TEXT, "plain ascii"));
    assertNull(check(TEXT, "grüße"));
    assertEquals(
        "contains a NUL character, which PostgreSQL text cannot hold", check(TEXT, "a\0b"));
    assertEquals(
        "not valid UTF-8", ColumnValues.check(TEXT, new byte[] {'a', (byte) 0xC3, '(', 'b'}));
    assertNull(check(BOOL, "yes"));
    assertEquals("not a valid boolean", check(BOOL, "maybe"), "typed ASCII: the general check");
  }
}
