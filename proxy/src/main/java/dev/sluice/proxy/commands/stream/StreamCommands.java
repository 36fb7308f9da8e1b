package dev.sluice.proxy.commands.stream;

import static dev.sluice.proxy.commands.stream.StreamArgs.guarded;
import static dev.sluice.proxy.engine.CommandFlag.BLOCKING;
import static dev.sluice.proxy.engine.CommandFlag.DENYOOM;
import static dev.sluice.proxy.engine.CommandFlag.FAST;
import static dev.sluice.proxy.engine.CommandFlag.LOADING;
import static dev.sluice.proxy.engine.CommandFlag.READONLY;
import static dev.sluice.proxy.engine.CommandFlag.STALE;
import static dev.sluice.proxy.engine.CommandFlag.WRITE;
import static dev.sluice.proxy.engine.CommandSpec.command;
import static dev.sluice.proxy.engine.CommandSpec.container;

import dev.sluice.proxy.durable.AppendWriteBack;
import dev.sluice.proxy.durable.XaddBurst;
import dev.sluice.proxy.engine.CommandContext;
import dev.sluice.proxy.engine.CommandHandler;
import dev.sluice.proxy.engine.CommandSpec;
import dev.sluice.proxy.engine.CommandTable;
import dev.sluice.proxy.engine.CommandTrait;
import dev.sluice.proxy.engine.Errors;
import dev.sluice.proxy.engine.KeySpec;
import dev.sluice.proxy.engine.RedisError;
import dev.sluice.proxy.runtime.ServerContext;
import dev.sluice.writeback.batch.Flusher;
import dev.sluice.writeback.journal.JournalException;
import dev.sluice.writeback.journal.JournalFullException;
import dev.sluice.writeback.sink.AppendRow;

/**
 * The stream commands of Redis 7.4. XADD on the key of an append mapping adds one row to INSERT:
 * the row is checked against the table, journaled, and acknowledged with a stream-style ID {@code
 * <ms>-<LSN>} only once the journal has it on disk; XADDs a client pipelines back to back join an
 * {@link XaddBurst}, journaled as one group. On every other key XADD appends to a {@code
 * RedisStream} ({@link StreamEntryCommands}), which the other commands read and change: {@link
 * StreamReadCommands} (XREAD, XREADGROUP, blocking), {@link StreamGroupCommands} (XGROUP, XACK),
 * {@link StreamPendingCommands} (XPENDING, XCLAIM, XAUTOCLAIM), {@link StreamInfoCommands} (XINFO).
 * An append mapping's key holds no stream in memory, so those commands see a missing key there.
 */
public final class StreamCommands {
  private final ServerContext server;

  public StreamCommands(ServerContext server) {
    this.server = server;
  }

