package dev.sluice.proxy.types.stream;

import java.util.Collections;
import java.util.NavigableMap;
import java.util.TreeMap;

/** A consumer of a group (streamConsumer): its name, times and own PEL. */
public final class StreamConsumer {
  private final byte[] name;
  long seenTime;
  long activeTime = -1;
  final TreeMap<StreamId, PendingEntry> pel = new TreeMap<>();

  StreamConsumer(byte[] name, long nowMillis) {
    this.name = name;
    this.seenTime = nowMillis;
  }

  /** The name; the caller must not change the array. */
  public byte[] name() {
    return name;
  }

  /**
   * Records an attempt to read or claim (Redis 7.2+'s seen-time), which XREADGROUP, XCLAIM and
   * XAUTOCLAIM make before their work whether or not it delivers anything.
   */
  public void seen(long nowMillis) {
    seenTime = nowMillis;
  }

  /** Unix ms of the last attempt (XINFO STREAM FULL seen-time). */
  public long seenTime() {
    return seenTime;
  }

  /** Unix ms of the last successful read or claim, -1 for never (active-time). */
  public long activeTime() {
    return activeTime;
  }

  /** XINFO CONSUMERS idle: ms since the last attempt, never negative. */
  public long idle(long nowMillis) {
    return Math.max(0, nowMillis - seenTime);
  }

  /** XINFO CONSUMERS inactive: ms since the last success, -1 for never (not clamped, as Redis). */
  public long inactive(long nowMillis) {
    return activeTime != -1 ? nowMillis - activeTime : -1;
  }

  public int pendingCount() {
    return pel.size();
  }

  /** This consumer's pending entries by ID, read-only. */
  public NavigableMap<StreamId, PendingEntry> pending() {
    return Collections.unmodifiableNavigableMap(pel);
  }
}
