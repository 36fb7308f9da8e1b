package dev.sluice.proxy.commands.scripting;

import static dev.sluice.proxy.engine.CommandFlag.ALLOW_BUSY;
import static dev.sluice.proxy.engine.CommandFlag.DENYOOM;
import static dev.sluice.proxy.engine.CommandFlag.LOADING;
import static dev.sluice.proxy.engine.CommandFlag.NOSCRIPT;
import static dev.sluice.proxy.engine.CommandFlag.NO_MANDATORY_KEYS;
import static dev.sluice.proxy.engine.CommandFlag.READONLY;
import static dev.sluice.proxy.engine.CommandFlag.SKIP_MONITOR;
import static dev.sluice.proxy.engine.CommandFlag.STALE;
import static dev.sluice.proxy.engine.CommandFlag.WRITE;
import static dev.sluice.proxy.engine.CommandSpec.command;
import static dev.sluice.proxy.engine.CommandSpec.container;

import dev.sluice.proxy.engine.CommandContext;
import dev.sluice.proxy.engine.CommandSpec;
import dev.sluice.proxy.engine.CommandTable;
import dev.sluice.proxy.engine.CommandTrait;
import dev.sluice.proxy.engine.KeyProcs;
import dev.sluice.proxy.engine.KeySpec;
import dev.sluice.proxy.engine.MappedWrite;
import dev.sluice.proxy.engine.RedisError;
import dev.sluice.proxy.resp.Reply;
import dev.sluice.proxy.runtime.ServerContext;
import dev.sluice.proxy.scripting.FunctionDump;
import dev.sluice.proxy.scripting.Functions;
import dev.sluice.proxy.scripting.ScriptFlag;
import dev.sluice.proxy.util.Glob;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** FCALL, FCALL_RO and FUNCTION; the libraries are {@link Functions}. */
public final class FunctionCommands {
  private static final String GROUP = "scripting";
  private static final String WORST =
      "We cannot tell how the keys will be used so we assume the worst, ";
  private static final String[] HELP = {
    "LOAD [REPLACE] <FUNCTION CODE>",
    "    Create a new library with the given library name and code.",
    "DELETE <LIBRARY NAME>",
    "    Delete the given library.",
    "LIST [LIBRARYNAME PATTERN] [WITHCODE]",
    "    Return general information on all the libraries:",
    "    * Library name",
    "    * The engine used to run the Library",
    "    * Functions list",
    "    * Library code (if WITHCODE is given)",
    "    It also possible to get only function that matches a pattern using LIBRARYNAME argument.",
    "STATS",
    "    Return information about the current function running:",
    "    * Function name",
    "    * Command used to run the function",
    "    * Duration in MS that the function is running",
    "    If no function is running, return nil",
    "    In addition, returns a list of available engines.",
    "KILL",
    "    Kill the current running function.",
    "FLUSH [ASYNC|SYNC]",
    "    Delete all the libraries.",
    "    When called without the optional mode argument, the behavior is determined by the",
    "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
    "    * ASYNC: Asynchronously flush the libraries.",
    "    * SYNC: Synchronously flush the libraries.",
    "DUMP",
    "    Return a serialized payload representing the current libraries, can be restored using"
        + " FUNCTION RESTORE command",
    "RESTORE <PAYLOAD> [FLUSH|APPEND|REPLACE]",
    "    Restore the libraries represented by the given payload, it is possible to give a restore"
        + " policy to",
    "    control how to handle existing libraries (default APPEND):",
    "    * FLUSH: delete all existing libraries.",
    "    * APPEND: appends the restored libraries to the existing libraries. On collision, abort.",
    "    * REPLACE: appends the restored libraries to the existing libraries, On collision, replace"
        + " the old",
    "      libraries with the new libraries (notice that even on this option there is a chance of"
        + " failure",
    "      in case of functions name collision with another library).",
    "HELP",
    "    Prints this help."
  };

  private final ServerContext server;

  public FunctionCommands(ServerContext server) {
    this.server = server;
  }

  private Functions functions() {
    return server.scripts().functions();
  }

