package dev.sluice.proxy.conn;

import dev.sluice.proxy.engine.CommandContext;
import io.netty.buffer.ByteBuf;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Why a connection stopped running its queue, and how it goes on: a future that some thread
 * completes (a loader, the journal, the script thread, whichever client made a blocked key ready,
 * PostgreSQL work) and what the connection does, on its own event loop, once it has. The {@link
 * ConnectionStateMachine} keeps its suspensions in request order and resumes only the oldest, so
 * replies stay in order however the futures complete.
 *
 * <p>A suspension is created under the keyspace lock by the command that suspends (or by the
 * resumption of another), {@linkplain #start started} once the lock is released, and {@linkplain
 * #resume resumed} exactly once — or, if the connection closes first, {@linkplain #cancel
 * cancelled} and {@linkplain #release released}.
 */
abstract class Suspension {
  /** What the connection waits for. */
  enum Kind {
    /** Keys of a mapping being loaded from PostgreSQL; the command then runs again. */
    LOAD,
    /** Replies written, held until the journal has forced the writes they acknowledge. */
    DURABLE,
    /** A blocking command waiting for a key, or for its timeout. */
    BLOCKED,
    /** EVAL or EVALSHA running on the script engine's thread. */
    SCRIPT,
    /** Work a command handed off ({@code SLUICE WARM}, …), answered by its continuation. */
    WORK,
    /** A command CLIENT PAUSE holds; it runs once the pause is lifted. */
    PAUSED
  }

  private final Kind kind;
  private final CompletableFuture<?> future;

  Suspension(Kind kind, CompletableFuture<?> future) {
    this.kind = kind;
    this.future = future;
  }

  /**
   * Under the lock, after a command ran on {@code conn}: the suspension it asked for through its
   * context, or null — the common case, which costs four field reads.
   */
  static Suspension requestedBy(ConnectionParts conn, byte[][] args) {
    CommandContext.BlockRequest block = conn.context().takeBlockRequest();
    if (block != null) {
      return BlockedWaiter.register(conn, args, block);
    }
    CommandContext.LoadRequest load = conn.context().takeLoadRequest();
    if (load != null) {
      return new KeyLoad(conn, args, load);
    }
    CommandContext.AwaitRequest work = conn.context().takeAwaitRequest();
    if (work != null) {
      return new AwaitedWork(conn.writer(), work);
    }
    CompletableFuture<?> lifted = conn.context().takePostponement();
    return lifted == null ? null : new Postponed(conn, args, lifted);
  }

  final Kind kind() {
    return kind;
  }

  /** Completes, on any thread, when the connection may resume. */
  final CompletableFuture<?> future() {
    return future;
  }

  /** On the event loop, the keyspace lock not held: starts what the future waits for. */
  void start() {}

  /** Whether {@link #resume} runs commands (under the keyspace lock). */
  boolean usesKeyspace() {
    return true;
  }

  /**
   * Whether {@link #resume} returning no further suspension completes the command whose reply is in
   * the buffer, so CLIENT REPLY applies to it; a script run applies it per script itself.
   */
  boolean completesCommand() {
    return true;
  }

  /** The reply produced off the loop (served, script, held), or null; taken once. */
  ByteBuf takeReply() {
    return null;
  }

  /**
   * On the event loop, under the keyspace lock, the connection's writer pointed at the reply
   * buffer: finishes the suspended command. Returns the suspension it needs next, if any.
   */
  abstract Suspension resume();

  /**
   * On the event loop, right after {@link #resume}: puts back at the front of the connection's
   * queue the requests this suspension took from it but did not run.
   */
  void requeue(java.util.ArrayDeque<Object> pending) {}

  /** A failure that closes the connection (a journal or a script that failed), or null. */
  Throwable fatalError() {
    return cause(future);
  }

  /** Under the keyspace lock, the connection closed: nothing may wait on its behalf any longer. */
  void cancel() {}

  /** On the event loop, the connection closed: frees what it holds if done; whether it was. */
  final boolean releaseIfDone() {
    if (!future.isDone()) {
      return false;
    }
    release();
    return true;
  }

  /** On the event loop, done but never resumed (the connection closed): frees what it holds. */
  void release() {
    ByteBuf reply = takeReply();
    if (reply != null) {
      reply.release();
    }
  }

  /** Why {@code future} failed (unwrapped), or null if it did not (yet). */
  static Throwable cause(CompletableFuture<?> future) {
    if (!future.isCompletedExceptionally()) {
      return null;
    }
    try {
      future.join();
      return null;
    } catch (CompletionException | CancellationException e) {
      return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    }
  }
}
