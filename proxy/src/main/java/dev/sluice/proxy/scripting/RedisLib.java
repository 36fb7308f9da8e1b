package dev.sluice.proxy.scripting;

import dev.sluice.proxy.engine.AclLog;
import dev.sluice.proxy.engine.CommandContext;
import dev.sluice.proxy.engine.CommandFlag;
import dev.sluice.proxy.engine.CommandSpec;
import dev.sluice.proxy.engine.Engine;
import dev.sluice.proxy.engine.Errors;
import dev.sluice.proxy.engine.Session;
import dev.sluice.proxy.resp.Doubles;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;
import org.luaj.vm2.lib.ZeroArgFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code redis} table scripts see: {@code call}/{@code pcall} through the engine's running
 * command context, the reply helpers, logging, RESP and replication settings, and the constants.
 */
final class RedisLib {
  private static final Logger log = LoggerFactory.getLogger("dev.sluice.scripting.lua");

  private RedisLib() {}

  static LuaTable create(ScriptEngine engine) {
    LuaTable redis = new LuaTable();
    redis.rawset("call", new RedisCall(engine, true));
    redis.rawset("pcall", new RedisCall(engine, false));
    redis.rawset(
        "error_reply",
        new VarArgFunction() {
          @Override
          public Varargs invoke(Varargs args) {
            if (!oneString(args)) {
              return LuaValues.errorTable(WRONG_ARGUMENTS);
            }
            String error = args.arg1().tojstring();
            return LuaValues.errorTable(error.startsWith("-") ? error : "-" + error);
          }
        });
    redis.rawset(
        "status_reply",
        new VarArgFunction() {
          @Override
          public Varargs invoke(Varargs args) {
            if (!oneString(args)) {
              return LuaValues.errorTable(WRONG_ARGUMENTS);
            }
            LuaTable t = new LuaTable();
            t.rawset(ScriptEngine.Lua.OK, args.arg1());
            return t;
          }
        });
    redis.rawset(
        "sha1hex",
        new VarArgFunction() {
          @Override
          public Varargs invoke(Varargs args) {
            if (args.narg() != 1) {
              throw new LuaError(LuaValues.errorTable("wrong number of arguments"));
            }
            return LuaValue.valueOf(
                ScriptEngine.sha1hex(LuaValues.bytes(args.arg1().checkstring())));
          }
        });
    redis.rawset("log", new Log());
    redis.rawset(
        "acl_check_cmd",
        new VarArgFunction() {
          @Override
          public Varargs invoke(Varargs args) {
            LuaTable error = argumentsError(args);
            if (error != null) {
              throw new LuaError(error);
            }
            CommandSpec command = lookup(engine, args);
            if (command == null) {
              throw new LuaError(
                  LuaValues.errorTable("Invalid command passed to redis.acl_check_cmd()"));
            }
            // Sluice's users have command rules only, no key or channel patterns
            return LuaValue.valueOf(engine.current().session().aclUser().mayRun(command));
          }
        });
    redis.rawset(
        "setresp",
        new VarArgFunction() {
          @Override
          public Varargs invoke(Varargs args) {
            if (args.narg() != 1) {
              throw new LuaError(LuaValues.errorTable("redis.setresp() requires one argument."));
            }
            int version = (int) toNumber(args.arg1());
            if (version != 2 && version != 3) {
              throw new LuaError(LuaValues.errorTable("RESP version must be 2 or 3."));
            }
            engine.resp(version);
            return LuaValue.NONE;
          }
        });
    redis.rawset(
        "replicate_commands",
        new ZeroArgFunction() {
          @Override
          public LuaValue call() {
            return LuaValue.TRUE;
          }
        });
    redis.rawset(
        "set_repl",
        new VarArgFunction() {
          @Override
          public Varargs invoke(Varargs args) {
            if (args.narg() != 1) {
              throw new LuaError(LuaValues.errorTable("redis.set_repl() requires one argument."));
            }
            int flags = (int) toNumber(args.arg1());
            if ((flags & ~3) != 0) {
              throw new LuaError(
                  LuaValues.errorTable(
                      "Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or"
                          + " REPL_NONE."));
            }
            return LuaValue.NONE;
          }
        });
    redis.rawset(
        "breakpoint",
        new ZeroArgFunction() {
          @Override
          public LuaValue call() {
            return LuaValue.FALSE;
          }
        });
    redis.rawset(
        "debug",
        new VarArgFunction() {
          @Override
          public Varargs invoke(Varargs args) {
            return LuaValue.NONE;
          }
        });
    redis.rawset("REPL_NONE", LuaValue.valueOf(0));
    redis.rawset("REPL_AOF", LuaValue.valueOf(1));
    redis.rawset("REPL_SLAVE", LuaValue.valueOf(2));
    redis.rawset("REPL_REPLICA", LuaValue.valueOf(2));
    redis.rawset("REPL_ALL", LuaValue.valueOf(3));
    redis.rawset("LOG_DEBUG", LuaValue.valueOf(0));
    redis.rawset("LOG_VERBOSE", LuaValue.valueOf(1));
    redis.rawset("LOG_NOTICE", LuaValue.valueOf(2));
    redis.rawset("LOG_WARNING", LuaValue.valueOf(3));
    redis.rawset("REDIS_VERSION", LuaValue.valueOf(Engine.REDIS_VERSION));
    String[] parts = Engine.REDIS_VERSION.split("\\.");
    redis.rawset(
        "REDIS_VERSION_NUM",
        LuaValue.valueOf(
            (Integer.parseInt(parts[0]) << 16)
                | (Integer.parseInt(parts[1]) << 8)
                | Integer.parseInt(parts[2])));
    // the commands, and the state they read, belong to the thread that holds the keyspace lock
    Coroutines coroutines = engine.coroutines();
    for (Varargs n = redis.next(LuaValue.NIL); !n.arg1().isnil(); n = redis.next(n.arg1())) {
      if (n.arg(2).isfunction()) {
        redis.rawset(n.arg1(), coroutines.onOwner(n.arg(2)));
      }
    }
    return redis;
  }

