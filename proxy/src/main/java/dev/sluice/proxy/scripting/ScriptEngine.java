package dev.sluice.proxy.scripting;

import dev.sluice.proxy.engine.CommandContext;
import dev.sluice.proxy.engine.Errors;
import dev.sluice.proxy.engine.RedisError;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.luaj.vm2.LuaClosure;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Prototype;
import org.luaj.vm2.Varargs;

/**
 * Runs Lua scripts the way Redis 7 does: one sandboxed interpreter (LuaJ) shared by all scripts and
 * used only under the keyspace lock, scripts cached by SHA-1 as compiled prototypes, {@code
 * redis.call} going through the normal {@link dev.sluice.proxy.engine.CommandExecutor} within the
 * same lock hold, and Redis's conversions between replies and Lua values.
 *
 * <p>The running state ({@link #busy()}, {@link #kill()}) is read by other connections' threads
 * without the lock, so they can answer BUSY and SCRIPT KILL while a script holds it.
 */
public final class ScriptEngine {

  public static final String NOSCRIPT = "NOSCRIPT No matching script. Please use EVAL.";
  public static final String BUSY =
      "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.";
  public static final String BUSY_FUNCTION =
      "BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.";
  public static final String NOTBUSY = "NOTBUSY No scripts in execution right now.";
  public static final String UNKILLABLE =
      "UNKILLABLE Sorry the script already executed write commands against the dataset. You can"
          + " either wait the script termination or kill the server in a hard way using the"
          + " SHUTDOWN NOSAVE command.";

  /** Scripts sent with EVAL kept at most; older ones are forgotten (as Redis 7.4 does). */
  static final int MAX_EVAL_SCRIPTS = 500;

  /**
   * LuaJ constants, in a holder so that LuaJ's classes load with the first script rather than with
   * the engine.
   */
  static final class Lua {
    static final LuaString ERR = LuaValue.valueOf("err");
    static final LuaString OK = LuaValue.valueOf("ok");
    static final LuaString KEYS = LuaValue.valueOf("KEYS");
    static final LuaString ARGV = LuaValue.valueOf("ARGV");
  }

  /**
   * A cached script: its body, shebang and compiled chunk; {@code loaded} if SCRIPT LOAD put it
   * there.
   */
  private record Script(byte[] body, EvalShebang shebang, Prototype prototype, boolean loaded) {}

  private volatile long allocationLimit = 1L << 30;
  // while FUNCTION LOAD runs a library's code: when it must have ended
  private boolean loading;
  private long loadDeadlineNanos;
  private final AllocationMeter allocated = new AllocationMeter();

  // the Lua state: built by the first script, rebuilt by SCRIPT FLUSH (LuaSandbox)
  private ReadOnlyTable globals;
  private Watchdog watchdog;
  private Coroutines coroutines;

  /**
   * The thread scripts run on, so that a script never holds an I/O thread: the other connections of
   * that thread can then be answered BUSY. One thread (scripts run one at a time under the keyspace
   * lock anyway), started on demand and ended after 10 s idle.
   */
  private final ThreadPoolExecutor runner =
      new ThreadPoolExecutor(
          1,
          1,
          10,
          TimeUnit.SECONDS,
          new LinkedBlockingQueue<>(),
          r -> {
            Thread t = new Thread(r, "sluice-script");
            t.setDaemon(true);
            return t;
          });

  {
    runner.allowCoreThreadTimeOut(true);
  }

  private final Map<String, Script> scripts = new LinkedHashMap<>(16, 0.75f, true);
  private final Functions functions = new Functions(this);
  private int evalScripts;

  // the running script, read by other threads
  private volatile long startedMillis;
  private volatile boolean killRequested;
  private volatile boolean wrote;
  private volatile long busyThresholdMillis = 5000;
  // the running script's function name (FCALL), or null for EVAL
  private volatile String function;
  private volatile byte[][] command;

  // the running script's context: only under the keyspace lock
  private CommandContext current;
  private boolean readOnly;
  private int resp = 2;

  /** The sandboxed Lua state, built on first use. */
  ReadOnlyTable state() {
    if (globals == null) {
      // one watchdog for good: the functions' state, which SCRIPT FLUSH keeps, is hooked to it
      if (watchdog == null) {
        watchdog = new Watchdog(this);
        coroutines = new Coroutines(watchdog, allocated);
      }
      globals = LuaSandbox.create(this, watchdog);
    }
    return globals;
  }

  // --- state read by other connections -----------------------------------------------------

  Watchdog watchdog() {
    state();
    return watchdog;
  }

  /** The running script's coroutines; built with the watchdog. */
  Coroutines coroutines() {
    return coroutines;
  }

  /** The libraries of FUNCTION LOAD and what FCALL calls. */
  public Functions functions() {
    return functions;
  }

  /** Where connections run EVAL and EVALSHA (see {@link #runner}). */
  public Executor runner() {
    return runner;
  }

  public void busyThresholdMillis(long millis) {
    this.busyThresholdMillis = millis;
  }

  /** Whether a script has been running longer than busy-reply-threshold. */
  public boolean busy() {
    long started = startedMillis;
    return started != 0 && System.currentTimeMillis() - started >= busyThresholdMillis;
  }

