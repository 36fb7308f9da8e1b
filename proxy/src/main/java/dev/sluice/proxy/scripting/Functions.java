package dev.sluice.proxy.scripting;

import dev.sluice.proxy.engine.CommandContext;
import dev.sluice.proxy.engine.Errors;
import dev.sluice.proxy.engine.RedisError;
import dev.sluice.proxy.resp.InlineParser;
import dev.sluice.proxy.resp.Reply;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;

/**
 * Redis 7 functions: the libraries FUNCTION LOAD keeps and the functions FCALL calls, as Redis's
 * functions.c has them. A library is its code (with the {@code #!lua name=…} line); the engine
 * ({@link LuaFunctionEngine}) compiles it and says which functions it registered. Every change goes
 * first to the {@link Store} (PostgreSQL when Sluice has one) and only then into memory, so that a
 * library acknowledged is never lost and a change the store refused is not half made.
 *
 * <p>Used under the keyspace lock only, like the rest of {@link ScriptEngine}.
 */
public final class Functions {
  static final String BAD_NAME =
      "Library names can only contain letters, numbers, or underscores(_) and must be at least"
          + " one character long";
  public static final String ENGINE = "LUA";

  /** A registered function; {@code callback} is the engine's (a Lua function). */
  public record Function(
      String name,
      String library,
      String description,
      EnumSet<ScriptFlag> flags,
      Object callback) {}

  /** A loaded library: its name, engine, whole code and functions in registration order. */
  public record Library(String name, String engine, byte[] code, Map<String, Function> functions) {}

  /** The function running now, for FUNCTION STATS. */
  public record Running(String name, byte[][] command, long durationMillis) {}

  /** Where libraries are kept across restarts. */
  public interface Store {
    /**
     * Makes the change durable before it is acknowledged: first every library is forgotten if
     * {@code clear}, then {@code deleted} are, then {@code saved} are written (replacing those of
     * the same names). Throws if it cannot.
     */
    void write(boolean clear, Collection<String> deleted, Collection<Library> saved);
  }

  /** How FUNCTION RESTORE treats the libraries already loaded. */
  public enum RestorePolicy {
    APPEND,
    REPLACE,
    FLUSH
  }

  private final ScriptEngine engine;
  private final LuaFunctionEngine lua;
  private final Map<String, Library> libraries = new LinkedHashMap<>();
  private final Map<String, Function> functions = new HashMap<>();
  private Store store = (clear, deleted, saved) -> {};
  // for FUNCTION STATS answered without the lock while a function runs
  private volatile int libraryCount;
  private volatile int functionCount;

  Functions(ScriptEngine engine) {
    this.engine = engine;
    this.lua = new LuaFunctionEngine(engine);
  }

  /** Keeps every later change in {@code store}. */
  public void store(Store store) {
    this.store = store;
  }

  // --- reading -------------------------------------------------------------------------------

  public Collection<Library> libraries() {
    return Collections.unmodifiableCollection(libraries.values());
  }

  /**
   * FUNCTION STATS: the running function, if any, and the engine's counts. Safe without the
   * keyspace lock, so that a connection can answer it while a function is busy.
   */
  public void writeStats(Reply r) {
    r.map(2);
    r.bulk("running_script");
    Running running = engine.runningFunction();
    if (running == null) {
      r.nil();
    } else {
      r.map(3);
      r.bulk("name");
      r.bulk(running.name());
      r.bulk("command");
      r.array(running.command().length);
      for (byte[] arg : running.command()) {
        r.bulk(arg);
      }
      r.bulk("duration_ms");
      r.integer(running.durationMillis());
    }
    r.bulk("engines");
    r.map(1);
    r.bulk(ENGINE);
    r.map(2);
    r.bulk("libraries_count");
    r.integer(libraryCount);
    r.bulk("functions_count");
    r.integer(functionCount);
  }

