package dev.sluice.proxy.commands;

import dev.sluice.proxy.testing.RecordedRepliesTest;

/**
 * REPLICAOF and SLAVEOF against redis-server's replies ({@code golden/replicaof.json}): their
 * arguments, and a replica whose primary cannot be reached: READONLY for writes (in MULTI and in
 * scripts too), replica-read-only no, MASTERDOWN with replica-serve-stale-data no, and REPLICAOF NO
 * ONE. Following a primary that answers is {@code SluiceReplicaOfRedisInteropTest}'s.
 */
class ReplicaOfGoldenTest extends RecordedRepliesTest {
  ReplicaOfGoldenTest() {
    super("replicaof");
  }
}