  /**
   * The BUSY error for the running script: FUNCTION KILL stops a function, SCRIPT KILL the rest.
   */
  public String busyError() {
    return function != null ? BUSY_FUNCTION : BUSY;
  }

  /**
   * SCRIPT KILL from another connection: null if the running script will stop, else the error to
   * answer.
   */
  public String kill() {
    return kill(false);
  }

  /**
   * SCRIPT KILL ({@code ofFunction} false) or FUNCTION KILL: null if the running script will stop,
   * else the error to answer. Each stops only its own kind, as in Redis.
   */
  public String kill(boolean ofFunction) {
    if (startedMillis == 0) {
      return NOTBUSY;
    }
    if (wrote) {
      return UNKILLABLE;
    }
    if (ofFunction != (function != null)) {
      return ofFunction ? BUSY : BUSY_FUNCTION;
    }
    killRequested = true;
    return null;
  }

  /** The running function's name, its command and how long it has run; null if none runs. */
  public Functions.Running runningFunction() {
    long started = startedMillis;
    String name = function;
    byte[][] argv = command;
    if (started == 0 || name == null || argv == null) {
      return null;
    }
    return new Functions.Running(name, argv, System.currentTimeMillis() - started);
  }

  /** Whether an EVAL script (not a function) is running. */
  public boolean evalRunning() {
    return startedMillis != 0 && function == null;
  }

  /** Called by the watchdog every few thousand instructions of a running script. */
  void checkpoint() {
    if (killRequested) {
      throw new ScriptKilled();
    }
    if (loading && System.nanoTime() - loadDeadlineNanos > 0) {
      throw new LuaError(LuaValues.errorTable("FUNCTION LOAD timeout"));
    }
    long limit = allocationLimit;
    if (limit > 0 && allocated.allocated() > limit) {
      throw new ScriptOverAllocated();
    }
  }

  /** script-allocation-limit: bytes one script may allocate; 0 for none. */
  public void allocationLimit(long bytes) {
    this.allocationLimit = bytes;
  }

  // --- the cache -----------------------------------------------------------------------------