  static boolean validName(String name) {
    if (name.isEmpty()) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_')) {
        return false;
      }
    }
    return true;
  }

  // --- changing ------------------------------------------------------------------------------

  /** FUNCTION LOAD: the library's name. */
  public String load(byte[] code, boolean replace) {
    Library library =
        create(code, LuaFunctionEngine.LOAD_TIMEOUT_MILLIS, replace ? Map.of() : libraries);
    Library old = libraries.get(library.name());
    for (Function f : library.functions().values()) {
      Function existing = functions.get(f.name());
      if (existing != null && !existing.library().equals(library.name())) {
        throw new RedisError("ERR Function " + f.name() + " already exists");
      }
    }
    persist(false, List.of(), List.of(library));
    if (old != null) {
      unlink(old);
    }
    link(library);
    return library.name();
  }

  /** Libraries read back at start-up, not written to the store again; bad ones are returned. */
  public List<String> loadStored(Collection<byte[]> codes) {
    List<String> failures = new ArrayList<>();
    for (byte[] code : codes) {
      try {
        Library library = create(code, 0, Map.of());
        Library old = libraries.get(library.name());
        if (old != null) {
          unlink(old);
        }
        link(library);
      } catch (RedisError e) {
        failures.add(e.getMessage());
      }
    }
    return failures;
  }

  /** FUNCTION DELETE. */
  public void delete(String name) {
    Library library = libraries.get(name);
    if (library == null) {
      throw new RedisError("ERR Library not found");
    }
    persist(false, List.of(name), List.of());
    unlink(library);
  }

  /** FUNCTION FLUSH. */
  public void flush() {
    persist(true, List.of(), List.of());
    clear();
  }

  /**
   * FUNCTION RESTORE of the libraries' codes read from a payload: all are compiled first, then
   * joined to the loaded ones by {@code policy}, all or none.
   */
  public void restore(List<byte[]> codes, RestorePolicy policy) {
    Map<String, Library> restored = new LinkedHashMap<>();
    Map<String, String> restoredFunctions = new HashMap<>();
    for (byte[] code : codes) {
      // Redis runs a restored library's code without a time limit; a client's payload gets
      // LOAD's, so that it cannot hold the keyspace lock for ever
      Library library = create(code, LuaFunctionEngine.LOAD_TIMEOUT_MILLIS, restored);
      for (String f : library.functions().keySet()) {
        if (restoredFunctions.putIfAbsent(f, library.name()) != null) {
          throw new RedisError("ERR Function " + f + " already exists");
        }
      }
      restored.put(library.name(), library);
    }
    if (policy == RestorePolicy.FLUSH) {
      persist(true, List.of(), restored.values());
      clear();
    } else {
      for (Library library : restored.values()) {
        if (policy == RestorePolicy.APPEND && libraries.containsKey(library.name())) {
          throw new RedisError("ERR Library " + library.name() + " already exists");
        }
      }
      for (Map.Entry<String, String> f : restoredFunctions.entrySet()) {
        Function existing = functions.get(f.getKey());
        if (existing != null && !restored.containsKey(existing.library())) {
          throw new RedisError("ERR Function " + f.getKey() + " already exists");
        }
      }
      persist(false, List.of(), restored.values());
      for (Library library : restored.values()) {
        Library old = libraries.get(library.name());
        if (old != null) {
          unlink(old);
        }
      }
    }
    restored.values().forEach(this::link);
  }

  /** The store's write; its failure refuses the command, nothing having changed in memory. */
  private void persist(boolean clear, Collection<String> deleted, Collection<Library> saved) {
    try {
      store.write(clear, deleted, saved);
    } catch (RedisError e) {
      throw e;
    } catch (RuntimeException e) {
      throw new RedisError(
          "ERR the function libraries could not be saved, nothing changed: "
              + LuaValues.oneLine(String.valueOf(e.getMessage())));
    }
  }

  private void link(Library library) {
    libraries.put(library.name(), library);
    for (Function f : library.functions().values()) {
      functions.put(f.name(), f);
    }
    counted();
  }

  private void unlink(Library library) {
    libraries.remove(library.name());
    for (String f : library.functions().keySet()) {
      functions.remove(f);
    }
    counted();
  }

  private void clear() {
    libraries.clear();
    functions.clear();
    counted();
  }

  private void counted() {
    libraryCount = libraries.size();
    functionCount = functions.size();
  }

  /**
   * Reads the {@code #!engine name=…} line, compiles the library and registers its functions;
   * refuses a name {@code taken} has before compiling, as Redis does.
   */
  private Library create(byte[] code, long timeoutMillis, Map<String, Library> taken) {
    if (code.length < 2 || code[0] != '#' || code[1] != '!') {
      throw new RedisError("ERR Missing library metadata");
    }
    int newline = indexOf(code, (byte) '\n');
    if (newline < 0) {
      throw new RedisError("ERR Invalid library metadata");
    }
    byte[][] parts = InlineParser.split(Arrays.copyOf(code, newline));
    if (parts == null || parts.length == 0) {
      throw new RedisError("ERR Invalid library metadata");
    }
    String engineName = text(parts[0]).substring(2);
    String name = null;
    for (int i = 1; i < parts.length; i++) {
      String part = text(parts[i]);
      if (part.regionMatches(true, 0, "name=", 0, 5)) {
        if (name != null) {
          throw new RedisError(
              "ERR Invalid metadata value, name argument was given multiple times");
        }
        name = part.substring(5);
        continue;
      }
      throw new RedisError("ERR Invalid metadata value given: " + part);
    }
    if (name == null) {
      throw new RedisError("ERR Library name was not given");
    }
    if (!validName(name)) {
      throw new RedisError("ERR " + BAD_NAME);
    }
    if (!ENGINE.equalsIgnoreCase(engineName)) {
      throw new RedisError("ERR Engine '" + engineName + "' not found");
    }
    if (taken.containsKey(name)) {
      throw new RedisError("ERR Library '" + name + "' already exists");
    }
    Map<String, Function> registered =
        lua.create(name, Arrays.copyOfRange(code, newline, code.length), timeoutMillis);
    if (registered.isEmpty()) {
      throw new RedisError("ERR No functions registered");
    }
    return new Library(name, ENGINE, code, Collections.unmodifiableMap(registered));
  }

  private static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.ISO_8859_1);
  }

  private static int indexOf(byte[] bytes, byte b) {
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == b) {
        return i;
      }
    }
    return -1;
  }

  // --- FCALL ---------------------------------------------------------------------------------

  /** FCALL and FCALL_RO: {@code [cmd, function, numkeys, keys..., args...]}. */
  public void fcall(CommandContext c, boolean readOnly) {
    Function f = functions.get(text(c.arg(1)));
    if (f == null) {
      throw new RedisError("ERR Function not found");
    }
    long numkeys;
    try {
      numkeys = c.longArg(2);
    } catch (RedisError e) {
      throw new RedisError("ERR Bad number of keys provided");
    }
    if (numkeys > c.argc() - 3) {
      throw new RedisError("ERR Number of keys can't be greater than number of args");
    }
    if (numkeys < 0) {
      throw new RedisError("ERR Number of keys can't be negative");
    }
    boolean noWrites = f.flags().contains(ScriptFlag.NO_WRITES);
    if (!noWrites && readOnly) {
      throw new RedisError("ERR Can not execute a script with write flag using *_ro command.");
    }
    if (!noWrites) {
      c.engine().checkGoodReplicas();
    }
    // Redis makes FCALL deny-oom unless the function declares allow-oom or no-writes
    if (!noWrites
        && !f.flags().contains(ScriptFlag.ALLOW_OOM)
        && !c.engine().keyspace().freeMemoryIfNeeded()) {
      throw new RedisError(Errors.OOM);
    }
    int n = (int) numkeys;
    LuaTable keys = new LuaTable(n, 0);
    for (int i = 0; i < n; i++) {
      keys.rawset(i + 1, LuaString.valueOf(c.arg(3 + i)));
    }
    LuaTable args = new LuaTable(c.argc() - 3 - n, 0);
    for (int i = 3 + n, j = 1; i < c.argc(); i++, j++) {
      args.rawset(j, LuaString.valueOf(c.arg(i)));
    }
    engine.runFunction(c, (LuaValue) f.callback(), keys, args, f.name(), readOnly || noWrites);
  }
}
