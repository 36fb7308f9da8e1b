package dev.sluice.proxy.commands;

import dev.sluice.proxy.testing.RecordedRepliesTest;

/**
 * SAVE, BGSAVE and LASTSAVE's argument errors, SAVE and BGSAVE in MULTI (BGSAVE is scheduled), the
 * save, rdbcompression and rdbchecksum parameters and SHUTDOWN's argument errors, as redis-server
 * answers them (golden/persistence.json; regenerate with {@code tools/golden/record.sh
 * persistence}). What the file holds is RdbFileInteropTest's, saves and loads PersistenceTest's.
 */
class PersistenceGoldenTest extends RecordedRepliesTest {
  PersistenceGoldenTest() {
    super("persistence");
  }
}
