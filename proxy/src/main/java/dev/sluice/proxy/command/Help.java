package dev.sluice.proxy.command;

import java.util.Locale;

/** The HELP subcommand every container has, listing its subcommands. */
final class Help {
  private Help() {}

  static CommandSpec.Builder command(String container) {
    return CommandSpec.command(
            "help",
            2,
            c -> {
              CommandSpec parent = c.server().commands().lookup(container);
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
        .doc("Returns helpful text about the different subcommands.", "5.0.0", "O(1)");
  }
}
