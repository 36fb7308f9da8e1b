/**
 * Flyway migrations for Sluice's own schema {@code sluice} (under {@code db/migration}) and the
 * runner that applies them. Filled by the look-aside issue.
 */
package dev.sluice.migrations;
