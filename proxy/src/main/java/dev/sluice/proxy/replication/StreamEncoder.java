package dev.sluice.proxy.replication;

import java.util.Arrays;

/**
 * Commands as the replication stream carries them: RESP arrays of bulk strings, written byte by
 * byte into one growing array that is reused from command to command. The stream is written for
 * every write a primary runs and every command a replica applies, so this avoids the strings and
 * streams a general encoder would build per length prefix.
 */
final class StreamEncoder {
  private byte[] buffer = new byte[256];
  private int size;

  /** Starts a new batch of commands. */
  void reset() {
    size = 0;
  }

  void command(byte[][] args) {
    header('*', args.length);
    for (byte[] arg : args) {
      header('$', arg.length);
      ensure(arg.length + 2);
      System.arraycopy(arg, 0, buffer, size, arg.length);
      size += arg.length;
      buffer[size++] = '\r';
      buffer[size++] = '\n';
    }
  }

  void raw(byte[] bytes) {
    ensure(bytes.length);
    System.arraycopy(bytes, 0, buffer, size, bytes.length);
    size += bytes.length;
  }

  /** The batch's bytes, copied out. */
  byte[] toBytes() {
    return Arrays.copyOf(buffer, size);
  }

  /** One command's bytes. */
  static byte[] encode(byte[][] args) {
    StreamEncoder encoder = new StreamEncoder();
    encoder.command(args);
    return encoder.toBytes();
  }

  private void header(char type, int length) {
    ensure(14);
    buffer[size++] = (byte) type;
    if (length == 0) {
      buffer[size++] = '0';
    } else {
      int digits = 0;
      for (int n = length; n > 0; n /= 10) {
        digits++;
      }
      for (int i = size + digits - 1, n = length; n > 0; n /= 10, i--) {
        buffer[i] = (byte) ('0' + n % 10);
      }
      size += digits;
    }
    buffer[size++] = '\r';
    buffer[size++] = '\n';
  }

  private void ensure(int more) {
    if (size + more > buffer.length) {
      buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + more));
    }
  }
}
