package dev.sluice.proxy.commands.stream;

import dev.sluice.proxy.engine.CommandContext;
import dev.sluice.proxy.engine.Errors;
import dev.sluice.proxy.engine.RedisError;
import dev.sluice.proxy.resp.Reply;
import dev.sluice.proxy.types.stream.ConsumerGroup;
import dev.sluice.proxy.types.stream.PendingEntry;
import dev.sluice.proxy.types.stream.RedisStream;
import dev.sluice.proxy.types.stream.StreamConsumer;
import dev.sluice.proxy.types.stream.StreamEntry;
import dev.sluice.proxy.types.stream.StreamId;
import java.util.List;
import java.util.Map;

/**
 * XINFO STREAM [FULL [COUNT n]], XINFO GROUPS, XINFO CONSUMERS and the HELP of XINFO and XGROUP,
 * with Redis 7.4's fields (a consumer's active-time and inactive, which 7.0 lacks).
 */
final class StreamInfoCommands {
  private StreamInfoCommands() {}

  private static final List<String> XGROUP_HELP =
      List.of(
          "XGROUP <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
          "CREATE <key> <groupname> <id|$> [option]",
          "    Create a new consumer group. Options are:",
          "    * MKSTREAM",
          "      Create the empty stream if it does not exist.",
          "    * ENTRIESREAD entries_read",
          "      Set the group's entries_read counter (internal use).",
          "CREATECONSUMER <key> <groupname> <consumer>",
          "    Create a new consumer in the specified group.",
          "DELCONSUMER <key> <groupname> <consumer>",
          "    Remove the specified consumer.",
          "DESTROY <key> <groupname>",
          "    Remove the specified group.",
          "SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]",
          "    Set the current group ID and entries_read counter.",
          "HELP",
          "    Prints this help.");

  private static final List<String> XINFO_HELP =
      List.of(
          "XINFO <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
          "CONSUMERS <key> <groupname>",
          "    Show consumers of <groupname>.",
          "GROUPS <key>",
          "    Show the stream consumer groups.",
          "STREAM <key> [FULL [COUNT <count>]",
          "    Show information about the stream.",
          "HELP",
          "    Prints this help.");

  static void xgroupHelp(CommandContext c) {
    help(c.reply(), XGROUP_HELP);
  }

  static void xinfoHelp(CommandContext c) {
    help(c.reply(), XINFO_HELP);
  }

  private static void help(Reply r, List<String> lines) {
    r.array(lines.size());
    for (String line : lines) {
      r.simple(line);
    }
  }

  /** The stream at argument 2, "ERR no such key" when missing. */
  private static RedisStream stream(CommandContext c) {
    RedisStream s = StreamArgs.stream(c.db().read(c.arg(2)));
    if (s == null) {
      throw new RedisError(Errors.NO_SUCH_KEY);
    }
    return s;
  }

  /** XINFO CONSUMERS key group. */
  static void consumers(CommandContext c) {
    RedisStream s = stream(c);
    ConsumerGroup g = s.group(c.arg(3));
    if (g == null) {
      throw StreamArgs.noGroup(c, 2, 3);
    }
    long now = c.now();
    Reply r = c.reply();
    r.array(g.consumerCount());
    for (StreamConsumer consumer : g.consumers()) {
      r.map(4);
      r.bulk("name");
      r.bulk(consumer.name());
      r.bulk("pending");
      r.integer(consumer.pendingCount());
      r.bulk("idle");
      r.integer(Math.max(0, consumer.idle(now)));
      r.bulk("inactive");
      r.integer(consumer.inactive(now));
    }
  }

  /** XINFO GROUPS key. */
  static void groups(CommandContext c) {
    RedisStream s = stream(c);
    Reply r = c.reply();
    r.array(s.groupCount());
    for (ConsumerGroup g : s.groups()) {
      r.map(6);
      r.bulk("name");
      r.bulk(g.name());
      r.bulk("consumers");
      r.integer(g.consumerCount());
      r.bulk("pending");
      r.integer(g.pendingCount());
      r.bulk("last-delivered-id");
      StreamArgs.id(r, g.lastDeliveredId());
      groupCounters(r, g);
    }
  }

