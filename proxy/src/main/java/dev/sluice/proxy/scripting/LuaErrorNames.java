package dev.sluice.proxy.scripting;

import org.luaj.vm2.Globals;
import org.luaj.vm2.Lua;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Prototype;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

/**
 * Lua 5.1's texts for the interpreter's type errors: {@code attempt to index local 'a' (a nil
 * value)} where LuaJ says {@code attempt to index ? (a nil value)}, {@code attempt to perform
 * arithmetic on field 'x' (a nil value)} for its {@code attempt to perform arithmetic __add on nil
 * and number}, and so on for calls, concatenation and length. Installed as the Lua thread's error
 * function, which LuaJ's interpreter calls with the positioned message where an error happens; the
 * failing instruction, its frame's registers and the variable names (Lua 5.1's getobjname, on
 * LuaJ's Lua 5.2 bytecode) come from the {@link Watchdog}.
 */
final class LuaErrorNames extends VarArgFunction {
  private final Watchdog watchdog;

  private LuaErrorNames(Watchdog watchdog) {
    this.watchdog = watchdog;
  }

  /** Makes {@code globals}' Lua thread name its errors' operands. */
  static void install(Globals globals, Watchdog watchdog) {
    globals.running.errorfunc = new LuaErrorNames(watchdog);
  }

  private static final java.util.regex.Pattern COMPARE =
      java.util.regex.Pattern.compile("attempt to compare __l[te] on (\\S+) and (\\S+)");
  private static final java.util.regex.Pattern TYPE_LAST =
      java.util.regex.Pattern.compile("attempt to (call|get length of) (\\S+)");

  @Override
  public Varargs invoke(Varargs args) {
    String message = args.arg1().tojstring();
    int at = message.indexOf(" attempt to ");
    if (at < 0) {
      at = message.indexOf(" index expected, got ");
    }
    if (at < 0) {
      return args.arg1();
    }
    String renamed = rename(message.substring(at + 1), watchdog.site());
    return renamed == null ? args.arg1() : LuaValue.valueOf(message.substring(0, at + 1) + renamed);
  }

  /**
   * An error LuaJ raised outside the function that caused it — a tail call ({@code return f()}) of
   * something not callable — renamed and positioned as Lua 5.1 has it; other messages as they are.
   */
  static String tailCall(String message, Watchdog watchdog) {
    if (!message.startsWith("attempt to call ")) {
      return message;
    }
    Watchdog.Site site = watchdog.tailCallSite();
    String renamed = rename(message, site);
    if (site == null || renamed == null) {
      return renamed == null ? message : renamed;
    }
    Prototype p = site.prototype();
    if (p.source == null || p.lineinfo == null || site.pc() >= p.lineinfo.length) {
      return renamed;
    }
    String source = p.source.tojstring();
    int line = p.lineinfo[site.pc()];
    return (source.startsWith("@") ? source.substring(1) : source) + ":" + line + ": " + renamed;
  }

  /** Lua 5.1's text for LuaJ's {@code error}, or null to keep it. */
  private static String rename(String error, Watchdog.Site site) {
    if (error.startsWith("attempt to compare ") && site != null) {
      int i = site.prototype().code[site.pc()];
      int op = Lua.GET_OPCODE(i);
      if (op == Lua.OP_LT || op == Lua.OP_LE) {
        return orderError(site.rk(Lua.GETARG_B(i)).typename(), site.rk(Lua.GETARG_C(i)).typename());
      }
    }
    java.util.regex.Matcher compare = COMPARE.matcher(error);
    if (compare.matches()) {
      return orderError(compare.group(1), compare.group(2));
    }
    String named = site == null ? null : renameAt(error, site);
    if (named != null) {
      return named;
    }
    // not where it happened: Lua 5.1's text without a name
    java.util.regex.Matcher typeLast = TYPE_LAST.matcher(error);
    if (typeLast.matches()) {
      return "attempt to " + typeLast.group(1) + " a " + typeLast.group(2) + " value";
    }
    if (error.startsWith("attempt to index ? (a ")) {
      return "attempt to index a "
          + error.substring("attempt to index ? (a ".length(), error.length() - 1);
    }
    return null;
  }

  /** luaG_ordererror's text. */
  private static String orderError(String left, String right) {
    return left.equals(right)
        ? "attempt to compare two " + left + " values"
        : "attempt to compare " + left + " with " + right;
  }

  private static String renameAt(String error, Watchdog.Site site) {
    int i = site.prototype().code[site.pc()];
    int op = Lua.GET_OPCODE(i);
    int a = Lua.GETARG_A(i);
    int b = Lua.GETARG_B(i);
    int c = Lua.GETARG_C(i);
    if (error.startsWith("attempt to index ? ") || error.startsWith("index expected, got ")) {
      return switch (op) {
        case Lua.OP_GETTABLE, Lua.OP_SELF -> typeError(site, b, "index");
        case Lua.OP_SETTABLE -> typeError(site, a, "index");
        case Lua.OP_GETTABUP -> upvalueError(site, b, "index");
        case Lua.OP_SETTABUP -> upvalueError(site, a, "index");
        default -> null;
      };
    }
    if (error.startsWith("attempt to perform arithmetic")) {
      if (op == Lua.OP_UNM) {
        return typeError(site, b, "perform arithmetic on");
      }
      if (op < Lua.OP_ADD || op > Lua.OP_POW) {
        return null;
      }
      // as luaG_aritherror: the first operand unless it is a number, then the second
      return site.rk(b).tonumber().isnil()
          ? operandError(site, b, "perform arithmetic on")
          : operandError(site, c, "perform arithmetic on");
    }
    if (error.startsWith("attempt to concatenate ") && op == Lua.OP_CONCAT) {
      return typeError(site, concatCulprit(site, b, c), "concatenate");
    }
    if (error.startsWith("attempt to call ")
        && (op == Lua.OP_CALL || op == Lua.OP_TAILCALL)
        && !site.register(a).isfunction()) {
      return typeError(site, a, "call");
    }
    if (error.startsWith("attempt to get length of ") && op == Lua.OP_LEN) {
      return typeError(site, b, "get length of");
    }
    return null;
  }

