package dev.sluice.bench;

import dev.sluice.proxy.types.RedisZSet;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One sorted set of {@code members} members in the skip list, changed as redis-benchmark's ZADD
 * changes it ({@code ZADD myzset <random score> element:<random>}: an existing member moves to a
 * new score, which walks the list twice), and ranked (one walk). What is measured is the walks'
 * cache misses, as in the -P 16 ZADD test.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class ZSetBench {
  @Param({"1000000"})
  public int members;

  private final SplittableRandom random = new SplittableRandom(42);
  private RedisZSet set;
  private byte[][] names;

  @Setup
  public void setUp() {
    set = new RedisZSet();
    names = new byte[members][];
    for (int i = 0; i < members; i++) {
      names[i] = ("element:" + i).getBytes(StandardCharsets.US_ASCII);
      set.add(names[i], random.nextInt(members));
    }
  }

  @Benchmark
  public RedisZSet.Node rescore() {
    RedisZSet.Node node = set.find(names[random.nextInt(members)]);
    set.setScore(node, random.nextInt(members));
    return node;
  }

  @Benchmark
  public long rank() {
    return set.rank(set.find(names[random.nextInt(members)]));
  }
}
