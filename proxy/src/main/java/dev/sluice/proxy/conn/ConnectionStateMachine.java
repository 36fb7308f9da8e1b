package dev.sluice.proxy.conn;

import dev.sluice.proxy.engine.CommandContext;
import dev.sluice.proxy.resp.ProtocolError;
import dev.sluice.proxy.resp.Request;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state of one client connection, changed only on its event loop.
 *
 * <pre>
 *            command suspends (load, block, script, work) / chunk holds journaled replies
 *   RUNNING ------------------------------------------------------------------------> SUSPENDED
 *      ^                                                                                 |  |
 *      +------- oldest suspension's future done, resumed; no suspension left ------------+  |
 *                          (a resumption may add suspensions: stays SUSPENDED)               |
 *   RUNNING / SUSPENDED --channel closed, limit passed, journal or script failed--> CLOSING <-+
 * </pre>
 *
 * <p>RUNNING: requests decoded from a read burst are queued; when the burst ends they run in order
 * under one acquisition of the keyspace lock, their replies go into one buffer, and that buffer is
 * flushed once — one lock and one syscall per burst. A command that does not suspend pays for none
 * of what follows: a few field reads in {@link Suspension#requestedBy}.
 *
 * <p>SUSPENDED: a command registered a {@link Suspension} through its {@link CommandContext}, or
 * the chunk's replies acknowledge journaled writes and are held ({@link HeldReplies}). The chunk
 * stops there; later requests stay queued (counted against the query-buffer limit). Suspensions
 * wait in request order. Whichever thread completes one's future only posts {@link #resumeReady} to
 * this loop, which resumes the oldest ones that are done: the continuation runs under the lock, its
 * reply is written — or held again, or the command suspends again (a load whose re-run blocks), the
 * new suspension taking the old one's place in the order. When none is left the queue drains. Since
 * nothing is resumed but from a posted task and each suspension leaves the queue once, a future
 * that completes at once, on the loop itself, cannot produce a reply twice.
 *
 * <p>CLOSING: nothing more runs or is written; suspensions are cancelled (a blocked waiter leaves
 * the registry) and their buffers released as their futures complete.
 */
final class ConnectionStateMachine {
  private static final Logger log = LoggerFactory.getLogger(ConnectionStateMachine.class);

  /** Replies buffered before a flush; bounds what one burst of pipelined reads can allocate. */
  private static final int MAX_REPLY_CHUNK = 256 * 1024;

  enum State {
    RUNNING,
    SUSPENDED,
    CLOSING
  }

  private final ConnectionParts conn;
  private final BusyScriptResponder busy;
  private final OutputBufferGuard outputLimit;
  private final ArrayDeque<Object> pending = new ArrayDeque<>();
  private final ArrayDeque<Suspension> suspensions = new ArrayDeque<>();
  private final Runnable resumeReady = this::resumeReady;
  private State state = State.RUNNING;
  // a QUIT or protocol error was answered: the connection closes once its replies are out
  private boolean closeAfterReplies;
  // bytes of requests queued while suspended; 0 once the queue is empty
  private long queuedBytes;

  ConnectionStateMachine(ConnectionParts conn) {
    this.conn = conn;
    this.busy = new BusyScriptResponder(conn.server());
    this.outputLimit = new OutputBufferGuard(conn.server());
  }

  State state() {
    return state;
  }

  /** What the connection waits for first, or null when it runs. */
  Suspension.Kind suspendedOn() {
    Suspension first = suspensions.peekFirst();
    return first == null ? null : first.kind();
  }

  boolean acceptsInput() {
    return state != State.CLOSING && !closeAfterReplies;
  }

  /** Queues a decoded request; returns the bytes queued while suspended (0 while running). */
  long enqueue(Object msg) {
    pending.add(msg);
    if (state != State.RUNNING && msg instanceof Request request) {
      for (byte[] arg : request.args()) {
        queuedBytes += arg.length;
      }
    }
    return queuedBytes;
  }

  /**
   * Runs queued requests in chunks of at most {@link #MAX_REPLY_CHUNK} bytes of replies, flushing
   * after each, while RUNNING and the channel is writable (a client that does not read makes it
   * unwritable; the rest waits for {@code channelWritabilityChanged}).
   */
  void drain() {
    while (state == State.RUNNING
        && !closeAfterReplies
        && !pending.isEmpty()
        && conn.ctx().channel().isWritable()) {
      if (!busy.lockOrAnswerBusy(pending, conn.ctx(), conn.session().protocol())) {
        return;
      }
      ByteBuf out = conn.ctx().alloc().ioBuffer();
      Suspension next = null;
      CompletableFuture<?> durable;
      boolean appendsHeld;
      try {
        conn.startChunk(out);
        Object msg;
        while (next == null
            && !closeAfterReplies
            && out.readableBytes() < MAX_REPLY_CHUNK
            && (msg = pending.poll()) != null) {
          int mark = out.writerIndex();
          next = run(msg);
          if (conn.session().primaryLink()) {
            out.writerIndex(mark); // the primary is never answered, nor sent anything else
          } else if (next == null && conn.session().commandDone()) {
            DroppedReplies.drop(
                out,
                mark,
                conn.session().protocol(),
                msg instanceof Request request ? request.args() : null);
          }
          if (BlockedWaiter.serveReadyKeys(conn.keyspace())) {
            conn.session().commandClock().restart();
          }
        }
        appendsHeld = conn.context().endChunk(next != null);
        if (pending.isEmpty()) {
          queuedBytes = 0;
        }
        durable = conn.context().takeDurable();
      } finally {
        conn.endChunk();
        conn.lock().unlock();
      }
      if (appendsHeld) {
        // RUNNING, no suspension: nothing else uses the writer; XADDs touch no key
        conn.writer().target(out);
        durable = conn.context().flushBatchAfter(durable);
        conn.writer().target(null);
      }
      if (!settle(out, durable, next)) {
        return;
      }
      if (outputLimit.exceeded(conn.ctx().channel(), conn.session())) {
        close();
        return;
      }
    }
  }

  /** Under the lock: runs one request; returns the suspension it asks for, if any. */
  private Suspension run(Object msg) {
    if (!(msg instanceof Request request)) {
      conn.context().beforePipelined(null);
      conn.writer().error(((ProtocolError) msg).message());
      closeAfterReplies();
      return null;
    }
    byte[][] args = request.args();
    conn.context().beforePipelined(args);
    if (ScriptRun.runs(conn.context(), args) && !conn.session().transaction().inMulti()) {
      return ScriptRun.withFollowing(conn, args, pending);
    }
    conn.executor().execute(conn.context(), args);
    if (conn.session().primaryLink()) {
      conn.server().replication().applied(args);
    }
    if (conn.session().closeAfterReply()) {
      closeAfterReplies();
    }
    return Suspension.requestedBy(conn, args);
  }

  private void closeAfterReplies() {
    closeAfterReplies = true;
    pending.clear();
  }

  /**
   * After commands wrote {@code out}: holds it behind {@code durable} or writes it, then queues
   * {@code next} — both ahead of older suspensions still waiting, whose place they take. Returns
   * whether the connection is RUNNING.
   */
  private boolean settle(ByteBuf out, CompletableFuture<?> durable, Suspension next) {
    if (next != null) {
      suspensions.addFirst(next);
    }
    if (durable != null) {
      suspensions.addFirst(new HeldReplies(durable, out));
    } else if (closeAfterReplies) {
      state = State.CLOSING;
      conn.ctx().writeAndFlush(out).addListener(ChannelFutureListener.CLOSE);
      return false;
    } else {
      conn.ctx().writeAndFlush(out, conn.ctx().voidPromise());
    }
    if (suspensions.isEmpty()) {
      state = State.RUNNING;
      return true;
    }
    state = State.SUSPENDED;
    if (durable != null) {
      arm(suspensions.peekFirst());
    }
    if (next != null) {
      arm(next);
    }
    return false;
  }

  private void arm(Suspension suspension) {
    suspension.start();
    suspension.future().whenComplete((value, error) -> post());
  }

  /** On any thread: the loop looks at its suspensions. */
  private void post() {
    try {
      conn.ctx().executor().execute(resumeReady);
    } catch (RejectedExecutionException shuttingDown) {
      log.debug("connection {}: event loop gone, suspension dropped", conn.session().id());
    }
  }

  /** On the loop: resumes the oldest suspensions whose futures completed, in order. */
  private void resumeReady() {
    if (state == State.CLOSING) {
      suspensions.removeIf(Suspension::releaseIfDone);
      return;
    }
    Suspension first;
    while (state == State.SUSPENDED
        && (first = suspensions.peekFirst()) != null
        && first.future().isDone()) {
      Throwable fatal = first.fatalError();
      if (fatal == null && first.usesKeyspace() && !busy.lockUnlessBusy()) {
        // a busy script holds the lock: the loop stays free to answer other connections BUSY
        conn.ctx()
            .executor()
            .schedule(resumeReady, BusyScriptResponder.BUSY_POLL_MILLIS, TimeUnit.MILLISECONDS);
        return;
      }
      suspensions.pollFirst();
      if (fatal != null) {
        first.release();
        failed(first.kind(), fatal);
      } else {
        resume(first);
      }
    }
    if (state == State.RUNNING) {
      drain();
    }
  }

  /** Holding the lock if the suspension {@linkplain Suspension#usesKeyspace uses the keyspace}. */
  private void resume(Suspension suspension) {
    ByteBuf out = suspension.takeReply();
    if (out == null) {
      out = conn.ctx().alloc().ioBuffer();
    }
    Suspension next = null;
    CompletableFuture<?> durable = null;
    if (suspension.usesKeyspace()) {
      try {
        conn.writeInto(out);
        next = suspension.resume();
        if (next == null && suspension.completesCommand() && conn.session().commandDone()) {
          DroppedReplies.drop(out, out.readerIndex(), conn.session().protocol(), null);
        }
        suspension.requeue(pending);
        BlockedWaiter.serveReadyKeys(conn.keyspace());
        durable = conn.context().takeDurable();
      } finally {
        conn.writer().target(null);
        conn.lock().unlock();
      }
    }
    settle(out, durable, next);
  }

  private void failed(Suspension.Kind kind, Throwable e) {
    if (kind != Suspension.Kind.DURABLE) {
      log.warn("closing connection {}: its {} failed", conn.session().id(), kind, e);
      close();
      return;
    }
    stopRunning();
    HeldReplies.closeWithFailure(conn.ctx(), e);
  }

  private void stopRunning() {
    state = State.CLOSING;
    pending.clear();
    queuedBytes = 0;
  }

  /** Closes the channel without another reply (a limit passed, a script failed). */
  void close() {
    stopRunning();
    conn.ctx().close();
  }

  /** The channel is closed: cancels what waits on the connection's behalf, forgets the client. */
  void closed() {
    stopRunning();
    conn.lock().lock();
    try {
      suspensions.forEach(Suspension::cancel);
      conn.executor().disconnected(conn.session());
    } finally {
      conn.lock().unlock();
    }
    resumeReady();
  }
}
