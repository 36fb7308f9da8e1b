package dev.sluice.proxy.engine;

import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;

/**
 * The clients in MONITOR mode and the line each executed command becomes for them, as Redis's
 * replicationFeedMonitors writes it: {@code +<seconds>.<micros> [<db> <client address>] "arg" …}
 * with every argument quoted as sdscatrepr quotes it, {@code lua} as the address of a command a
 * script ran. Commands flagged admin or skip_monitor are not shown, nor a command that is about to
 * run again (blocked, waiting for a load or a pause).
 */
public final class Monitors {
  private final Set<Session> watching = new CopyOnWriteArraySet<>();

  /** MONITOR: whether the session started monitoring now (false: it already was). */
  public boolean add(Session session) {
    return watching.add(session);
  }

  /** The client left monitor mode (RESET) or went away. */
  public void remove(Session session) {
    watching.remove(session);
  }

  boolean any() {
    return !watching.isEmpty();
  }

  void feed(long micros, int db, String client, byte[][] args) {
    StringBuilder line = new StringBuilder(64);
    line.append(micros / 1_000_000).append('.');
    String fraction = Long.toString(micros % 1_000_000);
    line.append("0".repeat(6 - fraction.length())).append(fraction);
    line.append(" [").append(db).append(' ').append(client).append(']');
    for (byte[] arg : args) {
      line.append(' ');
      quote(line, arg);
    }
    String text = line.toString();
    for (Session session : watching) {
      session.deliver(reply -> reply.simple(text));
    }
  }

  /** sdscatrepr: printable ASCII as is, the usual escapes, anything else as \xhh. */
  static void quote(StringBuilder out, byte[] arg) {
    out.append('"');
    for (byte b : arg) {
      int c = b & 0xff;
      switch (c) {
        case '\\' -> out.append("\\\\");
        case '"' -> out.append("\\\"");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case 7 -> out.append("\\a");
        case '\b' -> out.append("\\b");
        default -> {
          if (c >= 0x20 && c < 0x7f) {
            out.append((char) c);
          } else {
            out.append(String.format("\\x%02x", c));
          }
        }
      }
    }
    out.append('"');
  }
}
