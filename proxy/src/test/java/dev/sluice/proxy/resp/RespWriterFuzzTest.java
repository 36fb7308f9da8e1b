package dev.sluice.proxy.resp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Fuzz target for the reply side of RESP: any reply tree (every RESP3 type, nested) written by
 * {@link RespWriter} in RESP3 or RESP2 is read back by an independent reader as exactly that tree
 * (RESP2 with Redis's downgrades: maps as flat arrays, sets and pushes as arrays, doubles as bulk
 * strings, booleans as integers), doubles to the same value, and nothing is left over.
 */
class RespWriterFuzzTest {
  @FuzzTest
  void write_anyReplyTree_readsBackAsTheSameTree(FuzzedDataProvider data) {
    int protocol = data.consumeBoolean() ? 3 : 2;
    List<Runnable> writes = new ArrayList<>();
    RespWriter writer = new RespWriter();
    Object expected = reply(data, writer, protocol, writes, 0);
    ByteBuf out = Unpooled.buffer();
    writer.target(out);
    writer.useProtocol(protocol);
    writes.forEach(Runnable::run);
    writer.target(null);
    byte[] bytes = new byte[out.readableBytes()];
    out.readBytes(bytes);

    Reader reader = new Reader(bytes);
    assertEquals(expected, reader.value(), () -> "protocol " + protocol);
    assertEquals(bytes.length, reader.pos, "nothing left over");
  }

  /** Adds the writes of one random reply and returns what it must read back as. */
  private static Object reply(
      FuzzedDataProvider data, RespWriter w, int protocol, List<Runnable> writes, int depth) {
    int kind = data.consumeInt(0, depth >= 3 ? 8 : 12);
    switch (kind) {
      case 0 -> {
        String text = data.consumeString(20);
        writes.add(() -> w.simple(text));
        return "+" + line(text);
      }
      case 1 -> {
        String text = data.consumeString(20);
        writes.add(() -> w.error(text));
        return "-" + line(text);
      }
      case 2 -> {
        long value = data.consumeLong();
        writes.add(() -> w.integer(value));
        return value;
      }
      case 3 -> {
        byte[] value = data.consumeBytes(data.consumeInt(0, 40));
        writes.add(() -> w.bulk(value));
        return "$" + HexFormat.of().formatHex(value);
      }
      case 4 -> {
        writes.add(w::nil);
        return protocol == 3 ? "_" : "$nil";
      }
      case 5 -> {
        writes.add(w::nilArray);
        return protocol == 3 ? "_" : "*nil";
      }
      case 6 -> {
        double value = data.consumeDouble();
        writes.add(() -> w.doubleValue(value));
        String text = Doubles.reply(value);
        return protocol == 3
            ? ",=" + Double.valueOf(value)
            : "$" + HexFormat.of().formatHex(text.getBytes(StandardCharsets.US_ASCII));
      }
      case 7 -> {
        boolean value = data.consumeBoolean();
        writes.add(() -> w.bool(value));
        return protocol == 3 ? (Object) value : (Object) (value ? 1L : 0L);
      }
      case 8 -> {
        String text = data.consumeString(20);
        writes.add(() -> w.verbatim(text));
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return protocol == 3
            ? "=txt:" + HexFormat.of().formatHex(bytes)
            : "$" + HexFormat.of().formatHex(bytes);
      }
      default -> {
        int n = data.consumeInt(0, 3);
        char type = "*%~>".charAt(kind - 9);
        int elements = type == '%' ? 2 * n : n;
        writes.add(
            () -> {
              switch (type) {
                case '*' -> w.array(n);
                case '%' -> w.map(n);
                case '~' -> w.set(n);
                default -> w.push(n);
              }
            });
        List<Object> children = new ArrayList<>();
        children.add(protocol == 3 ? String.valueOf(type) : "*");
        for (int i = 0; i < elements; i++) {
          children.add(reply(data, w, protocol, writes, depth + 1));
        }
        return children;
      }
    }
  }

  /** What a simple string or error line carries: CR and LF become spaces, as the writer says. */
  private static String line(String text) {
    return text.replace('\r', ' ').replace('\n', ' ');
  }

  /** A RESP2/RESP3 reader written from the protocol description, independent of the writer. */
  private static final class Reader {
    private final byte[] in;
    private int pos;

    Reader(byte[] in) {
      this.in = in;
    }

    Object value() {
      char type = (char) in[pos++];
      String line = readLine();
      return switch (type) {
        case '+', '-' -> type + line;
        case ':' -> Long.parseLong(line);
        case '_' -> "_";
        case '#' -> line.equals("t");
        case ',' -> ",=" + parseDouble(line);
        case '$' -> line.equals("-1") ? "$nil" : "$" + HexFormat.of().formatHex(bytes(line));
        case '=' -> {
          byte[] b = bytes(line);
          yield "="
              + new String(b, 0, 4, StandardCharsets.US_ASCII)
              + HexFormat.of().formatHex(b, 4, b.length);
        }
        case '*', '%', '~', '>' -> {
          if (line.equals("-1")) {
            yield "*nil";
          }
          int n = Integer.parseInt(line) * (type == '%' ? 2 : 1);
          List<Object> children = new ArrayList<>();
          children.add(String.valueOf(type));
          for (int i = 0; i < n; i++) {
            children.add(value());
          }
          yield children;
        }
        default -> throw new AssertionError("unknown type byte " + (int) type + " at " + (pos - 1));
      };
    }

    private static Double parseDouble(String text) {
      return switch (text) {
        case "inf" -> Double.POSITIVE_INFINITY;
        case "-inf" -> Double.NEGATIVE_INFINITY;
        case "nan" -> Double.NaN;
        default -> Double.valueOf(text);
      };
    }

    private byte[] bytes(String length) {
      int n = Integer.parseInt(length);
      byte[] b = java.util.Arrays.copyOfRange(in, pos, pos + n);
      pos += n;
      if (in[pos++] != '\r' || in[pos++] != '\n') {
        throw new AssertionError("bulk not ended by CRLF at " + pos);
      }
      return b;
    }

    private String readLine() {
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      while (in[pos] != '\r') {
        if (in[pos] == '\n') {
          throw new AssertionError("bare LF in a line at " + pos);
        }
        line.write(in[pos++]);
      }
      if (in[pos + 1] != '\n') {
        throw new AssertionError("CR without LF at " + pos);
      }
      pos += 2;
      return line.toString(StandardCharsets.UTF_8);
    }
  }
}
