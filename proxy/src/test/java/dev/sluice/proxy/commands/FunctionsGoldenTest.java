package dev.sluice.proxy.commands;

import dev.sluice.proxy.testing.RecordedRepliesTest;

/**
 * FUNCTION and FCALL against redis-server's replies ({@code golden/functions.json}): LOAD's
 * metadata and registration errors, name reuse and REPLACE, FCALL/FCALL_RO with keys, flags and
 * errors, LIST with and without WITHCODE and LIBRARYNAME, DELETE, FLUSH, HELP, KILL and STATS with
 * nothing running, DUMP byte for byte (LZF and CRC-64 included) and RESTORE of a payload recorded
 * from redis-server with each policy.
 */
class FunctionsGoldenTest extends RecordedRepliesTest {
  FunctionsGoldenTest() {
    super("functions");
  }
}
