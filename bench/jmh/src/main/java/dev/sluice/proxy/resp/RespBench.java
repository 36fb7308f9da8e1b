package dev.sluice.proxy.resp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * RESP decoding of a pipeline of 16 SET requests (as redis-benchmark -P 16 sends them) and of 128
 * XADDs of 13 arguments (as bench/writeback.sh sends them), and encoding of the replies GET and SET
 * produce. In this package to call the decoder's {@code decode} directly, without a channel
 * pipeline around it.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RespBench {
  private static final int PIPELINE = 16;

  private static final int XADD_PIPELINE = 128;

  private final RespDecoder decoder = new RespDecoder(() -> 512L * 1024 * 1024);
  private final List<Object> decoded = new ArrayList<>(PIPELINE);
  private final RespWriter writer = new RespWriter();
  private final byte[] value = "xxx".getBytes(StandardCharsets.US_ASCII);
  private ByteBuf requests;
  private ByteBuf xadds;
  private ByteBuf replies;

  @Setup
  public void setUp() {
    StringBuilder pipeline = new StringBuilder();
    for (int i = 0; i < PIPELINE; i++) {
      pipeline.append("*3\r\n$3\r\nSET\r\n$16\r\nkey:").append(String.format("%012d", i * 7919));
      pipeline.append("\r\n$3\r\nxxx\r\n");
    }
    byte[] bytes = pipeline.toString().getBytes(StandardCharsets.US_ASCII);
    requests = PooledByteBufAllocator.DEFAULT.heapBuffer(bytes.length).writeBytes(bytes);
    replies = PooledByteBufAllocator.DEFAULT.directBuffer(64 * 1024);
    xadds = directBuffer(xaddPipeline());
    writer.target(replies);
  }

  /** The XADD of bench/writeback.sh with a growing seq, XADD_PIPELINE times, as multibulk. */
  private static byte[] xaddPipeline() {
    StringBuilder pipeline = new StringBuilder();
    for (int i = 0; i < XADD_PIPELINE; i++) {
      String[] args = {
        "XADD",
        "bench:events",
        "*",
        "seq",
        Integer.toString(100_000 + i),
        "kind",
        "view",
        "amount",
        "1.23",
        "user_id",
        "42",
        "note",
        "note-abc"
      };
      pipeline.append('*').append(args.length).append("\r\n");
      for (String arg : args) {
        pipeline.append('$').append(arg.length()).append("\r\n").append(arg).append("\r\n");
      }
    }
    return pipeline.toString().getBytes(StandardCharsets.US_ASCII);
  }

  /** A pooled direct buffer, as the server's channels read into. */
  private static ByteBuf directBuffer(byte[] bytes) {
    return PooledByteBufAllocator.DEFAULT.directBuffer(bytes.length).writeBytes(bytes);
  }

  @TearDown
  public void tearDown() {
    requests.release();
    xadds.release();
    replies.release();
  }

  /** Decodes 16 pipelined SETs; the result counts requests so nothing is optimised away. */
  @Benchmark
  public int decodeSetPipeline() {
    return decodeAll(requests);
  }

  /** Decodes 128 pipelined 13-argument XADDs from a direct buffer; returns the request count. */
  @Benchmark
  public int decodeXaddPipeline() {
    return decodeAll(xadds);
  }

  private int decodeAll(ByteBuf pipeline) {
    pipeline.readerIndex(0);
    decoded.clear();
    decoder.decode(null, pipeline, decoded);
    return decoded.size();
  }

  /** Encodes 16 replies of a GET hit with a 3-byte value. */
  @Benchmark
  public int encodeBulkReplies() {
    replies.clear();
    for (int i = 0; i < PIPELINE; i++) {
      writer.bulk(value);
    }
    return replies.writerIndex();
  }

  /** Encodes 16 +OK replies of SET. */
  @Benchmark
  public int encodeOkReplies() {
    replies.clear();
    for (int i = 0; i < PIPELINE; i++) {
      writer.simple("OK");
    }
    return replies.writerIndex();
  }
}
