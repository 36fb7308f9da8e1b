package dev.sluice.proxy.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.proxy.testing.Await;
import dev.sluice.proxy.testing.RespSocket;
import dev.sluice.proxy.testing.RespSocket.Simple;
import dev.sluice.proxy.testing.TestServer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the latency monitor and the latency histograms record, against replies derived from Redis's
 * latency.c, sparkline.c and hdr_histogram: commands are made slow with the server's manual clock,
 * each taking exactly the clock's step. Errors, HELP, CONFIG and the empty monitor are compared
 * with redis-server in {@code LatencyGoldenTest}.
 */
class LatencyMonitorTest {
  private static TestServer server;
  private RespSocket c;

  @BeforeAll
  static void start() {
    server = TestServer.start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @BeforeEach
  void connect() {
    c = RespSocket.connect(server.port());
    assertEquals(new Simple("OK"), c.call("CONFIG", "SET", "latency-monitor-threshold", "100"));
    c.call("LATENCY", "RESET");
    c.call("CONFIG", "RESETSTAT");
  }

  @AfterEach
  void restore() {
    server.clock().stepEachReading(Duration.ZERO);
    c.call("CONFIG", "SET", "latency-monitor-threshold", "0");
    c.call("LATENCY", "RESET");
    c.close();
  }

  /** The events of LATENCY LATEST but expire-cycle, which the cron adds when it likes. */
  private List<?> latestCommandEvents() {
    return ((List<?>) c.call("LATENCY", "LATEST"))
        .stream().filter(e -> !((List<?>) e).get(0).equals("expire-cycle")).toList();
  }

  /** Runs a command that takes {@code time} on the server's clock. */
  private Object callTaking(Duration time, String... command) {
    server.clock().stepEachReading(time);
    try {
      return c.call(command);
    } finally {
      server.clock().stepEachReading(Duration.ZERO);
    }
  }

  private long nowSeconds() {
    return server.clock().millis() / 1000;
  }

  @Test
  void latest_slowCommands_splitByFastFlag() {
    callTaking(Duration.ofMillis(150), "SET", "k", "v"); // not flagged fast: "command"
    callTaking(Duration.ofMillis(150), "GET", "k"); // fast: "fast-command"
    callTaking(Duration.ofMillis(99), "GET", "k"); // under the threshold

    long now = nowSeconds();
    assertEquals(
        List.of(List.of("command", now, 150L, 150L), List.of("fast-command", now, 150L, 150L)),
        latestCommandEvents());
  }

  @Test
  void latest_thresholdZero_recordsNothing() {
    c.call("CONFIG", "SET", "latency-monitor-threshold", "0");
    callTaking(Duration.ofSeconds(2), "SET", "k", "v");

    assertEquals(List.of(), latestCommandEvents());
  }

  @Test
  void history_samples_oneWorstPerSecondOldestFirst() {
    long first = nowSeconds();
    callTaking(Duration.ofMillis(200), "SET", "k", "v");
    callTaking(Duration.ofMillis(120), "SET", "k", "v"); // the same second: the sample stays 200
    server.clock().advance(Duration.ofSeconds(1));
    callTaking(Duration.ofMillis(300), "SET", "k", "v");

    assertEquals(
        List.of(List.of(first, 200L), List.of(first + 1, 300L)),
        c.call("LATENCY", "HISTORY", "command"));
    assertEquals(List.of(List.of("command", first + 1, 300L, 300L)), latestCommandEvents());
    assertEquals(List.of(), c.call("LATENCY", "HISTORY", "COMMAND"), "names are exact");
  }

  @Test
  void reset_namedEvents_countsThoseForgottenInAnyCase() {
    callTaking(Duration.ofMillis(150), "SET", "k", "v");
    callTaking(Duration.ofMillis(150), "GET", "k");

    assertEquals(1L, c.call("LATENCY", "RESET", "COMMAND", "nope"));
    assertEquals(List.of(List.of("fast-command", nowSeconds(), 150L, 150L)), latestCommandEvents());
  }

  @Test
  void graph_twoSamples_drawnAsSparkline() {
    callTaking(Duration.ofMillis(100), "SET", "k", "v");
    server.clock().advance(Duration.ofSeconds(1));
    callTaking(Duration.ofMillis(200), "SET", "k", "v");

    assertEquals(
        "command - high 200 ms, low 100 ms (all time high 200 ms)\n"
            + "-".repeat(80)
            + "\n #\n |\n |\n_|\n  \n10\nss\n",
        c.call("LATENCY", "GRAPH", "command"));
  }

  @Test
  void doctor_commandEvent_statsAndAdvice() {
    callTaking(Duration.ofMillis(150), "SET", "k", "v");
    c.call("CONFIG", "SET", "slowlog-log-slower-than", "-1");

    String report = (String) c.call("LATENCY", "DOCTOR");
    c.call("CONFIG", "SET", "slowlog-log-slower-than", "10000");
    assertTrue(
        report.startsWith(
            "Dave, I have observed latency spikes in this Redis instance. You don't mind talking"
                + " about it, do you Dave?\n\n1. command: 1 latency spikes (average 150ms, mean"
                + " deviation 0ms, period 1.00 sec). Worst all time event 150ms.\n"),
        report);
    assertTrue(
        report.contains(
            "\nI have a few advices for you:\n\n- There are latency issues with potentially slow"
                + " commands you are using. Try to enable the Slow Log Redis feature using the"
                + " command 'CONFIG SET slowlog-log-slower-than 100000'."),
        report);
    assertTrue(report.endsWith("try to fragment those objects into multiple smaller objects.\n"));
  }

  @Test
  void histogram_calls_cumulativeMicrosPerPowerOfTwo() {
    c.call("SET", "k", "v"); // 0 µs: recorded as 1 ns, in the first bucket (1024 ns, shown as 1)
    // 1,000,000 ns: in the bucket of 2^20, whose top is 1,056,767 ns
    callTaking(Duration.ofMillis(1), "SET", "k", "v");
    callTaking(Duration.ofMillis(1), "SET", "k", "v");

    assertEquals(
        List.of("set", List.of("calls", 3L, "histogram_usec", List.of(1L, 1L, 1056L, 3L))),
        c.call("LATENCY", "HISTOGRAM", "SET", "nosuch"));
  }

  @Test
  void histogram_container_listsItsSubcommands() {
    assertEquals(
        List.of("config|resetstat", List.of("calls", 1L, "histogram_usec", List.of(1L, 1L))),
        c.call("LATENCY", "HISTOGRAM", "config"));
    assertEquals(List.of(), c.call("LATENCY", "HISTOGRAM", "config|get"));
  }

  @Test
  void info_latencystats_percentilesOfEachCommand() {
    callTaking(Duration.ofMillis(1), "SET", "k", "v");
    c.call("CONFIG", "SET", "latency-tracking-info-percentiles", "0 50 100");

    String info = (String) c.call("INFO", "latencystats");
    c.call("CONFIG", "SET", "latency-tracking-info-percentiles", "50 99 99.9");
    // 1,000,000 ns falls in the bucket [999424, 1003519]: its lowest for p0, its highest above
    assertTrue(
        info.contains("\r\nlatency_percentiles_usec_set:p0=999.424,p50=1003.519,p100=1003.519\r\n"),
        info);
  }

  @Test
  void latest_evictionOverMaxmemory_recordedAsEvictionCycle() {
    c.call("SET", "a", "x".repeat(1000));
    c.call("CONFIG", "SET", "maxmemory-policy", "allkeys-random");
    c.call("CONFIG", "SET", "maxmemory", "1");
    try {
      // the eviction before the command takes a step of the clock, then the command another
      assertEquals(
          RespSocket.Nil.BULK, callTaking(Duration.ofMillis(150), "GET", "a"), "a was evicted");
    } finally {
      c.call("CONFIG", "SET", "maxmemory", "0");
      c.call("CONFIG", "SET", "maxmemory-policy", "noeviction");
    }
    long now = nowSeconds();
    assertEquals(
        List.of(
            List.of("eviction-cycle", now, 150L, 150L), List.of("fast-command", now, 150L, 150L)),
        latestCommandEvents());
    assertTrue(
        ((String) c.call("LATENCY", "DOCTOR"))
            .contains("- Sudden changes to the 'maxmemory' setting via 'CONFIG SET'"));
  }

  @Test
  void latest_slowExpireCycle_recordedAsExpireCycle() {
    c.call("CONFIG", "SET", "latency-monitor-threshold", "10");
    server.clock().stepEachReading(Duration.ofMillis(40)); // the cron's cycles take 40 ms now
    Await.until(
        "an expire-cycle event",
        () ->
            ((List<?>) c.call("LATENCY", "LATEST"))
                .stream().anyMatch(e -> ((List<?>) e).get(0).equals("expire-cycle")));
    server.clock().stepEachReading(Duration.ZERO);
    List<?> history = (List<?>) c.call("LATENCY", "HISTORY", "expire-cycle");
    assertEquals(List.of(nowSeconds(), 40L), history.get(0));
  }
}
