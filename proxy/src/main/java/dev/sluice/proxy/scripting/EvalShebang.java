package dev.sluice.proxy.scripting;

import dev.sluice.proxy.engine.RedisError;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;

/**
 * The {@code #!lua flags=…} line an EVAL script may start with, read as Redis 7's
 * evalExtractShebangFlags reads it. A script without one runs in compatibility mode (Redis 6's
 * rules); one with it runs with exactly the flags it declares.
 *
 * @param compat no shebang: the script may write unless run by a read-only command
 * @param flags the declared flags (none in compatibility mode)
 * @param length the bytes of the shebang line before its newline, which the compiled chunk skips
 *     (the newline stays, so that line numbers are the user's)
 */
record EvalShebang(boolean compat, EnumSet<ScriptFlag> flags, int length) {

  private static final EvalShebang COMPAT =
      new EvalShebang(true, EnumSet.noneOf(ScriptFlag.class), 0);

  /** The body's shebang; a malformed one is refused with Redis's error. */
  static EvalShebang of(byte[] body) {
    if (body.length < 2 || body[0] != '#' || body[1] != '!') {
      return COMPAT;
    }
    int end = 0;
    while (end < body.length && body[end] != '\n') {
      end++;
    }
    if (end == body.length) {
      throw new RedisError("ERR Invalid script shebang");
    }
    String[] parts =
        new String(body, 0, end, StandardCharsets.ISO_8859_1).strip().split("[ \t\r\n\f\u000b]+");
    if (!parts[0].equals("#!lua")) {
      throw new RedisError("ERR Unexpected engine in script shebang: " + parts[0]);
    }
    EnumSet<ScriptFlag> flags = EnumSet.noneOf(ScriptFlag.class);
    for (int i = 1; i < parts.length; i++) {
      if (!parts[i].startsWith("flags=")) {
        throw new RedisError("ERR Unknown lua shebang option: " + parts[i]);
      }
      for (String name : parts[i].substring(6).split(",", -1)) {
        // Redis splits "flags=" into no names at all, but "a,,b" into an empty one
        if (name.isEmpty() && parts[i].length() == 6) {
          continue;
        }
        ScriptFlag flag = ScriptFlag.exactly(name);
        if (flag == null) {
          throw new RedisError("ERR Unexpected flag in script shebang: " + name);
        }
        flags.add(flag);
      }
    }
    return new EvalShebang(false, flags, end);
  }

  /** Whether the script promised not to write (EVAL_RO may run it; writes inside it fail). */
  boolean noWrites() {
    return flags.contains(ScriptFlag.NO_WRITES);
  }
}
