package dev.sluice.proxy.conn;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * CLIENT REPLY OFF and SKIP: what is left of a completed command's reply. Redis drops it but for
 * pub/sub pushes (its CLIENT_PUSHING), which it sends anyway: in RESP3 the top-level {@code >}
 * frames (subscription confirmations, messages a command delivered to its own client), in RESP2 the
 * whole reply of the subscribe family, which is nothing but pushes there.
 */
final class DroppedReplies {
  private static final Set<String> PUSH_AS_REPLY =
      Set.of(
          "subscribe", "unsubscribe", "psubscribe", "punsubscribe", "ssubscribe", "sunsubscribe");

  private DroppedReplies() {}

  /**
   * Drops the reply written into {@code out} from {@code mark}, keeping its pushes.
   *
   * @param args the command, or null for one that cannot be of the subscribe family
   */
  static void drop(ByteBuf out, int mark, int protocol, byte[][] args) {
    if (protocol == 3) {
      int kept = mark;
      int frame = mark;
      while (frame < out.writerIndex()) {
        int end = end(out, frame);
        if (out.getByte(frame) == '>') {
          out.setBytes(kept, out, frame, end - frame);
          kept += end - frame;
        }
        frame = end;
      }
      out.writerIndex(kept);
    } else if (args == null || !pushAsReply(args[0])) {
      out.writerIndex(mark);
    }
  }

  private static boolean pushAsReply(byte[] name) {
    return name.length <= 12
        && PUSH_AS_REPLY.contains(
            new String(name, StandardCharsets.US_ASCII).toLowerCase(java.util.Locale.ROOT));
  }

  /** Where the RESP frame starting at {@code at} ends. */
  private static int end(ByteBuf out, int at) {
    long frames = 1;
    int i = at;
    while (frames > 0) {
      frames--;
      byte type = out.getByte(i);
      int eol = out.indexOf(i, out.writerIndex(), (byte) '\r');
      long n =
          type == '+'
                  || type == '-'
                  || type == ':'
                  || type == ','
                  || type == '#'
                  || type == '_'
                  || type == '('
              ? 0
              : Long.parseLong(out.toString(i + 1, eol - i - 1, StandardCharsets.US_ASCII));
      i = eol + 2;
      switch (type) {
        case '$', '=', '!' -> i += n < 0 ? 0 : (int) n + 2;
        case '*', '~', '>' -> frames += Math.max(n, 0);
        case '%', '|' -> frames += 2 * Math.max(n, 0);
        default -> {}
      }
    }
    return i;
  }
}
