package dev.sluice.proxy.net;

import dev.sluice.config.ConfigException;
import dev.sluice.config.Settings;
import dev.sluice.config.SluiceConfig;
import dev.sluice.config.UserConfig;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Redis's protected mode, made stricter: Redis accepts connections from other hosts and refuses
 * their commands, Sluice does not start at all when it would listen beyond loopback with no
 * password, because a cache in front of the company database is a door into it.
 */
public final class ProtectedMode {
  private ProtectedMode() {}

  /**
   * @throws ConfigException naming the addresses and the three ways out, when {@code
   *     protected-mode} is on, a bind address is not loopback and no password is configured
   */
  public static void check(SluiceConfig config) {
    if (!config.get(Settings.PROTECTED_MODE) || passwordConfigured(config)) {
      return;
    }
    List<String> exposed = config.bind().stream().filter(h -> !isLoopback(h)).toList();
    if (exposed.isEmpty()) {
      return;
    }
    throw new ConfigException(
        "protected mode: Sluice would listen on "
            + String.join(" ", exposed)
            + " (bind), which is not a loopback address, but no password is configured (neither"
            + " requirepass nor users:), so anyone who reaches it could read and change data and"
            + " steer the write-back to PostgreSQL. Do one of: set requirepass (--requirepass,"
            + " SLUICE_REQUIREPASS) or define users: in the configuration file; bind 127.0.0.1"
            + " only; or, if the network itself is protected, set protected-mode no.");
  }

  /**
   * requirepass, or named users none of whom is an enabled nopass user (the default user is then
   * off, so a password is needed to get in).
   */
  static boolean passwordConfigured(SluiceConfig config) {
    if (!config.get(Settings.REQUIREPASS).isEmpty()) {
      return true;
    }
    List<UserConfig> users = config.users();
    return !users.isEmpty() && users.stream().noneMatch(u -> u.enabled() && u.nopass());
  }

  private static boolean isLoopback(String host) {
    if (host.equalsIgnoreCase("localhost")) {
      return true;
    }
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false; // binding will fail anyway, with its own message
    }
  }
}
