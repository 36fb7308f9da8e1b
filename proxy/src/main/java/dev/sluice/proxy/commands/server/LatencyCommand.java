package dev.sluice.proxy.commands.server;

import static dev.sluice.proxy.engine.CommandFlag.ADMIN;
import static dev.sluice.proxy.engine.CommandFlag.LOADING;
import static dev.sluice.proxy.engine.CommandFlag.NOSCRIPT;
import static dev.sluice.proxy.engine.CommandFlag.STALE;
import static dev.sluice.proxy.engine.CommandSpec.command;
import static dev.sluice.proxy.engine.CommandSpec.container;

import dev.sluice.proxy.engine.CommandContext;
import dev.sluice.proxy.engine.CommandLatencies;
import dev.sluice.proxy.engine.CommandSpec;
import dev.sluice.proxy.engine.CommandTable;
import dev.sluice.proxy.engine.LatencyMonitor;
import dev.sluice.proxy.engine.RedisError;
import dev.sluice.proxy.resp.Reply;
import dev.sluice.proxy.runtime.ServerContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/**
 * LATENCY LATEST, HISTORY, RESET, GRAPH, DOCTOR, HISTOGRAM and HELP over the engine's {@link
 * LatencyMonitor} and {@link CommandLatencies}, with Redis's latency.c replies.
 */
final class LatencyCommand {
  private static final String[] HELP = {
    "LATENCY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    "DOCTOR",
    "    Return a human readable latency analysis report.",
    "GRAPH <event>",
    "    Return an ASCII latency graph for the <event> class.",
    "HISTORY <event>",
    "    Return time-latency samples for the <event> class.",
    "LATEST",
    "    Return the latest latency samples for all events.",
    "RESET [<event> ...]",
    "    Reset latency data of one or more <event> classes.",
    "    (default: reset all data for all event classes)",
    "HISTOGRAM [COMMAND ...]",
    "    Return a cumulative distribution of latencies in the format of a histogram for the"
        + " specified command names.",
    "    If no commands are specified then all histograms are replied.",
    "HELP",
    "    Prints this help."
  };

  private LatencyCommand() {}

  static void register(CommandTable t, ServerContext server) {
    t.register(
        container("latency")
            .group("server")
            .doc(
                "A container for latency diagnostics commands.", "2.8.13", "Depends on subcommand.")
            .sub(
                diagnostic("doctor", 2, c -> c.reply().verbatim(LatencyDoctor.report(server, c)))
                    .doc("Returns a human-readable latency analysis report.", "2.8.13", "O(1)"))
            .sub(
                diagnostic("graph", 3, LatencyCommand::graph)
                    .doc("Returns a latency graph for an event.", "2.8.13", "O(1)"))
            .sub(
                diagnostic("histogram", -2, LatencyCommand::histogram)
                    .doc(
                        "Returns the cumulative distribution of latencies of a subset or all"
                            + " commands.",
                        "7.0.0",
                        "O(N) where N is the number of commands with latency information being"
                            + " retrieved."))
            .sub(
                diagnostic("history", 3, LatencyCommand::history)
                    .doc("Returns timestamp-latency samples for an event.", "2.8.13", "O(1)"))
            .sub(
                diagnostic("latest", 2, LatencyCommand::latest)
                    .doc("Returns the latest latency samples for all events.", "2.8.13", "O(1)"))
            .sub(
                command("reset", -2, LatencyCommand::reset)
                    .flags(ADMIN, NOSCRIPT, LOADING, STALE)
                    .tips("request_policy:all_nodes", "response_policy:all_succeeded")
                    .doc("Resets the latency data for one or more events.", "2.8.13", "O(1)"))
            .sub(
                command("help", 2, LatencyCommand::help)
                    .flags(LOADING, STALE)
                    .doc(
                        "Returns helpful text about the different subcommands.",
                        "2.8.13",
                        "O(1)")));
  }

