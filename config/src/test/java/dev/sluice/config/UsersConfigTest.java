package dev.sluice.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.config.UserConfig.Role;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code users:} list: parsing, hashing of secrets and every refusal. */
class UsersConfigTest {
  private static final String HASH = UserConfig.sha256Hex("password");

  private static SluiceConfig load(String yaml, Map<String, String> env) {
    return new ConfigLoader(env).loadText(yaml, "test configuration", Map.of());
  }

  private static String refusal(String yaml) {
    return assertThrows(ConfigException.class, () -> load(yaml, Map.of())).getMessage();
  }

  @Test
  void users_hashOrTextOrNopass_areKeptAsDigests() {
    SluiceConfig config =
        load(
            """
            users:
              - name: app
                password: "#%s"
                role: app
              - name: grafana
                password: ">${GRAFANA_PASSWORD}"
                role: readonly
                http-token: ">tok"
              - name: ops
                password: nopass
                role: dba
                enabled: false
            """
                .formatted(HASH),
            Map.of("GRAFANA_PASSWORD", "g-secret"));
    List<UserConfig> users = config.users();
    assertEquals(3, users.size());
    assertEquals(List.of(HASH), users.get(0).passwordHashes());
    assertEquals(Role.APP, users.get(0).role());
    assertTrue(users.get(0).enabled());
    assertNull(users.get(0).httpTokenHash());
    assertEquals(List.of(UserConfig.sha256Hex("g-secret")), users.get(1).passwordHashes());
    assertEquals(UserConfig.sha256Hex("tok"), users.get(1).httpTokenHash());
    assertTrue(users.get(2).nopass());
    assertFalse(users.get(2).enabled());
    assertTrue(config.requiresAuthentication());
  }

  @Test
  void users_none_requireNoAuthenticationWithoutRequirepass() {
    assertFalse(load("port: 7000\n", Map.of()).requiresAuthentication());
    assertTrue(load("requirepass: x\n", Map.of()).requiresAuthentication());
  }

  @Test
  void role_unknown_isRefusedWithTheChoices() {
    String message = refusal("users:\n  - name: a\n    password: \">p\"\n    role: admin\n");
    assertEquals(
        "invalid value for 'users[0] ('a').role' in test configuration: got 'admin', expected one"
            + " of readonly, app, dba",
        message);
  }

  @Test
  void password_badHash_isRefusedWithoutRepeatingIt() {
    String message = refusal("users:\n  - name: a\n    password: \"#ABCDEF\"\n    role: app\n");
    assertTrue(message.contains("got '#… (6 characters)'"), message);
    assertFalse(message.contains("ABCDEF"), message);
    String plain = refusal("users:\n  - name: a\n    password: \"hunter2\"\n    role: app\n");
    assertFalse(plain.contains("hunter2"), plain);
    assertTrue(plain.contains("expected \"#<sha-256 hex>\" or \">text\" or nopass"), plain);
  }

  @Test
  void users_duplicateNameDefaultUserUnknownKeyMissingRole_areRefused() {
    assertTrue(
        refusal(
                "users:\n  - {name: a, password: nopass, role: app}\n"
                    + "  - {name: a, password: nopass, role: dba}\n")
            .startsWith("duplicate user name 'a' in users[1]"));
    assertTrue(
        refusal("users:\n  - {name: default, password: nopass, role: app}\n")
            .contains("requirepass"));
    assertTrue(
        refusal("users:\n  - {name: a, password: nopass, role: app, keys: '*'}\n")
            .startsWith("unknown key 'keys' in users[0]"));
    assertTrue(
        refusal("users:\n  - {name: a, password: nopass}\n")
            .startsWith("missing key 'role' in users[0] ('a')"));
    assertTrue(
        refusal(
                "users:\n  - {name: a, password: nopass, role: app, http-token: '>t'}\n"
                    + "  - {name: b, password: nopass, role: app, http-token: '>t'}\n")
            .contains("user 'a' has the same token already"));
  }
}
