package dev.sluice.proxy.types.stream;

import java.util.List;

/** Results of the PEL queries and claims of {@link ConsumerGroup}. */
public final class StreamPending {
  private StreamPending() {}

  /**
   * XPENDING key group: the PEL's size, smallest and largest IDs (null when empty) and, in name
   * order, the consumers owning at least one entry.
   */
  public record Summary(long count, StreamId smallest, StreamId largest, List<Owner> owners) {}

  /** A consumer and how many pending entries it owns. */
  public record Owner(byte[] consumer, long count) {}

  /** A line of XPENDING's extended form: ID, owner, idle ms, delivery count. */
  public record Line(StreamId id, byte[] consumer, long idle, long deliveryCount) {}

  /**
   * XCLAIM's options. {@code deliveryTime} is TIME's value, or now minus IDLE's (whichever came
   * last), -1 for neither; {@code retryCount} -1 for none; {@code lastId} null for none.
   */
  public record ClaimOptions(
      long minIdle,
      long deliveryTime,
      long retryCount,
      boolean force,
      boolean justId,
      StreamId lastId) {
    public static final ClaimOptions DEFAULT = new ClaimOptions(0, -1, -1, false, false, null);
  }

  /**
   * XAUTOCLAIM's reply: the cursor for the next call (0-0 when the PEL was scanned to its end), the
   * claimed entries (IDs only with JUSTID) and the IDs dropped from the PEL because the stream no
   * longer has them.
   */
  public record AutoClaim(StreamId next, List<StreamEntry> claimed, List<StreamId> deleted) {}
}
