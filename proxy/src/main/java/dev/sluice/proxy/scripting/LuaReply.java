package dev.sluice.proxy.scripting;

import dev.sluice.proxy.resp.Doubles;
import dev.sluice.proxy.resp.Reply;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;

/**
 * The {@link Reply} a command called from a script writes into: instead of bytes it builds the Lua
 * value Redis 7 hands the script, in the protocol the script chose with {@code redis.setresp}.
 *
 * <p>RESP2: integer → number, bulk → string, nil bulk and nil array → {@code false}, array → table,
 * status → {@code {ok=…}}, error → {@code {err=…}}; RESP3-only types degrade as they do on the wire
 * (map → flat array, set → array, double → string, boolean → 1/0). RESP3: null → nil, map → {@code
 * {map={…}}}, set → {@code {set={member=true}}}, double → {@code {double=n}}, boolean → boolean,
 * verbatim → {@code {verbatim_string={format=…, string=…}}}.
 */
final class LuaReply implements Reply {
  private static final LuaString OK = LuaValue.valueOf("ok");
  private static final LuaString ERR = LuaValue.valueOf("err");

  /** An aggregate being filled: its table, the slots still expected and how to place them. */
  private static final class Frame {
    final LuaTable table = new LuaTable();
    final LuaTable target; // where elements go: the table itself, or its map/set field
    final char kind; // 'a' array, 'm' map, 's' set
    int remaining;
    int index;
    LuaValue pendingKey;

    Frame(char kind, int remaining) {
      this.kind = kind;
      this.remaining = remaining;
      if (kind == 'm') {
        target = new LuaTable();
        table.set("map", target);
      } else if (kind == 's') {
        target = new LuaTable();
        table.set("set", target);
      } else {
        target = table;
      }
    }
  }

  private int protocol;
  private final ArrayDeque<Frame> stack = new ArrayDeque<>();
  private LuaValue result;
  private boolean done;

  LuaReply(int protocol) {
    this.protocol = protocol;
  }

  /** The value of the reply written so far; complete once the command returned. */
  LuaValue value() {
    return done ? result : LuaValue.FALSE;
  }

  /** Whether the command answered with an error (a table with an err field at top level). */
  boolean isError() {
    return done && result.istable() && result.rawget(ERR).isstring() && result.rawget(OK).isnil();
  }

  @Override
  public int protocol() {
    return protocol;
  }

  @Override
  public void useProtocol(int protocol) {
    // a script's protocol changes only through redis.setresp
  }

  private void add(LuaValue value) {
    Frame top = stack.peek();
    if (top == null) {
      result = value;
      done = true;
      return;
    }
    switch (top.kind) {
      case 'm' -> {
        if (top.pendingKey == null) {
          top.pendingKey = value;
          return; // a map's key alone fills no slot
        }
        top.target.set(top.pendingKey, value);
        top.pendingKey = null;
      }
      case 's' -> top.target.set(value, LuaValue.TRUE);
      default -> top.table.rawset(++top.index, value);
    }
    completed(top);
  }

  private void completed(Frame top) {
    if (--top.remaining == 0) {
      stack.pop();
      add(top.table);
    }
  }

  private void open(char kind, int length) {
    Frame frame = new Frame(kind, length);
    if (length == 0) {
      add(frame.table);
    } else {
      stack.push(frame);
    }
  }

  @Override
  public void simple(String text) {
    LuaTable t = new LuaTable();
    t.rawset(OK, LuaValue.valueOf(text));
    add(t);
  }

  @Override
  public void error(String message) {
    LuaTable t = new LuaTable();
    t.rawset(ERR, LuaValue.valueOf(message));
    add(t);
  }

  @Override
  public void integer(long value) {
    add(LuaValue.valueOf((double) value));
  }

  @Override
  public void bulk(byte[] value) {
    add(LuaString.valueOf(value));
  }

  @Override
  public void nil() {
    add(protocol == 3 ? LuaValue.NIL : LuaValue.FALSE);
  }

  @Override
  public void nilArray() {
    nil();
  }

  @Override
  public void array(int length) {
    open('a', length);
  }

  @Override
  public void map(int pairs) {
    if (protocol == 3) {
      open('m', pairs);
    } else {
      open('a', pairs * 2);
    }
  }

  @Override
  public void push(int length) {
    open('a', length);
  }

  @Override
  public void set(int length) {
    open(protocol == 3 ? 's' : 'a', length);
  }

  @Override
  public void doubleValue(double value) {
    doubleValue(value, Doubles.reply(value));
  }

  @Override
  public void doubleValue(double value, String text) {
    if (protocol == 3) {
      LuaTable t = new LuaTable();
      t.set("double", LuaValue.valueOf(value));
      add(t);
    } else {
      add(LuaValue.valueOf(text));
    }
  }

  @Override
  public void bool(boolean value) {
    if (protocol == 3) {
      add(LuaValue.valueOf(value));
    } else {
      add(LuaValue.valueOf(value ? 1 : 0));
    }
  }

  @Override
  public void verbatim(String text) {
    if (protocol == 3) {
      LuaTable inner = new LuaTable();
      inner.set("format", "txt");
      inner.set("string", LuaString.valueOf(text.getBytes(StandardCharsets.UTF_8)));
      LuaTable t = new LuaTable();
      t.set("verbatim_string", inner);
      add(t);
    } else {
      bulk(text);
    }
  }
}
