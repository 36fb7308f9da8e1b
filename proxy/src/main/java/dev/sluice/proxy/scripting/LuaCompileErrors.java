package dev.sluice.proxy.scripting;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Prototype;
import org.luaj.vm2.compiler.FuncState;
import org.luaj.vm2.compiler.LexState;

/**
 * Lua 5.1's compile-error texts: LuaJ's lexer drops the {@code near '<token>'} Lua adds to every
 * syntax error, writes {@code unexpected symbol 43 (+)} and words two errors as Lua 5.2 does. A
 * chunk that failed to compile is parsed once more, LuaJ's parser driven through reflection as
 * {@code LuaC} drives it, to read the token the parser stopped at (LuaJ 3.0.1's {@code LexState}
 * keeps it in package-private fields). Only on errors; without those fields (another LuaJ) the
 * message stays LuaJ's.
 */
final class LuaCompileErrors {
  private static final Pattern POSITIONED = Pattern.compile("(?s)(.*?:\\d+: )(.*)");
  private static final Pattern UNEXPECTED = Pattern.compile("unexpected symbol \\d+ \\(.*\\)");
  private static final Pattern BREAK = Pattern.compile("no visible label 'break' for <goto>.*");
  private static final int EOZ = -1;

  private static final Reflection REFLECTION = Reflection.load();

  private LuaCompileErrors() {}

  /** LuaJ's parser internals, or null where this LuaJ has not got them. */
  private record Reflection(
      Constructor<?> compileState,
      Constructor<?> lexState,
      Constructor<?> funcState,
      Field fs,
      Field f,
      Field t,
      Field token,
      Field current,
      Field buff,
      Field nbuff,
      Method setinput,
      Method txtToken) {

    static Reflection load() {
      try {
        Class<?> compileStateClass = Class.forName("org.luaj.vm2.compiler.LuaC$CompileState");
        Class<?> tokenClass = Class.forName("org.luaj.vm2.compiler.LexState$Token");
        Reflection r =
            new Reflection(
                compileStateClass.getDeclaredConstructor(),
                LexState.class.getDeclaredConstructor(compileStateClass, InputStream.class),
                FuncState.class.getDeclaredConstructor(),
                LexState.class.getDeclaredField("fs"),
                FuncState.class.getDeclaredField("f"),
                LexState.class.getDeclaredField("t"),
                tokenClass.getDeclaredField("token"),
                LexState.class.getDeclaredField("current"),
                LexState.class.getDeclaredField("buff"),
                LexState.class.getDeclaredField("nbuff"),
                LexState.class.getDeclaredMethod(
                    "setinput", compileStateClass, int.class, InputStream.class, LuaString.class),
                LexState.class.getDeclaredMethod("txtToken", int.class));
        for (java.lang.reflect.AccessibleObject o :
            new java.lang.reflect.AccessibleObject[] {
              r.compileState,
              r.lexState,
              r.funcState,
              r.fs,
              r.f,
              r.t,
              r.token,
              r.current,
              r.buff,
              r.nbuff,
              r.setinput,
              r.txtToken
            }) {
          o.setAccessible(true);
        }
        return r;
      } catch (ReflectiveOperationException | RuntimeException e) {
        return null;
      }
    }
  }

  /**
   * Lua 5.1's text for {@code message}, LuaJ's error compiling {@code source} (from {@code offset})
   * as chunk {@code chunkname}; {@code message} itself if it cannot tell.
   */
  static String explain(String message, byte[] source, int offset, String chunkname) {
    Matcher m = POSITIONED.matcher(message);
    if (REFLECTION == null || !m.matches()) {
      return message;
    }
    String error = m.group(2).strip();
    if (UNEXPECTED.matcher(error).matches()) {
      error = "unexpected symbol";
    } else if (error.equals("syntax error")) {
      // Lua 5.1's exprstat: a statement that is no call must be an assignment
      error = "'=' expected";
    } else if (BREAK.matcher(error).matches()) {
      error = "no loop to break";
    } else if (!takesToken(error)) {
      return message;
    }
    String near = near(error, source, offset, chunkname);
    return near == null ? message : m.group(1) + error + " near '" + near + "'";
  }

  private static boolean takesToken(String error) {
    return error.endsWith(" expected")
        || error.contains(" expected (to close ")
        || error.startsWith("unfinished ")
        || error.equals("malformed number");
  }

  /** The token the parser stopped at, as Lua 5.1's txtToken writes it; null if unknown. */
  private static String near(String error, byte[] source, int offset, String chunkname) {
    Reflection r = REFLECTION;
    try {
      InputStream in = new ByteArrayInputStream(source, offset, source.length - offset);
      Object compileState = r.compileState.newInstance();
      LexState lexer = (LexState) r.lexState.newInstance(compileState, in);
      FuncState function = (FuncState) r.funcState.newInstance();
      r.fs.set(lexer, function);
      LuaString name = LuaValue.valueOf(chunkname);
      r.setinput.invoke(lexer, compileState, in.read(), in, name);
      Prototype main = new Prototype();
      main.source = name;
      r.f.set(function, main);
      try {
        lexer.mainfunc(function);
        return null;
      } catch (LuaError e) {
        // where it stopped: below
      }
      if (error.startsWith("unfinished long")) {
        return "<eof>";
      }
      if (error.equals("unfinished string")) {
        return r.current.getInt(lexer) == EOZ ? "<eof>" : buffer(r, lexer);
      }
      if (error.equals("malformed number")) {
        return buffer(r, lexer);
      }
      int token = r.token.getInt(r.t.get(lexer));
      String text = token == 0 ? "<eos>" : (String) r.txtToken.invoke(lexer, token);
      // Lua 5.2's name for the end, and the terminator 5.2's lexer counts in the buffer
      int nul = text.indexOf('\0');
      text = nul < 0 ? text : text.substring(0, nul);
      return text.equals("<eos>") ? "<eof>" : text;
    } catch (ReflectiveOperationException | java.io.IOException | RuntimeException e) {
      return null;
    }
  }

  private static String buffer(Reflection r, LexState lexer) throws IllegalAccessException {
    return new String((char[]) r.buff.get(lexer), 0, r.nbuff.getInt(lexer));
  }
}
