package dev.sluice.proxy.commands;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.proxy.testing.RecordedRepliesTest;
import java.util.List;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;

/**
 * Divergences from redis-server that a review found, against redis-server's own replies ({@code
 * golden/divergences.json}, replayed as {@link RecordedRepliesTest} says).
 */
class DivergencesGoldenTest extends RecordedRepliesTest {
  DivergencesGoldenTest() {
    super("divergences");
  }

  /** The golden file is redis-server's, and holds a case for each divergence of the issue. */
  @Test
  void golden_recordedFromRedis_coversEachDivergence() {
    assertTrue(golden.get("recorded_from").asText().startsWith("redis-server 7."));
    List<String> names = cases().map(Named::getName).toList();
    assertFalse(names.isEmpty());
    for (String topic : List.of("SETRANGE", "HLL", "Timeouts", "Doubles", "Dirty count")) {
      assertTrue(names.stream().anyMatch(n -> n.startsWith(topic)), topic + " in " + names);
    }
  }
}
