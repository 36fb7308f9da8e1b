package dev.sluice.proxy.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import redis.clients.jedis.Jedis;

/** Debian's redis-sentinel for the failover tests, and what they ask of the Sluice nodes. */
public final class Sentinels {
  private Sentinels() {}

  /**
   * Starts a Sentinel on {@code port} (its config and log in {@code dir}) watching {@code name} at
   * {@code primaryPort}, with a quorum of 2 and a primary down after 1 s.
   */
  public static Process start(Path dir, int port, String name, int primaryPort) {
    try {
      Files.createDirectories(dir);
      Path config = dir.resolve("sentinel.conf");
      Files.writeString(
          config,
          String.join(
              "\n",
              "port " + port,
              "bind 127.0.0.1",
              "dir " + dir,
              "sentinel monitor " + name + " 127.0.0.1 " + primaryPort + " 2",
              "sentinel down-after-milliseconds " + name + " 1000",
              "sentinel failover-timeout " + name + " 10000",
              "sentinel parallel-syncs " + name + " 1",
              ""));
      return new ProcessBuilder("redis-sentinel", config.toString())
          .redirectErrorStream(true)
          .redirectOutput(dir.resolve("sentinel.log").toFile())
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Whether the Sentinel that {@code sentinel} talks to sees {@code name} with two replicas and two
   * other Sentinels; false while it does not listen yet (a loaded machine starts it late).
   */
  public static boolean seeTheWholeSetup(Jedis sentinel, String name) {
    try {
      var primary = sentinel.sentinelMaster(name);
      return "2".equals(primary.get("num-slaves"))
          && "2".equals(primary.get("num-other-sentinels"));
    } catch (redis.clients.jedis.exceptions.JedisConnectionException notListeningYet) {
      return false;
    }
  }

  /** Whether {@code node} is a replica of {@code primaryPort} whose link is up. */
  public static boolean follows(SluiceProcess node, int primaryPort) {
    try (Jedis jedis = node.jedis()) {
      List<Object> role = jedis.role();
      return role.get(0).equals("slave")
          && role.get(2).equals((long) primaryPort)
          && role.get(3).equals("connected");
    } catch (redis.clients.jedis.exceptions.JedisConnectionException killed) {
      return false;
    }
  }
}
