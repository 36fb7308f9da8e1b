package dev.sluice.proxy.postgres;

/**
 * A column of a table or of a query's result, as the catalog describes it.
 *
 * @param name the name exactly as the catalog spells it (quote it with {@link
 *     TableSchema#quote(String)} in SQL)
 * @param type the type's name, for messages: a table column's as {@code format_type} writes it
 *     ({@code bigint}, {@code numeric(10,2)}, {@code text[]}); a query result column's as {@code
 *     pg_type.typname} ({@code int8}, {@code numeric}, {@code _text})
 * @param typeOid the type's OID ({@code pg_type.oid}), for converting values without a lookup
 * @param nullable whether the column may hold NULL (always true for query results, which the
 *     catalog does not constrain)
 */
public record Column(String name, String type, int typeOid, boolean nullable) {
  /** Well-known type OIDs (pg_type.dat); values are stable across PostgreSQL versions. */
  public static final int INT2 = 21;

  public static final int INT4 = 23;
  public static final int INT8 = 20;
  public static final int FLOAT4 = 700;
  public static final int FLOAT8 = 701;
  public static final int NUMERIC = 1700;

  /** Whether values of this column are numbers (usable as sorted-set scores). */
  public boolean isNumeric() {
    return typeOid == INT2
        || typeOid == INT4
        || typeOid == INT8
        || typeOid == FLOAT4
        || typeOid == FLOAT8
        || typeOid == NUMERIC;
  }
}
