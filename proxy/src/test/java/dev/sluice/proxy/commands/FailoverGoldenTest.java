package dev.sluice.proxy.commands;

import dev.sluice.proxy.testing.RecordedRepliesTest;

/**
 * FAILOVER's arguments and refusals, and PSYNC's refusals on a replica whose link is down, against
 * redis-server's replies ({@code golden/failover.json}). The switchover itself is {@code
 * FailoverInteropTest}'s.
 */
class FailoverGoldenTest extends RecordedRepliesTest {
  FailoverGoldenTest() {
    super("failover");
  }
}
