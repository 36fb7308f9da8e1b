package dev.sluice.proxy.commands.server;

import static dev.sluice.proxy.engine.CommandFlag.LOADING;
import static dev.sluice.proxy.engine.CommandFlag.READONLY;
import static dev.sluice.proxy.engine.CommandFlag.STALE;
import static dev.sluice.proxy.engine.CommandSpec.command;
import static dev.sluice.proxy.engine.CommandSpec.container;

import dev.sluice.proxy.engine.CommandContext;
import dev.sluice.proxy.engine.CommandTable;
import dev.sluice.proxy.engine.Errors;
import dev.sluice.proxy.engine.KeySpec;
import dev.sluice.proxy.engine.RedisError;
import dev.sluice.proxy.keyspace.Entry;
import dev.sluice.proxy.keyspace.Keyspace;
import dev.sluice.proxy.keyspace.MemoryEstimate;
import dev.sluice.proxy.resp.Reply;
import dev.sluice.proxy.runtime.Info;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;

/**
 * MEMORY USAGE, STATS, DOCTOR, MALLOC-STATS, PURGE and HELP, with Redis 7.4's replies and field
 * names. The figures are Sluice's: a key's size is the estimate used_memory counts (exact for the
 * JVM layout, so SAMPLES is checked but changes nothing), and the allocator's are the JVM heap's.
 */
final class MemoryCommand {
  private MemoryCommand() {}

  /** Below this much data Redis's MEMORY DOCTOR says the instance is too empty to judge. */
  private static final long DOCTOR_MIN_BYTES = 5L * 1024 * 1024;

  static void register(CommandTable t) {
    String[] stats = {"nondeterministic_output", "request_policy:all_shards"};
    t.register(
        container("memory")
            .group("server")
            .doc("A container for memory diagnostics commands.", "4.0.0", "Depends")
            .sub(
                command("usage", -3, MemoryCommand::usage)
                    .flags(READONLY)
                    .keys(KeySpec.key(2, "RO"))
                    .doc("Estimates the memory usage of a key.", "4.0.0", "O(N)"))
            .sub(
                command("stats", 2, MemoryCommand::stats)
                    .tips(stats[0], stats[1], "response_policy:special")
                    .doc("Returns details about memory usage.", "4.0.0", "O(1)"))
            .sub(
                command("doctor", 2, MemoryCommand::doctor)
                    .tips(stats[0], stats[1], "response_policy:special")
                    .doc("Outputs a memory problems report.", "4.0.0", "O(1)"))
            .sub(
                command(
                        "malloc-stats",
                        2,
                        c -> c.reply().bulk("Stats not supported for the current allocator"))
                    .tips(stats[0], stats[1], "response_policy:special")
                    .doc(
                        "Returns the allocator statistics.",
                        "4.0.0",
                        "Depends on how much memory is allocated, could be slow"))
            .sub(
                command("purge", 2, c -> c.reply().simple("OK"))
                    .tips("request_policy:all_shards", "response_policy:all_succeeded")
                    .doc(
                        "Asks the allocator to release memory.",
                        "4.0.0",
                        "Depends on how much memory is allocated, could be slow"))
            .sub(
                command("help", 2, MemoryCommand::help)
                    .flags(LOADING, STALE)
                    .doc("Outputs help text about the different subcommands.", "4.0.0", "O(1)")));
  }

  /** MEMORY USAGE key [SAMPLES count]: the key's bytes, or nil when it does not exist. */
  private static void usage(CommandContext c) {
    for (int i = 3; i < c.argc(); i++) {
      if (!c.is(i, "samples") || i + 1 >= c.argc()) {
        throw new RedisError(Errors.SYNTAX);
      }
      if (c.longArg(++i) < 0) {
        throw new RedisError(Errors.SYNTAX);
      }
    }
    Entry entry = c.db().get(c.arg(2));
    if (entry == null) {
      c.reply().nil();
    } else {
      c.reply().integer(MemoryEstimate.entry(entry));
    }
  }

