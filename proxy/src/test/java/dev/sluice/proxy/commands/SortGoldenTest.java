package dev.sluice.proxy.commands;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.proxy.testing.RecordedRepliesTest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * SORT and SORT_RO against redis-server's own replies ({@code golden/sort.json}, recorded by {@code
 * tools/golden/record.sh sort} from {@code sort.cases.json}, replayed as {@link
 * RecordedRepliesTest} says), the dirty counts included.
 */
class SortGoldenTest extends RecordedRepliesTest {
  SortGoldenTest() {
    super("sort");
  }

  /** The golden file is redis-server's, and sends both commands in every option's case. */
  @Test
  void golden_recordedFromRedis_coversSortAndSortRo() {
    assertTrue(golden.get("recorded_from").asText().startsWith("redis-server 7."));
    List<String> sent = new ArrayList<>();
    golden
        .get("cases")
        .forEach(c -> c.get("steps").forEach(s -> sent.add(s.get("cmd").toString().toUpperCase())));
    for (String option : List.of("BY", "LIMIT", "GET", "ASC", "DESC", "ALPHA", "STORE")) {
      assertTrue(sent.stream().anyMatch(s -> s.contains("\"" + option + "\"")), option);
    }
    assertTrue(sent.stream().anyMatch(s -> s.startsWith("[\"SORT_RO\"")), "SORT_RO");
  }
}
