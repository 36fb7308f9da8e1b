package dev.sluice.proxy.commands;

import dev.sluice.proxy.testing.RecordedRepliesTest;
import org.junit.jupiter.api.Nested;

/**
 * The differential tester's fixed seeds as regression tests: per command family, the commands
 * {@code tools/golden/difftest.py cases FAMILY} drew (seed 1, 8 cases of 250, every other one under
 * RESP3), with redis-server's replies recorded by {@code tools/golden/record.sh diff-FAMILY}.
 * {@code bench/difftest.sh} runs the same generators live, for as many commands as asked.
 */
class DifferentialGoldenTest {
  @Nested
  class Strings extends RecordedRepliesTest {
    Strings() {
      super("diff-string");
    }
  }

  @Nested
  class Bitmaps extends RecordedRepliesTest {
    Bitmaps() {
      super("diff-bitmap");
    }
  }

  @Nested
  class Hashes extends RecordedRepliesTest {
    Hashes() {
      super("diff-hash");
    }
  }

  @Nested
  class Lists extends RecordedRepliesTest {
    Lists() {
      super("diff-list");
    }
  }

  @Nested
  class Sets extends RecordedRepliesTest {
    Sets() {
      super("diff-set");
    }
  }

  @Nested
  class SortedSets extends RecordedRepliesTest {
    SortedSets() {
      super("diff-sortedset");
    }
  }

  @Nested
  class HyperLogLogs extends RecordedRepliesTest {
    HyperLogLogs() {
      super("diff-hyperloglog");
    }
  }

  @Nested
  class Keys extends RecordedRepliesTest {
    Keys() {
      super("diff-generic");
    }
  }

  @Nested
  class Geo extends RecordedRepliesTest {
    Geo() {
      super("diff-geo");
    }
  }
}
