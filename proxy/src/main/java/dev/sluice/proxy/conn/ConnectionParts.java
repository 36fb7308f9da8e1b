package dev.sluice.proxy.conn;

import dev.sluice.proxy.engine.CommandContext;
import dev.sluice.proxy.engine.CommandExecutor;
import dev.sluice.proxy.engine.Session;
import dev.sluice.proxy.keyspace.Keyspace;
import dev.sluice.proxy.resp.RespWriter;
import dev.sluice.proxy.runtime.ServerContext;
import io.netty.channel.ChannelHandlerContext;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What one connection's commands run with: its channel, session, writer and command context. The
 * writer and context are used by one thread at a time, always under the keyspace lock, except by
 * the connection's own loop while nothing else can reach them (it is RUNNING: no suspension).
 */
record ConnectionParts(
    ServerContext server,
    CommandExecutor executor,
    ChannelHandlerContext ctx,
    Session session,
    RespWriter writer,
    CommandContext context) {
  ConnectionParts(
      ServerContext server,
      CommandExecutor executor,
      ChannelHandlerContext ctx,
      Session session,
      RespWriter writer) {
    this(
        server,
        executor,
        ctx,
        session,
        writer,
        new CommandContext(server.engine(), session, writer));
  }

  /** Points the writer at {@code out}, in the session's protocol, for the commands about to run. */
  void writeInto(io.netty.buffer.ByteBuf out) {
    writer.target(out);
    writer.useProtocol(session.protocol());
  }

  /**
   * Under the lock, before a chunk of the pipeline runs: the client interacted (Redis sets its
   * lastinteraction on each read and write, not each command), and the chunk's commands share clock
   * readings (CommandClock, {@link Keyspace#holdAccessClock}).
   */
  void startChunk(io.netty.buffer.ByteBuf out) {
    session.interacted(System.currentTimeMillis());
    session.commandClock().open();
    keyspace().holdAccessClock(true);
    writeInto(out);
  }

  /** Under the lock, after the chunk: the next one may run after any delay. */
  void endChunk() {
    session.commandClock().close();
    keyspace().holdAccessClock(false);
    writer.target(null);
  }

  Keyspace keyspace() {
    return server.keyspace();
  }

  ReentrantLock lock() {
    return server.keyspace().lock();
  }
}