  /**
   * The register luaV_concat blames: it joins from the right, so the rightmost value that is
   * neither string nor number, or the one before it when that one is not either.
   */
  private static int concatCulprit(Watchdog.Site site, int first, int last) {
    int bad = last;
    while (bad > first && isText(site.register(bad))) {
      bad--;
    }
    if (bad == last && bad > first && !isText(site.register(bad - 1))) {
      return bad - 1;
    }
    return bad;
  }

  private static boolean isText(LuaValue v) {
    return v.type() == LuaValue.TSTRING || v.type() == LuaValue.TNUMBER;
  }

  private static String operandError(Watchdog.Site site, int rk, String what) {
    return Lua.ISK(rk)
        ? "attempt to " + what + " a " + site.rk(rk).typename() + " value"
        : typeError(site, rk, what);
  }

  private static String typeError(Watchdog.Site site, int register, String what) {
    String type = site.register(register).typename();
    String[] name = objectName(site.prototype(), site.pc(), register);
    return name == null
        ? "attempt to " + what + " a " + type + " value"
        : "attempt to " + what + " " + name[0] + " '" + name[1] + "' (a " + type + " value)";
  }

  private static String upvalueError(Watchdog.Site site, int upvalue, String what) {
    return "attempt to "
        + what
        + " upvalue '"
        + upvalueName(site.prototype(), upvalue)
        + "' (a nil value)";
  }

  /** Lua 5.1's getobjname: what the register holds, {kind, name}, or null if nothing known. */
  private static String[] objectName(Prototype p, int pc, int register) {
    LuaString local = p.getlocalname(register + 1, pc);
    if (local != null) {
      return new String[] {"local", local.tojstring()};
    }
    int setter = findSetter(p, pc, register);
    if (setter < 0) {
      return null;
    }
    int i = p.code[setter];
    switch (Lua.GET_OPCODE(i)) {
      case Lua.OP_MOVE:
        return Lua.GETARG_B(i) < Lua.GETARG_A(i) ? objectName(p, setter, Lua.GETARG_B(i)) : null;
      case Lua.OP_GETTABUP:
        return "_ENV".equals(upvalueName(p, Lua.GETARG_B(i)))
            ? new String[] {"global", constantName(p, Lua.GETARG_C(i))}
            : new String[] {"field", constantName(p, Lua.GETARG_C(i))};
      case Lua.OP_GETTABLE:
        return new String[] {"field", constantName(p, Lua.GETARG_C(i))};
      case Lua.OP_GETUPVAL:
        return new String[] {"upvalue", upvalueName(p, Lua.GETARG_B(i))};
      case Lua.OP_SELF:
        return new String[] {"method", constantName(p, Lua.GETARG_C(i))};
      default:
        return null;
    }
  }

  /** Lua 5.2's findsetreg: the last instruction before {@code lastpc} that set the register. */
  private static int findSetter(Prototype p, int lastpc, int register) {
    int setter = -1;
    for (int pc = 0; pc < lastpc; pc++) {
      int i = p.code[pc];
      int op = Lua.GET_OPCODE(i);
      int a = Lua.GETARG_A(i);
      switch (op) {
        case Lua.OP_LOADNIL -> {
          if (a <= register && register <= a + Lua.GETARG_B(i)) {
            setter = pc;
          }
        }
        case Lua.OP_TFORCALL -> {
          if (register >= a + 2) {
            setter = pc;
          }
        }
        case Lua.OP_CALL, Lua.OP_TAILCALL -> {
          if (register >= a) {
            setter = pc;
          }
        }
        case Lua.OP_JMP -> {
          int dest = pc + 1 + Lua.GETARG_sBx(i);
          if (pc < dest && dest <= lastpc) {
            pc = dest - 1;
          }
        }
        default -> {
          if (Lua.testAMode(op) && register == a) {
            setter = pc;
          }
        }
      }
    }
    return setter;
  }

  /** Lua 5.1's kname: a string constant's text, else "?". */
  private static String constantName(Prototype p, int rk) {
    if (Lua.ISK(rk)) {
      LuaValue k = p.k[Lua.INDEXK(rk)];
      if (k.type() == LuaValue.TSTRING) {
        return k.tojstring();
      }
    }
    return "?";
  }

  private static String upvalueName(Prototype p, int index) {
    return p.upvalues != null && index < p.upvalues.length && p.upvalues[index].name != null
        ? p.upvalues[index].name.tojstring()
        : "?";
  }
}
