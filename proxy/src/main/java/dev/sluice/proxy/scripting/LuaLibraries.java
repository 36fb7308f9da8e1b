package dev.sluice.proxy.scripting;

import org.luaj.vm2.Globals;

/** The libraries Redis gives scripts besides Lua's own: cjson, cmsgpack, struct, bit. */
final class LuaLibraries {
  private LuaLibraries() {}

  static void install(Globals globals) {}
}