  /** entries-read and lag, each null when unknown. */
  private static void groupCounters(Reply r, ConsumerGroup g) {
    r.bulk("entries-read");
    if (g.entriesRead() == ConsumerGroup.INVALID_ENTRIES_READ) {
      r.nil();
    } else {
      r.integer(g.entriesRead());
    }
    r.bulk("lag");
    Long lag = g.lag();
    if (lag == null) {
      r.nil();
    } else {
      r.integer(lag);
    }
  }

  /** XINFO STREAM key [FULL [COUNT count]]: COUNT 0 means all, a negative one the default 10. */
  static void streamInfo(CommandContext c) {
    RedisStream s = stream(c); // the key first: XINFO looks it up before reading the options
    boolean full = c.argc() > 3;
    long count = 10;
    if (full) {
      if ((c.argc() != 4 && c.argc() != 6) || !c.is(3, "full")) {
        throw StreamArgs.subcommandSyntax(c);
      }
      if (c.argc() == 6) {
        if (!c.is(4, "count")) {
          throw StreamArgs.subcommandSyntax(c);
        }
        count = StreamArgs.integer(c, 5);
        if (count < 0) {
          count = 10;
        }
      }
    }
    Reply r = c.reply();
    r.map(full ? 9 : 10);
    r.bulk("length");
    r.integer(s.length());
    r.bulk("radix-tree-keys");
    r.integer(s.radixTreeKeys());
    r.bulk("radix-tree-nodes");
    r.integer(s.radixTreeNodes());
    r.bulk("last-generated-id");
    StreamArgs.id(r, s.lastId());
    r.bulk("max-deleted-entry-id");
    StreamArgs.id(r, s.maxDeletedId());
    r.bulk("entries-added");
    r.integer(s.entriesAdded());
    r.bulk("recorded-first-entry-id");
    StreamArgs.id(r, s.firstId());
    if (!full) {
      r.bulk("groups");
      r.integer(s.groupCount());
      r.bulk("first-entry");
      edge(r, s.range(StreamId.MIN, StreamId.MAX, false, 1));
      r.bulk("last-entry");
      edge(r, s.range(StreamId.MIN, StreamId.MAX, true, 1));
      return;
    }
    r.bulk("entries");
    StreamArgs.entries(r, s.range(StreamId.MIN, StreamId.MAX, false, count));
    r.bulk("groups");
    r.array(s.groupCount());
    for (ConsumerGroup g : s.groups()) {
      fullGroup(r, g, count);
    }
  }

  private static void edge(Reply r, List<StreamEntry> found) {
    if (found.isEmpty()) {
      r.nil();
    } else {
      StreamArgs.entry(r, found.get(0));
    }
  }

  private static void fullGroup(Reply r, ConsumerGroup g, long count) {
    r.map(7);
    r.bulk("name");
    r.bulk(g.name());
    r.bulk("last-delivered-id");
    StreamArgs.id(r, g.lastDeliveredId());
    groupCounters(r, g);
    r.bulk("pel-count");
    r.integer(g.pendingCount());
    r.bulk("pending");
    List<Map.Entry<StreamId, PendingEntry>> pel = first(g.pending(), count);
    r.array(pel.size());
    for (Map.Entry<StreamId, PendingEntry> e : pel) {
      r.array(4);
      StreamArgs.id(r, e.getKey());
      r.bulk(e.getValue().consumer().name());
      r.integer(e.getValue().deliveryTime());
      r.integer(e.getValue().deliveryCount());
    }
    r.bulk("consumers");
    r.array(g.consumerCount());
    for (StreamConsumer consumer : g.consumers()) {
      r.map(5);
      r.bulk("name");
      r.bulk(consumer.name());
      r.bulk("seen-time");
      r.integer(consumer.seenTime());
      r.bulk("active-time");
      r.integer(consumer.activeTime());
      r.bulk("pel-count");
      r.integer(consumer.pendingCount());
      r.bulk("pending");
      List<Map.Entry<StreamId, PendingEntry>> own = first(consumer.pending(), count);
      r.array(own.size());
      for (Map.Entry<StreamId, PendingEntry> e : own) {
        r.array(3);
        StreamArgs.id(r, e.getKey());
        r.integer(e.getValue().deliveryTime());
        r.integer(e.getValue().deliveryCount());
      }
    }
  }

  /** The first {@code count} entries of a PEL (0: all). */
  private static List<Map.Entry<StreamId, PendingEntry>> first(
      Map<StreamId, PendingEntry> pel, long count) {
    return pel.entrySet().stream().limit(count == 0 ? Long.MAX_VALUE : count).toList();
  }
}
