package dev.sluice.proxy.types.stream;

/**
 * A delivered, not yet acknowledged entry (Redis's streamNACK): shared by the group's PEL and its
 * owner's, so moving it to another consumer is two map updates and no copy.
 */
public final class PendingEntry {
  StreamConsumer consumer;
  long deliveryTime;
  long deliveryCount;

  PendingEntry(StreamConsumer consumer, long deliveryTime, long deliveryCount) {
    this.consumer = consumer;
    this.deliveryTime = deliveryTime;
    this.deliveryCount = deliveryCount;
  }

  /** The consumer it was last delivered to. */
  public StreamConsumer consumer() {
    return consumer;
  }

  /** Unix time in ms of the last delivery (XINFO STREAM FULL shows it raw). */
  public long deliveryTime() {
    return deliveryTime;
  }

  public long deliveryCount() {
    return deliveryCount;
  }

  /** Milliseconds since the last delivery, never negative (XPENDING). */
  public long idle(long nowMillis) {
    return Math.max(0, nowMillis - deliveryTime);
  }
}