  public void register(CommandTable t) {
    t.register(
        stream("xadd", -5, this::xadd)
            .flags(WRITE, DENYOOM, FAST)
            .keys(
                KeySpec.key(1, "RW update")
                    .notes("UPDATE instead of INSERT because of the optional trimming feature"))
            .tips("nondeterministic_output")
            .traits(CommandTrait.APPEND_BURST)
            .loadsNoKeys()
            .doc(
                "Appends a new message to a stream. Creates the key if it doesn't exist.",
                "5.0.0",
                "O(1) when adding a new entry, O(N) when trimming where N being the number of"
                    + " entries evicted."));
    t.register(
        stream("xdel", -3, StreamEntryCommands::xdel)
            .flags(WRITE, FAST)
            .keys(KeySpec.key(1, "RW delete"))
            .doc(
                "Returns the number of messages after removing them from a stream.",
                "5.0.0",
                "O(1) for each single item to delete in the stream, regardless of the stream"
                    + " size."));
    t.register(
        stream("xtrim", -4, StreamEntryCommands::xtrim)
            .flags(WRITE)
            .keys(KeySpec.key(1, "RW delete"))
            .tips("nondeterministic_output")
            .doc(
                "Deletes messages from the beginning of a stream.",
                "5.0.0",
                "O(N), with N being the number of evicted entries."));
    t.register(
        stream("xsetid", -3, StreamEntryCommands::xsetid)
            .flags(WRITE, DENYOOM, FAST)
            .keys(KeySpec.key(1, "RW update"))
            .doc("An internal command for replicating stream values.", "5.0.0", "O(1)"));
    t.register(
        stream("xrange", -4, c -> StreamEntryCommands.range(c, false))
            .flags(READONLY)
            .keys(KeySpec.key(1, "RO access"))
            .doc(
                "Returns the messages from a stream within a range of IDs.",
                "5.0.0",
                RANGE_COMPLEXITY));
    t.register(
        stream("xrevrange", -4, c -> StreamEntryCommands.range(c, true))
            .flags(READONLY)
            .keys(KeySpec.key(1, "RO access"))
            .doc(
                "Returns the messages from a stream within a range of IDs in reverse order.",
                "5.0.0",
                RANGE_COMPLEXITY));
    t.register(
        stream("xlen", 2, StreamEntryCommands::xlen)
            .flags(READONLY, FAST)
            .keys(KeySpec.key(1, "RO"))
            .doc("Return the number of messages in a stream.", "5.0.0", "O(1)"));
    t.register(
        stream("xread", -4, c -> StreamReadCommands.read(c, false))
            .flags(READONLY, BLOCKING)
            .keys(KeySpec.keyword("STREAMS", 1, -1, 1, 2, "RO access"))
            .doc(
                "Returns messages from multiple streams with IDs greater than the ones requested."
                    + " Blocks until a message is available otherwise.",
                "5.0.0",
                READ_COMPLEXITY));
    t.register(
        stream("xreadgroup", -7, c -> StreamReadCommands.read(c, true))
            .flags(WRITE, BLOCKING)
            .keys(KeySpec.keyword("STREAMS", 4, -1, 1, 2, "RO access"))
            .doc(
                "Returns new or historical messages from a stream for a consumer in a group."
                    + " Blocks until a message is available otherwise.",
                "5.0.0",
                "For each stream mentioned: O(M) with M being the number of elements returned."
                    + " If M is constant (e.g. always asking for the first 10 elements with"
                    + " COUNT), you can consider it O(1). On the other side when XREADGROUP"
                    + " blocks, XADD will pay the O(N) time in order to serve the N clients"
                    + " blocked on the stream getting new data."));
    StreamGroupCommands groups = new StreamGroupCommands(server);
    t.register(
        container("xgroup")
            .group("stream")
            .doc("A container for consumer groups commands.", "5.0.0", "Depends on subcommand.")
            .sub(
                stream("create", -5, groups::create)
                    .flags(WRITE, DENYOOM)
                    .keys(KeySpec.key(2, "RW insert"))
                    .doc("Creates a consumer group.", "5.0.0", "O(1)"))
            .sub(
                stream("createconsumer", 5, groups::createConsumer)
                    .flags(WRITE, DENYOOM)
                    .keys(KeySpec.key(2, "RW insert"))
                    .doc("Creates a consumer in a consumer group.", "6.2.0", "O(1)"))
            .sub(
                stream("delconsumer", 5, groups::deleteConsumer)
                    .flags(WRITE)
                    .keys(KeySpec.key(2, "RW delete"))
                    .doc("Deletes a consumer from a consumer group.", "5.0.0", "O(1)"))
            .sub(
                stream("destroy", 4, groups::destroy)
                    .flags(WRITE)
                    .keys(KeySpec.key(2, "RW delete"))
                    .doc(
                        "Destroys a consumer group.",
                        "5.0.0",
                        "O(N) where N is the number of entries in the group's pending entries"
                            + " list (PEL)."))
            .sub(
                stream("setid", -5, groups::setId)
                    .flags(WRITE)
                    .keys(KeySpec.key(2, "RW update"))
                    .doc("Sets the last-delivered ID of a consumer group.", "5.0.0", "O(1)"))
            .sub(help(StreamInfoCommands::xgroupHelp)));
    t.register(
        stream("xack", -4, StreamGroupCommands::xack)
            .flags(WRITE, FAST)
            .keys(KeySpec.key(1, "RW update"))
            .doc(
                "Returns the number of messages that were successfully acknowledged by the"
                    + " consumer group member of a stream.",
                "5.0.0",
                "O(1) for each message ID processed."));
    t.register(
        stream("xpending", -3, StreamPendingCommands::xpending)
            .flags(READONLY)
            .keys(KeySpec.key(1, "RO access"))
            .tips("nondeterministic_output")
            .doc(
                "Returns the information and entries from a stream consumer group's pending"
                    + " entries list.",
                "5.0.0",
                "O(N) with N being the number of elements returned, so asking for a small fixed"
                    + " number of entries per call is O(1). O(M), where M is the total number of"
                    + " entries scanned when used with the IDLE filter. When the command returns"
                    + " just the summary and the list of consumers is small, it runs in O(1)"
                    + " time; otherwise, an additional O(N) time for iterating every consumer."));
    t.register(
        stream("xclaim", -6, StreamPendingCommands::xclaim)
            .flags(WRITE, FAST)
            .keys(KeySpec.key(1, "RW update"))
            .tips("nondeterministic_output")
            .doc(
                "Changes, or acquires, ownership of a message in a consumer group, as if the"
                    + " message was delivered a consumer group member.",
                "5.0.0",
                "O(log N) with N being the number of messages in the PEL of the consumer"
                    + " group."));
    t.register(
        stream("xautoclaim", -6, StreamPendingCommands::xautoclaim)
            .flags(WRITE, FAST)
            .keys(KeySpec.key(1, "RW delete"))
            .tips("nondeterministic_output")
            .doc(
                "Changes, or acquires, ownership of messages in a consumer group, as if the"
                    + " messages were delivered to as consumer group member.",
                "6.2.0",
                "O(1) if COUNT is small."));
    t.register(
        container("xinfo")
            .group("stream")
            .doc(
                "A container for stream introspection commands.",
                "5.0.0",
                "Depends on" + " subcommand.")
            .sub(
                stream("consumers", 4, StreamInfoCommands::consumers)
                    .flags(READONLY)
                    .keys(KeySpec.key(2, "RO access"))
                    .tips("nondeterministic_output")
                    .doc("Returns a list of the consumers in a consumer group.", "5.0.0", "O(1)"))
            .sub(
                stream("groups", 3, StreamInfoCommands::groups)
                    .flags(READONLY)
                    .keys(KeySpec.key(2, "RO access"))
                    .doc("Returns a list of the consumer groups of a stream.", "5.0.0", "O(1)"))
            .sub(
                stream("stream", -3, StreamInfoCommands::streamInfo)
                    .flags(READONLY)
                    .keys(KeySpec.key(2, "RO access"))
                    .doc("Returns information about a stream.", "5.0.0", "O(1)"))
            .sub(help(StreamInfoCommands::xinfoHelp)));
  }

