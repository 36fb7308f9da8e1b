package dev.sluice.proxy.runtime;

import dev.sluice.config.ValueParsers;
import dev.sluice.proxy.engine.CommandContext;
import dev.sluice.proxy.engine.CommandLatencies;
import dev.sluice.proxy.engine.CommandSpec;
import dev.sluice.proxy.engine.Engine;
import dev.sluice.proxy.engine.MappingAdmin;
import dev.sluice.proxy.engine.ServerStats;
import dev.sluice.proxy.keyspace.Database;
import dev.sluice.proxy.keyspace.Keyspace;
import dev.sluice.proxy.replication.MasterLink;
import dev.sluice.proxy.replication.Primary;
import dev.sluice.proxy.scripting.Functions;
import dev.sluice.proxy.scripting.ScriptEngine;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.lang.management.OperatingSystemMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/** INFO [section ...]: the sections and field names Redis clients and dashboards read. */
public final class Info {
  private Info() {}

  private static final List<String> DEFAULT_SECTIONS =
      List.of(
          "server",
          "clients",
          "memory",
          "persistence",
          "stats",
          "replication",
          "cpu",
          "cluster",
          "keyspace");

  /** INFO all and everything: the default sections and latencystats, in Redis's order. */
  private static final List<String> ALL_SECTIONS = allSections();

  private static List<String> allSections() {
    List<String> all = new ArrayList<>(DEFAULT_SECTIONS);
    all.add(all.indexOf("cluster"), "latencystats");
    return List.copyOf(all);
  }

  /** INFO [section …], answered for {@code server}. */
  public static void info(ServerContext server, CommandContext c) {
    Set<String> sections = new LinkedHashSet<>();
    if (c.argc() == 1) {
      sections.addAll(DEFAULT_SECTIONS);
      sections.add("sluice");
    }
    for (int i = 1; i < c.argc(); i++) {
      String section = c.text(i).toLowerCase(Locale.ROOT);
      if (section.equals("all") || section.equals("everything")) {
        sections.addAll(ALL_SECTIONS);
        sections.add("sluice");
      } else if (section.equals("default")) {
        sections.addAll(DEFAULT_SECTIONS);
        sections.add("sluice");
      } else {
        sections.add(section);
      }
    }
    List<String> parts = new ArrayList<>();
    for (String section : sections) {
      StringBuilder part = new StringBuilder();
      if (append(server, c, section, part)) {
        parts.add(part.toString());
      }
    }
    c.reply().verbatim(String.join("\r\n", parts));
  }

