package dev.sluice.proxy.conn;

import dev.sluice.proxy.engine.CommandSpec;
import dev.sluice.proxy.engine.CommandTrait;
import dev.sluice.proxy.resp.Request;
import dev.sluice.proxy.resp.RespWriter;
import dev.sluice.proxy.runtime.ServerContext;
import dev.sluice.proxy.scripting.ScriptEngine;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Takes the keyspace lock for a connection's next chunk of requests. While a Lua script holds the
 * lock past busy-reply-threshold the connection does not wait: it answers its queued requests
 * itself, without the lock, as Redis does while a script runs — SCRIPT KILL or FUNCTION KILL asks
 * the engine to stop the script or function, FUNCTION STATS reports the running function, anything
 * else gets BUSY.
 */
final class BusyScriptResponder {
  /** How often a connection waiting for the lock looks whether a script made the server busy. */
  static final long BUSY_POLL_MILLIS = 10;

  private final ServerContext server;
  private final ReentrantLock lock;

  BusyScriptResponder(ServerContext server) {
    this.server = server;
    this.lock = server.keyspace().lock();
  }

  /**
   * Returns true holding the lock, or false when {@code pending} was emptied by answering BUSY (the
   * lock is then not held); replies are written in {@code protocol}.
   */
  boolean lockOrAnswerBusy(ArrayDeque<Object> pending, ChannelHandlerContext ctx, int protocol) {
    while (!lockUnlessBusy()) {
      answerBusy(server.scripts(), pending, ctx, protocol);
      if (pending.isEmpty()) {
        return false;
      }
    }
    return true;
  }

  /**
   * Takes the lock, unless a busy script holds it: then returns false, so that the event loop stays
   * free to answer its other connections BUSY.
   */
  boolean lockUnlessBusy() {
    while (true) {
      try {
        if (lock.tryLock(BUSY_POLL_MILLIS, TimeUnit.MILLISECONDS)) {
          return true;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        lock.lock();
        return true;
      }
      if (server.scripts().busy()) {
        return false;
      }
    }
  }

  private void answerBusy(
      ScriptEngine scripts, ArrayDeque<Object> pending, ChannelHandlerContext ctx, int protocol) {
    ByteBuf out = ctx.alloc().buffer();
    RespWriter replies = new RespWriter();
    replies.target(out);
    replies.useProtocol(protocol);
    while (scripts.busy() && pending.peek() instanceof Request request) {
      pending.poll();
      byte[][] args = request.args();
      CommandSpec spec = server.commands().resolve(args);
      boolean accepted = spec != null && spec.arityAccepts(args.length);
      if (accepted
          && (spec.has(CommandTrait.KILLS_SCRIPT) || spec.has(CommandTrait.KILLS_FUNCTION))) {
        String error = scripts.kill(spec.has(CommandTrait.KILLS_FUNCTION));
        if (error == null) {
          replies.simple("OK");
        } else {
          replies.error(error);
        }
      } else if (accepted && spec.has(CommandTrait.REPORTS_WHILE_BUSY) && !scripts.evalRunning()) {
        scripts.functions().writeStats(replies);
      } else {
        server.stats().errorReplies.increment();
        // FUNCTION STATS while an EVAL script runs is refused as Redis refuses it
        replies.error(
            accepted && spec.has(CommandTrait.REPORTS_WHILE_BUSY)
                ? ScriptEngine.BUSY
                : scripts.busyError());
      }
    }
    if (out.isReadable()) {
      ctx.writeAndFlush(out, ctx.voidPromise());
    } else {
      out.release();
    }
  }
}