  /** What error_reply and status_reply return (not raise) for anything but one string. */
  private static final String WRONG_ARGUMENTS = "wrong number or type of arguments";

  /** Exactly one argument, a string (a number is not one here, unlike most of Lua's API). */
  private static boolean oneString(Varargs args) {
    return args.narg() == 1 && args.arg1().type() == LuaValue.TSTRING;
  }

  /** Lua's lua_tonumber: a number, a string holding one, else 0. */
  private static double toNumber(LuaValue v) {
    LuaValue n = v.tonumber();
    return n.isnil() ? 0 : n.todouble();
  }

  /** redis.log(level, message…) into the server log. */
  private static final class Log extends VarArgFunction {
    @Override
    public Varargs invoke(Varargs args) {
      if (args.narg() < 2) {
        throw new LuaError(LuaValues.errorTable("redis.log() requires two arguments or more."));
      }
      if (!args.arg1().isnumber()) {
        throw new LuaError(LuaValues.errorTable("First argument must be a number (log level)."));
      }
      int level = args.arg1().toint();
      if (level < 0 || level > 3) {
        throw new LuaError(LuaValues.errorTable("Invalid debug level."));
      }
      StringBuilder text = new StringBuilder();
      for (int i = 2; i <= args.narg(); i++) {
        if (i > 2) {
          text.append(' ');
        }
        text.append(args.arg(i).tojstring());
      }
      switch (level) {
        case 0 -> log.debug("{}", text);
        case 1, 2 -> log.info("{}", text);
        default -> log.warn("{}", text);
      }
      return LuaValue.NONE;
    }
  }

  /**
   * redis.call (errors raise) and redis.pcall (errors are returned as {err=…}). The ACL of the user
   * who runs the script is checked for each command, with Redis 7.4's "ACL failure in script" text,
   * and again by the executor the command runs through.
   */
  private static final class RedisCall extends VarArgFunction {
    private final ScriptEngine engine;
    private final boolean raise;

