package dev.sluice.proxy.commands;

import dev.sluice.proxy.testing.RecordedRepliesTest;

/**
 * DUMP and RESTORE against redis-server's replies ({@code golden/dump-restore.json}, written by
 * {@code tools/golden/dump-restore-cases.py}, replayed as {@link RecordedRepliesTest} says): DUMP's
 * bytes for values of every type in each encoding redis-server 7.0 writes deterministically,
 * RESTORE of redis-server's payloads, of older encodings (ziplist, quicklist v1, text scores) and
 * of Redis 7.2/7.4's (read by Sluice as 7.4 does), and RESTORE's options and errors.
 */
class DumpRestoreGoldenTest extends RecordedRepliesTest {
  DumpRestoreGoldenTest() {
    super("dump-restore");
  }
}
