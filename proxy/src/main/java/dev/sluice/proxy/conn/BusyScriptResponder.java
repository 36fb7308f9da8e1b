package dev.sluice.proxy.conn;

import dev.sluice.proxy.engine.CommandSpec;
import dev.sluice.proxy.engine.CommandTrait;
import dev.sluice.proxy.resp.Request;
import dev.sluice.proxy.runtime.ServerContext;
import dev.sluice.proxy.scripting.ScriptEngine;
import io.netty.channel.ChannelHandlerContext;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Takes the keyspace lock for a connection's next chunk of requests. While a Lua script holds the
 * lock past busy-reply-threshold the connection does not wait: it answers its queued requests
 * itself, without the lock, as Redis does while a script runs — SCRIPT KILL asks the engine to stop
 * the script, anything else gets BUSY.
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
   * lock is then not held).
   */
  boolean lockOrAnswerBusy(ArrayDeque<Object> pending, ChannelHandlerContext ctx) {
    while (!lockUnlessBusy()) {
      answerBusy(server.scripts(), pending, ctx);
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
      ScriptEngine scripts, ArrayDeque<Object> pending, ChannelHandlerContext ctx) {
    StringBuilder replies = new StringBuilder();
    while (scripts.busy() && pending.peek() instanceof Request request) {
      pending.poll();
      byte[][] args = request.args();
      CommandSpec spec = server.commands().resolve(args);
      boolean killsFunction = spec != null && spec.has(CommandTrait.KILLS_FUNCTION);
      if (spec != null
          && (killsFunction || spec.has(CommandTrait.KILLS_SCRIPT))
          && spec.arityAccepts(args.length)) {
        String error = scripts.kill(killsFunction);
        replies.append(error == null ? "+OK" : "-" + error).append("\r\n");
      } else {
        server.stats().errorReplies.increment();
        replies.append('-').append(scripts.busyError()).append("\r\n");
      }
    }
    if (!replies.isEmpty()) {
      ctx.writeAndFlush(
          ctx.alloc().buffer().writeBytes(replies.toString().getBytes(StandardCharsets.UTF_8)),
          ctx.voidPromise());
    }
  }
}
