package dev.sluice.proxy.conn;

import dev.sluice.proxy.engine.CommandContext;
import dev.sluice.proxy.engine.CommandSpec;
import dev.sluice.proxy.engine.CommandTrait;
import io.netty.buffer.ByteBuf;

/**
 * EVAL or EVALSHA handed to the script engine's thread, so that the connection's event loop stays
 * free: once the script is busy, the other connections of that loop are answered BUSY (and may
 * SCRIPT KILL it) instead of waiting behind it. The script thread runs the command under the lock
 * into its own buffer and serves the clients its writes unblocked; the connection writes the reply
 * and picks up what the command left (a load of its declared keys, a journal to wait for).
 */
final class ScriptRun extends CapturedReply {
  private final boolean afterLoad;

  ScriptRun(ConnectionParts conn, byte[][] args, boolean afterLoad) {
    super(Kind.SCRIPT, conn, args);
    this.afterLoad = afterLoad;
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
      conn.writer().target(out);
      conn.writer().useProtocol(conn.session().protocol());
      if (afterLoad) {
        conn.executor().executeAfterLoad(conn.context(), args);
      } else {
        conn.executor().execute(conn.context(), args);
      }
      BlockedWaiter.serveReadyKeys(conn.keyspace());
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
}
