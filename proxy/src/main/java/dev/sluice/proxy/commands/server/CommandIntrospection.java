package dev.sluice.proxy.commands.server;

import static dev.sluice.proxy.engine.CommandFlag.LOADING;
import static dev.sluice.proxy.engine.CommandFlag.STALE;
import static dev.sluice.proxy.engine.CommandSpec.command;
import static dev.sluice.proxy.engine.CommandSpec.container;

import dev.sluice.proxy.commands.Help;
import dev.sluice.proxy.engine.CommandContext;
import dev.sluice.proxy.engine.CommandFlag;
import dev.sluice.proxy.engine.CommandSpec;
import dev.sluice.proxy.engine.CommandTable;
import dev.sluice.proxy.engine.Errors;
import dev.sluice.proxy.engine.FoundKeys;
import dev.sluice.proxy.engine.KeyFlag;
import dev.sluice.proxy.engine.KeySpec;
import dev.sluice.proxy.engine.RedisError;
import dev.sluice.proxy.resp.Reply;
import dev.sluice.proxy.util.Glob;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/** COMMAND and its subcommands, in the shapes Redis 7 replies with, from the command specs. */
final class CommandIntrospection {
  private CommandIntrospection() {}

  static void register(CommandTable t) {
    t.register(
        container("command", CommandIntrospection::all)
            .flags(LOADING, STALE)
            .tips("nondeterministic_output_order")
            .categories("@connection")
            .group("server")
            .doc("Returns detailed information about all commands.", "2.8.13", "O(N)")
            .sub(
                command("count", 2, c -> c.reply().integer(c.engine().commands().all().size()))
                    .flags(LOADING, STALE)
                    .categories("@connection")
                    .doc("Returns a count of commands.", "2.8.13", "O(1)"))
            .sub(
                command("info", -2, CommandIntrospection::info)
                    .flags(LOADING, STALE)
                    .tips("nondeterministic_output_order")
                    .categories("@connection")
                    .doc(
                        "Returns information about one, multiple or all commands.",
                        "2.8.13",
                        "O(N)"))
            .sub(
                command("docs", -2, CommandIntrospection::docs)
                    .flags(LOADING, STALE)
                    .tips("nondeterministic_output_order")
                    .categories("@connection")
                    .doc(
                        "Returns documentary information about one, multiple or all commands.",
                        "7.0.0",
                        "O(N)"))
            .sub(
                command("list", -2, CommandIntrospection::list)
                    .flags(LOADING, STALE)
                    .tips("nondeterministic_output_order")
                    .categories("@connection")
                    .doc("Returns a list of command names.", "7.0.0", "O(N)"))
            .sub(
                command("getkeys", -4, c -> getKeys(c, false))
                    .flags(LOADING, STALE)
                    .categories("@connection")
                    .doc(
                        "Extracts the key names from an arbitrary command.",
                        "2.8.13",
                        "O(N) where N is the number of arguments to the command"))
            .sub(
                command("getkeysandflags", -4, c -> getKeys(c, true))
                    .flags(LOADING, STALE)
                    .categories("@connection")
                    .doc(
                        "Extracts the key names and access flags for an arbitrary command.",
                        "7.0.0",
                        "O(N) where N is the number of arguments to the command"))
            .sub(Help.command("command").categories("@connection")));
  }

  private static void all(CommandContext c) {
    Collection<CommandSpec> specs = c.engine().commands().all();
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
    String[] parts = name.toLowerCase(Locale.ROOT).split("\\|", 2);
    CommandSpec spec = c.engine().commands().lookup(parts[0]);
    if (spec != null && parts.length == 2) {
      return spec.subcommands().get(parts[1]);
    }
    return spec;
  }

