package dev.sluice.proxy.commands.replication;

import dev.sluice.proxy.testing.RecordedRepliesTest;

/**
 * WAIT, WAITAOF and min-replicas-to-write against redis-server's replies ({@code
 * golden/wait.json}): their arguments and errors without replicas, WAIT inside MULTI (at once) and
 * scripts (refused), WAITAOF as Redis 7.4 answers it, and the NOREPLICAS refusals of writes,
 * transactions and scripts that may write. Waits that end by ACKs or timeouts are {@code
 * WaitCommandsTest}'s.
 */
class WaitGoldenTest extends RecordedRepliesTest {
  WaitGoldenTest() {
    super("wait");
  }
}
