package dev.sluice.proxy.commands;

import dev.sluice.proxy.testing.RecordedRepliesTest;

/**
 * SLOWLOG against redis-server's replies ({@code golden/slowlog.json}, replayed as {@link
 * RecordedRepliesTest} says): its arguments and errors, which commands enter the log (EXEC's and a
 * script's commands, not EXEC itself nor queued commands), slowlog-max-len and
 * slowlog-log-slower-than, and CONFIG's checks of both. Entries' contents are {@code
 * SlowLogTest}'s, since their times differ from run to run.
 */
class SlowLogGoldenTest extends RecordedRepliesTest {
  SlowLogGoldenTest() {
    super("slowlog");
  }
}
