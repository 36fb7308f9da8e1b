package dev.sluice.proxy.conn;

import dev.sluice.proxy.engine.CommandContext;
import dev.sluice.proxy.engine.CommandSpec;
import dev.sluice.proxy.engine.CommandTrait;
import dev.sluice.proxy.resp.Request;
import io.netty.buffer.ByteBuf;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * EVAL or EVALSHA handed to the script engine's thread, so that the connection's event loop stays
 * free: once the script is busy, the other connections of that loop are answered BUSY (and may
 * SCRIPT KILL it) instead of waiting behind it. The script thread runs the command under the lock
 * into its own buffer and serves the clients its writes unblocked; the connection writes the reply
 * and picks up what the command left (a load of its declared keys, a journal to wait for).
 *
 * <p>Scripts the client pipelined right behind this one run in the same hand-off, one after the
 * other, each under the lock: a pipeline of EVALSHAs costs one round trip between the threads and
 * one flush, not one per script. The run stops early at a script that asks to suspend (its keys
 * must be loaded first); the scripts after it go back to the front of the connection's queue.
 */
final class ScriptRun extends CapturedReply {
  /** Pipelined scripts taken into one hand-off at most. */
  static final int MAX_FOLLOWING = 64;

  /** Reply bytes after which the hand-off stops taking the next script. */
  private static final int MAX_REPLY_BYTES = 256 * 1024;

  private final boolean afterLoad;
  private final List<Request> following;
  // written by the script thread before it completes the future, read on the loop after
  private byte[][] last;
  private int ran;

  ScriptRun(ConnectionParts conn, byte[][] args, boolean afterLoad) {
    this(conn, args, afterLoad, List.of());
  }

  private ScriptRun(
      ConnectionParts conn, byte[][] args, boolean afterLoad, List<Request> following) {
    super(Kind.SCRIPT, conn, args);
    this.afterLoad = afterLoad;
    this.following = following;
    this.last = args;
  }

  /**
   * On the loop: a script run for {@code args}, taking the scripts queued right behind it out of
   * {@code pending}.
   */
  static ScriptRun withFollowing(ConnectionParts conn, byte[][] args, ArrayDeque<Object> pending) {
    List<Request> following = null;
    while (pending.peekFirst() instanceof Request next
        && runs(conn.context(), next.args())
        && (following == null || following.size() < MAX_FOLLOWING)) {
      if (following == null) {
        following = new ArrayList<>();
      }
      following.add((Request) pending.pollFirst());
    }
    return new ScriptRun(conn, args, false, following == null ? List.of() : following);
  }

  /** Whether the request runs a Lua script (EVAL …), which runs on the script engine's thread. */
  static boolean runs(CommandContext context, byte[][] args) {
    CommandSpec spec = context.lookup(args[0]);
    return spec != null && spec.has(CommandTrait.RUNS_SCRIPT);
  }

  @Override
  void start() {
    conn.server().scripts().runner().execute(this::run);
  }

  /** On the script thread. */
  private void run() {
    ByteBuf out = conn.ctx().alloc().ioBuffer();
    conn.lock().lock();
    try {
      conn.writeInto(out);
      int mark = out.writerIndex();
      if (afterLoad) {
        conn.executor().executeAfterLoad(conn.context(), args);
      } else {
        conn.executor().execute(conn.context(), args);
      }
      applyReplyMode(out, mark);
      BlockedWaiter.serveReadyKeys(conn.keyspace());
      while (ran < following.size()
          && !conn.context().suspends()
          && out.readableBytes() < MAX_REPLY_BYTES) {
        last = following.get(ran++).args();
        mark = out.writerIndex();
        conn.executor().execute(conn.context(), last);
        applyReplyMode(out, mark);
        BlockedWaiter.serveReadyKeys(conn.keyspace());
      }
    } catch (RuntimeException | Error e) {
      out.release();
      reply.completeExceptionally(e);
      return;
    } finally {
      conn.writer().target(null);
      conn.lock().unlock();
    }
    reply.complete(out);
  }

  /** CLIENT REPLY OFF or SKIP: drops the reply of a script that completed, from {@code mark}. */
  private void applyReplyMode(ByteBuf out, int mark) {
    if (!conn.context().suspends() && conn.session().commandDone()) {
      DroppedReplies.drop(out, mark, conn.session().protocol(), null);
    }
  }

  @Override
  boolean completesCommand() {
    return false;
  }

  @Override
  Suspension resume() {
    return Suspension.requestedBy(conn, last);
  }

  @Override
  void requeue(ArrayDeque<Object> pending) {
    for (int i = following.size() - 1; i >= ran; i--) {
      pending.addFirst(following.get(i));
    }
  }
}
