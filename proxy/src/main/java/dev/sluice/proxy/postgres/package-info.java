/**
 * Sluice's access to PostgreSQL: {@link dev.sluice.proxy.postgres.PostgresConnector} (embedded
 * server or JDBC URL, the HikariCP pool, migrations, and the start-up check of every mapping
 * against the catalog, whose findings are the {@link dev.sluice.proxy.postgres.MappingCatalog}).
 *
 * <p>Nothing here runs while the keyspace lock is held; callers use the pool from their own
 * threads.
 */
package dev.sluice.proxy.postgres;
