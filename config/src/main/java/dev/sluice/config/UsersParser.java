package dev.sluice.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.config.UserConfig.Role;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.BinaryOperator;
import java.util.stream.Collectors;

/**
 * Turns the YAML list under {@code users:} into validated {@link UserConfig}s. A secret ({@code
 * password}, {@code http-token}) is written as Redis ACL files write it: {@code #<64 hex digits>}
 * is its SHA-256 digest, {@code ><text>} the secret itself (hashed at once, never kept), and a
 * password may also be {@code nopass}. Every refusal names the entry, the key, the value (never a
 * secret) and what was expected.
 */
final class UsersParser {
  private static final List<String> KEYS =
      List.of("name", "password", "role", "enabled", "http-token");

  private final String source;
  private final BinaryOperator<String> expand;

  UsersParser(String source, BinaryOperator<String> expand) {
    this.source = source;
    this.expand = expand;
  }

  static List<String> knownKeys() {
    return KEYS;
  }

  List<UserConfig> parse(JsonNode node) {
    List<JsonNode> entries =
        YamlLists.entries(
            node, "users", source, "a list of users (each with name, password and role)");
    List<UserConfig> users = new ArrayList<>();
    Map<String, UserConfig> byName = new HashMap<>();
    Map<String, UserConfig> byToken = new HashMap<>();
    for (int i = 0; i < entries.size(); i++) {
      UserConfig user = entry("users[" + i + "]", entries.get(i));
      UserConfig sameName = byName.putIfAbsent(user.name(), user);
      if (sameName != null) {
        throw ConfigException.duplicateName(
            "user", user.name(), user.path(), source, sameName.path());
      }
      if (user.httpTokenHash() != null) {
        UserConfig sameToken = byToken.putIfAbsent(user.httpTokenHash(), user);
        if (sameToken != null) {
          throw new ConfigException(
              "invalid value for '"
                  + user.path()
                  + ".http-token' in "
                  + source
                  + ": user '"
                  + sameToken.name()
                  + "' has the same token already; each token stands for one user");
        }
      }
      users.add(user);
    }
    return List.copyOf(users);
  }

  private UserConfig entry(String path, JsonNode node) {
    if (!node.isObject()) {
      throw ConfigException.invalidValue(path, source, node, "a user with name, password and role");
    }
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!KEYS.contains(key)) {
        throw new ConfigException(
            "unknown key '"
                + key
                + "' in "
                + path
                + " in "
                + source
                + "; known keys: "
                + String.join(", ", KEYS));
      }
    }
    String name = required(path, node, "name", "every user needs a name, e.g. name: app");
    if (!name.matches("[!-~]{1,128}")) {
      throw invalid(path, "name", name, "printable ASCII without spaces, at most 128 characters");
    }
    if (name.equals("default")) {
      throw invalid(
          path,
          "name",
          name,
          "another name: the default user is configured with requirepass and has every right");
    }
    String where = path + " ('" + name + "')";
    String roleText =
        required(where, node, "role", "every user needs a role: app, readonly or dba");
    Role role =
        Arrays.stream(Role.values())
            .filter(r -> r.configName().equals(roleText))
            .findFirst()
            .orElseThrow(
                () ->
                    invalid(
                        where,
                        "role",
                        roleText,
                        "one of "
                            + Arrays.stream(Role.values())
                                .map(Role::configName)
                                .collect(Collectors.joining(", "))));
    boolean enabled = true;
    if (node.has("enabled")) {
      JsonNode e = node.get("enabled");
      String text = expand.apply(path + ".enabled", e.asText());
      if (!text.equals("true") && !text.equals("false")) {
        throw invalid(where, "enabled", text, "true or false");
      }
      enabled = Boolean.parseBoolean(text);
    }
    String password =
        required(
            where,
            node,
            "password",
            "every user needs a password: \"#<sha-256 hex>\", \">text\" or nopass");
    boolean nopass = password.equals("nopass");
    List<String> hashes = nopass ? List.of() : List.of(secret(where, "password", password));
    String token = null;
    if (node.has("http-token")) {
      token = secret(where, "http-token", scalar(where, node, "http-token"));
    }
    return new UserConfig(name, hashes, nopass, role, enabled, token, path);
  }

  /**
   * The SHA-256 hex digest of a secret given as {@code #<hex>} or {@code ><text>}; the refusal
   * never repeats the text.
   */
  private String secret(String where, String key, String raw) {
    if (raw.startsWith("#")) {
      String hex = raw.substring(1);
      if (!UserConfig.isSha256Hex(hex)) {
        throw invalid(
            where,
            key,
            "#… (" + hex.length() + " characters)",
            "'#' followed by exactly 64 lowercase hexadecimal digits (a SHA-256 digest, as from"
                + " `printf %s secret | sha256sum`)");
      }
      return hex;
    }
    if (raw.startsWith(">") && raw.length() > 1) {
      return UserConfig.sha256Hex(raw.substring(1));
    }
    throw refused(
        where,
        key,
        "expected \"#<sha-256 hex>\" or \">text\""
            + (key.equals("password") ? " or nopass" : "")
            + " (the value is not repeated because it may be a secret)");
  }

  private String required(String where, JsonNode node, String key, String hint) {
    if (!node.has(key)) {
      throw new ConfigException(
          "missing key '" + key + "' in " + where + " in " + source + ": " + hint);
    }
    return scalar(where, node, key);
  }

  private String scalar(String where, JsonNode node, String key) {
    JsonNode value = node.get(key);
    if (!value.isValueNode() || value.isNull()) {
      throw refused(where, key, "expected a plain value");
    }
    return expand.apply(where + "." + key, value.asText());
  }

  private ConfigException invalid(String where, String key, String value, String expected) {
    return ConfigException.invalidValue(where + "." + key, source, "'" + value + "'", expected);
  }

  private ConfigException refused(String where, String key, String why) {
    return new ConfigException(
        "invalid value for '" + where + "." + key + "' in " + source + ": " + why);
  }
}
