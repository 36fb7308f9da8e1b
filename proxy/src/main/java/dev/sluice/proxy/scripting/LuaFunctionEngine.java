package dev.sluice.proxy.scripting;

import dev.sluice.proxy.engine.RedisError;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.luaj.vm2.LuaClosure;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Prototype;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.TwoArgFunction;
import org.luaj.vm2.lib.VarArgFunction;

/**
 * The LUA engine of Redis 7 functions on LuaJ: compiles a library and runs its code so that it
 * registers its functions. As in Redis's function_lua.c, libraries share one state of their own
 * (not EVAL's, and SCRIPT FLUSH does not touch it) whose globals are an empty sealed table: while a
 * library loads its names resolve in a table holding only {@code redis.register_function}, {@code
 * redis.log} and the version constants; while a function runs, in the full sandbox.
 */
final class LuaFunctionEngine {
  /** Redis's LOAD_TIMEOUT_MS: a library's code registers functions, it must not take longer. */
  static final long LOAD_TIMEOUT_MILLIS = 500;

  private final ScriptEngine engine;
  private ReadOnlyTable env;
  private LuaTable loadApi;
  private ReadOnlyTable runGlobals;
  private boolean loading;
  // the functions the loading library has registered so far
  private Map<String, Functions.Function> registering;
  private String loadingLibrary;

  LuaFunctionEngine(ScriptEngine engine) {
    this.engine = engine;
  }

  private void build() {
    if (env != null) {
      return;
    }
    Watchdog watchdog = engine.watchdog();
    runGlobals = LuaSandbox.create(engine, watchdog);
    LuaTable redis = new LuaTable();
    redis.rawset("register_function", new RegisterFunction());
    LuaTable full = (LuaTable) runGlobals.rawget("redis");
    for (String name :
        new String[] {
          "log",
          "LOG_DEBUG",
          "LOG_VERBOSE",
          "LOG_NOTICE",
          "LOG_WARNING",
          "REDIS_VERSION",
          "REDIS_VERSION_NUM"
        }) {
      redis.rawset(name, full.rawget(name));
    }
    redis.setmetatable(LuaSandbox.unknownGlobalsFail());
    LuaTable api = new LuaTable();
    api.rawset("redis", redis);
    api.setmetatable(LuaSandbox.unknownGlobalsFail());
    loadApi = ReadOnlyTable.sealedCopy(api);
    env = new ReadOnlyTable();
    env.debuglib = watchdog;
    LuaErrorNames.install(env, watchdog);
    LuaTable meta = new LuaTable();
    meta.rawset(
        LuaValue.INDEX,
        new TwoArgFunction() {
          @Override
          public LuaValue call(LuaValue table, LuaValue name) {
            return (loading ? loadApi : runGlobals).get(name);
          }
        });
    env.setmetatable(ReadOnlyTable.sealedCopy(meta));
    env.seal();
  }

  /**
   * Compiles {@code code} (the library without its shebang line, which starts with the newline
   * ending it) and runs it: the functions it registered, in order.
   *
   * @throws RedisError with Redis's text when it does not compile or fails while loading
   */
  Map<String, Functions.Function> create(String library, byte[] code, long timeoutMillis) {
    build();
    Prototype prototype;
    try {
      prototype = runGlobals.compilePrototype(new ByteArrayInputStream(code), "@user_function");
    } catch (LuaError | IOException e) {
      throw failure(
          "Error compiling function: "
              + LuaValues.oneLine(
                  LuaCompileErrors.explain(
                      LuaErrorText.plainMessage(e.getMessage()), code, 0, "@user_function")));
    }
    registering = new LinkedHashMap<>();
    loadingLibrary = library;
    loading = true;
    try {
      engine.runLoad(new LuaClosure(prototype, env), timeoutMillis);
      return registering;
    } catch (LuaError e) {
      throw failure("Error registering functions: " + errorText(e));
    } catch (ScriptOverAllocated e) {
      throw failure(
          "Error registering functions: ERR the library allocated more than"
              + " script-allocation-limit");
    } catch (StackOverflowError e) {
      throw failure("Error registering functions: ERR user_function: stack overflow");
    } finally {
      loading = false;
      registering = null;
      loadingLibrary = null;
    }
  }

