package dev.sluice.proxy.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.config.ConfigException;
import dev.sluice.config.Settings;
import dev.sluice.config.SluiceConfig;
import dev.sluice.config.UserConfig;
import dev.sluice.config.UserConfig.Role;
import dev.sluice.proxy.SluiceServer;
import dev.sluice.proxy.keyspace.Clock;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/** Protected mode: beyond loopback only with a password, or when turned off explicitly. */
class ProtectedModeTest {
  private static SluiceConfig config(UnaryOperator<SluiceConfig.Builder> settings) {
    return settings
        .apply(SluiceConfig.builder().set(Settings.PORT, 0).set(Settings.IO_THREADS, 1))
        .build();
  }

  @Test
  void start_allInterfacesWithoutPassword_isRefusedBeforeListening() {
    SluiceServer server =
        new SluiceServer(
            config(b -> b.set(Settings.BIND, List.of("127.0.0.1", "0.0.0.0"))), Clock.SYSTEM);
    ConfigException e = assertThrows(ConfigException.class, server::start);
    assertTrue(
        e.getMessage().startsWith("protected mode: Sluice would listen on 0.0.0.0"),
        e.getMessage());
    assertEquals(0, server.port(), "nothing was bound");
  }

  @Test
  void start_allInterfacesWithOnlyANopassUser_isRefused() {
    UserConfig open = new UserConfig("open", List.of(), true, Role.APP, true, null, "users[0]");
    SluiceServer server =
        new SluiceServer(
            config(b -> b.set(Settings.BIND, List.of("0.0.0.0")).users(List.of(open))),
            Clock.SYSTEM);
    assertThrows(ConfigException.class, server::start);
  }

  @Test
  void start_allInterfacesWithRequirepass_listensAndAsksForIt() throws Exception {
    try (SluiceServer server =
            new SluiceServer(
                    config(
                        b ->
                            b.set(Settings.BIND, List.of("0.0.0.0"))
                                .set(Settings.REQUIREPASS, "pw")),
                    Clock.SYSTEM)
                .start();
        Jedis jedis = new Jedis("127.0.0.1", server.port())) {
      assertEquals("OK", jedis.auth("pw"));
      assertEquals("PONG", jedis.ping());
    }
  }

  @Test
  void start_allInterfacesWithProtectedModeOff_listens() throws Exception {
    try (SluiceServer server =
            new SluiceServer(
                    config(
                        b ->
                            b.set(Settings.BIND, List.of("0.0.0.0"))
                                .set(Settings.PROTECTED_MODE, false)),
                    Clock.SYSTEM)
                .start();
        Jedis jedis = new Jedis("127.0.0.1", server.port())) {
      assertEquals("PONG", jedis.ping());
    }
  }

  @Test
  void start_loopbackOnlyWithoutPassword_listens() throws Exception {
    try (SluiceServer server =
        new SluiceServer(config(b -> b.set(Settings.BIND, List.of("127.0.0.1"))), Clock.SYSTEM)
            .start()) {
      assertTrue(server.port() > 0);
    }
  }
}
