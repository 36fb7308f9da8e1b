package dev.sluice.proxy.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import redis.clients.jedis.Jedis;

/**
 * A Sluice in its own JVM ({@code sluice serve --config}, from the test's class path), on a given
 * loopback port, without mappings (so without PostgreSQL) unless the test adds them to its
 * configuration: a node of a multi-node test, which {@link #kill} ends with SIGKILL.
 */
public final class SluiceProcess implements AutoCloseable {
  private final Process process;
  private final int port;

  private SluiceProcess(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /** A free loopback port, for a node that must be known before it starts (Sentinel's config). */
  public static int freePort() {
    try (ServerSocket free = new ServerSocket(0)) {
      return free.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts one in {@code dir} (its config, dump.rdb and log) and waits until it answers PING. */
  public static SluiceProcess start(Path dir, int port) {
    return start(dir, port, "");
  }

  /**
   * As {@link #start(Path, int)}, with {@code yaml} added to its configuration (PostgreSQL,
   * mappings, write-back settings).
   */
  public static SluiceProcess start(Path dir, int port, String yaml) {
    try {
      Files.createDirectories(dir);
      Path config = dir.resolve("sluice.yaml");
      Files.writeString(
          config, "port: " + port + "\nsave: \"\"\ndir: " + dir + "\nhttp:\n  port: -1\n" + yaml);
      Process process =
          new ProcessBuilder(
                  List.of(
                      Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                      "-Xmx256m",
                      // a node restarted mid-test is waited for: start-up time beats peak speed
                      "-XX:TieredStopAtLevel=1",
                      "-cp",
                      System.getProperty("java.class.path"),
                      "dev.sluice.cli.Main",
                      "serve",
                      "--config",
                      config.toString()))
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("sluice-" + System.nanoTime() + ".log").toFile())
              .start();
      SluiceProcess node = new SluiceProcess(process, port);
      Await.until(
          "Sluice on port " + port + " answers PING", Duration.ofSeconds(60), node::answers);
      return node;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private boolean answers() {
    return RealRedis.answersPing(process, "Sluice on port " + port, this::jedis);
  }

  public int port() {
    return port;
  }

  public Jedis jedis() {
    return new Jedis("127.0.0.1", port, 10_000);
  }

  /** SIGKILL: the node is gone at once, as a crashed machine. */
  public void kill() {
    process.destroyForcibly();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("Sluice on port " + port + " survived SIGKILL");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      kill();
    }
  }
}