  private static boolean append(
      ServerContext server, CommandContext c, String section, StringBuilder out) {
    Keyspace keyspace = server.keyspace();
    switch (section) {
      case "sluice" -> {
        MappingAdmin admin = server.mappingAdmin();
        if (admin == null) {
          return false;
        }
        out.append("# Sluice\r\n");
        for (String line : admin.infoLines()) {
          out.append(line).append("\r\n");
        }
      }
      case "server" -> {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        long uptime = server.uptimeSeconds();
        out.append("# Server\r\n");
        field(out, "redis_version", Engine.REDIS_VERSION);
        field(out, "redis_git_sha1", "00000000");
        field(out, "redis_git_dirty", "0");
        field(out, "redis_build_id", "0");
        field(out, "redis_mode", "standalone");
        field(out, "sluice_version", ServerContext.SLUICE_VERSION);
        field(out, "os", os.getName() + " " + os.getVersion() + " " + os.getArch());
        field(out, "arch_bits", "64");
        field(out, "multiplexing_api", "netty");
        field(out, "java_version", System.getProperty("java.version"));
        field(out, "process_id", ProcessHandle.current().pid());
        field(out, "run_id", server.runId());
        field(out, "tcp_port", server.tcpPort());
        field(out, "server_time_usec", keyspace.clock().micros());
        field(out, "uptime_in_seconds", uptime);
        field(out, "uptime_in_days", TimeUnit.SECONDS.toDays(uptime));
        field(out, "hz", server.hz());
        field(out, "configured_hz", server.hz());
        field(out, "io_threads_active", 1);
      }
      case "clients" -> {
        out.append("# Clients\r\n");
        field(out, "connected_clients", server.clients().count());
        field(out, "maxclients", server.maxclients());
        // clients in WAIT and WAITAOF are blocked too, as in Redis
        field(
            out,
            "blocked_clients",
            server.stats().blockedClients.get() + server.primary().waits().size());
        field(out, "tracking_clients", server.tracking().trackingClients());
        field(out, "pubsub_clients", server.pubSub().subscribedClients());
        field(out, "watching_clients", 0);
      }
      case "memory" -> {
        long used = keyspace.usedMemory();
        long rss = residentSetBytes();
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        out.append("# Memory\r\n");
        field(out, "used_memory", used);
        field(out, "used_memory_human", human(used));
        field(out, "used_memory_rss", rss);
        field(out, "used_memory_rss_human", human(rss));
        field(out, "used_memory_dataset", used);
        ScriptEngine scripts = server.scriptsIfBuilt();
        Collection<Functions.Library> libraries =
            scripts == null ? List.of() : scripts.functions().libraries();
        field(out, "number_of_cached_scripts", scripts == null ? 0 : scripts.cachedScripts());
        field(
            out,
            "number_of_functions",
            libraries.stream().mapToInt(library -> library.functions().size()).sum());
        field(out, "number_of_libraries", libraries.size());
        field(out, "maxmemory", keyspace.maxmemory());
        field(out, "maxmemory_human", human(keyspace.maxmemory()));
        field(out, "maxmemory_policy", keyspace.policy().configName());
        field(out, "mem_allocator", "jvm");
        field(out, "jvm_heap_used", heap.getUsed());
        field(out, "jvm_heap_committed", heap.getCommitted());
        field(out, "jvm_heap_max", heap.getMax());
      }
      case "persistence" -> {
        out.append("# Persistence\r\n");
        field(out, "loading", 0);
        field(out, "async_loading", 0);
        for (Object[] f : server.persistence().infoFields()) {
          field(out, (String) f[0], f[1]);
        }
        field(out, "aof_enabled", 0);
        field(out, "aof_rewrite_in_progress", 0);
      }
      case "stats" -> {
        ServerStats stats = server.stats();
        out.append("# Stats\r\n");
        field(out, "total_connections_received", stats.connectionsReceived.sum());
        field(out, "total_commands_processed", stats.commandsProcessed.sum());
        field(out, "rejected_connections", stats.rejectedConnections.sum());
        field(out, "expired_keys", keyspace.stats().expired());
        field(out, "evicted_keys", keyspace.stats().evicted());
        field(out, "keyspace_hits", keyspace.stats().hits());
        field(out, "keyspace_misses", keyspace.stats().misses());
        field(out, "total_error_replies", stats.errorReplies.sum());
        field(out, "pubsub_channels", server.pubSub().channels(null).size());
        field(out, "pubsub_patterns", server.pubSub().patternCount());
        field(out, "pubsubshard_channels", server.pubSub().shardChannels(null).size());
        field(out, "acl_access_denied_auth", stats.aclDeniedAuth.sum());
        field(out, "acl_access_denied_cmd", stats.aclDeniedCommands.sum());
        long[] syncs = server.primary().syncCounts();
        field(out, "sync_full", syncs[0]);
        field(out, "sync_partial_ok", syncs[1]);
        field(out, "sync_partial_err", syncs[2]);
        field(out, "tracking_total_keys", server.tracking().keyCount());
        field(out, "tracking_total_items", server.tracking().items());
        field(out, "tracking_total_prefixes", server.tracking().prefixCount());
      }
      case "replication" -> {
        out.append("# Replication\r\n");
        Primary primary = server.primary();
        List<Primary.Replica> replicas = primary.replicas();
        MasterLink link = server.replication().link();
        field(out, "role", link == null ? "master" : "slave");
        if (link != null) {
          replicaFields(out, link, server.replication().readOnly());
        }
        field(out, "connected_slaves", replicas.size());
        long now = server.keyspace().clock().millis();
        if (primary.goodReplicas().active()) {
          field(out, "min_slaves_good_slaves", primary.goodReplicaCount(now));
        }
        long nowSeconds = now / 1000;
        for (int i = 0; i < replicas.size(); i++) {
          Primary.Replica replica = replicas.get(i);
          field(
              out,
              "slave" + i,
              "ip="
                  + replica.host()
                  + ",port="
                  + replica.listeningPort()
                  + ",state=online,offset="
                  + replica.ackOffset()
                  + ",lag="
                  + (nowSeconds - replica.ackMillis() / 1000));
        }
        field(out, "master_failover_state", server.failover().state().infoName());
        field(out, "master_replid", primary.replid());
        field(out, "master_replid2", primary.replid2());
        field(out, "master_repl_offset", primary.offset());
        field(out, "second_repl_offset", primary.secondOffset());
        long[] backlog = primary.backlogInfo();
        field(out, "repl_backlog_active", backlog[0]);
        field(out, "repl_backlog_size", backlog[1]);
        field(out, "repl_backlog_first_byte_offset", backlog[2]);
        field(out, "repl_backlog_histlen", backlog[3]);
      }
      case "cpu" -> {
        out.append("# CPU\r\n");
        var bean = ManagementFactory.getOperatingSystemMXBean();
        double cpu =
            bean instanceof com.sun.management.OperatingSystemMXBean sun
                ? sun.getProcessCpuTime() / 1e9
                : 0;
        field(out, "used_cpu_sys", String.format(Locale.ROOT, "%.6f", 0.0));
        field(out, "used_cpu_user", String.format(Locale.ROOT, "%.6f", cpu));
      }
      case "latencystats" -> {
        out.append("# Latencystats\r\n");
        if (c.engine().commandLatencies().enabled()) {
          latencyStats(server, c, out);
        }
      }
      case "cluster" -> {
        out.append("# Cluster\r\n");
        field(out, "cluster_enabled", 0);
      }
      case "keyspace" -> {
        out.append("# Keyspace\r\n");
        for (int i = 0; i < keyspace.databaseCount(); i++) {
          Database db = keyspace.db(i);
          if (db.size() > 0) {
            field(
                out,
                "db" + i,
                "keys="
                    + db.size()
                    + ",expires="
                    + db.volatileCount()
                    + ",avg_ttl="
                    + db.averageTtl()
                    + ",subexpiry=0");
          }
        }
      }
      default -> {
        return false;
      }
    }
    return true;
  }

