package dev.sluice.proxy.conn;

import dev.sluice.config.SluiceConfig;
import dev.sluice.proxy.Commands;
import dev.sluice.proxy.engine.CommandExecutor;
import dev.sluice.proxy.keyspace.Clock;
import dev.sluice.proxy.runtime.ServerContext;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A connection's whole dispatch path without the sockets: a read burst of 16 pipelined commands, as
 * redis-benchmark {@code -P 16 -r 1000000} sends them, goes through the child channel's pipeline
 * (RESP decoder, client handler, connection state machine, executor, the command, the reply writer)
 * on an {@link EmbeddedChannel}, and its replies are taken off the outbound side. The score is
 * commands per microsecond. What redis-benchmark adds on a real server is the system calls (one
 * read and one write per burst) and the event loop.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {"-XX:+UseZGC", "-Xms2g", "-Xmx2g", "-Dio.netty.leakDetection.level=disabled"})
public class DispatchBench {
  private static final int PIPELINE = 16;
  private static final int BURSTS = 4096;

  /** The redis-benchmark test whose commands the bursts carry. */
  @Param({"get", "set", "incr", "lpush", "hset", "zadd"})
  public String test;

  private ServerContext server;
  private EmbeddedChannel channel;
  private ByteBuf[] bursts;
  private int next;

  @Setup
  public void setUp() throws Exception {
    server = new ServerContext(SluiceConfig.builder().build(), Clock.SYSTEM, Commands::register);
    CommandExecutor executor = new CommandExecutor(server.engine());
    channel = new EmbeddedChannel(false, false);
    channel.config().setAllocator(PooledByteBufAllocator.DEFAULT);
    channel.attr(ClientIdAssigner.CLIENT_ID).set(1L);
    ClientHandler.addTo(channel.pipeline(), server, executor);
    channel.register();
    SplittableRandom random = new SplittableRandom(42);
    bursts = new ByteBuf[BURSTS];
    for (int b = 0; b < BURSTS; b++) {
      StringBuilder resp = new StringBuilder();
      for (int i = 0; i < PIPELINE; i++) {
        encode(resp, command(String.format("%012d", random.nextInt(1_000_000))));
      }
      bursts[b] =
          PooledByteBufAllocator.DEFAULT
              .directBuffer()
              .writeBytes(resp.toString().getBytes(StandardCharsets.US_ASCII));
    }
  }

  /** redis-benchmark's command for {@link #test} with its random part {@code r}. */
  private String[] command(String r) {
    return switch (test) {
      case "get" -> new String[] {"GET", "key:" + r};
      case "set" -> new String[] {"SET", "key:" + r, "xxx"};
      case "incr" -> new String[] {"INCR", "counter:" + r};
      case "lpush" -> new String[] {"LPUSH", "mylist", "xxx"};
      case "hset" -> new String[] {"HSET", "myhash", "element:" + r, "xxx"};
      case "zadd" -> new String[] {"ZADD", "myzset", "0", "element:" + r};
      default -> throw new IllegalArgumentException("test: " + test + ", expected a -t name");
    };
  }

  private static void encode(StringBuilder resp, String[] words) {
    resp.append('*').append(words.length).append("\r\n");
    for (String word : words) {
      resp.append('$').append(word.length()).append("\r\n").append(word).append("\r\n");
    }
  }

  @Benchmark
  @OperationsPerInvocation(PIPELINE)
  public int burst() {
    ByteBuf in = bursts[next];
    next = (next + 1) & (BURSTS - 1);
    channel.writeInbound(in.retainedDuplicate());
    int replied = 0;
    ByteBuf out;
    while ((out = channel.readOutbound()) != null) {
      replied += out.readableBytes();
      out.release();
    }
    return replied;
  }

  @TearDown
  public void tearDown() {
    channel.finishAndReleaseAll();
    for (ByteBuf burst : bursts) {
      burst.release();
    }
  }
}
