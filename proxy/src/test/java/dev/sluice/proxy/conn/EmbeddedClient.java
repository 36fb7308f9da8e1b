package dev.sluice.proxy.conn;

import dev.sluice.proxy.SluiceServer;
import dev.sluice.proxy.engine.CommandExecutor;
import dev.sluice.proxy.runtime.ServerContext;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * One client connection on an {@link EmbeddedChannel}, its pipeline built as {@link SluiceServer}
 * builds a child channel's: the test is the event loop, running its tasks when it says.
 */
final class EmbeddedClient implements AutoCloseable {
  private static long nextId = 1;

  final EmbeddedChannel channel;
  final ClientHandler handler;

  EmbeddedClient(ServerContext server, CommandExecutor executor, TrackingAllocator allocator)
      throws Exception {
    channel = new EmbeddedChannel(false, false);
    channel.config().setAllocator(allocator);
    channel.attr(ClientIdAssigner.CLIENT_ID).set(nextId++);
    handler = ClientHandler.addTo(channel.pipeline(), server, executor);
    channel.register();
    channel.freezeTime(); // the loop's clock moves only by advance()
  }

  /** Sends commands as one read burst, each a RESP array of its space-separated words. */
  EmbeddedClient send(String... commands) {
    StringBuilder resp = new StringBuilder();
    for (String command : commands) {
      String[] words = command.split(" ");
      resp.append('*').append(words.length).append("\r\n");
      for (String word : words) {
        int length = word.getBytes(StandardCharsets.UTF_8).length;
        resp.append('$').append(length).append("\r\n").append(word).append("\r\n");
      }
    }
    channel.writeInbound(Unpooled.copiedBuffer(resp, StandardCharsets.UTF_8));
    return this;
  }

  /** Runs the loop's posted tasks, then takes what was written since the last call. */
  String replies() {
    channel.runPendingTasks();
    StringBuilder text = new StringBuilder();
    ByteBuf out;
    while ((out = channel.readOutbound()) != null) {
      text.append(out.toString(StandardCharsets.UTF_8));
      out.release();
    }
    return text.toString();
  }

  /** Moves the loop's clock on and runs what became due. */
  void advance(long millis) {
    channel.advanceTimeBy(millis, TimeUnit.MILLISECONDS);
    channel.runScheduledPendingTasks();
  }

  ConnectionStateMachine.State state() {
    return handler.connection().state();
  }

  Suspension.Kind suspendedOn() {
    return handler.connection().suspendedOn();
  }

  @Override
  public void close() {
    channel.finishAndReleaseAll();
  }
}
