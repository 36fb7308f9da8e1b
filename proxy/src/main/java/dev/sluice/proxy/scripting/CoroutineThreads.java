package dev.sluice.proxy.scripting;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The threads coroutine bodies run on: at most {@code max} at once, an idle one reused before a new
 * one is started, each ended after {@value #IDLE_SECONDS} s idle. A body gives its thread back
 * ({@link #release}) before it gives control back to its resumer, so a script that runs coroutines
 * one after another reuses one thread rather than racing a pool's hand-off.
 */
final class CoroutineThreads {
  static final int IDLE_SECONDS = 1;

  private final int max;
  // both guarded by this
  private final ArrayDeque<Worker> idle = new ArrayDeque<>();
  private int live;

  CoroutineThreads(int max) {
    this.max = max;
  }

  /** A script thread that runs one coroutine body after another. */
  private final class Worker extends Thread {
    private volatile Runnable job;

    Worker(Runnable first) {
      // a script thread too: it runs the script's Lua while the script thread waits
      super("sluice-script");
      this.job = first;
      setDaemon(true);
    }

    @Override
    public void run() {
      for (Runnable next = job; next != null; next = awaitJob()) {
        job = null;
        next.run();
      }
    }

    private Runnable awaitJob() {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(IDLE_SECONDS);
      while (job == null) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          synchronized (CoroutineThreads.this) {
            if (job == null) {
              idle.remove(this);
              live--;
              return null;
            }
          }
        }
        LockSupport.parkNanos(this, Math.max(left, 1));
      }
      return job;
    }
  }

  /** Runs {@code body} on an idle thread or a new one; false if {@code max} are busy. */
  boolean start(Runnable body) {
    Worker w;
    synchronized (this) {
      w = idle.pollLast();
      if (w == null) {
        if (live == max) {
          return false;
        }
        try {
          new Worker(body).start();
        } catch (OutOfMemoryError e) {
          // the system's thread limit: refused like the pool's own
          return false;
        }
        live++;
        return true;
      }
      w.job = body;
    }
    LockSupport.unpark(w);
    return true;
  }

  /** Called by a body about to end, on its thread: the thread takes the next body. */
  void release() {
    synchronized (this) {
      idle.addLast((Worker) Thread.currentThread());
    }
  }
}
