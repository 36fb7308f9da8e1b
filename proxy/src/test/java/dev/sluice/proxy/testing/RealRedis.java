package dev.sluice.proxy.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import redis.clients.jedis.Jedis;

/**
 * A real redis-server (7.0.15, installed by .ci/run) on a free loopback port, without save points
 * or AOF, its working directory {@code dir} (dump.rdb is read from and written there), its log in
 * dir/redis.log.
 */
public final class RealRedis implements AutoCloseable {
  private final Process process;
  private final int port;

  private RealRedis(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /** Starts one and waits until it answers PING; {@code extra} are more command-line options. */
  public static RealRedis start(Path dir, String... extra) {
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<String> command =
        new ArrayList<>(
            List.of(
                "redis-server",
                "--port",
                String.valueOf(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                dir.toString()));
    command.addAll(List.of(extra));
    Process process;
    try {
      process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("redis.log").toFile())
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    RealRedis redis = new RealRedis(process, port);
    Await.until("redis-server answers PING", redis::answers);
    return redis;
  }

  private boolean answers() {
    return answersPing(process, "redis-server", this::jedis);
  }

  /**
   * Whether a server in a child process answers PING yet; its exit fails the wait at once instead
   * of letting it run out.
   */
  static boolean answersPing(
      Process process, String what, java.util.function.Supplier<Jedis> connect) {
    if (!process.isAlive()) {
      throw new IllegalStateException(what + " exited with " + process.exitValue());
    }
    try (Jedis jedis = connect.get()) {
      return "PONG".equals(jedis.ping());
    } catch (RuntimeException e) {
      return false;
    }
  }

  public int port() {
    return port;
  }

  public Jedis jedis() {
    return new Jedis("127.0.0.1", port);
  }

  @Override
  public void close() {
    process.destroy();
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