  public static String sha1hex(byte[] body) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(body));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** SCRIPT LOAD: compiles and caches the body, returning its SHA-1. */
  public String load(byte[] body) {
    String sha = sha1hex(body);
    Script script = scripts.get(sha);
    if (script == null || !script.loaded()) {
      EvalShebang shebang = script == null ? EvalShebang.of(body) : script.shebang();
      Prototype prototype = script == null ? compile(body, shebang) : script.prototype();
      if (script != null) {
        evalScripts--;
      }
      scripts.put(sha, new Script(body, shebang, prototype, true));
    }
    return sha;
  }

  public boolean exists(String sha) {
    return scripts.containsKey(sha.toLowerCase(Locale.ROOT));
  }

  /** SCRIPT FLUSH: forgets every script and drops the Lua state; the next script gets a new one. */
  public void flush() {
    scripts.clear();
    evalScripts = 0;
    globals = null;
  }

  public int cachedScripts() {
    return scripts.size();
  }

  private Script cacheEval(byte[] body, String sha) {
    EvalShebang shebang = EvalShebang.of(body);
    Script script = new Script(body, shebang, compile(body, shebang), false);
    scripts.put(sha, script);
    if (++evalScripts > MAX_EVAL_SCRIPTS) {
      Iterator<Script> it = scripts.values().iterator();
      while (it.hasNext()) {
        Script oldest = it.next();
        if (!oldest.loaded() && oldest != script) {
          it.remove();
          evalScripts--;
          break;
        }
      }
    }
    return script;
  }

  private Prototype compile(byte[] body, EvalShebang shebang) {
    try {
      return state()
          .compilePrototype(
              new ByteArrayInputStream(body, shebang.length(), body.length - shebang.length()),
              "@user_script");
    } catch (LuaError | IOException e) {
      throw new RedisError(
          "ERR Error compiling script (new function): "
              + LuaValues.oneLine(
                  LuaCompileErrors.explain(
                      LuaErrorText.plainMessage(e.getMessage()),
                      body,
                      shebang.length(),
                      "@user_script")));
    }
  }

  // --- running -------------------------------------------------------------------------------

  /**
   * EVAL and friends, arguments as Redis takes them: {@code [cmd, script-or-sha, numkeys, keys...,
   * args...]}.
   */
  public void eval(CommandContext c, boolean bySha, boolean readOnly) {
    long numkeys = c.longArg(2);
    if (numkeys > c.argc() - 3) {
      throw new RedisError("ERR Number of keys can't be greater than number of args");
    }
    if (numkeys < 0) {
      throw new RedisError("ERR Number of keys can't be negative");
    }
    Script script;
    String sha;
    if (bySha) {
      sha = c.text(1).toLowerCase(Locale.ROOT);
      script = sha.length() == 40 ? scripts.get(sha) : null;
      if (script == null) {
        throw new RedisError(NOSCRIPT);
      }
    } else {
      byte[] body = c.arg(1);
      sha = sha1hex(body);
      script = scripts.get(sha);
      if (script == null) {
        script = cacheEval(body, sha);
      }
    }
    EvalShebang shebang = script.shebang();
    if (!shebang.compat()) {
      // Redis 7's scriptPrepareForRun for a script that declared its flags
      if (!shebang.noWrites() && readOnly) {
        throw new RedisError("ERR Can not execute a script with write flag using *_ro command.");
      }
      if (!shebang.noWrites()) {
        c.engine().checkGoodReplicas();
      }
      if (!shebang.noWrites()
          && !shebang.flags().contains(ScriptFlag.ALLOW_OOM)
          && !c.engine().keyspace().freeMemoryIfNeeded()) {
        throw new RedisError(Errors.OOM);
      }
    }
    LuaTable keys = new LuaTable((int) numkeys, 0);
    for (int i = 0; i < numkeys; i++) {
      keys.rawset(i + 1, LuaString.valueOf(c.arg(3 + i)));
    }
    LuaTable argv = new LuaTable(c.argc() - 3 - (int) numkeys, 0);
    for (int i = 3 + (int) numkeys, j = 1; i < c.argc(); i++, j++) {
      argv.rawset(j, LuaString.valueOf(c.arg(i)));
    }
    ReadOnlyTable state = state();
    state.internalSet(Lua.KEYS, keys);
    state.internalSet(Lua.ARGV, argv);
    run(
        c,
        new LuaClosure(script.prototype(), globals),
        LuaValue.NONE,
        sha,
        null,
        readOnly || shebang.noWrites());
  }

  /**
   * FCALL's run of a library function: {@code callable(keys, args)}, named {@code name} in errors,
   * and its chunk {@code @user_function}.
   */
  void runFunction(
      CommandContext c, LuaValue callable, LuaTable keys, LuaTable args, String name, boolean ro) {
    state();
    run(c, callable, LuaValue.varargsOf(keys, args), name, name, ro);
  }

  /**
   * Runs a library's code for FUNCTION LOAD, stopped after {@code timeoutMillis} (0: never) with
   * "FUNCTION LOAD timeout".
   */
  void runLoad(LuaValue chunk, long timeoutMillis) {
    watchdog().reset();
    loading = timeoutMillis > 0;
    loadDeadlineNanos = System.nanoTime() + timeoutMillis * 1_000_000L;
    allocated.start();
    coroutines.begin();
    try {
      chunk.call();
    } finally {
      coroutines.end();
      loading = false;
    }
  }

  private void run(
      CommandContext c,
      LuaValue callable,
      Varargs args,
      String scriptName,
      String function,
      boolean readOnly) {
    String chunk = function == null ? "@user_script" : "@user_function";
    this.function = function;
    this.command = function == null ? null : c.args();
    this.current = c;
    this.readOnly = readOnly;
    this.resp = 2;
    this.wrote = false;
    this.killRequested = false;
    this.startedMillis = System.currentTimeMillis();
    allocated.start();
    // a SELECT inside the script selects for the rest of the script only, as in Redis 7
    int callerDb = c.session().db();
    watchdog.reset();
    coroutines.begin();
    LuaValue result;
    try {
      result = callable.invoke(args).arg1();
    } catch (LuaError e) {
      throw new RedisError(
          LuaErrorText.scriptError(e, this::errorText, scriptName, chunk, watchdog.currentLine()));
    } catch (ScriptKilled e) {
      throw new RedisError(
          "ERR Script killed by user with SCRIPT KILL... script: "
              + scriptName
              + ", on "
              + chunk
              + ":"
              + watchdog.currentLine()
              + ".");
    } catch (ScriptOverAllocated e) {
      throw new RedisError(
          "ERR script allocated more than "
              + allocationLimit
              + " bytes (script-allocation-limit) script: "
              + scriptName
              + ", on "
              + chunk
              + ":"
              + watchdog.currentLine()
              + ".");
    } catch (StackOverflowError e) {
      throw new RedisError(
          "ERR "
              + chunk.substring(1)
              + ": stack overflow script: "
              + scriptName
              + ", on "
              + chunk
              + ":1.");
    } finally {
      coroutines.end();
      c.session().db(callerDb);
      this.startedMillis = 0;
      this.function = null;
      this.command = null;
      this.current = null;
      if (globals != null) {
        globals.internalSet(Lua.KEYS, LuaValue.NIL);
        globals.internalSet(Lua.ARGV, LuaValue.NIL);
      }
    }
    LuaValues.toReply(result, c.reply(), resp, 0);
  }

  /** A Lua error's text as Lua 5.1 writes it: positions, and tail calls of what is no function. */
  String errorText(String luajMessage) {
    return LuaErrorNames.tailCall(LuaErrorText.plainMessage(luajMessage), watchdog);
  }

  // --- what the redis library reads and sets while a script runs --------------------------

  CommandContext current() {
    return current;
  }

  boolean readOnly() {
    return readOnly;
  }

  /** A write command ran: SCRIPT KILL can no longer stop the script. */
  void wrote() {
    wrote = true;
  }

  int resp() {
    return resp;
  }

  void resp(int version) {
    resp = version;
  }
}
