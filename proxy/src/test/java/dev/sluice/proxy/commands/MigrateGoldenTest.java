package dev.sluice.proxy.commands;

import dev.sluice.proxy.testing.RecordedRepliesTest;

/**
 * MIGRATE against redis-server's replies ({@code golden/migrate.json}, replayed as {@link
 * RecordedRepliesTest} says): its arity and option errors, the KEYS rule, NOKEY, and what a target
 * where nothing listens (port 1) and a port that is no number give. Transfers to a live target are
 * {@code MigrateInteropTest}'s, since its port differs from run to run.
 */
class MigrateGoldenTest extends RecordedRepliesTest {
  MigrateGoldenTest() {
    super("migrate");
  }
}
