package dev.sluice.proxy.scripting;

import dev.sluice.proxy.engine.RedisError;
import dev.sluice.proxy.resp.Reply;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * Conversions between Lua values and Redis, with Redis 7's rules: a script's result as a reply,
 * {err=…} tables and Lua strings as bytes.
 */
final class LuaValues {
  private LuaValues() {}

  static String oneLine(String text) {
    return text.replace('\r', ' ').replace('\n', ' ');
  }

  static void toReply(LuaValue v, Reply r, int resp, int depth) {
    if (depth > 1000) {
      throw new RedisError("ERR reached lua stack limit");
    }
    switch (v.type()) {
      case LuaValue.TSTRING -> r.bulk(bytes(v.checkstring()));
      case LuaValue.TNUMBER -> r.integer((long) v.todouble());
      case LuaValue.TBOOLEAN -> {
        if (resp == 3) {
          r.bool(v.toboolean());
        } else if (v.toboolean()) {
          r.integer(1);
        } else {
          r.nil();
        }
      }
      case LuaValue.TTABLE -> tableToReply((LuaTable) v, r, resp, depth);
      default -> r.nil();
    }
  }

  private static void tableToReply(LuaTable t, Reply r, int resp, int depth) {
    LuaValue err = t.rawget(ScriptEngine.Lua.ERR);
    if (err.isstring()) {
      r.error(errorText(err.tojstring()));
      return;
    }
    LuaValue ok = t.rawget(ScriptEngine.Lua.OK);
    if (ok.isstring()) {
      r.simple(oneLine(ok.tojstring()));
      return;
    }
    LuaValue dbl = t.rawget("double");
    if (dbl.isnumber()) {
      r.doubleValue(dbl.todouble());
      return;
    }
    LuaValue map = t.rawget("map");
    if (map.istable()) {
      LuaTable m = (LuaTable) map;
      int pairs = 0;
      for (Varargs n = m.next(LuaValue.NIL); !n.arg1().isnil(); n = m.next(n.arg1())) {
        pairs++;
      }
      r.map(pairs);
      for (Varargs n = m.next(LuaValue.NIL); !n.arg1().isnil(); n = m.next(n.arg1())) {
        toReply(n.arg1(), r, resp, depth + 1);
        toReply(n.arg(2), r, resp, depth + 1);
      }
      return;
    }
    LuaValue set = t.rawget("set");
    if (set.istable()) {
      LuaTable s = (LuaTable) set;
      int members = 0;
      for (Varargs n = s.next(LuaValue.NIL); !n.arg1().isnil(); n = s.next(n.arg1())) {
        members++;
      }
      r.set(members);
      for (Varargs n = s.next(LuaValue.NIL); !n.arg1().isnil(); n = s.next(n.arg1())) {
        toReply(n.arg1(), r, resp, depth + 1);
      }
      return;
    }
    int length = 0;
    while (!t.rawget(length + 1).isnil()) {
      length++;
    }
    r.array(length);
    for (int i = 1; i <= length; i++) {
      toReply(t.rawget(i), r, resp, depth + 1);
    }
  }

  /** An {err=…} table's text as a reply: one line, with the ERR code added if it had none. */
  private static String errorText(String err) {
    String text = oneLine(err);
    return text.startsWith("-") ? text.substring(1) : text;
  }

  static byte[] bytes(LuaString s) {
    byte[] out = new byte[s.m_length];
    System.arraycopy(s.m_bytes, s.m_offset, out, 0, s.m_length);
    return out;
  }

  /** Redis's normalisation of an error string: "-CODE msg" keeps its code, others get ERR. */
  static LuaTable errorTable(String error) {
    String text;
    if (error.startsWith("-")) {
      int space = error.indexOf(' ');
      text = space < 0 ? "ERR " + error.substring(1) : error.substring(1);
    } else {
      text = "ERR " + error;
    }
    LuaTable t = new LuaTable();
    t.rawset(ScriptEngine.Lua.ERR, LuaValue.valueOf(oneLine(text)));
    return t;
  }
}
