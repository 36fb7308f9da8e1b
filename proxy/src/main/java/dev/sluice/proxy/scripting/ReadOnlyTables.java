package dev.sluice.proxy.scripting;

import java.util.IdentityHashMap;
import java.util.Map;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * Redis 7's read-only tables for LuaJ: the globals, every library table and the string metatable
 * refuse every write, so that one user's script cannot change what another user's script calls.
 *
 * <p>Design note. Redis patches its Lua with a {@code readonly} flag on a table that {@code
 * luaV_settable}, {@code lua_rawset}, {@code lua_rawseti} and {@code lua_setmetatable} check. LuaJ
 * has no such flag, but every one of those paths ends in an overridable method of {@link LuaTable}:
 * a VM store ({@code t.k = v}, a global assignment) in {@code set}, and the library routes ({@code
 * rawset}, {@code setmetatable}, {@code table.insert/remove/sort}) in {@code rawset}, {@code
 * hashset}, {@code setmetatable} and {@code sort}. The two kinds fail with the same text but, as in
 * Redis, only a VM store carries the script's position ("user_script:1: Attempt to modify a
 * readonly table"); an error raised inside a library function (Redis's C API) has none. A frozen
 * table is a copy made once the state is built: LuaJ's libraries hold no reference to their own
 * table, so the copy is what scripts see.
 */
final class ReadOnlyTables {
  static final String MESSAGE = "Attempt to modify a readonly table";

  private ReadOnlyTables() {}

  /** The error of a refused write; {@code positioned} for a VM store, not for a library call. */
  static LuaError refused(boolean positioned) {
    return positioned ? new LuaError(MESSAGE) : new Unpositioned(MESSAGE);
  }

  /**
   * An error LuaJ's interpreter leaves without a "source:line" prefix: it treats an error that
   * already has a traceback as positioned.
   */
  static final class Unpositioned extends LuaError {
    Unpositioned(String message) {
      super(message);
      this.traceback = message;
    }
  }

  /**
   * Replaces every table reachable from {@code root}'s values (library tables, and theirs) by a
   * frozen copy, keeping shared tables shared; {@code root} itself is sealed by its owner.
   */
  static void freezeValues(LuaTable root) {
    Map<LuaTable, Frozen> done = new IdentityHashMap<>();
    done.put(root, null);
    for (LuaValue key : root.keys()) {
      LuaValue value = root.rawget(key);
      if (value.istable()) {
        root.rawset(key, freeze((LuaTable) value, done));
      }
    }
  }

  /** A frozen copy of {@code table}, of the tables it holds and of its metatable. */
  static LuaTable freeze(LuaTable table) {
    return freeze(table, new IdentityHashMap<>());
  }

  /**
   * A frozen copy of {@code table} (and of the tables it holds), with a frozen metatable; a table
   * already in {@code done} maps to its copy, or to itself when it maps to null (the root).
   */
  private static LuaTable freeze(LuaTable table, Map<LuaTable, Frozen> done) {
    if (table instanceof Frozen || done.containsKey(table)) {
      Frozen known = done.get(table);
      return known == null ? table : known;
    }
    Frozen copy = new Frozen();
    done.put(table, copy);
    for (Varargs n = table.next(LuaValue.NIL); !n.arg1().isnil(); n = table.next(n.arg1())) {
      LuaValue value = n.arg(2);
      copy.rawset(n.arg1(), value.istable() ? freeze((LuaTable) value, done) : value);
    }
    LuaValue meta = table.getmetatable();
    if (meta != null && meta.istable()) {
      copy.setmetatable(freeze((LuaTable) meta, done));
    }
    copy.frozen = true;
    return copy;
  }

  /**
   * The string metatable ({@code getmetatable('')}), frozen, with {@code __index} the string lib.
   */
  static void freezeStringMetatable(LuaValue stringLibrary) {
    Frozen meta = new Frozen();
    meta.rawset(LuaValue.INDEX, stringLibrary);
    meta.frozen = true;
    LuaString.s_metatable = meta;
  }

  /** A table that refuses every write once {@link #frozen}. */
  static final class Frozen extends LuaTable {
    private boolean frozen;

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

    /**
     * table.sort moves array slots without rawset; like Redis's, it fails only if it would move.
     */
    @Override
    public void sort(LuaValue comparator) {
      if (rawlen() > 1) {
        check(false);
      }
      super.sort(comparator);
    }

    private void check(boolean positioned) {
      if (frozen) {
        throw refused(positioned);
      }
    }
  }
}
