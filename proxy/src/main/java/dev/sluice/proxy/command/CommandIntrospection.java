package dev.sluice.proxy.command;

import static dev.sluice.proxy.command.CommandFlag.LOADING;
import static dev.sluice.proxy.command.CommandFlag.STALE;
import static dev.sluice.proxy.command.CommandSpec.command;
import static dev.sluice.proxy.command.CommandSpec.container;

import dev.sluice.proxy.resp.Reply;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** COMMAND and its subcommands, in the shapes Redis 7 replies with. */
final class CommandIntrospection {
  private CommandIntrospection() {}

  static void register(CommandTable t) {
    t.register(
        container("command", CommandIntrospection::all)
            .flags(LOADING, STALE)
            .categories("@connection")
            .group("server")
            .doc("Returns detailed information about all commands.", "2.8.13", "O(N)")
            .sub(
                command("count", 2, c -> c.reply().integer(c.server().commands().all().size()))
                    .flags(LOADING, STALE)
                    .categories("@connection")
                    .doc("Returns a count of commands.", "2.8.13", "O(1)"))
            .sub(
                command("info", -2, CommandIntrospection::info)
                    .flags(LOADING, STALE)
                    .categories("@connection")
                    .doc(
                        "Returns information about one, multiple or all commands.",
                        "2.8.13",
                        "O(N)"))
            .sub(
                command("docs", -2, CommandIntrospection::docs)
                    .flags(LOADING, STALE)
                    .categories("@connection")
                    .doc(
                        "Returns documentary information about one, multiple or all commands.",
                        "7.0.0",
                        "O(N)"))
            .sub(
                command("list", -2, CommandIntrospection::list)
                    .flags(LOADING, STALE)
                    .categories("@connection")
                    .doc("Returns a list of command names.", "7.0.0", "O(N)"))
            .sub(Help.command("command").categories("@connection")));
  }

  private static void all(CommandContext c) {
    Collection<CommandSpec> specs = c.server().commands().all();
    c.reply().array(specs.size());
    specs.forEach(spec -> writeInfo(c.reply(), spec));
  }

  private static void info(CommandContext c) {
    if (c.argc() == 2) {
      all(c);
      return;
    }
    c.reply().array(c.argc() - 2);
    for (int i = 2; i < c.argc(); i++) {
      CommandSpec spec = find(c, c.text(i));
      if (spec == null) {
        c.reply().nil(); // Redis: a null bulk ($-1) in RESP2, not a null array
      } else {
        writeInfo(c.reply(), spec);
      }
    }
  }

  /** "config|get" names a subcommand, as in Redis. */
  private static CommandSpec find(CommandContext c, String name) {
    String[] parts = name.toLowerCase(java.util.Locale.ROOT).split("\\|", 2);
    CommandSpec spec = c.server().commands().lookup(parts[0]);
    if (spec != null && parts.length == 2) {
      return spec.subcommands().get(parts[1]);
    }
    return spec;
  }

  private static void writeInfo(Reply reply, CommandSpec spec) {
    reply.array(10);
    reply.bulk(spec.fullName());
    reply.integer(spec.arity());
    reply.set(spec.flags().size());
    spec.flags().forEach(flag -> reply.simple(flag.wireName()));
    reply.integer(spec.firstKey());
    reply.integer(spec.lastKey());
    reply.integer(spec.keyStep());
    List<String> categories = spec.aclCategories();
    reply.set(categories.size());
    categories.forEach(reply::simple);
    reply.array(0); // tips
    reply.array(0); // key specifications
    reply.array(spec.subcommands().size());
    spec.subcommands().values().forEach(sub -> writeInfo(reply, sub));
  }

  private static void docs(CommandContext c) {
    List<CommandSpec> specs = new ArrayList<>();
    if (c.argc() == 2) {
      specs.addAll(c.server().commands().all());
    } else {
      for (int i = 2; i < c.argc(); i++) {
        CommandSpec spec = find(c, c.text(i));
        if (spec != null) {
          specs.add(spec);
        }
      }
    }
    Reply reply = c.reply();
    reply.map(specs.size());
    specs.forEach(spec -> writeDocs(reply, spec));
  }

  private static void writeDocs(Reply reply, CommandSpec spec) {
    reply.bulk(spec.fullName());
    boolean hasSubs = spec.isContainer();
    reply.map(hasSubs ? 5 : 4);
    reply.bulk("summary");
    reply.bulk(spec.summary());
    reply.bulk("since");
    reply.bulk(spec.since());
    reply.bulk("group");
    reply.bulk(spec.group());
    reply.bulk("complexity");
    reply.bulk(spec.complexity());
    if (hasSubs) {
      reply.bulk("subcommands");
      reply.map(spec.subcommands().size());
      spec.subcommands().values().forEach(sub -> writeDocs(reply, sub));
    }
  }

  private static void list(CommandContext c) {
    if (c.argc() != 2) {
      throw new RedisError(Errors.SYNTAX);
    }
    Collection<CommandSpec> specs = c.server().commands().all();
    c.reply().array(specs.size());
    specs.forEach(spec -> c.reply().bulk(spec.name()));
  }
}
