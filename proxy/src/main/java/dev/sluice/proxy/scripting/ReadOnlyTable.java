package dev.sluice.proxy.scripting;

import java.util.IdentityHashMap;
import java.util.Map;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * Redis 7's read-only table for LuaJ: once {@link #seal sealed} it refuses every write. The globals
 * of the script sandbox, every library table, their metatables and the string metatable are read
 * only, so that one user's script cannot change what another user's script calls.
 *
 * <p>Design note. Redis patches its Lua with a {@code readonly} flag on a table that {@code
 * luaV_settable}, {@code lua_rawset}, {@code lua_rawseti} and {@code lua_setmetatable} check. LuaJ
 * has no such flag, but every one of those paths ends in an overridable method of {@link LuaTable}:
 * a VM store ({@code t.k = v}, a global assignment) in {@code set}, and the library routes ({@code
 * rawset}, {@code setmetatable}, {@code table.insert/remove/sort}) in {@code rawset}, {@code
 * hashset}, {@code setmetatable} and {@code sort}. The two kinds fail with the same text but, as in
 * Redis, only a VM store carries the script's position ("user_script:1: Attempt to modify a
 * readonly table"); an error raised inside a library function (Redis's C API) has none.
 *
 * <p>A library table is replaced by a sealed copy once the state is built: LuaJ's libraries hold no
 * reference to their own table, so the copy is what scripts see. The class extends {@link Globals}
 * rather than {@link LuaTable} only so that the globals can be one too: LuaJ runs its debug hook
 * (the watchdog behind SCRIPT KILL) only for closures whose environment is a {@code Globals}.
 */
final class ReadOnlyTable extends Globals {
  static final String MESSAGE = "Attempt to modify a readonly table";

  private boolean sealed;

  void seal() {
    sealed = true;
  }

  /** The engine's own writes to a sealed table: KEYS and ARGV of the globals, for each run. */
  void internalSet(LuaValue key, LuaValue value) {
    sealed = false;
    try {
      super.rawset(key, value);
    } finally {
      sealed = true;
    }
  }

  @Override
  public void set(int key, LuaValue value) {
    check(true);
    super.set(key, value);
  }

  @Override
  public void set(LuaValue key, LuaValue value) {
    check(true);
    super.set(key, value);
  }

  @Override
  public void rawset(int key, LuaValue value) {
    check(false);
    super.rawset(key, value);
  }

  @Override
  public void rawset(LuaValue key, LuaValue value) {
    check(false);
    super.rawset(key, value);
  }

  @Override
  public void hashset(LuaValue key, LuaValue value) {
    check(false);
    super.hashset(key, value);
  }

  @Override
  public LuaValue setmetatable(LuaValue metatable) {
    check(false);
    return super.setmetatable(metatable);
  }

  /** table.sort moves array slots without rawset; like Redis's, it fails only if it would move. */
  @Override
  public void sort(LuaValue comparator) {
    if (rawlen() > 1) {
      check(false);
    }
    super.sort(comparator);
  }

  private void check(boolean positioned) {
    if (sealed) {
      throw positioned ? new LuaError(MESSAGE) : new Unpositioned(MESSAGE);
    }
  }

  /**
   * An error LuaJ's interpreter leaves without a "source:line" prefix: it treats an error that
   * already has a traceback as positioned (so an error whose text holds its position already does
   * not get a second one).
   */
  static final class Unpositioned extends LuaError {
    Unpositioned(String message) {
      super(message);
      this.traceback = message;
    }
  }

  // --- sealing a built state ------------------------------------------------------------------

  /**
   * Replaces every table among {@code root}'s values (the libraries, and the tables they hold) by a
   * sealed copy, keeping shared tables shared; {@code root} itself is sealed by its owner.
   */
  static void sealValues(ReadOnlyTable root) {
    Map<LuaTable, LuaTable> done = new IdentityHashMap<>();
    done.put(root, root);
    for (LuaValue key : root.keys()) {
      LuaValue value = root.rawget(key);
      if (value.istable()) {
        root.rawset(key, sealedCopy((LuaTable) value, done));
      }
    }
  }

  /** A sealed copy of {@code table}, of the tables it holds and of its metatable. */
  static LuaTable sealedCopy(LuaTable table) {
    return sealedCopy(table, new IdentityHashMap<>());
  }

  private static LuaTable sealedCopy(LuaTable table, Map<LuaTable, LuaTable> done) {
    LuaTable known = done.get(table);
    if (known != null) {
      return known;
    }
    ReadOnlyTable copy = new ReadOnlyTable();
    done.put(table, copy);
    for (Varargs n = table.next(LuaValue.NIL); !n.arg1().isnil(); n = table.next(n.arg1())) {
      LuaValue value = n.arg(2);
      copy.rawset(n.arg1(), value.istable() ? sealedCopy((LuaTable) value, done) : value);
    }
    LuaValue meta = table.getmetatable();
    if (meta != null && meta.istable()) {
      copy.setmetatable(sealedCopy((LuaTable) meta, done));
    }
    copy.seal();
    return copy;
  }

  /** Seals the string metatable ({@code getmetatable('')}): {@code __index}, the string library. */
  static void sealStringMetatable(LuaValue stringLibrary) {
    ReadOnlyTable meta = new ReadOnlyTable();
    meta.rawset(LuaValue.INDEX, stringLibrary);
    meta.seal();
    LuaString.s_metatable = meta;
  }
}
