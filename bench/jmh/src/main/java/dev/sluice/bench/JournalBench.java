package dev.sluice.bench;

import dev.sluice.writeback.journal.FsyncPolicy;
import dev.sluice.writeback.journal.JournalOptions;
import dev.sluice.writeback.journal.JournalWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Journal appends of a 64-byte record, as an XADD row of a few columns encodes. {@code always}
 * waits for each append's fsync (one writer: no group commit to share it); {@code 100ms} measures
 * the append path itself, the journal thread writing behind it. Applied records are marked every
 * 10,000 appends so that segments are deleted and the budget never fills.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class JournalBench {
  @Param({"100ms", "always"})
  public String fsync;

  private final byte[] payload = new byte[64];
  private Path dir;
  private JournalWriter journal;
  private boolean always;
  private long appends;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    dir = Files.createTempDirectory("sluice-journal-bench");
    always = fsync.equals("always");
    FsyncPolicy policy = always ? FsyncPolicy.ALWAYS : FsyncPolicy.every(Duration.ofMillis(100));
    journal =
        JournalWriter.open(
            JournalOptions.defaults(dir).withSegmentSize(4L * 1024 * 1024).withFsync(policy));
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    journal.close();
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(JournalBench::delete);
    }
  }

  @Benchmark
  public long append() {
    boolean markApplied = ++appends % 10_000 == 0;
    CompletableFuture<Long> lsn = journal.append((byte) 1, payload);
    if (always || markApplied) {
      long appended = lsn.join();
      if (markApplied) {
        journal.markApplied(appended);
      }
      return appended;
    }
    return appends;
  }

  private static void delete(Path path) {
    try {
      Files.delete(path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
