package dev.sluice.proxy.commands.scripting;

import static dev.sluice.proxy.engine.CommandFlag.ALLOW_BUSY;
import static dev.sluice.proxy.engine.CommandFlag.NOSCRIPT;
import static dev.sluice.proxy.engine.CommandFlag.NO_MANDATORY_KEYS;
import static dev.sluice.proxy.engine.CommandFlag.READONLY;
import static dev.sluice.proxy.engine.CommandFlag.SKIP_MONITOR;
import static dev.sluice.proxy.engine.CommandFlag.STALE;
import static dev.sluice.proxy.engine.CommandSpec.command;
import static dev.sluice.proxy.engine.CommandSpec.container;

import dev.sluice.proxy.commands.Help;
import dev.sluice.proxy.engine.CommandContext;
import dev.sluice.proxy.engine.CommandSpec;
import dev.sluice.proxy.engine.CommandTable;
import dev.sluice.proxy.engine.CommandTrait;
import dev.sluice.proxy.engine.KeyProcs;
import dev.sluice.proxy.engine.KeySpec;
import dev.sluice.proxy.engine.MappedWrite;
import dev.sluice.proxy.engine.RedisError;
import dev.sluice.proxy.runtime.ServerContext;
import dev.sluice.proxy.scripting.ScriptEngine;

/** EVAL, EVALSHA, EVAL_RO, EVALSHA_RO and SCRIPT; the engine is {@link ScriptEngine}. */
public final class ScriptingCommands {
  private static final String GROUP = "scripting";

  /** Redis's note on the key specs of EVAL and EVAL_RO. */
  private static final String WORST =
      "We cannot tell how the keys will be used so we assume the worst, ";

  private final ServerContext server;

  public ScriptingCommands(ServerContext server) {
    this.server = server;
  }

  /**
   * What EVAL, EVALSHA and their read-only forms share: the script runs on the engine's thread, its
   * numkeys keys are found as Redis's evalGetKeys finds them, and the commands it runs are checked
   * against write-back one by one.
   */
  private CommandSpec.Builder eval(String name, boolean sha, boolean readOnly) {
    CommandSpec.Builder builder =
        command(name, -3, c -> server.scripts().eval(c, sha, readOnly))
            .flags(NOSCRIPT, STALE, SKIP_MONITOR, NO_MANDATORY_KEYS)
            .traits(CommandTrait.RUNS_SCRIPT)
            .mappedWrite(MappedWrite.NESTED)
            .keyProc(KeyProcs.numKeys(0, 2, 3, 1))
            .group(GROUP);
    return readOnly ? builder.flags(READONLY) : builder.traits(CommandTrait.MAY_REPLICATE);
  }

  public void register(CommandTable t) {
    t.register(
        eval("eval", false, false)
            .keys(KeySpec.keyNum(2, 0, 1, 1, "RW access update").notes(WORST + "RW and UPDATE"))
            .doc("Executes a server-side Lua script.", "2.6.0", "Depends on the script."));
    t.register(
        eval("evalsha", true, false)
            .keys(KeySpec.keyNum(2, 0, 1, 1, "RW access update"))
            .doc(
                "Executes a server-side Lua script by SHA1 digest.",
                "2.6.0",
                "Depends on the script."));
    t.register(
        eval("eval_ro", false, true)
            .keys(KeySpec.keyNum(2, 0, 1, 1, "RO access").notes(WORST + "RO and ACCESS"))
            .doc(
                "Executes a read-only server-side Lua script.", "7.0.0", "Depends on the script."));
    t.register(
        eval("evalsha_ro", true, true)
            .keys(KeySpec.keyNum(2, 0, 1, 1, "RO access"))
            .doc(
                "Executes a read-only server-side Lua script by SHA1 digest.",
                "7.0.0",
                "Depends on the script."));
    t.register(
        container("script")
            .group(GROUP)
            .doc("A container for Lua scripts management commands.", "2.6.0", "Depends")
            .sub(
                command("flush", -2, this::flush)
                    .flags(NOSCRIPT)
                    .tips("request_policy:all_nodes", "response_policy:all_succeeded")
                    .doc(
                        "Removes all server-side Lua scripts from the script cache.",
                        "2.6.0",
                        "O(N) with N being the number of scripts in cache"))
            .sub(
                command("exists", -3, this::exists)
                    .flags(NOSCRIPT)
                    .tips("request_policy:all_shards", "response_policy:agg_logical_and")
                    .doc(
                        "Determines whether server-side Lua scripts exist in the script cache.",
                        "2.6.0",
                        "O(N) with N being the number of scripts to check"))
            .sub(Help.command("script"))
            .sub(
                command("debug", 3, ScriptingCommands::debug)
                    .flags(NOSCRIPT)
                    .doc("Sets the debug mode of server-side Lua scripts.", "3.2.0", "O(1)"))
            .sub(
                command("kill", 2, this::kill)
                    .flags(NOSCRIPT, ALLOW_BUSY)
                    .traits(CommandTrait.KILLS_SCRIPT)
                    .tips("request_policy:all_shards", "response_policy:one_succeeded")
                    .doc("Terminates a server-side Lua script during execution.", "2.6.0", "O(1)"))
            .sub(
                command("load", 3, this::load)
                    .flags(NOSCRIPT, STALE)
                    .tips("request_policy:all_nodes", "response_policy:all_succeeded")
                    .doc(
                        "Loads a server-side Lua script to the script cache.",
                        "2.6.0",
                        "O(N) with N being the length in bytes of the script body.")));
  }

  /**
   * SCRIPT DEBUG YES|SYNC|NO with Redis's checks. Sluice has no Lua debugger (LDB): NO is what
   * every connection already has, and YES or SYNC are refused with a reason rather than accepted
   * and then ignored.
   */
  private static void debug(CommandContext c) {
    if (!c.canBlock()) {
      // run by EXEC: Redis sees the transaction's reply pending
      throw new RedisError("ERR SCRIPT DEBUG must be called outside a pipeline");
    }
    if (c.is(2, "no")) {
      c.reply().simple("OK");
    } else if (c.is(2, "yes") || c.is(2, "sync")) {
      throw new RedisError(
          "ERR SCRIPT DEBUG "
              + c.text(2).toUpperCase(java.util.Locale.ROOT)
              + " is not supported: Sluice has no Lua debugger (LDB); use SCRIPT DEBUG NO");
    } else {
      throw new RedisError("ERR Use SCRIPT DEBUG YES/SYNC/NO");
    }
  }

  private void flush(CommandContext c) {
    if (c.argc() > 3 || (c.argc() == 3 && !c.is(2, "sync") && !c.is(2, "async"))) {
      throw new RedisError("ERR SCRIPT FLUSH only support SYNC|ASYNC option");
    }
    server.scripts().flush();
    c.reply().simple("OK");
  }

  private void exists(CommandContext c) {
    c.reply().array(c.argc() - 2);
    for (int i = 2; i < c.argc(); i++) {
      c.reply().integer(server.scripts().exists(c.text(i)) ? 1 : 0);
    }
  }

  /**
   * Reached under the keyspace lock, so no script is running: a SCRIPT KILL that arrives while one
   * runs is answered by the connection without the lock (see BusyScriptResponder).
   */
  private void kill(CommandContext c) {
    String error = server.scripts().kill();
    if (error != null) {
      throw new RedisError(error);
    }
    c.reply().simple("OK");
  }

  private void load(CommandContext c) {
    c.reply().bulk(server.scripts().load(c.arg(2)));
  }
}
