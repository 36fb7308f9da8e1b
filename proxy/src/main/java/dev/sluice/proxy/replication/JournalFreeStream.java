package dev.sluice.proxy.replication;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The replication stream as a replica that does not know Sluice's journal gets it: every {@code
 * SLUICE.JOURNAL} command (write-back's records, see {@code ReplicationJournal}) replaced by PINGs
 * of exactly the same length.
 *
 * <p><b>Why the same length.</b> The stream is one sequence of bytes for every replica: its offsets
 * are what PSYNC continues from and what REPLCONF ACK and WAIT count. A redis-server replica that
 * received the commands themselves would answer each with an error, which it logs as {@code ==
 * CRITICAL ==} with a dump of its backlog; one that received nothing in their place would count
 * fewer bytes than its primary. A PING with an argument, which a replica runs without a reply or an
 * effect, keeps every offset as it is. A Sluice replica announces {@code REPLCONF capa
 * sluice-journal} and gets the commands.
 */
public final class JournalFreeStream {
  /** The journal's command name. */
  public static final byte[] JOURNAL = "SLUICE.JOURNAL".getBytes(StandardCharsets.US_ASCII);

  private static final byte[] PING = "*1\r\n$4\r\nPING\r\n".getBytes(StandardCharsets.US_ASCII);
  // *2 $4 PING $<n> <n bytes>: 19 bytes and the digits of n around the argument
  private static final int PING_WITH_ARGUMENT = 19;

  private JournalFreeStream() {}

  /** Whether {@code command} is one that only Sluice replicas understand. */
  static boolean isJournal(byte[][] command) {
    return command.length > 0 && Arrays.equals(command[0], JOURNAL);
  }

  /**
   * PINGs that take exactly {@code length} bytes of stream: one with an argument, or, for the
   * lengths that none fits (30, 121, 1022, …: where the argument's length gains a digit), a bare
   * PING before one.
   *
   * @throws IllegalArgumentException for a length below 20, or of 30 (a journal command is longer)
   */
  static byte[] noop(int length) {
    byte[] one = pingOf(length);
    if (one != null) {
      return one;
    }
    byte[] rest = pingOf(length - PING.length);
    if (rest == null) {
      throw new IllegalArgumentException("no PINGs take exactly " + length + " bytes");
    }
    byte[] both = Arrays.copyOf(PING, length);
    System.arraycopy(rest, 0, both, PING.length, rest.length);
    return both;
  }

  private static byte[] pingOf(int length) {
    for (int digits = 1; digits <= 10; digits++) {
      int n = length - PING_WITH_ARGUMENT - digits;
      if (n >= 0 && Integer.toString(n).length() == digits) {
        byte[] head = ("*2\r\n$4\r\nPING\r\n$" + n + "\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] bytes = new byte[length];
        System.arraycopy(head, 0, bytes, 0, head.length);
        Arrays.fill(bytes, head.length, length - 2, (byte) '-');
        bytes[length - 2] = '\r';
        bytes[length - 1] = '\n';
        return bytes;
      }
    }
    return null;
  }

  /**
   * {@code stream} (whole commands, as the backlog holds them from any offset a replica continues
   * at) with its journal commands replaced; the same bytes when it has none or is not made of RESP
   * arrays of bulk strings.
   */
  static byte[] of(byte[] stream) {
    ByteArrayOutputStream out = null;
    int copied = 0;
    int at = 0;
    while (at < stream.length) {
      int end = commandEnd(stream, at);
      if (end < 0) {
        return out == null ? stream : finish(out, stream, copied);
      }
      if (firstArgumentIsJournal(stream, at)) {
        if (out == null) {
          out = new ByteArrayOutputStream(stream.length);
        }
        out.write(stream, copied, at - copied);
        out.writeBytes(noop(end - at));
        copied = end;
      }
      at = end;
    }
    return out == null ? stream : finish(out, stream, copied);
  }

  private static byte[] finish(ByteArrayOutputStream out, byte[] stream, int copied) {
    out.write(stream, copied, stream.length - copied);
    return out.toByteArray();
  }

  /** Where the array starting at {@code at} ends, or -1 when it is not a whole one. */
  private static int commandEnd(byte[] stream, int at) {
    if (stream[at] != '*') {
      return -1;
    }
    long[] count = number(stream, at + 1);
    if (count == null) {
      return -1;
    }
    int position = (int) count[1];
    for (long i = 0; i < count[0]; i++) {
      if (position >= stream.length || stream[position] != '$') {
        return -1;
      }
      long[] length = number(stream, position + 1);
      if (length == null) {
        return -1;
      }
      long next = length[1] + length[0] + 2;
      if (next > stream.length) {
        return -1;
      }
      position = (int) next;
    }
    return position;
  }

  /** Of a whole command at {@code at} (see {@link #commandEnd}): whether it is the journal's. */
  private static boolean firstArgumentIsJournal(byte[] stream, int at) {
    long[] count = number(stream, at + 1);
    int position = (int) count[1];
    if (count[0] == 0) {
      return false;
    }
    long[] length = number(stream, position + 1);
    int start = (int) length[1];
    return length[0] == JOURNAL.length
        && Arrays.equals(stream, start, start + JOURNAL.length, JOURNAL, 0, JOURNAL.length);
  }

  /** The decimal at {@code at} up to CRLF, and the position after the CRLF; null when malformed. */
  private static long[] number(byte[] stream, int at) {
    long value = 0;
    int position = at;
    while (position < stream.length && stream[position] >= '0' && stream[position] <= '9') {
      value = value * 10 + (stream[position++] - '0');
      if (value > Integer.MAX_VALUE) {
        return null;
      }
    }
    if (position == at || position + 1 >= stream.length || stream[position] != '\r') {
      return null;
    }
    return new long[] {value, position + 2};
  }
}
