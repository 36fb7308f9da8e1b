package dev.sluice.proxy.scripting;

import java.lang.reflect.Field;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaValue;

/**
 * Lua errors as Redis shows them: positions written as Lua 5.1 writes them, and the one-line text
 * of a script that raised an error, with the script and where.
 */
final class LuaErrorText {
  private LuaErrorText() {}

  /** LuaJ keeps an error's "chunk:line" in a private field; read once the first error needs it. */
  private static final class FileLine {
    static final Field FIELD;

    static {
      try {
        FIELD = LuaError.class.getDeclaredField("fileline");
        FIELD.setAccessible(true);
      } catch (NoSuchFieldException e) {
        throw new ExceptionInInitializerError(e);
      }
    }
  }

  /**
   * Redis 7's text for a script that raised an error: the error ({@code errorText} for a plain Lua
   * error), the script, where.
   */
  static String scriptError(
      LuaError e, UnaryOperator<String> errorText, String sha, String chunk, int line) {
    LuaValue object = e.getMessageObject();
    String message;
    if (object != null && object.istable() && object.rawget(ScriptEngine.Lua.ERR).isstring()) {
      message = object.rawget(ScriptEngine.Lua.ERR).tojstring();
    } else {
      message = "ERR " + errorText.apply(e.getMessage());
    }
    String where = fileline(e);
    if (where == null || where.endsWith(":?")) {
      where = chunk + ":" + line;
    }
    return LuaValues.oneLine(message) + " script: " + sha + ", on " + where + ".";
  }

  private static String fileline(LuaError e) {
    try {
      Object where = FileLine.FIELD.get(e);
      return where == null ? null : where.toString();
    } catch (IllegalAccessException ex) {
      return null;
    }
  }

  /** Where LuaJ's position of a chunk ends: its line and a space. */
  private static final Pattern POSITION = Pattern.compile(":(\\d+|\\?) ");

  /**
   * LuaJ writes a position as "@user_script:3 message"; Lua 5.1, and so Redis, as "user_script:3:
   * message". Chunks of load and loadstring are named "@" and Lua 5.1's chunk id, so their
   * positions read the same way.
   */
  static String plainMessage(String message) {
    if (message == null) {
      return "";
    }
    String m = message.strip();
    if (m.startsWith("@")) {
      // a loadstring chunk's name is its source, which may hold ":1 " itself
      int from = m.startsWith("@[string \"") ? Math.max(m.indexOf("\"]:"), 0) : 0;
      Matcher position = POSITION.matcher(m);
      if (position.find(from)) {
        int space = position.end() - 1;
        m = m.substring(1, space) + ":" + m.substring(space);
      }
    }
    return m;
  }
}
