package dev.sluice.proxy.server;

import dev.sluice.proxy.command.CommandContext;
import dev.sluice.proxy.command.CommandContext.BlockRequest;
import dev.sluice.proxy.command.CommandExecutor;
import dev.sluice.proxy.command.CommandSpec;
import dev.sluice.proxy.command.CommandTrait;
import dev.sluice.proxy.command.Errors;
import dev.sluice.proxy.command.KeyLoader;
import dev.sluice.proxy.command.OutputBufferLimits;
import dev.sluice.proxy.command.ServerContext;
import dev.sluice.proxy.command.Session;
import dev.sluice.proxy.keyspace.Database;
import dev.sluice.proxy.keyspace.Entry;
import dev.sluice.proxy.keyspace.Keyspace;
import dev.sluice.proxy.resp.ProtocolError;
import dev.sluice.proxy.resp.QueryBufferLimitReached;
import dev.sluice.proxy.resp.Request;
import dev.sluice.proxy.resp.RespDecoder;
import dev.sluice.proxy.resp.RespWriter;
import dev.sluice.proxy.scripting.ScriptEngine;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection. Requests decoded from a read burst are queued; when the burst ends they
 * run in order under a single acquisition of the keyspace lock, their replies go into one buffer,
 * and that buffer is flushed once. Pipelined commands therefore cost one lock and one syscall per
 * burst, and replies stay in request order.
 *
 * <p>A command may <em>block</em> its connection (BLPOP on empty lists): the queue stops, the
 * connection waits on the keys in the keyspace's registry, and another client's change to one of
 * them re-runs the command — on that client's thread, under the lock — after which this
 * connection's own thread writes the reply and carries on with the queue. The states make sure a
 * served reply is written before any later one:
 *
 * <pre>
 * RUNNING --command blocks--> BLOCKED --key ready, served / timeout--> RESUMING --own thread--> RUNNING
 * RUNNING --miss on a mapped key--> LOADING --loaded, command re-run--> RESUMING --> RUNNING
 * RUNNING --chunk holds journaled writes--> DURABLE --journal forced, replies written--> RUNNING
 * </pre>
 *
 * <p>A journaled write (XADD on an append mapping) is acknowledged only once durable: its command
 * {@linkplain CommandContext#awaitDurable registers} the journal's future, the connection goes on
 * running the rest of the chunk (so a pipeline of writes shares one group commit), and the chunk's
 * replies are held until the future completes. XADDs back to back in the chunk are journaled as one
 * group ({@linkplain CommandContext#beforePipelined collected}, journaled when anything else is to
 * be written or the chunk ends; at the end of a chunk, after the keyspace lock is released, since
 * they touch no key). Replies of a later BLOCKED or LOADING resumption wait behind them. If the
 * journal fails, the held replies are dropped and the connection is closed with an error: nothing
 * unacknowledged is ever reported as written.
 *
 * <p>A client that stops reading makes the channel unwritable; reading from it pauses until its
 * replies drain, so a pipelining client cannot grow the server's memory without bound.
 *
 * <p>What a client sends while its queue does not run (blocked, loading, script, durable) stays
 * queued; those bytes plus the decoder's incomplete command are held against {@code
 * client-query-buffer-limit}, and a client past it is disconnected, as Redis does. The count is
 * kept only while the queue is suspended, so a running connection pays nothing for it.
 */
final class ClientHandler extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(ClientHandler.class);

  /** Replies buffered before a flush; bounds what one burst of pipelined reads can allocate. */
  private static final int MAX_REPLY_CHUNK = 256 * 1024;

  /** How often a connection waiting for the lock looks whether a script made the server busy. */
  private static final long BUSY_POLL_MILLIS = 10;

  private enum State {
    RUNNING,
    BLOCKED,
    LOADING,
    SCRIPT,
    RESUMING,
    DURABLE
  }

  // replies held until a journal future completes, and what must run after they are written
  private final Object durableLock = new Object();
  private boolean awaitingDurable;
  private final ArrayDeque<Runnable> afterDurable = new ArrayDeque<>();

  private final ServerContext server;
  private final CommandExecutor executor;
  private final Keyspace keyspace;
  private final ReentrantLock lock;
  private final RespWriter writer = new RespWriter();
  private final ArrayDeque<Object> pending = new ArrayDeque<>();
  private ChannelHandlerContext ctx;
  private Session session;
  private CommandContext context;
  private RespDecoder decoder;
  private boolean closing;
  // bytes of requests queued while the queue was suspended; 0 once the queue is empty
  private long queuedBytes;
  // when unsent replies first passed the soft output limit (0: below it); event loop only
  private final long[] overSoftLimitSince = new long[1];

  private volatile State state = State.RUNNING;
  // the blocked command and its wait; written under the keyspace lock
  private byte[][] blockedArgs;
  private BlockRequest blockRequest;
  private ScheduledFuture<?> blockTimeout;

  ClientHandler(ServerContext server, CommandExecutor executor) {
    this.server = server;
    this.executor = executor;
    this.keyspace = server.keyspace();
    this.lock = keyspace.lock();
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    server.stats().connectionsReceived.increment();
    if (server.clients().count() >= server.maxclients()) {
      server.stats().rejectedConnections.increment();
      closing = true;
      ctx.writeAndFlush(
              ctx.alloc()
                  .buffer()
                  .writeBytes(("-" + Errors.MAX_CLIENTS + "\r\n").getBytes(StandardCharsets.UTF_8)))
          .addListener(ChannelFutureListener.CLOSE);
      return;
    }
    session =
        new Session(
            ctx.channel().attr(ClientIdAssigner.CLIENT_ID).get(),
            new NettyConnection(ctx.channel(), server.outputLimits(), writer),
            System.currentTimeMillis(),
            server.acl().defaultUser(),
            !server.acl().authRequired());
    context = new CommandContext(server, session, writer);
    decoder = ctx.pipeline().get(RespDecoder.class);
    server.clients().add(session);
    ctx.fireChannelActive();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (session != null) {
      lock.lock();
      try {
        if (state == State.BLOCKED) {
          unblock();
        }
        executor.disconnected(session);
      } finally {
        lock.unlock();
      }
      server.clients().remove(session);
    }
    pending.clear();
    ctx.fireChannelInactive();
  }

  /** Whether the connection may send large commands (the decoder's unauthenticated limits). */
  boolean authenticated() {
    Session s = session;
    return s != null && s.authenticated();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (closing) {
      return;
    }
    if (msg instanceof QueryBufferLimitReached reached) {
      queryBufferLimitReached(reached.held(), reached.limit());
      return;
    }
    pending.add(msg);
    if (state != State.RUNNING && msg instanceof Request request) {
      for (byte[] arg : request.args()) {
        queuedBytes += arg.length;
      }
      long held = queuedBytes + (decoder == null ? 0 : decoder.bufferedBytes());
      long limit = server.queryBufferLimit();
      if (held > limit) {
        queryBufferLimitReached(held, limit);
      }
    }
  }

  /** As Redis: no reply (the client is mid-command or not reading), a warning, a disconnect. */
  private void queryBufferLimitReached(long held, long limit) {
    log.warn(
        "closing client id={} addr={}: {} bytes of unprocessed input exceed"
            + " client-query-buffer-limit {}",
        session == null ? -1 : session.id(),
        ctx.channel().remoteAddress(),
        held,
        limit);
    closing = true;
    pending.clear();
    queuedBytes = 0;
    ctx.close();
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    drain();
  }

  /**
   * Runs queued requests in chunks of at most {@link #MAX_REPLY_CHUNK} bytes of replies, flushing
   * after each. When the client is not reading and the channel becomes unwritable, the rest waits
   * in the queue until {@link #channelWritabilityChanged} says it drained. A blocked connection
   * runs nothing until it is served.
   */
  private void drain() {
    while (!pending.isEmpty()
        && session != null
        && state == State.RUNNING
        && ctx.channel().isWritable()) {
      if (!lockOrAnswerBusy()) {
        return;
      }
      ByteBuf out = ctx.alloc().ioBuffer();
      CompletableFuture<?> durable = null;
      boolean heldWhileRunning = false;
      boolean appendsHeld = false;
      try {
        // the writer is also used by whichever thread serves this connection once it blocks,
        // so it is only ever pointed at a buffer while the lock is held
        writer.target(out);
        writer.useProtocol(session.protocol());
        Object msg;
        while (out.readableBytes() < MAX_REPLY_CHUNK
            && state == State.RUNNING
            && (msg = pending.poll()) != null) {
          context.beforePipelined(msg instanceof Request r ? r.args() : null);
          if (msg instanceof Request request
              && runsScript(request.args())
              && !session.transaction().inMulti()) {
            // the rest of the queue waits for the script, which runs on the script thread
            state = State.SCRIPT;
            runScript(request.args());
          } else if (msg instanceof Request request) {
            executor.execute(context, request.args());
            afterCommand(request.args());
            closing = session.closeAfterReply();
          } else {
            writer.error(((ProtocolError) msg).message());
            closing = true;
          }
          if (closing) {
            pending.clear();
          }
          serveReadyKeys();
        }
        // XADDs held at the end of a running chunk are journaled after unlock (they touch no
        // key); a chunk that suspended journaled them before the command that suspended it,
        // unless that was a load, and then the loader's thread will share the writer: journal now
        appendsHeld = context.endPipelined();
        if (appendsHeld && state != State.RUNNING) {
          context.flushAppends();
          appendsHeld = false;
        }
        if (pending.isEmpty()) {
          queuedBytes = 0;
        }
        writer.target(null);
        // Marked while the lock is held: a script or a blocked command served on another thread
        // right after unlock must already see that this chunk's replies are held.
        durable = context.takeDurable();
        if (durable != null || appendsHeld) {
          synchronized (durableLock) {
            awaitingDurable = true;
          }
          heldWhileRunning = state == State.RUNNING;
          if (heldWhileRunning) {
            state = State.DURABLE;
          }
        }
      } finally {
        lock.unlock();
      }
      if (appendsHeld) {
        // the connection is DURABLE: no other thread writes to it until its replies are out
        writer.target(out);
        context.flushAppends();
        writer.target(null);
        CompletableFuture<?> group = context.takeDurable(); // later than the chunk's other writes
        durable =
            group != null
                ? group
                : durable != null ? durable : CompletableFuture.completedFuture(null);
      }
      if (durable != null) {
        holdUntilDurable(out, durable, heldWhileRunning);
        return;
      }
      if (closing) {
        ctx.writeAndFlush(out).addListener(ChannelFutureListener.CLOSE);
        return;
      }
      ctx.writeAndFlush(out, ctx.voidPromise());
      if (outputBufferLimitReached()) {
        return;
      }
    }
  }

  /**
   * After a flush: a client whose unsent replies pass its class's {@code
   * client-output-buffer-limit} (pubsub with subscriptions, else normal) is disconnected, as Redis
   * does. Looked at only when the flush left bytes unsent, i.e. the client is slow to read.
   */
  private boolean outputBufferLimitReached() {
    io.netty.channel.ChannelOutboundBuffer outbound = ctx.channel().unsafe().outboundBuffer();
    long unsent = outbound == null ? 0 : outbound.totalPendingWriteBytes();
    if (unsent == 0) {
      overSoftLimitSince[0] = 0;
      return false;
    }
    String kind = session.subscriptions().count() > 0 ? "pubsub" : "normal";
    if (!OutputBufferLimits.exceeded(
        server.outputLimits().of(kind), unsent, overSoftLimitSince, System.currentTimeMillis())) {
      return false;
    }
    log.warn(
        "closing client id={} addr={}: {} bytes of unsent replies pass the {} class of"
            + " client-output-buffer-limit",
        session.id(),
        ctx.channel().remoteAddress(),
        unsent,
        kind);
    closing = true;
    pending.clear();
    ctx.close();
    return true;
  }

  /**
   * Takes the keyspace lock for the next chunk of the queue. While a Lua script holds the lock past
   * busy-reply-threshold, this connection does not wait: it answers its queued requests itself,
   * without the lock, as Redis does while a script runs: SCRIPT KILL asks the engine to stop the
   * script, anything else gets BUSY. Returns false when the queue was emptied that way (the lock is
   * then not held).
   */
  private boolean lockOrAnswerBusy() {
    ScriptEngine scripts = server.scripts();
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
      if (scripts.busy()) {
        answerBusy(scripts);
        if (pending.isEmpty() || closing) {
          return false;
        }
      }
    }
  }

  private void answerBusy(ScriptEngine scripts) {
    StringBuilder replies = new StringBuilder();
    while (scripts.busy() && pending.peek() instanceof Request request) {
      pending.poll();
      byte[][] args = request.args();
      CommandSpec spec = server.commands().resolve(args);
      if (spec != null && spec.has(CommandTrait.KILLS_SCRIPT) && spec.arityAccepts(args.length)) {
        String error = scripts.kill();
        replies.append(error == null ? "+OK" : "-" + error).append("\r\n");
      } else {
        server.stats().errorReplies.increment();
        replies.append('-').append(ScriptEngine.BUSY).append("\r\n");
      }
    }
    if (!replies.isEmpty()) {
      ctx.writeAndFlush(
          ctx.alloc().buffer().writeBytes(replies.toString().getBytes(StandardCharsets.UTF_8)),
          ctx.voidPromise());
    }
  }

  /** Whether the request runs a Lua script (EVAL …), which runs on the script engine's thread. */
  private boolean runsScript(byte[][] args) {
    CommandSpec spec = server.commands().lookup(args[0]);
    return spec != null && spec.has(CommandTrait.RUNS_SCRIPT);
  }

  /**
   * Under the lock: suspends the connection if the command must wait for keys or a load; returns
   * whether it did. Callers off the event loop must go by this, not by {@link #state}: a load can
   * complete at once, on this thread, and its reply then be written and the state set back to
   * RUNNING on the event loop before they look (which wrote a script's reply twice).
   */
  private boolean afterCommand(byte[][] args) {
    BlockRequest block = context.takeBlockRequest();
    if (block != null) {
      block(args, block);
      return true;
    }
    CommandContext.LoadRequest load = context.takeLoadRequest();
    if (load != null) {
      state = State.LOADING;
      server.keyLoader().load(load.db(), load.keys(), result -> loaded(args, load, result));
      return true;
    }
    return false;
  }

  /**
   * EVAL and EVALSHA run on the script engine's thread rather than on this connection's I/O thread,
   * which stays free meanwhile: once the script is busy, the other connections of the same I/O
   * thread get BUSY (and can SCRIPT KILL it) instead of waiting behind it. The reply goes back to
   * this connection's own thread, which writes it and resumes the queue, as for a blocked command.
   */
  private void runScript(byte[][] args) {
    server
        .scripts()
        .runner()
        .execute(
            () -> {
              lock.lock();
              try {
                ByteBuf out = ctx.alloc().ioBuffer();
                try {
                  writer.target(out);
                  writer.useProtocol(session.protocol());
                  executor.execute(context, args);
                } catch (RuntimeException | Error e) {
                  out.release();
                  log.warn("closing connection {} after a script failed", session.id(), e);
                  ctx.close();
                  return;
                } finally {
                  writer.target(null);
                }
                state = State.RUNNING; // afterCommand may suspend again
                boolean suspended = afterCommand(args);
                serveReadyKeys();
                if (!suspended) {
                  resumeWith(out);
                } else {
                  out.release();
                }
              } finally {
                lock.unlock();
              }
            });
  }

  /**
   * On a loader thread: stores what was loaded (keys that appeared meanwhile keep their value) and
   * runs the command again, which may need another load if memory pressure evicted a key in
   * between. The reply goes to this connection's own thread, as for a blocked command.
   */
  private void loaded(byte[][] args, CommandContext.LoadRequest load, KeyLoader.Result result) {
    lock.lock();
    try {
      ByteBuf out = ctx.alloc().ioBuffer();
      writer.target(out);
      writer.useProtocol(session.protocol());
      if (result.error() != null) {
        writer.error(result.error());
      } else {
        store(load.db(), result);
        executor.executeAfterLoad(context, args);
      }
      writer.target(null);
      state = State.RUNNING; // afterCommand may suspend again
      boolean suspended = afterCommand(args);
      serveReadyKeys();
      if (!suspended) {
        resumeWith(out);
      } else {
        out.release(); // suspended again before replying: nothing to send yet
      }
    } finally {
      lock.unlock();
    }
  }

  private void store(int db, KeyLoader.Result result) {
    Database database = keyspace.db(db);
    for (KeyLoader.Loaded loaded : result.values()) {
      if (loaded.value() == null || database.get(loaded.key()) != null) {
        continue;
      }
      Entry entry = database.insert(loaded.key(), loaded.value());
      if (loaded.ttlMillis() > 0) {
        database.expireAt(entry, keyspace.now() + loaded.ttlMillis());
      }
    }
  }

  /** Under the lock: waits on the request's keys, with a timeout on this connection's loop. */
  private void block(byte[][] args, BlockRequest request) {
    blockedArgs = args;
    blockRequest = request;
    for (byte[] key : request.keys()) {
      keyspace.blocked().add(request.db(), key, this);
    }
    if (request.timeoutMillis() > 0) {
      blockTimeout =
          ctx.executor().schedule(this::timedOut, request.timeoutMillis(), TimeUnit.MILLISECONDS);
    }
    server.stats().blockedClients.incrementAndGet();
    session.blocked(true);
    state = State.BLOCKED;
  }

  /** Under the lock: forgets the wait. */
  private void unblock() {
    for (byte[] key : blockRequest.keys()) {
      keyspace.blocked().remove(blockRequest.db(), key, this);
    }
    if (blockTimeout != null) {
      blockTimeout.cancel(false);
      blockTimeout = null;
    }
    blockedArgs = null;
    blockRequest = null;
    session.blocked(false);
    server.stats().blockedClients.decrementAndGet();
  }

  /**
   * Under the lock, after a command: runs again the commands of clients blocked on keys that
   * changed, oldest waiter first. Serving one may make other keys ready (BLMOVE pushes), hence the
   * loop.
   */
  private void serveReadyKeys() {
    while (keyspace.hasReadyKeys()) {
      for (Keyspace.DbKey ready : keyspace.takeReadyKeys()) {
        byte[] key = ready.key().bytes();
        for (Object waiter : List.copyOf(keyspace.blocked().get(ready.db(), key))) {
          Entry entry = keyspace.db(ready.db()).get(key);
          ((ClientHandler) waiter).retryBlocked(entry == null ? null : entry.value());
        }
      }
    }
  }

  /**
   * Under the lock, on whichever thread made a key ready: re-runs the blocked command if the key's
   * {@code value} is what it waits for. If it is served, its reply goes to this connection's own
   * thread, which writes it and resumes.
   */
  private void retryBlocked(Object value) {
    if (state != State.BLOCKED || !blockRequest.servedBy(value)) {
      return;
    }
    ByteBuf out = ctx.alloc().ioBuffer();
    writer.target(out);
    writer.useProtocol(session.protocol());
    executor.execute(context, blockedArgs);
    writer.target(null);
    if (context.takeBlockRequest() != null) {
      out.release(); // still nothing for it: it keeps its place in the queue
      return;
    }
    unblock();
    resumeWith(out);
  }

  private void timedOut() {
    ByteBuf out;
    lock.lock();
    try {
      if (state != State.BLOCKED) {
        return;
      }
      out = ctx.alloc().ioBuffer();
      writer.target(out);
      writer.useProtocol(session.protocol());
      blockRequest.onTimeout().accept(writer);
      writer.target(null);
      blockTimeout = null;
      unblock();
      resumeWith(out);
    } finally {
      lock.unlock();
    }
  }

  private void resumeWith(ByteBuf reply) {
    state = State.RESUMING;
    CompletableFuture<?> durable = context.takeDurable();
    Runnable write =
        () -> {
          ctx.writeAndFlush(reply, ctx.voidPromise());
          state = State.RUNNING;
          drain();
        };
    if (durable == null) {
      afterHeldReplies(write);
    } else {
      afterHeldReplies(
          () ->
              durable.whenComplete(
                  (v, e) ->
                      ctx.executor()
                          .execute(
                              () -> {
                                if (e != null) {
                                  reply.release();
                                  journalFailed(e);
                                } else {
                                  write.run();
                                }
                              })));
    }
  }

  /**
   * On the event loop, after a chunk: {@code out} holds replies of journaled writes; it is written
   * once {@code durable} completes. The chunk marked the hold (and moved a RUNNING connection to
   * DURABLE) under the lock; one that blocked, is loading or runs a script resumes behind the held
   * replies.
   */
  private void holdUntilDurable(ByteBuf out, CompletableFuture<?> durable, boolean wasRunning) {
    boolean close = closing;
    durable.whenComplete(
        (v, e) ->
            ctx.executor()
                .execute(
                    () -> {
                      if (e != null) {
                        out.release();
                        journalFailed(e);
                        return;
                      }
                      if (close) {
                        ctx.writeAndFlush(out).addListener(ChannelFutureListener.CLOSE);
                        return;
                      }
                      ctx.writeAndFlush(out, ctx.voidPromise());
                      List<Runnable> after;
                      synchronized (durableLock) {
                        after = List.copyOf(afterDurable);
                        afterDurable.clear();
                        awaitingDurable = false;
                      }
                      if (wasRunning) {
                        state = State.RUNNING;
                      }
                      after.forEach(Runnable::run);
                      if (wasRunning) {
                        drain();
                      }
                    }));
  }

  /** Runs {@code task} on the event loop once held replies, if any, have been written. */
  private void afterHeldReplies(Runnable task) {
    synchronized (durableLock) {
      if (awaitingDurable) {
        afterDurable.add(task);
        return;
      }
    }
    ctx.executor().execute(task);
  }

  private void journalFailed(Throwable e) {
    log.error("journal failed; closing connection {}", ctx.channel().remoteAddress(), e);
    closing = true;
    pending.clear();
    String reason = String.valueOf(e.getMessage()).replace('\r', ' ').replace('\n', ' ');
    byte[] error =
        ("-ERR journal write failed, writes not acknowledged: " + reason + "\r\n")
            .getBytes(StandardCharsets.UTF_8);
    ctx.writeAndFlush(ctx.alloc().buffer().writeBytes(error))
        .addListener(ChannelFutureListener.CLOSE);
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    boolean writable = ctx.channel().isWritable();
    ctx.channel().config().setAutoRead(writable);
    if (writable) {
      drain();
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("closing connection {} after an error", ctx.channel().remoteAddress(), cause);
    ctx.close();
  }
}
