package dev.sluice.proxy.resp;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/** Encodes replies straight into an outbound buffer, in the client's protocol version. */
public final class RespWriter implements Reply {
  private static final byte[] CRLF = {'\r', '\n'};
  private static final byte[] NIL2 = "$-1\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] NIL_ARRAY2 = "*-1\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] NIL3 = "_\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] OK = "+OK\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] LONG_MIN_DIGITS =
      Long.toString(Long.MIN_VALUE).substring(1).getBytes(StandardCharsets.US_ASCII);
  private static final int CACHED_INTEGERS = 1024;
  private static final byte[][] INTEGERS = new byte[CACHED_INTEGERS][];
  private static final byte[][] ARRAY_HEADERS = new byte[CACHED_INTEGERS][];
  private static final byte[][] BULK_HEADERS = new byte[CACHED_INTEGERS][];

  static {
    for (int i = 0; i < CACHED_INTEGERS; i++) {
      INTEGERS[i] = (":" + i + "\r\n").getBytes(StandardCharsets.US_ASCII);
      ARRAY_HEADERS[i] = ("*" + i + "\r\n").getBytes(StandardCharsets.US_ASCII);
      BULK_HEADERS[i] = ("$" + i + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }
  }

  private ByteBuf out;
  private int protocol = 2;
  // the last stream ID written: its millisecond's digits and a dash, then the sequence's
  private final byte[] streamId = new byte[41];
  // a header line: type, sign, up to 19 digits, CRLF
  private final byte[] headerLine = new byte[23];
  private long streamIdMillis = -1;
  private int streamIdPrefix;

  /** Points the writer at the buffer of the current read burst. */
  public void target(ByteBuf out) {
    this.out = out;
  }

  /** Whether the writer points at a buffer, i.e. its connection's replies are being written. */
  public boolean hasTarget() {
    return out != null;
  }

  @Override
  public void useProtocol(int protocol) {
    this.protocol = protocol;
  }

  @Override
  public int protocol() {
    return protocol;
  }

  @Override
  public void simple(String text) {
    if (text.equals("OK")) {
      out.writeBytes(OK);
      return;
    }
    out.writeByte('+');
    writeLine(text);
  }

  @Override
  public void error(String message) {
    out.writeByte('-');
    writeLine(message);
  }

  /** Writes text and CRLF; CR and LF inside would break framing, so they become spaces. */
  private void writeLine(String text) {
    int start = out.writerIndex();
    out.writeCharSequence(text, StandardCharsets.UTF_8);
    for (int i = start; i < out.writerIndex(); i++) {
      byte b = out.getByte(i);
      if (b == '\r' || b == '\n') {
        out.setByte(i, ' ');
      }
    }
    out.writeBytes(CRLF);
  }

  @Override
  public void integer(long value) {
    if (value >= 0 && value < CACHED_INTEGERS) {
      out.writeBytes(INTEGERS[(int) value]);
    } else {
      header(':', value);
    }
  }

  @Override
  public void bulk(byte[] value) {
    if (value.length < CACHED_INTEGERS) {
      out.ensureWritable(BULK_HEADERS[value.length].length + value.length + 2);
      out.writeBytes(BULK_HEADERS[value.length]);
    } else {
      header('$', value.length);
    }
    out.writeBytes(value);
    out.writeBytes(CRLF);
  }

  @Override
  public void streamId(long millis, long sequence) {
    byte[] id = streamId;
    if (millis != streamIdMillis) {
      // the IDs of a pipeline's replies mostly share the millisecond: its digits are kept
      streamIdMillis = millis;
      streamIdPrefix = putDigits(id, 0, millis);
      id[streamIdPrefix++] = '-';
    }
    int length = putDigits(id, streamIdPrefix, sequence);
    byte[] header = BULK_HEADERS[length];
    out.ensureWritable(header.length + length + 2);
    out.writeBytes(header);
    out.writeBytes(id, 0, length);
    out.writeBytes(CRLF);
  }

  /** Writes a value that is not negative in decimal at {@code at}; returns the end. */
  private static int putDigits(byte[] into, int at, long value) {
    int end = at + digits(value);
    for (int i = end - 1; i >= at; i--) {
      into[i] = (byte) ('0' + value % 10);
      value /= 10;
    }
    return end;
  }

  /** Bytes written as they are (a replica's stream, already RESP). */
  public void raw(byte[] bytes) {
    out.writeBytes(bytes);
  }

  @Override
  public void nil() {
    out.writeBytes(protocol == 3 ? NIL3 : NIL2);
  }

  @Override
  public void nilArray() {
    out.writeBytes(protocol == 3 ? NIL3 : NIL_ARRAY2);
  }

  @Override
  public void array(int length) {
    if (length < CACHED_INTEGERS) {
      out.writeBytes(ARRAY_HEADERS[length]);
    } else {
      header('*', length);
    }
  }

  @Override
  public void map(int pairs) {
    if (protocol == 3) {
      header('%', pairs);
    } else {
      array(pairs * 2);
    }
  }

  @Override
  public void push(int length) {
    if (protocol == 3) {
      header('>', length);
    } else {
      array(length);
    }
  }

  @Override
  public void set(int length) {
    if (protocol == 3) {
      header('~', length);
    } else {
      array(length);
    }
  }

  @Override
  public void doubleValue(double value) {
    doubleValue(value, Doubles.reply(value));
  }

  @Override
  public void doubleValue(double value, String text) {
    if (protocol == 3) {
      out.writeByte(',');
      writeLine(text);
    } else {
      bulk(text.getBytes(StandardCharsets.US_ASCII));
    }
  }

  @Override
  public void bool(boolean value) {
    if (protocol == 3) {
      out.writeBytes(
          value
              ? "#t\r\n".getBytes(StandardCharsets.US_ASCII)
              : "#f\r\n".getBytes(StandardCharsets.US_ASCII));
    } else {
      integer(value ? 1 : 0);
    }
  }

  @Override
  public void verbatim(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    if (protocol == 3) {
      header('=', bytes.length + 4);
      out.writeBytes("txt:".getBytes(StandardCharsets.US_ASCII));
      out.writeBytes(bytes);
      out.writeBytes(CRLF);
    } else {
      bulk(bytes);
    }
  }

  /** A type byte, a decimal and CRLF, composed in a scratch array and written at once. */
  private void header(char type, long value) {
    byte[] line = headerLine;
    int at = 0;
    line[at++] = (byte) type;
    if (value < 0) {
      line[at++] = '-';
    }
    if (value == Long.MIN_VALUE) { // its magnitude is no long
      System.arraycopy(LONG_MIN_DIGITS, 0, line, at, LONG_MIN_DIGITS.length);
      at += LONG_MIN_DIGITS.length;
    } else {
      at = putDigits(line, at, Math.abs(value));
    }
    line[at++] = '\r';
    line[at++] = '\n';
    out.writeBytes(line, 0, at);
  }

  /** Decimal digits of a value that is not negative. */
  private static int digits(long value) {
    int digits = 1;
    for (long v = value; v >= 10; v /= 10) {
      digits++;
    }
    return digits;
  }
}
