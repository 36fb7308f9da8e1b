package dev.sluice.proxy.engine;

import dev.sluice.proxy.keyspace.Clock;

/**
 * Times one connection's commands (SLOWLOG, LATENCY, the latency histograms) with one clock read
 * per command instead of two.
 *
 * <p>Within a chain, which the connection opens when it takes the keyspace lock for a chunk of its
 * pipeline and closes when it lets go, the end of one command is the start of the next: they run
 * back to back. A read of the monotonic clock costs about 28 ns here (vDSO under KVM), close to a
 * third of the rest of a pipelined GET's dispatch (bench/RESULTS.md, DispatchBench). What a command
 * is charged beyond its own run is the lookup and checks that precede it, well under a microsecond.
 * The connection {@linkplain #restart restarts} the chain when anything else ran in between (it
 * served other clients' blocked commands). Outside a chain, as for commands run by a script or for
 * a blocked client served from another's connection, every command reads the clock at its start.
 */
public final class CommandClock {
  private static final long NONE = Long.MIN_VALUE;
  private boolean open;
  private long lastEnd = NONE;

  /** The connection runs a chunk of its pipeline next. */
  public void open() {
    open = true;
    lastEnd = NONE;
  }

  /** The chunk is over: what follows may run after any delay. */
  public void close() {
    open = false;
    lastEnd = NONE;
  }

  /** Something that is not this connection's next command ran since the last end. */
  public void restart() {
    lastEnd = NONE;
  }

  /** The start of a command: the previous one's end in a chain, else a new reading. */
  long start(Clock clock) {
    long start = lastEnd;
    if (start == NONE) {
      return clock.nanoTime();
    }
    lastEnd = NONE; // a nested command (EXEC's, a script's) reads its own
    return start;
  }

  /** A command ended at {@code nanos}, which the next one in the chain starts from. */
  void ended(long nanos) {
    if (open) {
      lastEnd = nanos;
    }
  }
}
