/**
 * Sluice's own schema {@code sluice}: Flyway SQL under {@code db/migration/sluice} and {@link
 * dev.sluice.migrations.SluiceMigrations}, the runner that applies it.
 */
package dev.sluice.migrations;