    RedisCall(ScriptEngine engine, boolean raise) {
      this.engine = engine;
      this.raise = raise;
    }

    @Override
    public Varargs invoke(Varargs args) {
      LuaTable error = check(args);
      LuaValue value;
      if (error == null) {
        byte[][] argv = new byte[args.narg()][];
        for (int i = 0; i < argv.length; i++) {
          argv[i] = bytesOf(args.arg(i + 1));
        }
        LuaReply capture = new LuaReply(engine.resp());
        engine.current().runInScript(argv, capture);
        value = capture.value();
        if (capture.isError()) {
          error = (LuaTable) value;
        }
      } else {
        value = error;
      }
      if (error != null && raise) {
        throw new LuaError(error);
      }
      return value;
    }

    /** Redis's checks before running a command from a script; null if it may run. */
    private LuaTable check(Varargs args) {
      LuaTable invalid = argumentsError(args);
      if (invalid != null) {
        return invalid;
      }
      CommandSpec spec = engine.current().engine().commands().lookup(bytesOf(args.arg1()));
      if (spec == null) {
        return LuaValues.errorTable("Unknown Redis command called from script");
      }
      if (!spec.arityAccepts(args.narg())) {
        return LuaValues.errorTable("Wrong number of args calling Redis command from script");
      }
      CommandSpec sub = spec;
      if (spec.isContainer() && args.narg() > 1) {
        CommandSpec found =
            spec.subcommands().get(args.arg(2).tojstring().toLowerCase(Locale.ROOT));
        if (found != null) {
          sub = found;
        }
      }
      if (spec.flags().contains(CommandFlag.NOSCRIPT)
          || sub.flags().contains(CommandFlag.NOSCRIPT)) {
        return LuaValues.errorTable("This Redis command is not allowed from script");
      }
      Session session = engine.current().session();
      if (!session.aclUser().mayRun(sub)) {
        engine.current().engine().stats().aclDeniedCommands.increment();
        CommandContext current = engine.current();
        current
            .engine()
            .aclLog()
            .add(
                AclLog.Reason.COMMAND,
                "lua",
                session,
                sub.fullName(),
                session.user(),
                current.keyspace().clock().millis());
        String denied = Errors.noPermission(session.user(), sub.fullName());
        return LuaValues.errorTable(
            "ACL failure in script: " + denied.substring(denied.indexOf(' ') + 1));
      }
      if (sub.isWrite()) {
        if (engine.readOnly()) {
          return LuaValues.errorTable(
              "-ERR Write commands are not allowed from read-only scripts.");
        }
        engine.wrote();
      }
      return null;
    }
  }

  /** What luaArgsToRedisArgv refuses: no arguments, or one neither a string nor a number. */
  private static LuaTable argumentsError(Varargs args) {
    if (args.narg() == 0) {
      return LuaValues.errorTable("Please specify at least one argument for this redis lib call");
    }
    for (int i = 1; i <= args.narg(); i++) {
      int type = args.arg(i).type();
      if (type != LuaValue.TSTRING && type != LuaValue.TNUMBER) {
        return LuaValues.errorTable("Lua redis lib command arguments must be strings or integers");
      }
    }
    return null;
  }

  /**
   * The command (or subcommand) the arguments name, as Redis's lookupCommand finds it: null if
   * unknown, or a container's unknown subcommand.
   */
  private static CommandSpec lookup(ScriptEngine engine, Varargs args) {
    CommandSpec spec = engine.current().engine().commands().lookup(bytesOf(args.arg1()));
    if (spec == null || !spec.isContainer() || args.narg() < 2) {
      return spec;
    }
    return spec.subcommands().get(args.arg(2).tojstring().toLowerCase(Locale.ROOT));
  }

  /** A redis.call argument: a number as Redis 7.4 writes it (not as Lua's tostring does). */
  private static byte[] bytesOf(LuaValue v) {
    return v.type() == LuaValue.TNUMBER
        ? Doubles.luaArgument(v.todouble()).getBytes(StandardCharsets.US_ASCII)
        : LuaValues.bytes(v.checkstring());
  }
}