  /** FCALL and FCALL_RO: run as EVAL runs (the script thread, numkeys keys, nested writes). */
  private CommandSpec.Builder fcall(String name, boolean readOnly) {
    CommandSpec.Builder builder =
        command(name, -3, c -> functions().fcall(c, readOnly))
            .flags(NOSCRIPT, STALE, SKIP_MONITOR, NO_MANDATORY_KEYS)
            .traits(CommandTrait.RUNS_SCRIPT)
            .mappedWrite(MappedWrite.NESTED)
            .keyProc(KeyProcs.numKeys(0, 2, 3, 1))
            .group(GROUP);
    return readOnly ? builder.flags(READONLY) : builder.traits(CommandTrait.MAY_REPLICATE);
  }

  public void register(CommandTable t) {
    t.register(
        fcall("fcall", false)
            .keys(KeySpec.keyNum(2, 0, 1, 1, "RW access update").notes(WORST + "RW and UPDATE"))
            .doc("Invokes a function.", "7.0.0", "Depends on the function that is executed."));
    t.register(
        fcall("fcall_ro", true)
            .keys(KeySpec.keyNum(2, 0, 1, 1, "RO access").notes(WORST + "RO and ACCESS"))
            .doc(
                "Invokes a read-only function.",
                "7.0.0",
                "Depends on the function that is executed."));
    String allShards = "request_policy:all_shards";
    t.register(
        container("function")
            .group(GROUP)
            .doc("A container for function commands.", "7.0.0", "Depends on subcommand.")
            .sub(
                command("delete", 3, this::delete)
                    .flags(WRITE, NOSCRIPT)
                    .tips(allShards, "response_policy:all_succeeded")
                    .doc("Deletes a library and its functions.", "7.0.0", "O(1)"))
            .sub(
                command("dump", 2, this::dump)
                    .flags(NOSCRIPT)
                    .doc(
                        "Dumps all libraries into a serialized binary payload.",
                        "7.0.0",
                        "O(N) where N is the number of functions"))
            .sub(
                command("flush", -2, this::flush)
                    .flags(WRITE, NOSCRIPT)
                    .tips(allShards, "response_policy:all_succeeded")
                    .doc(
                        "Deletes all libraries and functions.",
                        "7.0.0",
                        "O(N) where N is the number of functions deleted"))
            .sub(
                command("help", 2, this::help)
                    .flags(LOADING, STALE)
                    .doc("Returns helpful text about the different subcommands.", "7.0.0", "O(1)"))
            .sub(
                command("kill", 2, this::kill)
                    .flags(NOSCRIPT, ALLOW_BUSY)
                    .traits(CommandTrait.KILLS_FUNCTION)
                    .tips(allShards, "response_policy:one_succeeded")
                    .doc("Terminates a function during execution.", "7.0.0", "O(1)"))
            .sub(
                command("list", -2, this::list)
                    .flags(NOSCRIPT)
                    .tips("nondeterministic_output_order")
                    .doc(
                        "Returns information about all libraries.",
                        "7.0.0",
                        "O(N) where N is the number of functions"))
            .sub(
                command("load", -3, this::load)
                    .flags(WRITE, DENYOOM, NOSCRIPT)
                    .tips(allShards, "response_policy:all_succeeded")
                    .doc(
                        "Creates a library.",
                        "7.0.0",
                        "O(1) (considering compilation time is redundant)"))
            .sub(
                command("restore", -3, this::restore)
                    .flags(WRITE, DENYOOM, NOSCRIPT)
                    .tips(allShards, "response_policy:all_succeeded")
                    .doc(
                        "Restores all libraries from a payload.",
                        "7.0.0",
                        "O(N) where N is the number of functions on the payload"))
            .sub(
                command("stats", 2, this::stats)
                    .flags(NOSCRIPT, ALLOW_BUSY)
                    .traits(CommandTrait.REPORTS_WHILE_BUSY)
                    .tips("nondeterministic_output", allShards, "response_policy:special")
                    .doc(
                        "Returns information about a function during execution.",
                        "7.0.0",
                        "O(1)")));
  }

