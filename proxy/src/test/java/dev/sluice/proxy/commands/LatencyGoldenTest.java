package dev.sluice.proxy.commands;

import dev.sluice.proxy.testing.RecordedRepliesTest;

/**
 * LOLWUT, PFSELFTEST, PFDEBUG and LATENCY against redis-server's replies ({@code
 * golden/latency.json}, replayed as {@link RecordedRepliesTest} says): LOLWUT's versions, errors
 * and the rows of Schotter drawn without randomness; PFDEBUG on given values, with its dirty
 * counts; LATENCY's errors, HELP, RESET counts, an empty LATEST and HISTORY, DOCTOR with the
 * monitor off, and CONFIG GET/SET of its settings. Recorded events are {@code
 * LatencyMonitorTest}'s, since their times differ from run to run.
 */
class LatencyGoldenTest extends RecordedRepliesTest {
  LatencyGoldenTest() {
    super("latency");
  }
}