  /** The flags and tips of the subcommands that report what was measured. */
  private static CommandSpec.Builder diagnostic(
      String name, int arity, dev.sluice.proxy.engine.CommandHandler handler) {
    return command(name, arity, handler)
        .flags(ADMIN, NOSCRIPT, LOADING, STALE)
        .tips("nondeterministic_output", "request_policy:all_nodes", "response_policy:special");
  }

  private static void help(CommandContext c) {
    c.reply().array(HELP.length);
    for (String line : HELP) {
      c.reply().simple(line);
    }
  }

  private static void latest(CommandContext c) {
    List<LatencyMonitor.Latest> latest = c.engine().latencyMonitor().latest();
    Reply reply = c.reply();
    reply.array(latest.size());
    for (LatencyMonitor.Latest event : latest) {
      reply.array(4);
      reply.bulk(event.event());
      reply.integer(event.sample().time());
      reply.integer(event.sample().latency());
      reply.integer(event.max());
    }
  }

  private static void history(CommandContext c) {
    LatencyMonitor.History history = c.engine().latencyMonitor().history(c.text(2));
    List<LatencyMonitor.Sample> samples = history == null ? List.of() : history.samples();
    Reply reply = c.reply();
    reply.array(samples.size());
    for (LatencyMonitor.Sample sample : samples) {
      reply.array(2);
      reply.integer(sample.time());
      reply.integer(sample.latency());
    }
  }

  private static void graph(CommandContext c) {
    LatencyMonitor.History history = c.engine().latencyMonitor().history(c.text(2));
    if (history == null) {
      throw new RedisError("ERR No samples available for event '" + c.text(2) + "'");
    }
    c.reply().verbatim(LatencyGraph.render(history, c.keyspace().clock().millis() / 1000));
  }

  private static void reset(CommandContext c) {
    LatencyMonitor monitor = c.engine().latencyMonitor();
    if (c.argc() == 2) {
      c.reply().integer(monitor.reset(null));
      return;
    }
    int resets = 0;
    for (int i = 2; i < c.argc(); i++) {
      resets += monitor.reset(c.text(i));
    }
    c.reply().integer(resets);
  }

  /**
   * LATENCY HISTOGRAM [command …]: every command with a histogram, or the named ones (a container
   * with its subcommands', "name|sub" for one subcommand); unknown names are skipped.
   */
  private static void histogram(CommandContext c) {
    List<CommandSpec> specs = new ArrayList<>();
    CommandLatencies latencies = c.engine().commandLatencies();
    if (c.argc() == 2) {
      for (CommandSpec spec : c.engine().commands().byId()) {
        if (latencies.of(spec) != null) {
          specs.add(spec);
        }
      }
    } else {
      for (int i = 2; i < c.argc(); i++) {
        CommandSpec spec = lookup(c, c.text(i));
        if (spec == null) {
          continue;
        }
        if (latencies.of(spec) != null) {
          specs.add(spec);
        }
        for (CommandSpec sub : spec.subcommands().values()) {
          if (latencies.of(sub) != null) {
            specs.add(sub);
          }
        }
      }
    }
    Reply reply = c.reply();
    reply.map(specs.size());
    for (CommandSpec spec : specs) {
      Histogram histogram = latencies.of(spec);
      reply.bulk(spec.fullName());
      reply.map(2);
      reply.bulk("calls");
      reply.integer(histogram.getTotalCount());
      reply.bulk("histogram_usec");
      long[] pairs = CommandLatencies.cumulativeMicros(histogram);
      reply.map(pairs.length / 2);
      for (long value : pairs) {
        reply.integer(value);
      }
    }
  }

  /** Redis's lookupCommandBySds: "name" or "container|sub", in any case; null if unknown. */
  private static CommandSpec lookup(CommandContext c, String name) {
    String[] parts = name.toLowerCase(Locale.ROOT).split("\\|", -1);
    if (parts.length > 2) {
      return null;
    }
    CommandSpec spec = c.engine().commands().lookup(parts[0]);
    if (spec == null || parts.length == 1) {
      return spec;
    }
    return spec.subcommands().get(parts[1]);
  }
}
