package dev.sluice.writeback.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The order retry → breaker → database: failed attempts are retried with growing, jittered pauses;
 * once the breaker opens, retries go on without reaching the database.
 */
class FlushGuardTest {
  private final List<Long> pauses = new ArrayList<>();

  /** Records each pause instead of waiting; says "stop" after {@code limit} pauses. */
  private FlushGuard guard(Duration maxBackoff, int limit) {
    return new FlushGuard(
        maxBackoff,
        millis -> {
          pauses.add(millis);
          return pauses.size() < limit;
        });
  }

  private static SQLException refused() {
    return new SQLException("Connection to localhost:5432 refused", "08001");
  }

  @Test
  void call_failuresThenSuccess_retriesWithGrowingBackoffAndReturnsTheResult() throws Exception {
    FlushGuard guard = guard(Duration.ofSeconds(30), 100);
    List<Boolean> attempts = new ArrayList<>();

    String result =
        guard.call(
            "test",
            retry -> {
              attempts.add(retry);
              if (attempts.size() <= 2) {
                throw refused();
              }
              return "written";
            });

    assertEquals("written", result);
    assertEquals(List.of(false, true, true), attempts);
    assertEquals(2, guard.retries());
    assertNull(guard.lastError(), "cleared by the success");
    assertEquals("closed", guard.state());
    assertEquals(2, pauses.size());
    assertTrue(pauses.get(0) >= 50 && pauses.get(0) <= 100, "first pause " + pauses);
    assertTrue(pauses.get(1) >= 100 && pauses.get(1) <= 200, "second pause " + pauses);
  }

  @Test
  void call_databaseDown_breakerOpensAndRetriesNoLongerReachTheDatabase() throws Exception {
    FlushGuard guard = guard(Duration.ofMinutes(10), 20);
    int[] attempts = {0};

    Object result =
        guard.call(
            "test",
            retry -> {
              attempts[0]++;
              throw refused();
            });

    assertNull(result, "stopped, not given up: the rows stay journaled");
    assertEquals(3, attempts[0], "the breaker opens after 3 failed attempts of 3");
    assertEquals("open", guard.state());
    assertEquals(3, guard.retries());
    assertEquals("Connection to localhost:5432 refused", guard.lastError());
    assertEquals(20, pauses.size(), "retries go on while the breaker is open");
    assertTrue(pauses.stream().allMatch(p -> p <= 600_000), "pauses capped: " + pauses);
  }
}
