package dev.sluice.proxy.commands;

import dev.sluice.proxy.engine.CommandFlag;
import dev.sluice.proxy.engine.CommandSpec;
import java.util.Locale;

/** The HELP subcommand every container has, listing its subcommands. */
public final class Help {
  private Help() {}

  public static CommandSpec.Builder command(String container) {
    return command(container, "5.0.0");
  }

  /** HELP of a container whose HELP came in Redis {@code since}. */
  public static CommandSpec.Builder command(String container, String since) {
    return CommandSpec.command(
            "help",
            2,
            c -> {
              CommandSpec parent = c.engine().commands().lookup(container);
              var subs = parent.subcommands().values();
              c.reply().array(subs.size() + 1);
              c.reply()
                  .simple(
                      container.toUpperCase(Locale.ROOT)
                          + " <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
              for (CommandSpec sub : subs) {
                c.reply().simple(sub.name().toUpperCase(Locale.ROOT) + " - " + sub.summary());
              }
            })
        .flags(CommandFlag.LOADING, CommandFlag.STALE)
        .doc("Returns helpful text about the different subcommands.", since, "O(1)");
  }
}
