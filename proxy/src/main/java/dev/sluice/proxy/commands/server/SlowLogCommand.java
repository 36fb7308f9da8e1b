package dev.sluice.proxy.commands.server;

import static dev.sluice.proxy.engine.CommandFlag.ADMIN;
import static dev.sluice.proxy.engine.CommandFlag.LOADING;
import static dev.sluice.proxy.engine.CommandFlag.STALE;
import static dev.sluice.proxy.engine.CommandSpec.command;
import static dev.sluice.proxy.engine.CommandSpec.container;

import dev.sluice.proxy.commands.Help;
import dev.sluice.proxy.engine.CommandContext;
import dev.sluice.proxy.engine.CommandTable;
import dev.sluice.proxy.engine.SlowLog;
import dev.sluice.proxy.resp.Reply;
import java.util.List;

/** SLOWLOG GET [count], LEN, RESET and HELP over the engine's {@link SlowLog}. */
final class SlowLogCommand {
  private SlowLogCommand() {}

  static void register(CommandTable t) {
    t.register(
        container("slowlog")
            .group("server")
            .doc("A container for slow log commands.", "2.2.12", "Depends")
            .sub(
                command("get", -2, SlowLogCommand::get)
                    .flags(ADMIN, LOADING, STALE)
                    .tips("request_policy:all_nodes", "nondeterministic_output")
                    .doc("Returns the slow log's entries.", "2.2.12", "O(N)"))
            .sub(
                command("len", 2, c -> c.reply().integer(c.engine().slowLog().length()))
                    .flags(ADMIN, LOADING, STALE)
                    .tips(
                        "request_policy:all_nodes",
                        "response_policy:agg_sum",
                        "nondeterministic_output")
                    .doc("Returns the number of entries in the slow log.", "2.2.12", "O(1)"))
            .sub(
                command("reset", 2, SlowLogCommand::reset)
                    .flags(ADMIN, LOADING, STALE)
                    .tips("request_policy:all_nodes", "response_policy:all_succeeded")
                    .doc("Clears all entries from the slow log.", "2.2.12", "O(N)"))
            .sub(Help.command("slowlog", "6.2.0")));
  }

  /** SLOWLOG GET [count]: 10 entries by default, every one for -1, newest first. */
  private static void get(CommandContext c) {
    if (c.argc() > 3) {
      throw dev.sluice.proxy.engine.Errors.subcommandSyntax(c.arg(1), "slowlog");
    }
    long count = 10;
    if (c.argc() == 3) {
      count = c.longArg(2, -1, "ERR count should be greater than or equal to -1");
    }
    List<SlowLog.Entry> entries = c.engine().slowLog().newest(count);
    Reply reply = c.reply();
    reply.array(entries.size());
    for (SlowLog.Entry entry : entries) {
      reply.array(6);
      reply.integer(entry.id());
      reply.integer(entry.unixSeconds());
      reply.integer(entry.micros());
      reply.array(entry.args().length);
      for (byte[] arg : entry.args()) {
        reply.bulk(arg);
      }
      reply.bulk(entry.client());
      reply.bulk(entry.name());
    }
  }

  private static void reset(CommandContext c) {
    c.engine().slowLog().reset();
    c.reply().simple("OK");
  }
}
