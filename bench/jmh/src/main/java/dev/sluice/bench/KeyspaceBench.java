package dev.sluice.bench;

import dev.sluice.proxy.keyspace.Clock;
import dev.sluice.proxy.keyspace.Database;
import dev.sluice.proxy.keyspace.Entry;
import dev.sluice.proxy.keyspace.Keyspace;
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
 * Lookups and overwrites in one database holding {@code keys} small string keys named as
 * redis-benchmark names them (key:000000000042), picked at random as -r does. The value stored by
 * {@link #set} is one shared array: what is measured is the table, not the allocation of values.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class KeyspaceBench {
  @Param({"1000000"})
  public int keys;

  private final byte[] value = "xxx".getBytes(StandardCharsets.US_ASCII);
  private final SplittableRandom random = new SplittableRandom(42);
  private Database db;
  private byte[][] names;

  @Setup
  public void setUp() {
    db = new Keyspace(16, Clock.SYSTEM).db(0);
    names = new byte[keys][];
    for (int i = 0; i < keys; i++) {
      names[i] = String.format("key:%012d", i).getBytes(StandardCharsets.US_ASCII);
      db.set(names[i], value, false);
    }
  }

  @Benchmark
  public Entry get() {
    return db.read(names[random.nextInt(keys)]);
  }

  @Benchmark
  public Entry set() {
    return db.set(names[random.nextInt(keys)], value, false);
  }
}
