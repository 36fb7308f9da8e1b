package dev.sluice.proxy.scripting;

import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaValue;

/**
 * The globals table ({@code _G}) of the script sandbox: once {@link #seal sealed} it refuses every
 * write as a {@link ReadOnlyTables.Frozen} table does, except the {@code KEYS} and {@code ARGV}
 * that the engine sets for each run (LuaJ's {@link Globals} is a class of its own, so it cannot be
 * a frozen copy).
 */
final class SandboxGlobals extends Globals {
  private static final LuaValue KEYS = LuaValue.valueOf("KEYS");
  private static final LuaValue ARGV = LuaValue.valueOf("ARGV");

  private boolean sealed;

  void seal() {
    sealed = true;
  }

  /** Sets KEYS and ARGV for the next run (nil after it), the only writes a sealed state takes. */
  void arguments(LuaValue keys, LuaValue argv) {
    sealed = false;
    try {
      super.rawset(KEYS, keys);
      super.rawset(ARGV, argv);
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

  @Override
  public void sort(LuaValue comparator) {
    if (rawlen() > 1) {
      check(false);
    }
    super.sort(comparator);
  }

  private void check(boolean positioned) {
    if (sealed) {
      throw ReadOnlyTables.refused(positioned);
    }
  }
}
