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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Fuzz target for the reply side of RESP: any reply tree (every RESP3 type, nested) written by
 * {@link RespWriter} in RESP3 or RESP2 is read back by an independent reader as exactly that tree
 * (RESP2 with Redis's downgrades: maps as flat arrays, sets and pushes as arrays, doubles as bulk
 * strings, booleans as integers), doubles to the same value (in RESP2 too: the bulk string is
 * parsed back, not compared with the writer's own formatting), and nothing is left over.
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
    assertEquals(expected, readDoubles(expected, reader.value()), () -> "protocol " + protocol);
    assertEquals(bytes.length, reader.pos, "nothing left over");
  }

  /**
   * A double in RESP2, where it is a bulk string: the text a client parses back, not the text the
   * writer's formatter made, is compared, so a formatter that prints a wrong or unparsable number
   * fails.
   */
  @ParameterizedTest
  @ValueSource(
      doubles = {
        0.0,
        -0.0,
        1,
        -3,
        1.5,
        -2.25,
        0.1,
        1.0 / 3,
        1e20,
        1.5e-7,
        123456.789,
        0x1p62,
        0x1p63,
        Double.MAX_VALUE,
        Double.MIN_VALUE,
        -Double.MIN_NORMAL,
        Double.NaN,
        Double.POSITIVE_INFINITY,
        Double.NEGATIVE_INFINITY
      })
  void write_doubleInResp2_readsBackAsTheSameValue(double value) {
    RespWriter writer = new RespWriter();
    ByteBuf out = Unpooled.buffer();
    writer.target(out);
    writer.useProtocol(2);
    writer.doubleValue(value);
    writer.target(null);
    byte[] bytes = new byte[out.readableBytes()];
    out.readBytes(bytes);

    Reader reader = new Reader(bytes);
    assertEquals(new Resp2Double(value), readDoubles(new Resp2Double(value), reader.value()));
    assertEquals(bytes.length, reader.pos, "nothing left over");
  }

  /** What a double written in RESP2 must read back as: a bulk string of this value. */
  private record Resp2Double(double value) {}

  /**
   * {@code actual} with each bulk string that stands where {@code expected} has a {@link
   * Resp2Double} parsed as a double, as a RESP2 client reads it (or said not to be one).
   */
  private static Object readDoubles(Object expected, Object actual) {
    if (expected instanceof Resp2Double
        && actual instanceof String bulk
        && bulk.startsWith("$")
        && !bulk.equals("$nil")) {
      String text = new String(HexFormat.of().parseHex(bulk.substring(1)), StandardCharsets.UTF_8);
      return Reader.isDouble(text)
          ? new Resp2Double(Reader.parseDouble(text))
          : "a bulk string that is no double: '" + text + "'";
    }
    if (expected instanceof List<?> e && actual instanceof List<?> a && e.size() == a.size()) {
      List<Object> out = new ArrayList<>(a.size());
      for (int i = 0; i < a.size(); i++) {
        out.add(readDoubles(e.get(i), a.get(i)));
      }
      return out;
    }
    return actual;
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
        return protocol == 3 ? ",=" + Double.valueOf(value) : new Resp2Double(value);
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

    /**
     * Redis's form of a double: "inf", "-inf", "nan", or decimal digits with an optional fraction
     * and exponent, no leading zeros, no '+' but the exponent's.
     */
    private static final java.util.regex.Pattern DOUBLE =
        java.util.regex.Pattern.compile("-?inf|nan|-?(0|[1-9][0-9]*)(\\.[0-9]+)?(e[-+][0-9]+)?");

    static boolean isDouble(String text) {
      return DOUBLE.matcher(text).matches();
    }

    static Double parseDouble(String text) {
      if (!isDouble(text)) {
        throw new AssertionError("not a double as Redis writes one: " + text);
      }
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