  private static void stats(CommandContext c) {
    Keyspace keyspace = c.keyspace();
    long used = keyspace.usedMemory();
    long keys = 0;
    int dbs = 0;
    for (int i = 0; i < keyspace.databaseCount(); i++) {
      int size = keyspace.db(i).size();
      keys += size;
      dbs += size > 0 ? 1 : 0;
    }
    MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    long rss = Info.residentSetBytes();
    Reply reply = c.reply();
    reply.map(31 + dbs);
    entry(reply, "peak.allocated", used);
    entry(reply, "total.allocated", used);
    for (String none :
        new String[] {
          "startup.allocated",
          "replication.backlog",
          "clients.slaves",
          "clients.normal",
          "cluster.links",
          "aof.buffer",
          "lua.caches",
          "functions.caches"
        }) {
      entry(reply, none, 0);
    }
    for (int i = 0; i < keyspace.databaseCount(); i++) {
      if (keyspace.db(i).size() > 0) {
        reply.bulk("db." + i);
        reply.map(2);
        entry(reply, "overhead.hashtable.main", 0);
        entry(reply, "overhead.hashtable.expires", 0);
      }
    }
    entry(reply, "overhead.db.hashtable.lut", 0);
    entry(reply, "overhead.db.hashtable.rehashing", 0);
    entry(reply, "overhead.total", 0);
    entry(reply, "db.dict.rehashing.count", 0);
    entry(reply, "keys.count", keys);
    entry(reply, "keys.bytes-per-key", keys == 0 ? 0 : used / keys);
    entry(reply, "dataset.bytes", used);
    reply.bulk("dataset.percentage");
    reply.doubleValue(used == 0 ? 0 : 100.0);
    reply.bulk("peak.percentage");
    reply.doubleValue(100.0);
    entry(reply, "allocator.allocated", heap.getUsed());
    entry(reply, "allocator.active", heap.getCommitted());
    entry(reply, "allocator.resident", rss);
    entry(reply, "allocator.muzzy", 0);
    ratio(reply, "allocator-fragmentation", heap.getCommitted(), heap.getUsed());
    ratio(reply, "allocator-rss", rss, heap.getCommitted());
    ratio(reply, "rss-overhead", rss, rss);
    ratio(reply, "fragmentation", rss, Math.max(used, 1));
  }

  private static void entry(Reply reply, String name, long value) {
    reply.bulk(name);
    reply.integer(value);
  }

  /** name.ratio and name.bytes ("fragmentation" and "fragmentation.bytes" for the total). */
  private static void ratio(Reply reply, String name, long numerator, long denominator) {
    reply.bulk(name.equals("fragmentation") ? name : name + ".ratio");
    reply.doubleValue(denominator == 0 ? 0 : (double) numerator / denominator);
    reply.bulk(name + ".bytes");
    reply.integer(numerator - denominator);
  }

  private static void doctor(CommandContext c) {
    String report =
        c.keyspace().usedMemory() < DOCTOR_MIN_BYTES
            ? "Hi Sam, this instance is empty or is using very little memory, my issues detector"
                + " can't be used in these conditions. Please, leave for your mission on Earth and"
                + " fill it with some data. The new Sam and I will be back to our programming as"
                + " soon as I finished rebooting.\n"
            : "Hi Sam, I can't find any memory issue in your instance. I can only account for"
                + " what occurs on this base.\n";
    c.reply().verbatim(report);
  }

  private static void help(CommandContext c) {
    String[] lines = {
      "MEMORY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
      "DOCTOR",
      "    Return memory problems reports.",
      "MALLOC-STATS",
      "    Return internal statistics report from the memory allocator.",
      "PURGE",
      "    Attempt to purge dirty pages for reclamation by the allocator.",
      "STATS",
      "    Return information about the memory usage of the server.",
      "USAGE <key> [SAMPLES <count>]",
      "    Return memory in bytes used by <key> and its value. Nested values are",
      "    sampled up to <count> times (default: 5, 0 means sample all).",
      "HELP",
      "    Prints this help."
    };
    c.reply().array(lines.length);
    for (String line : lines) {
      c.reply().simple(line);
    }
  }
}
