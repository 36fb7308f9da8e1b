package dev.sluice.proxy.engine;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * SLOWLOG as Redis keeps it (slowlog.c): the newest entries first, at most slowlog-max-len, each
 * with an id that only grows (RESET does not rewind it), the time it was logged, the command's own
 * run time in microseconds, its arguments (at most 32, each at most 128 bytes, with Redis's "... (N
 * more arguments)" and "... (N more bytes)" markers), the client's address and name.
 *
 * <p>Dispatch records a command after it ran when its time reached slowlog-log-slower-than (0:
 * every command, negative: none) unless its spec is flagged skip_slowlog (EXEC, whose commands are
 * logged one by one); commands a script runs are not logged, the script is.
 */
public final class SlowLog {
  static final int MAX_ARGS = 32;
  static final int MAX_ARG_BYTES = 128;

  /** One logged command. */
  public record Entry(
      long id, long unixSeconds, long micros, byte[][] args, String client, String name) {}

  private final ArrayDeque<Entry> entries = new ArrayDeque<>();
  private volatile long thresholdMicros = 10_000;
  private volatile long maxLength = 128;
  private long nextId;

  public void thresholdMicros(long micros) {
    this.thresholdMicros = micros;
  }

  public long thresholdMicros() {
    return thresholdMicros;
  }

  public long maxLength() {
    return maxLength;
  }

  public synchronized void maxLength(long length) {
    this.maxLength = length;
    trim();
  }

  /** Whether a command of {@code nanos} enters the log; cheap, read before anything is built. */
  boolean slow(long nanos) {
    long threshold = thresholdMicros;
    return threshold >= 0 && maxLength > 0 && nanos / 1000 >= threshold;
  }

  synchronized void record(byte[][] args, long nanos, long nowMillis, Session session) {
    String name = session.name();
    entries.addFirst(
        new Entry(
            nextId++,
            nowMillis / 1000,
            nanos / 1000,
            trimmed(args),
            session.connection().remoteAddress(),
            name == null ? "" : name));
    trim();
  }

  private void trim() {
    while (entries.size() > maxLength) {
      entries.removeLast();
    }
  }

  private static byte[][] trimmed(byte[][] args) {
    int kept = Math.min(args.length, MAX_ARGS);
    byte[][] out = new byte[kept][];
    for (int i = 0; i < kept; i++) {
      if (kept < args.length && i == kept - 1) {
        out[i] = ascii("... (" + (args.length - kept + 1) + " more arguments)");
      } else if (args[i].length > MAX_ARG_BYTES) {
        byte[] head = java.util.Arrays.copyOf(args[i], MAX_ARG_BYTES);
        byte[] tail = ascii("... (" + (args[i].length - MAX_ARG_BYTES) + " more bytes)");
        out[i] = java.util.Arrays.copyOf(head, head.length + tail.length);
        System.arraycopy(tail, 0, out[i], head.length, tail.length);
      } else {
        out[i] = args[i];
      }
    }
    return out;
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  /** The newest {@code count} entries (all when negative), newest first. */
  public synchronized List<Entry> newest(long count) {
    List<Entry> out = new ArrayList<>();
    Iterator<Entry> it = entries.iterator();
    while (it.hasNext() && (count < 0 || out.size() < count)) {
      out.add(it.next());
    }
    return out;
  }

  public synchronized int length() {
    return entries.size();
  }

  public synchronized void reset() {
    entries.clear();
  }
}
