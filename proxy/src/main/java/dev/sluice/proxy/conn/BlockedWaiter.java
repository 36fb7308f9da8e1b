package dev.sluice.proxy.conn;

import dev.sluice.proxy.engine.CommandContext.BlockRequest;
import dev.sluice.proxy.engine.Unblockable;
import dev.sluice.proxy.keyspace.Entry;
import dev.sluice.proxy.keyspace.Keyspace;
import dev.sluice.proxy.resp.Reply;
import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A blocking command (BLPOP on empty lists …) waiting in the keyspace's registry of blocked
 * clients. Whether it was served, timed out or cancelled is decided once, under the keyspace lock:
 * as in Redis, a client is served right after the command that made its key ready, atomically, on
 * that command's thread, which runs the blocked command again into a buffer of its own and
 * completes the future with it. The timeout is a task on the connection's loop that claims the
 * waiter, under the lock, if nobody served it first.
 */
final class BlockedWaiter extends CapturedReply implements Unblockable {
  private final BlockRequest request;
  // under the keyspace lock
  private boolean settled;
  private ScheduledFuture<?> timeout;

  private BlockedWaiter(ConnectionParts conn, byte[][] args, BlockRequest request) {
    super(Kind.BLOCKED, conn, args);
    this.request = request;
  }

  /** Under the lock, as the command blocks: waits on its keys, with a timeout on the loop. */
  static BlockedWaiter register(ConnectionParts conn, byte[][] args, BlockRequest request) {
    byte[][] rerun = request.rerunArgs() != null ? request.rerunArgs() : args;
    BlockedWaiter waiter = new BlockedWaiter(conn, rerun, request);
    for (byte[] key : request.keys()) {
      conn.keyspace().blocked().add(request.db(), key, waiter);
    }
    if (request.timeoutMillis() > 0) {
      waiter.timeout =
          conn.ctx()
              .executor()
              .schedule(waiter::timedOut, request.timeoutMillis(), TimeUnit.MILLISECONDS);
    }
    conn.server().stats().blockedClients.incrementAndGet();
    conn.session().blocked(waiter);
    return waiter;
  }

  /**
   * Under the lock, after a command: runs again the commands of clients blocked on keys that
   * changed, oldest waiter first. Serving one may make other keys ready (BLMOVE pushes), hence the
   * loop. Returns whether any key was ready.
   */
  static boolean serveReadyKeys(Keyspace keyspace) {
    boolean served = false;
    while (keyspace.hasReadyKeys()) {
      served = true;
      for (Keyspace.DbKey ready : keyspace.takeReadyKeys()) {
        byte[] key = ready.key().bytes();
        for (Object waiter : List.copyOf(keyspace.blocked().get(ready.db(), key))) {
          Entry entry = keyspace.db(ready.db()).get(key);
          ((BlockedWaiter) waiter).tryServe(entry == null ? null : entry.value());
        }
      }
    }
    return served;
  }

  /**
   * Under the lock, on whichever thread made a key ready: runs the command again if the key's
   * {@code value} is what it waits for. A command that still finds nothing keeps its place.
   */
  private void tryServe(Object value) {
    if (settled) {
      return;
    }
    if (request.endedBy(value)) {
      answer(request.onKeyGone());
      return;
    }
    if (!request.servedBy(value)) {
      return;
    }
    ByteBuf out = conn.ctx().alloc().ioBuffer();
    conn.writer().target(out);
    try {
      conn.writer().useProtocol(conn.session().protocol());
      conn.executor().execute(conn.context(), args);
    } finally {
      conn.writer().target(null);
    }
    if (conn.context().takeBlockRequest() != null) {
      out.release();
      return;
    }
    settle(out);
  }

  /** On the loop, when the timeout passes: answers as the command says, unless served already. */
  private void timedOut() {
    conn.lock().lock();
    try {
      if (settled) {
        return;
      }
      timeout = null;
      answer(request.onTimeout());
    } finally {
      conn.lock().unlock();
    }
  }

  /**
   * Under the lock, on the thread of the client that sent CLIENT UNBLOCK: answers as the timeout
   * would, or with {@code error}, unless served already.
   */
  @Override
  public boolean unblock(String error) {
    if (settled) {
      return false;
    }
    if (error == null) {
      answer(request.onTimeout());
    } else {
      conn.server().stats().errorReplies.increment();
      answer(reply -> reply.error(error));
    }
    return true;
  }

  /** Under the lock: settles the waiter with the reply {@code how} writes. */
  private void answer(Consumer<Reply> how) {
    ByteBuf out = conn.ctx().alloc().ioBuffer();
    conn.writer().target(out);
    try {
      conn.writer().useProtocol(conn.session().protocol());
      how.accept(conn.writer());
    } finally {
      conn.writer().target(null);
    }
    settle(out);
  }

  @Override
  void cancel() {
    if (!settled) {
      settle(null);
    }
  }

  /** Under the lock: leaves the registry and hands {@code out} (null: cancelled) to the loop. */
  private void settle(ByteBuf out) {
    settled = true;
    for (byte[] key : request.keys()) {
      conn.keyspace().blocked().remove(request.db(), key, this);
    }
    if (timeout != null) {
      timeout.cancel(false);
      timeout = null;
    }
    conn.session().blocked(null);
    conn.server().stats().blockedClients.decrementAndGet();
    reply.complete(out);
  }
}