  /** Each command's latency_percentiles_usec_NAME line, as Redis's fillPercentileDistribution. */
  private static void latencyStats(ServerContext server, CommandContext c, StringBuilder out) {
    @SuppressWarnings("unchecked")
    List<Double> percentiles =
        (List<Double>) server.parameters().current("latency-tracking-info-percentiles");
    CommandLatencies latencies = c.engine().commandLatencies();
    for (CommandSpec spec : c.engine().commands().byId()) {
      Histogram histogram = latencies.of(spec);
      if (histogram == null) {
        continue;
      }
      out.append("latency_percentiles_usec_").append(spec.fullName()).append(':');
      for (int j = 0; j < percentiles.size(); j++) {
        double p = percentiles.get(j);
        double micros = CommandLatencies.valueAtPercentile(histogram, p) / 1000.0;
        out.append('p')
            .append(ValueParsers.trimmedDouble(p))
            .append('=')
            .append(String.format(Locale.ROOT, "%.3f", micros));
        if (j != percentiles.size() - 1) {
          out.append(',');
        }
      }
      out.append("\r\n");
    }
  }

  /** INFO replication's lines of a replica, as Redis's genRedisInfoString. */
  private static void replicaFields(StringBuilder out, MasterLink link, boolean readOnly) {
    long nowSeconds = System.currentTimeMillis() / 1000;
    MasterLink.State state = link.state();
    boolean connected = state == MasterLink.State.CONNECTED;
    // as Redis: 1 when no primary's client exists yet
    long offset = link.offset() < 0 ? 1 : link.offset();
    field(out, "master_host", link.host());
    field(out, "master_port", link.port());
    field(out, "master_link_status", connected ? "up" : "down");
    field(
        out,
        "master_last_io_seconds_ago",
        connected ? nowSeconds - link.lastIoMillis() / 1000 : -1);
    field(out, "master_sync_in_progress", state == MasterLink.State.TRANSFER ? 1 : 0);
    field(out, "slave_read_repl_offset", offset);
    field(out, "slave_repl_offset", offset);
    if (state == MasterLink.State.TRANSFER) {
      long[] transfer = link.transfer();
      long total = Math.max(0, transfer[0]);
      field(out, "master_sync_total_bytes", total);
      field(out, "master_sync_read_bytes", transfer[1]);
      field(out, "master_sync_left_bytes", total - transfer[1]);
      field(
          out,
          "master_sync_perc",
          String.format(Locale.ROOT, "%.2f", total == 0 ? 0.0 : 100.0 * transfer[1] / total));
      field(out, "master_sync_last_io_seconds_ago", nowSeconds - link.lastIoMillis() / 1000);
    }
    if (!connected) {
      long downSince = link.downSinceMillis();
      field(
          out,
          "master_link_down_since_seconds",
          downSince == 0 ? -1 : nowSeconds - downSince / 1000);
    }
    field(out, "slave_priority", 100);
    field(out, "slave_read_only", readOnly ? 1 : 0);
    field(out, "replica_announced", 1);
  }

  private static void field(StringBuilder out, String name, Object value) {
    out.append(name).append(':').append(value).append("\r\n");
  }

  static String human(long bytes) {
    if (bytes < 1024) {
      return bytes + "B";
    }
    String units = "KMGTPE";
    double value = bytes;
    int unit = -1;
    while (value >= 1024 && unit < units.length() - 1) {
      value /= 1024;
      unit++;
    }
    return String.format(Locale.ROOT, "%.2f%c", value, units.charAt(unit));
  }

  /** The process's resident set, from /proc (the JVM's total memory where there is none). */
  public static long residentSetBytes() {
    try {
      String[] statm = Files.readString(Path.of("/proc/self/statm")).trim().split("\\s+");
      return Long.parseLong(statm[1]) * 4096;
    } catch (Exception e) {
      return Runtime.getRuntime().totalMemory();
    }
  }
}
