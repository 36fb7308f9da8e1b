package dev.sluice.proxy.commands.stream;

import dev.sluice.proxy.durable.AppendWriteBack;
import dev.sluice.proxy.engine.CommandContext;
import dev.sluice.proxy.engine.RedisError;
import dev.sluice.proxy.keyspace.Entry;
import dev.sluice.proxy.keyspace.NotifyFlags;
import dev.sluice.proxy.runtime.ServerContext;
import dev.sluice.proxy.types.stream.ConsumerGroup;
import dev.sluice.proxy.types.stream.RedisStream;
import dev.sluice.proxy.types.stream.StreamId;

/**
 * XGROUP CREATE | SETID | DESTROY | CREATECONSUMER | DELCONSUMER and XACK, in the order of checks
 * of Redis 7.4's xgroupCommand: CREATE's options, then the key (it must exist, unless CREATE has
 * MKSTREAM), then the group for the subcommands that need one.
 */
final class StreamGroupCommands {
  private final ServerContext server;

  StreamGroupCommands(ServerContext server) {
    this.server = server;
  }

  /** A subcommand's key, stream and group, the checks common to all done. */
  private record Target(Entry entry, RedisStream stream, ConsumerGroup group) {}

  private static Target target(CommandContext c, boolean mkStream, boolean needsGroup) {
    Entry entry = c.db().write(c.arg(2));
    RedisStream s = StreamArgs.stream(entry);
    if (s == null && !mkStream) {
      throw new RedisError(StreamArgs.NO_XGROUP_KEY);
    }
    ConsumerGroup g = s == null ? null : s.group(c.arg(3));
    if (g == null && needsGroup) {
      throw StreamArgs.noGroup(c, 2, 3);
    }
    return new Target(entry, s, g);
  }

  /** ENTRIESREAD's value: a count, or -1 for unknown. */
  private static long entriesRead(CommandContext c, int i) {
    long value = StreamArgs.integer(c, i);
    if (value < 0 && value != ConsumerGroup.INVALID_ENTRIES_READ) {
      throw new RedisError("ERR value for ENTRIESREAD must be positive or -1");
    }
    return value;
  }

  /** XGROUP CREATE key group id|$ [MKSTREAM] [ENTRIESREAD entries-read]. */
  void create(CommandContext c) {
    boolean mkStream = false;
    long entriesRead = ConsumerGroup.INVALID_ENTRIES_READ;
    for (int i = 5; i < c.argc(); i++) {
      if (c.is(i, "mkstream")) {
        mkStream = true;
      } else if (c.is(i, "entriesread") && i + 1 < c.argc()) {
        entriesRead = entriesRead(c, ++i);
      } else {
        throw StreamArgs.subcommandSyntax(c);
      }
    }
    Target t = target(c, mkStream, false);
    if (c.argc() > 8) {
      throw StreamArgs.subcommandSyntax(c);
    }
    RedisStream s = t.stream();
    StreamId id;
    if (StreamArgs.isSymbol(c, 4, '$')) {
      id = s != null ? s.lastId() : StreamId.MIN;
    } else {
      id = StreamId.parseStrict(c.arg(4));
    }
    Entry entry = t.entry();
    if (s == null) {
      AppendWriteBack appends = server.appends();
      if (appends != null && appends.target(c.arg(2)) != null) {
        // its XADDs go to PostgreSQL: a stream here would never see them
        throw new RedisError(
            "ERR MKSTREAM refused: "
                + c.text(2)
                + " is the key of an append mapping, whose entries are rows in PostgreSQL");
      }
      s = new RedisStream();
      entry = c.db().insert(c.arg(2), s);
    }
    s.createGroup(c.arg(3), id, entriesRead);
    c.db().changed(entry);
    c.reply().simple("OK");
    c.dirty(1);
    c.notify(NotifyFlags.STREAM, "xgroup-create", c.arg(2));
  }

  /** XGROUP SETID key group id|$ [ENTRIESREAD entries-read]. */
  void setId(CommandContext c) {
    Target t = target(c, false, true);
    if (c.argc() != 5 && c.argc() != 7) {
      throw StreamArgs.subcommandSyntax(c);
    }
    StreamId id =
        StreamArgs.isSymbol(c, 4, '$') ? t.stream().lastId() : StreamId.parse(c.arg(4), 0);
    long entriesRead = ConsumerGroup.INVALID_ENTRIES_READ;
    if (c.argc() == 7) {
      if (!c.is(5, "entriesread")) {
        throw StreamArgs.subcommandSyntax(c);
      }
      entriesRead = entriesRead(c, 6);
    }
    t.group().setLastDelivered(id, entriesRead);
    c.db().changed(t.entry());
    c.reply().simple("OK");
    c.dirty(1);
    c.notify(NotifyFlags.STREAM, "xgroup-setid", c.arg(2));
  }

  /** XGROUP DESTROY key group: blocked XREADGROUPs on the key run again and get NOGROUP. */
  void destroy(CommandContext c) {
    Target t = target(c, false, false);
    if (t.group() == null) {
      c.reply().integer(0);
      return;
    }
    t.stream().destroyGroup(c.arg(3));
    c.db().changed(t.entry());
    c.reply().integer(1);
    c.dirty(1);
    c.notify(NotifyFlags.STREAM, "xgroup-destroy", c.arg(2));
  }

  /** XGROUP CREATECONSUMER key group consumer: 1 if created, 0 if it existed. */
  void createConsumer(CommandContext c) {
    Target t = target(c, false, true);
    boolean created = t.group().createConsumer(c.arg(4), c.now()) != null;
    if (created) {
      c.db().changed(t.entry());
      c.dirty(1);
      c.notify(NotifyFlags.STREAM, "xgroup-createconsumer", c.arg(2));
    }
    c.reply().integer(created ? 1 : 0);
  }

  /** XGROUP DELCONSUMER key group consumer: the number of pending entries it had. */
  void deleteConsumer(CommandContext c) {
    Target t = target(c, false, true);
    long pending = 0;
    if (t.group().consumer(c.arg(4)) != null) {
      pending = t.group().deleteConsumer(c.arg(4));
      c.db().changed(t.entry());
      c.dirty(1);
      c.notify(NotifyFlags.STREAM, "xgroup-delconsumer", c.arg(2));
    }
    c.reply().integer(pending);
  }

  /** XACK key group id [id …]: a missing key or group acknowledges nothing. */
  static void xack(CommandContext c) {
    Entry entry = c.db().read(c.arg(1));
    RedisStream s = StreamArgs.stream(entry);
    ConsumerGroup g = s == null ? null : s.group(c.arg(2));
    if (g == null) {
      c.reply().integer(0);
      return;
    }
    long acknowledged = g.ack(StreamArgs.idsFrom(c, 3));
    if (acknowledged > 0) {
      c.db().changed(entry);
      c.dirty(acknowledged);
    }
    c.reply().integer(acknowledged);
  }
}
