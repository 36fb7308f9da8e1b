package dev.sluice.proxy.commands;

import dev.sluice.proxy.testing.RecordedRepliesTest;

/**
 * MEMORY against redis-server's replies ({@code golden/memory.json}, replayed as {@link
 * RecordedRepliesTest} says): arguments, errors, DOCTOR's text, PURGE and HELP. Sizes, STATS and
 * MALLOC-STATS (jemalloc's report in Debian's build) are Sluice's own figures, so only their
 * presence is checked there.
 */
class MemoryGoldenTest extends RecordedRepliesTest {
  MemoryGoldenTest() {
    super("memory");
  }
}