  private static final String RANGE_COMPLEXITY =
      "O(N) with N being the number of elements being returned. If N is constant (e.g. always"
          + " asking for the first 10 elements with COUNT), you can consider it O(1).";
  private static final String READ_COMPLEXITY =
      "For each stream mentioned: O(N) with N being the number of elements being returned, it"
          + " means that XREAD-ing with a fixed COUNT is O(1). Note that when the BLOCK option is"
          + " used, XADD will pay O(M) time in order to serve the M clients blocked on the stream"
          + " getting new data.";

  /** A command of the stream group, in @stream, its type's refusals turned into replies. */
  private static CommandSpec.Builder stream(String name, int arity, CommandHandler handler) {
    return command(name, arity, guarded(handler)).categories("@stream").group("stream");
  }

  private static CommandSpec.Builder help(CommandHandler handler) {
    return stream("help", 2, handler)
        .flags(LOADING, STALE)
        .doc("Returns helpful text about the different subcommands.", "5.0.0", "O(1)");
  }

  private void xadd(CommandContext c) {
    AppendWriteBack writeBack = server.appends();
    AppendWriteBack.Target target = writeBack == null ? null : writeBack.target(c.arg(1));
    if (target == null) {
      StreamEntryCommands.xadd(c);
      return;
    }
    if (!c.is(2, "*")) {
      throw new RedisError(
          "ERR XADD on append mapping '"
              + target.mapping().name()
              + "' takes only '*' as the ID (rows get theirs from the journal); got '"
              + c.text(2)
              + "'");
    }
    if ((c.argc() - 3) % 2 != 0) {
      throw Errors.wrongArity("xadd");
    }
    XaddBurst burst = c.batch(() -> new XaddBurst(writeBack.flusher(), c.engine().stats()));
    AppendRow row;
    try {
      row = AppendWriteBack.row(target, c.args(), 3);
    } catch (IllegalArgumentException e) {
      if (burst == null) {
        throw new RedisError("ERR " + e.getMessage());
      }
      burst.refuse("ERR " + e.getMessage()); // replied in its place when the burst is journaled
      return;
    }
    if (burst != null) {
      burst.add(row);
      if (burst.full()) {
        c.flushBatch();
      }
      return;
    }
    Flusher.Appended appended;
    try {
      appended = writeBack.flusher().append(row);
    } catch (JournalFullException e) {
      throw new RedisError(Errors.JOURNAL_FULL + e.getMessage());
    } catch (JournalException e) {
      throw new RedisError("ERR journal unavailable: " + e.getMessage());
    }
    c.awaitDurable(appended.durable());
    c.reply().streamId(System.currentTimeMillis(), appended.lsn());
  }
}
