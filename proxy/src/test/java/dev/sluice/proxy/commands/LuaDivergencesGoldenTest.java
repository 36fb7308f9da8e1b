package dev.sluice.proxy.commands;

import dev.sluice.proxy.testing.RecordedRepliesTest;

/**
 * Lua as redis-server 7 runs it ({@code golden/lua-divergences.json}, replayed as {@link
 * RecordedRepliesTest} says): shebang flags of EVAL scripts, {@code redis.error_reply}/{@code
 * status_reply}, {@code pcall} of error tables, {@code redis.setresp}/{@code set_repl}/{@code
 * replicate_commands}, SELECT inside a script, {@code cjson} numbers, {@code bit}, the Lua 5.1
 * library ({@code table.getn}, {@code math.mod}, {@code loadstring}, no {@code table.unpack}) and
 * Lua 5.1's text of numbers in {@code tostring}, concatenation and {@code string.format} — each a
 * place where LuaJ's Lua 5.2 answered differently.
 */
class LuaDivergencesGoldenTest extends RecordedRepliesTest {
  LuaDivergencesGoldenTest() {
    super("lua-divergences");
  }
}
