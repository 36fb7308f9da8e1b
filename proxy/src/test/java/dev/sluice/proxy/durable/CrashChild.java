package dev.sluice.proxy.durable;

import dev.sluice.proxy.SluiceServer;
import java.util.HashMap;
import java.util.Map;

/**
 * The Sluice the crash test kills: arguments are {@code key=value} settings for the test's database
 * and journal; prints {@code PORT <n>} once it listens, then serves until killed.
 */
public final class CrashChild {
  private CrashChild() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> flags = new HashMap<>();
    for (String arg : args) {
      int eq = arg.indexOf('=');
      flags.put(arg.substring(0, eq), arg.substring(eq + 1));
    }
    var config = WriteBackFixture.load(flags);
    SluiceServer server =
        new SluiceServer(
                config,
                dev.sluice.proxy.keyspace.Clock.SYSTEM,
                dev.sluice.proxy.postgres.PostgresConnector.start(config, null))
            .start();
    System.out.println("PORT " + server.port());
    System.out.flush();
    server.awaitClose();
  }
}
