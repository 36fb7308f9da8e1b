package dev.sluice.proxy.scripting;

/**
 * What a script run has allocated, from the JVM's per-thread allocation counters: a run's Lua code
 * may run on several threads (its coroutines'), one at a time, so each thread that takes control
 * marks its counter and adds what it allocated when it hands control on. Used by one thread at a
 * time, the hand-offs ordering the accesses (see {@link Coroutines}).
 */
final class AllocationMeter {
  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();

  private long before;
  private long mark;

  /** A new run starts on the calling thread. */
  void start() {
    before = 0;
    mark = THREADS.getCurrentThreadAllocatedBytes();
  }

  /** The calling thread hands control to another. */
  void pause() {
    before += THREADS.getCurrentThreadAllocatedBytes() - mark;
  }

  /** The calling thread takes control. */
  void resume() {
    mark = THREADS.getCurrentThreadAllocatedBytes();
  }

  /** Bytes allocated by the run so far, the calling thread being the one in control. */
  long allocated() {
    return before + THREADS.getCurrentThreadAllocatedBytes() - mark;
  }
}
