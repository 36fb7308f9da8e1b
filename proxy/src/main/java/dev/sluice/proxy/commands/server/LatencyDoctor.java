package dev.sluice.proxy.commands.server;

import dev.sluice.proxy.engine.CommandContext;
import dev.sluice.proxy.engine.LatencyMonitor;
import dev.sluice.proxy.engine.SlowLog;
import dev.sluice.proxy.runtime.ServerContext;
import java.util.List;
import java.util.Locale;

/**
 * LATENCY DOCTOR's report, in Redis's createLatencyReport words, for the events Sluice records
 * ("command", "fast-command", "expire-cycle", "eviction-cycle"): each event's statistics, then the
 * advice they call for. Redis's advice on fork, AOF and disks never applies (Sluice has none of
 * them), nor does its transparent-huge-pages check, which is about the latency of fork().
 */
final class LatencyDoctor {
  private LatencyDoctor() {}

  static String report(ServerContext server, CommandContext c) {
    LatencyMonitor monitor = c.engine().latencyMonitor();
    long threshold = monitor.thresholdMillis();
    List<LatencyMonitor.History> events = monitor.histories();
    if (events.isEmpty() && threshold == 0) {
      return "I'm sorry, Dave, I can't do that. Latency monitoring is disabled in this Redis"
          + " instance. You may use \"CONFIG SET latency-monitor-threshold <milliseconds>.\" in"
          + " order to enable it. If we weren't in a deep space mission I'd suggest to take a look"
          + " at https://redis.io/topics/latency-monitor.\n";
    }
    long now = c.keyspace().clock().millis() / 1000;
    SlowLog slowLog = c.engine().slowLog();
    StringBuilder report = new StringBuilder();
    boolean slowlogEnabled = false;
    boolean slowlogTuning = false;
    boolean slowlogInspect = false;
    boolean scheduler = false;
    boolean hz = false;
    boolean largeObjects = false;
    boolean massEviction = false;
    int advices = 0;
    int eventnum = 0;
    for (LatencyMonitor.History event : events) {
      eventnum++;
      if (eventnum == 1) {
        report.append(
            "Dave, I have observed latency spikes in this Redis instance. You don't mind talking"
                + " about it, do you Dave?\n\n");
      }
      appendStats(report, eventnum, event, now);
      String name = event.event();
      if (name.equalsIgnoreCase("command")) {
        if (slowLog.thresholdMicros() < 0 || slowLog.maxLength() == 0) {
          slowlogEnabled = true;
          advices++;
        } else if (slowLog.thresholdMicros() / 1000 > threshold) {
          slowlogTuning = true;
          advices++;
        }
        slowlogInspect = true;
        largeObjects = true;
        advices += 2;
      }
      if (name.equalsIgnoreCase("fast-command")) {
        scheduler = true;
        advices++;
      }
      if (name.equalsIgnoreCase("expire-cycle")) {
        hz = true;
        largeObjects = true;
        advices += 2;
      }
      if (name.equalsIgnoreCase("eviction-cycle")) {
        massEviction = true;
        advices++;
      }
      report.append('\n');
    }
    if (eventnum == 0 && advices == 0) {
      report.append(
          "Dave, no latency spike was observed during the lifetime of this Redis instance, not in"
              + " the slightest bit. I honestly think you ought to sit down calmly, take a stress"
              + " pill, and think things over.\n");
      return report.toString();
    }
    if (advices == 0) {
      report.append(
          "\nWhile there are latency events logged, I'm not able to suggest any easy fix. Please"
              + " use the Redis community to get some help, providing this report in your help"
              + " request.\n");
      return report.toString();
    }
    report.append("\nI have a few advices for you:\n\n");
    if (slowlogEnabled) {
      report.append(
          "- There are latency issues with potentially slow commands you are using. Try to enable"
              + " the Slow Log Redis feature using the command 'CONFIG SET slowlog-log-slower-than "
              + threshold * 1000
              + "'. If the Slow log is disabled Redis is not able to log slow commands execution"
              + " for you.\n");
    }
    if (slowlogTuning) {
      report.append(
          "- Your current Slow Log configuration only logs events that are slower than your"
              + " configured latency monitor threshold. Please use 'CONFIG SET"
              + " slowlog-log-slower-than "
              + threshold * 1000
              + "'.\n");
    }
    if (slowlogInspect) {
      report.append(
          "- Check your Slow Log to understand what are the commands you are running which are too"
              + " slow to execute. Please check https://redis.io/commands/slowlog for more"
              + " information.\n");
    }
    if (scheduler) {
      report.append(
          "- The system is slow to execute Redis code paths not containing system calls. This"
              + " usually means the system does not provide Redis CPU time to run for long"
              + " periods. You should try to:\n"
              + "  1) Lower the system load.\n"
              + "  2) Use a computer / VM just for Redis if you are running other software in the"
              + " same system.\n"
              + "  3) Check if you have a \"noisy neighbour\" problem.\n"
              + "  4) Check with 'redis-cli --intrinsic-latency 100' what is the intrinsic latency"
              + " in your system.\n"
              + "  5) Check if the problem is allocator-related by recompiling Redis with"
              + " MALLOC=libc, if you are using Jemalloc. However this may create fragmentation"
              + " problems.\n");
    }
    if (hz && server.hz() < 100) {
      report.append(
          "- In order to make the Redis keys expiring process more incremental, try to set the"
              + " 'hz' configuration parameter to 100 using 'CONFIG SET hz 100'.\n");
    }
    if (largeObjects) {
      report.append(
          "- Deleting, expiring or evicting (because of maxmemory policy) large objects is a"
              + " blocking operation. If you have very large objects that are often deleted,"
              + " expired, or evicted, try to fragment those objects into multiple smaller"
              + " objects.\n");
    }
    if (massEviction) {
      report.append(
          "- Sudden changes to the 'maxmemory' setting via 'CONFIG SET', or allocation of large"
              + " objects via sets or sorted sets intersections, STORE option of SORT, Redis"
              + " Cluster large keys migrations (RESTORE command), may create sudden memory"
              + " pressure forcing the server to block trying to evict keys. \n");
    }
    return report.toString();
  }

  /** Redis's analyzeLatencyForEvent, as one numbered line (without its newline). */
  private static void appendStats(
      StringBuilder report, int eventnum, LatencyMonitor.History event, long now) {
    List<LatencyMonitor.Sample> samples = event.samples();
    long sum = 0;
    long oldest = 0;
    for (LatencyMonitor.Sample sample : samples) {
      sum += sample.latency();
      if (oldest == 0 || sample.time() < oldest) {
        oldest = sample.time();
      }
    }
    long count = samples.size();
    long avg = count == 0 ? 0 : sum / count;
    long period = 0;
    if (count > 0) {
      period = now - oldest;
      if (period == 0) {
        period = 1;
      }
    }
    long deviations = 0;
    for (LatencyMonitor.Sample sample : samples) {
      deviations += Math.abs(avg - sample.latency());
    }
    long mad = count == 0 ? 0 : deviations / count;
    report.append(
        String.format(
            Locale.ROOT,
            "%d. %s: %d latency spikes (average %dms, mean deviation %dms, period %.2f sec). Worst"
                + " all time event %dms.",
            eventnum,
            event.event(),
            count,
            avg,
            mad,
            (double) period / count,
            event.max()));
  }
}
