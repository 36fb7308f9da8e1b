package dev.sluice.proxy.engine;

import dev.sluice.proxy.keyspace.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The latency monitor as Redis's latency.c keeps it: for each event ("command", "fast-command",
 * "expire-cycle", "eviction-cycle") a ring of the latest 160 samples, one per second (a second's
 * worst), and the worst ever seen. A sample is taken when something took at least
 * latency-monitor-threshold milliseconds; 0 turns the monitor off. Times are the server clock's
 * seconds.
 */
public final class LatencyMonitor {
  /** Redis's LATENCY_TS_LEN: samples kept per event. */
  public static final int HISTORY = 160;

  /** One second's worst latency of an event, in milliseconds. */
  public record Sample(long time, long latency) {}

  /** What LATENCY LATEST shows of one event. */
  public record Latest(String event, Sample sample, long max) {}

  /** One event's samples, oldest first, and its all-time worst. */
  public record History(String event, List<Sample> samples, long max) {}

  /** One event's time series: a ring whose empty slots have time 0. */
  private static final class Series {
    final long[] times = new long[HISTORY];
    final long[] latencies = new long[HISTORY];
    int next;
    long max;

    List<Sample> samples() {
      List<Sample> out = new ArrayList<>();
      for (int j = 0; j < HISTORY; j++) {
        int i = (next + j) % HISTORY;
        if (times[i] != 0) {
          out.add(new Sample(times[i], latencies[i]));
        }
      }
      return out;
    }
  }

  private final Map<String, Series> events = new LinkedHashMap<>();
  private volatile long thresholdMillis;

  public void thresholdMillis(long millis) {
    this.thresholdMillis = millis;
  }

  public long thresholdMillis() {
    return thresholdMillis;
  }

  /**
   * Redis's latencyAddSampleIfNeeded: records {@code millis} if the monitor is on and it is slow.
   */
  public void addSampleIfNeeded(String event, long millis, Clock clock) {
    long threshold = thresholdMillis;
    if (threshold != 0 && millis >= threshold) {
      add(event, millis, clock.millis() / 1000);
    }
  }

  private synchronized void add(String event, long millis, long now) {
    Series series = events.computeIfAbsent(event, e -> new Series());
    series.max = Math.max(series.max, millis);
    int previous = (series.next + HISTORY - 1) % HISTORY;
    if (series.times[previous] == now) {
      // one sample per second: its worst
      series.latencies[previous] = Math.max(series.latencies[previous], millis);
      return;
    }
    series.times[series.next] = now;
    series.latencies[series.next] = millis;
    series.next = (series.next + 1) % HISTORY;
  }

  /** Forgets an event (any case), or every event when null; how many were forgotten. */
  public synchronized int reset(String event) {
    int resets = 0;
    Iterator<String> it = events.keySet().iterator();
    while (it.hasNext()) {
      String name = it.next();
      if (event == null || name.equalsIgnoreCase(event)) {
        it.remove();
        resets++;
      }
    }
    return resets;
  }

  /** Each event's latest sample and worst ever, in the order the events first happened. */
  public synchronized List<Latest> latest() {
    List<Latest> out = new ArrayList<>();
    events.forEach(
        (event, series) -> {
          int last = (series.next + HISTORY - 1) % HISTORY;
          out.add(
              new Latest(
                  event, new Sample(series.times[last], series.latencies[last]), series.max));
        });
    return out;
  }

  /** Every event's samples, in the order the events first happened. */
  public synchronized List<History> histories() {
    List<History> out = new ArrayList<>();
    events.forEach((event, series) -> out.add(new History(event, series.samples(), series.max)));
    return out;
  }

  /** One event's samples (its name as given, matched exactly as Redis's dict does), or null. */
  public synchronized History history(String event) {
    Series series = events.get(event);
    return series == null ? null : new History(event, series.samples(), series.max);
  }

  public synchronized boolean isEmpty() {
    return events.isEmpty();
  }
}
