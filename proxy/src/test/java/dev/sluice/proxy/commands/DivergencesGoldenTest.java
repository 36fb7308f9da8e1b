package dev.sluice.proxy.commands;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.proxy.testing.RecordedCasesTest;
import java.util.List;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;

/**
 * Divergences from redis-server that a review found, against redis-server's own replies: each case
 * of {@code golden/divergences.json} (recorded by {@code tools/golden/record.sh divergences} from
 * {@code divergences.cases.json}) runs on a fresh connection after FLUSHALL, and every reply must
 * be redis-server's byte for byte ({@code redis_7_4} where Redis 7.4, which Sluice says it is,
 * answers differently from the 7.0 that recorded the file), except for a step marked {@code
 * any_reply} (HELLO, whose reply holds the client id). A step recorded with {@code "dirty": N} must
 * also have raised INFO's rdb_changes_since_last_save by N since the previous such step (or since
 * the case began), as it did in redis-server: over the command, or over a whole MULTI ... EXEC when
 * EXEC is the step.
 */
class DivergencesGoldenTest extends RecordedCasesTest {
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