  /** Redis's addReplyCommandInfo. */
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
    reply.set(spec.tips().size());
    spec.tips().forEach(reply::bulk);
    reply.set(spec.keySpecs().size());
    spec.keySpecs().forEach(keySpec -> writeKeySpec(reply, keySpec));
    if (spec.isContainer()) {
      reply.array(spec.subcommands().size());
      spec.subcommands().values().forEach(sub -> writeInfo(reply, sub));
    } else {
      reply.set(0);
    }
  }

  /** Redis's addReplyCommandKeySpecs, for one spec. */
  private static void writeKeySpec(Reply reply, KeySpec spec) {
    reply.map(spec.notes() == null ? 3 : 4);
    if (spec.notes() != null) {
      reply.bulk("notes");
      reply.bulk(spec.notes());
    }
    reply.bulk("flags");
    writeKeyFlags(reply, spec.flags());
    reply.bulk("begin_search");
    if (spec.begin() instanceof KeySpec.Index index) {
      writeTyped(reply, "index", "index", index.index());
    } else if (spec.begin() instanceof KeySpec.Keyword keyword) {
      writeTyped(reply, "keyword", "keyword", keyword.keyword(), "startfrom", keyword.startFrom());
    } else {
      writeTyped(reply, "unknown");
    }
    reply.bulk("find_keys");
    if (spec.find() instanceof KeySpec.Range range) {
      writeTyped(
          reply,
          "range",
          "lastkey",
          range.lastKey(),
          "keystep",
          range.keyStep(),
          "limit",
          range.limit());
    } else if (spec.find() instanceof KeySpec.KeyNum keyNum) {
      writeTyped(
          reply,
          "keynum",
          "keynumidx",
          keyNum.keyNumIdx(),
          "firstkey",
          keyNum.firstKey(),
          "keystep",
          keyNum.keyStep());
    } else {
      writeTyped(reply, "unknown");
    }
  }

  /** {@code {type: <type>, spec: {<name>: <value> …}}}, values integers or strings. */
  private static void writeTyped(Reply reply, String type, Object... namesAndValues) {
    reply.map(2);
    reply.bulk("type");
    reply.bulk(type);
    reply.bulk("spec");
    reply.map(namesAndValues.length / 2);
    for (int i = 0; i < namesAndValues.length; i += 2) {
      reply.bulk((String) namesAndValues[i]);
      if (namesAndValues[i + 1] instanceof Integer n) {
        reply.integer(n);
      } else {
        reply.bulk((String) namesAndValues[i + 1]);
      }
    }
  }

  private static void writeKeyFlags(Reply reply, int flags) {
    List<String> names = KeyFlag.names(flags);
    reply.set(names.size());
    names.forEach(reply::simple);
  }

  /**
   * COMMAND GETKEYS and GETKEYSANDFLAGS (Redis's getKeysSubcommandImpl): the invocation after the
   * subcommand is looked up as Redis runs it, checked for keys and arity, and its keys found by its
   * spec.
   */
  private static void getKeys(CommandContext c, boolean withFlags) {
    byte[][] invocation = new byte[c.argc() - 2][];
    for (int i = 2; i < c.argc(); i++) {
      invocation[i - 2] = c.arg(i);
    }
    CommandSpec spec = c.engine().commands().resolve(invocation);
    if (spec == null) {
      throw new RedisError("ERR Invalid command specified");
    }
    if (!spec.hasKeys()) {
      throw new RedisError("ERR The command has no key arguments");
    }
    int argc = invocation.length;
    if ((spec.arity() > 0 && spec.arity() != argc) || argc < -spec.arity()) {
      throw new RedisError("ERR Invalid number of arguments specified for command");
    }
    FoundKeys keys = spec.keys(invocation);
    if (keys.isEmpty() && !spec.flags().contains(CommandFlag.NO_MANDATORY_KEYS)) {
      throw new RedisError("ERR Invalid arguments specified for command");
    }
    Reply reply = c.reply();
    reply.array(keys.count());
    for (int i = 0; i < keys.count(); i++) {
      if (withFlags) {
        reply.array(2);
        reply.bulk(invocation[keys.position(i)]);
        writeKeyFlags(reply, keys.flags(i));
      } else {
        reply.bulk(invocation[keys.position(i)]);
      }
    }
  }

  private static void docs(CommandContext c) {
    List<CommandSpec> specs = new ArrayList<>();
    if (c.argc() == 2) {
      specs.addAll(c.engine().commands().all());
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
    boolean hasComplexity = spec.complexity() != null; // MONITOR has none in Redis
    reply.map(3 + (hasComplexity ? 1 : 0) + (hasSubs ? 1 : 0));
    reply.bulk("summary");
    reply.bulk(spec.summary());
    reply.bulk("since");
    reply.bulk(spec.since());
    reply.bulk("group");
    reply.bulk(spec.group());
    if (hasComplexity) {
      reply.bulk("complexity");
      reply.bulk(spec.complexity());
    }
    if (hasSubs) {
      reply.bulk("subcommands");
      reply.map(spec.subcommands().size());
      spec.subcommands().values().forEach(sub -> writeDocs(reply, sub));
    }
  }

  /**
   * COMMAND LIST [FILTERBY MODULE name | ACLCAT category | PATTERN pattern]: every command and
   * subcommand ("config|get"), as Redis 7 lists them. No command comes from a module.
   */
  private static void list(CommandContext c) {
    Predicate<CommandSpec> filter = spec -> true;
    for (int i = 2; i < c.argc(); i++) {
      int more = c.argc() - 1 - i;
      if (!c.text(i).equalsIgnoreCase("filterby") || more != 2) {
        throw new RedisError(Errors.SYNTAX);
      }
      String type = c.text(i + 1);
      String value = c.text(i + 2);
      if (type.equalsIgnoreCase("module")) {
        filter = spec -> false;
      } else if (type.equalsIgnoreCase("aclcat")) {
        String category = "@" + value.toLowerCase(Locale.ROOT);
        filter = spec -> spec.aclCategories().contains(category);
      } else if (type.equalsIgnoreCase("pattern")) {
        filter = spec -> Glob.matchesIgnoreCase(value, spec.fullName());
      } else {
        throw new RedisError(Errors.SYNTAX);
      }
      i += 2;
    }
    List<String> names = new ArrayList<>();
    for (CommandSpec spec : c.engine().commands().all()) {
      if (filter.test(spec)) {
        names.add(spec.fullName());
      }
      for (CommandSpec sub : spec.subcommands().values()) {
        if (filter.test(sub)) {
          names.add(sub.fullName());
        }
      }
    }
    c.reply().array(names.size());
    names.forEach(c.reply()::bulk);
  }
}