  private static RedisError failure(String message) {
    return new RedisError("ERR " + message);
  }

  /** Redis's err_info.msg: a table error's text, or "ERR " and a string error. */
  private static String errorText(LuaError e) {
    LuaValue object = e.getMessageObject();
    if (object != null && object.istable() && object.rawget(ScriptEngine.Lua.ERR).isstring()) {
      return LuaValues.oneLine(object.rawget(ScriptEngine.Lua.ERR).tojstring());
    }
    return "ERR " + LuaValues.oneLine(LuaErrorText.plainMessage(e.getMessage()));
  }

  /** redis.register_function(name, callback) or redis.register_function{named arguments}. */
  private final class RegisterFunction extends VarArgFunction {
    @Override
    public Varargs invoke(Varargs args) {
      if (!loading) {
        throw refusal("redis.register_function can only be called on FUNCTION LOAD command");
      }
      if (args.narg() < 1 || args.narg() > 2) {
        throw refusal("wrong number of arguments to redis.register_function");
      }
      String name;
      String description = null;
      LuaValue callback;
      EnumSet<ScriptFlag> flags = EnumSet.noneOf(ScriptFlag.class);
      if (args.narg() == 2) {
        if (!args.arg1().isstring()) {
          throw refusal("first argument to redis.register_function must be a string");
        }
        name = args.arg1().tojstring();
        if (!args.arg(2).isfunction()) {
          throw refusal("second argument to redis.register_function must be a function");
        }
        callback = args.arg(2);
      } else {
        if (!args.arg1().istable()) {
          throw refusal(
              "calling redis.register_function with a single argument is only applicable to Lua"
                  + " table (representing named arguments).");
        }
        name = null;
        callback = null;
        LuaTable named = (LuaTable) args.arg1();
        for (Varargs n = named.next(LuaValue.NIL); !n.arg1().isnil(); n = named.next(n.arg1())) {
          LuaValue key = n.arg1();
          LuaValue value = n.arg(2);
          if (!key.isstring()) {
            throw refusal("named argument key given to redis.register_function is not a string");
          }
          switch (key.tojstring().toLowerCase(Locale.ROOT)) {
            case "function_name" -> {
              if (!value.isstring()) {
                throw refusal(
                    "function_name argument given to redis.register_function must be a string");
              }
              name = value.tojstring();
            }
            case "description" -> {
              if (!value.isstring()) {
                throw refusal(
                    "description argument given to redis.register_function must be a string");
              }
              description = value.tojstring();
            }
            case "callback" -> {
              if (!value.isfunction()) {
                throw refusal(
                    "callback argument given to redis.register_function must be a function");
              }
              callback = value;
            }
            case "flags" -> {
              if (!value.istable()) {
                throw refusal(
                    "flags argument to redis.register_function must be a table representing"
                        + " function flags");
              }
              flags = readFlags((LuaTable) value);
            }
            default -> throw refusal("unknown argument given to redis.register_function");
          }
        }
        if (name == null) {
          throw refusal("redis.register_function must get a function name argument");
        }
        if (callback == null) {
          throw refusal("redis.register_function must get a callback argument");
        }
      }
      if (!Functions.validName(name)) {
        throw refusal(Functions.BAD_NAME);
      }
      if (registering.containsKey(name)) {
        throw refusal("Function already exists in the library");
      }
      registering.put(
          name, new Functions.Function(name, loadingLibrary, description, flags, callback));
      return LuaValue.NONE;
    }

    private EnumSet<ScriptFlag> readFlags(LuaTable table) {
      EnumSet<ScriptFlag> flags = EnumSet.noneOf(ScriptFlag.class);
      for (int i = 1; ; i++) {
        LuaValue flag = table.get(i);
        if (flag.isnil()) {
          return flags;
        }
        ScriptFlag known = flag.isstring() ? ScriptFlag.named(flag.tojstring()) : null;
        if (known == null) {
          throw refusal("unknown flag given");
        }
        flags.add(known);
      }
    }

    private static LuaError refusal(String message) {
      return new LuaError(LuaValues.errorTable(message));
    }
  }
}
