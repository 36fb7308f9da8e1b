package dev.sluice.bench;

import dev.sluice.proxy.keyspace.Clock;
import dev.sluice.proxy.keyspace.Database;
import dev.sluice.proxy.keyspace.Keyspace;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The keyspace under 1, 2, 4 and 8 threads (run with JMH's {@code -t}): today's single lock beside
 * the lock striping by hash slot that docs/ARCHITECTURE.md ("Beyond one core") proposes.
 *
 * <p>Each invocation is one pipelined burst of {@value #BURST} commands on random keys, 90% GET and
 * 10% SET, as an I/O thread drains a read of {@code redis-benchmark -P 16}:
 *
 * <ul>
 *   <li>{@code single}: the server as built: one {@link Keyspace} and its lock, taken once per
 *       burst (the whole burst runs under it, as {@code ConnectionStateMachine.drain} does);
 *   <li>{@code striped}: {@code stripes} keyspaces, one lock each; a key's stripe is its slot
 *       (CRC16 mod 16384, as Redis Cluster) mod {@code stripes}; each command takes its own
 *       stripe's lock, since the keys of a burst fall into different stripes.
 * </ul>
 *
 * <p>Only the execution under the lock is measured, not the parsing and socket I/O that the I/O
 * threads already do in parallel: this is the part that does not scale today. On a machine with two
 * real cores, threads beyond two show contention, not speedup.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class KeyspaceScalingBench {
  static final int BURST = 16;
  private static final int KEYS = 1_000_000;

  @Param({"single", "striped"})
  public String design;

  @Param({"64"})
  public int stripes;

  private final byte[] value = "xxx".getBytes(StandardCharsets.US_ASCII);
  private byte[][] names;
  private int[] stripeOf;
  private Database[] dbs;
  private ReentrantLock[] locks;

  @Setup(Level.Trial)
  public void setUp() {
    int n = design.equals("single") ? 1 : stripes;
    dbs = new Database[n];
    locks = new ReentrantLock[n];
    for (int i = 0; i < n; i++) {
      Keyspace keyspace = new Keyspace(1, Clock.SYSTEM);
      dbs[i] = keyspace.db(0);
      locks[i] = keyspace.lock();
    }
    names = new byte[KEYS][];
    stripeOf = new int[KEYS];
    for (int i = 0; i < KEYS; i++) {
      names[i] = String.format("key:%012d", i).getBytes(StandardCharsets.US_ASCII);
      stripeOf[i] = Crc16.slot(names[i]) % n;
      dbs[stripeOf[i]].set(names[i], value, false);
    }
  }

  /** One client's random keys, per thread. */
  @State(Scope.Thread)
  public static class Client {
    final SplittableRandom random = new SplittableRandom();
    final int[] picks = new int[BURST];
  }

  @Benchmark
  @OperationsPerInvocation(BURST)
  public int burst(Client client) {
    for (int i = 0; i < BURST; i++) {
      client.picks[i] = client.random.nextInt(KEYS);
    }
    return design.equals("single") ? underOneLock(client) : underStripeLocks(client);
  }

  private int underOneLock(Client client) {
    int found = 0;
    ReentrantLock lock = locks[0];
    lock.lock();
    try {
      for (int i = 0; i < BURST; i++) {
        found += run(dbs[0], client, i);
      }
    } finally {
      lock.unlock();
    }
    return found;
  }

  private int underStripeLocks(Client client) {
    int found = 0;
    for (int i = 0; i < BURST; i++) {
      int stripe = stripeOf[client.picks[i]];
      ReentrantLock lock = locks[stripe];
      lock.lock();
      try {
        found += run(dbs[stripe], client, i);
      } finally {
        lock.unlock();
      }
    }
    return found;
  }

  private int run(Database db, Client client, int i) {
    byte[] key = names[client.picks[i]];
    if (client.random.nextInt(10) == 0) {
      db.set(key, value, false);
      return 1;
    }
    return db.read(key) == null ? 0 : 1;
  }

  /**
   * Redis Cluster's key slot: CRC16 (XMODEM) of the key, mod 16384; hash tags are not needed here.
   */
  static final class Crc16 {
    private Crc16() {}

    static int slot(byte[] key) {
      int crc = 0;
      for (byte b : key) {
        crc ^= (b & 0xff) << 8;
        for (int bit = 0; bit < 8; bit++) {
          crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
        }
      }
      return (crc & 0xffff) & 16383;
    }
  }
}
