package dev.sluice.proxy.commands.stream;

import static dev.sluice.proxy.engine.CommandFlag.DENYOOM;
import static dev.sluice.proxy.engine.CommandFlag.FAST;
import static dev.sluice.proxy.engine.CommandFlag.WRITE;
import static dev.sluice.proxy.engine.CommandSpec.command;

import dev.sluice.proxy.durable.AppendWriteBack;
import dev.sluice.proxy.durable.XaddBurst;
import dev.sluice.proxy.engine.CommandContext;
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
 * Streams, as far as Sluice has them: {@code XADD <key> * col val [col val …]} on the key of an
 * append mapping adds one row to INSERT. The row is checked against the table, journaled, and
 * acknowledged with a stream-style ID {@code <ms>-<LSN>} only once the journal has it on disk.
 * XADDs a client pipelines back to back join an {@link XaddBurst}, journaled as one group.
 */
public final class StreamCommands {
  /** Prefix of the error a writer gets when the journal's budget is used up. */
  private final ServerContext server;

  public StreamCommands(ServerContext server) {
    this.server = server;
  }

  public void register(CommandTable t) {
    t.register(
        command("xadd", -5, this::xadd)
            .flags(WRITE, DENYOOM, FAST)
            .keys(
                KeySpec.key(1, "RW update")
                    .notes("UPDATE instead of INSERT because of the optional trimming feature"))
            .tips("nondeterministic_output")
            .traits(CommandTrait.APPEND_BURST)
            .loadsNoKeys()
            .categories("@stream")
            .group("stream")
            .doc(
                "Appends a new message to a stream. Creates the key if it doesn't exist.",
                "5.0.0",
                "O(1) when adding a new entry, O(N) when trimming where N being the number of"
                    + " entries evicted."));
  }

  private void xadd(CommandContext c) {
    AppendWriteBack writeBack = server.appends();
    AppendWriteBack.Target target = writeBack == null ? null : writeBack.target(c.arg(1));
    if (target == null) {
      throw new RedisError(
          "ERR XADD is only supported on keys mapped with write: append; " + c.text(1) + " is not");
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