  private void load(CommandContext c) {
    boolean replace = false;
    int i = 2;
    for (; i < c.argc() - 1; i++) {
      if (!c.is(i, "replace")) {
        throw new RedisError("ERR Unknown option given: " + c.text(i));
      }
      replace = true;
    }
    c.reply().bulk(functions().load(c.arg(i), replace));
    c.dirty(1); // as Redis: a change of the data set, so replicas load it too
  }

  private void delete(CommandContext c) {
    functions().delete(c.text(2));
    c.dirty(1);
    c.reply().simple("OK");
  }

  private void flush(CommandContext c) {
    if (c.argc() > 3) {
      throw new RedisError(syntax(c));
    }
    if (c.argc() == 3 && !c.is(2, "sync") && !c.is(2, "async")) {
      throw new RedisError("ERR FUNCTION FLUSH only supports SYNC|ASYNC option");
    }
    functions().flush();
    c.dirty(1);
    c.reply().simple("OK");
  }

  private static String syntax(CommandContext c) {
    return "ERR unknown subcommand or wrong number of arguments for '"
        + c.text(1)
        + "'. Try FUNCTION HELP.";
  }

  private void help(CommandContext c) {
    c.reply().array(HELP.length + 1);
    c.reply().simple("FUNCTION <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
    for (String line : HELP) {
      c.reply().simple(line);
    }
  }

  /**
   * Reached under the keyspace lock, so no function is running: FUNCTION KILL while one runs is
   * answered by the connection without the lock.
   */
  private void kill(CommandContext c) {
    String error = server.scripts().kill(true);
    if (error != null) {
      throw new RedisError(error);
    }
    c.reply().simple("OK");
  }

  private void list(CommandContext c) {
    boolean withCode = false;
    String pattern = null;
    for (int i = 2; i < c.argc(); i++) {
      if (!withCode && c.is(i, "withcode")) {
        withCode = true;
      } else if (pattern == null && c.is(i, "libraryname")) {
        if (i >= c.argc() - 1) {
          throw new RedisError("ERR library name argument was not given");
        }
        pattern = c.text(++i);
      } else {
        throw new RedisError("ERR Unknown argument " + c.text(i));
      }
    }
    List<Functions.Library> shown = new ArrayList<>();
    for (Functions.Library library : functions().libraries()) {
      if (pattern == null || Glob.matchesIgnoreCase(pattern, library.name())) {
        shown.add(library);
      }
    }
    Reply r = c.reply();
    r.array(shown.size());
    for (Functions.Library library : shown) {
      r.map(withCode ? 4 : 3);
      r.bulk("library_name");
      r.bulk(library.name());
      r.bulk("engine");
      r.bulk(library.engine());
      r.bulk("functions");
      r.array(library.functions().size());
      for (Functions.Function f : library.functions().values()) {
        r.map(3);
        r.bulk("name");
        r.bulk(f.name());
        r.bulk("description");
        if (f.description() == null) {
          r.nil();
        } else {
          r.bulk(f.description());
        }
        r.bulk("flags");
        r.set(f.flags().size());
        for (ScriptFlag flag : f.flags()) {
          r.simple(flag.text());
        }
      }
      if (withCode) {
        r.bulk("library_code");
        r.bulk(library.code());
      }
    }
  }

  private void stats(CommandContext c) {
    functions().writeStats(c.reply());
  }

  private void dump(CommandContext c) {
    c.reply().bulk(FunctionDump.dump(functions().libraries()));
  }

  private void restore(CommandContext c) {
    if (c.argc() > 4) {
      throw new RedisError(syntax(c));
    }
    Functions.RestorePolicy policy = Functions.RestorePolicy.APPEND;
    if (c.argc() == 4) {
      try {
        policy = Functions.RestorePolicy.valueOf(c.text(3).toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new RedisError(
            "ERR Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE.");
      }
    }
    functions().restore(FunctionDump.libraries(c.arg(2)), policy);
    c.dirty(1);
    c.reply().simple("OK");
  }
}
