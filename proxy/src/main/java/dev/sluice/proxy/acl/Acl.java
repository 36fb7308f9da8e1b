package dev.sluice.proxy.acl;

import dev.sluice.config.EndpointSettings;
import dev.sluice.config.Settings;
import dev.sluice.config.SluiceConfig;
import dev.sluice.config.UserConfig;
import dev.sluice.config.UserConfig.Role;
import dev.sluice.proxy.engine.CommandTable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The users: the {@code default} user (its password is {@code requirepass}, it may run everything,
 * as in Redis) and the named users of the configuration's {@code users:} list, changed at run time
 * by ACL SETUSER and ACL DELUSER. When named users are configured and requirepass is empty, the
 * default user is off, so every client must authenticate as a named user.
 *
 * <p>Secrets are kept as SHA-256 digests only and compared with {@link MessageDigest#isEqual}, in
 * time that does not depend on where the digests differ; a login hashes the given password once and
 * compares it with every digest of the user.
 */
public final class Acl {
  private static final Logger log = LoggerFactory.getLogger(Acl.class);

  /** Failed logins are logged at most this often; the rest are counted in the next line. */
  private static final long LOG_INTERVAL_NANOS = 1_000_000_000L;

  private final AclRules rules;
  private final boolean namedUsersConfigured;
  private final ConcurrentSkipListMap<String, AclUser> users = new ConcurrentSkipListMap<>();
  private final AclUser defaultUser;
  private final byte[] defaultHttpTokenHash;
  private final AtomicLong lastFailureLog = new AtomicLong(System.nanoTime() - LOG_INTERVAL_NANOS);
  private final AtomicLong unloggedFailures = new AtomicLong();

  public Acl(CommandTable table, SluiceConfig config) {
    this.rules = new AclRules(table);
    this.namedUsersConfigured = !config.users().isEmpty();
    String token = config.get(EndpointSettings.HTTP_TOKEN);
    this.defaultHttpTokenHash =
        token.isEmpty() ? null : UserConfig.sha256(token.getBytes(StandardCharsets.UTF_8));
    this.defaultUser =
        new AclUser(
            "default",
            new AclUser.State(true, true, List.of(), Role.DBA, null, defaultHttpTokenHash));
    users.put("default", defaultUser);
    for (UserConfig u : config.users()) {
      List<byte[]> hashes = u.passwordHashes().stream().map(HexFormat.of()::parseHex).toList();
      byte[] tokenHash =
          u.httpTokenHash() == null ? null : HexFormat.of().parseHex(u.httpTokenHash());
      users.put(
          u.name(),
          new AclUser(
              u.name(),
              new AclUser.State(
                  u.enabled(),
                  u.nopass(),
                  hashes,
                  u.role(),
                  rules.userArray(u.role()),
                  tokenHash)));
    }
    requirepass(config.get(Settings.REQUIREPASS));
  }

  /**
   * CONFIG SET requirepass: the default user's only password, or nopass when empty (then off if
   * named users are configured, so they cannot be bypassed).
   */
  public void requirepass(String password) {
    AclUser.State s = defaultUser.state();
    if (password.isEmpty()) {
      defaultUser.state(s.withPasswords(true, List.of()).withEnabled(!namedUsersConfigured));
    } else {
      defaultUser.state(
          s.withPasswords(
                  false, List.of(UserConfig.sha256(password.getBytes(StandardCharsets.UTF_8))))
              .withEnabled(true));
    }
  }

  public AclUser defaultUser() {
    return defaultUser;
  }

  /** Whether a new connection must authenticate: the default user is off or has a password. */
  public boolean authRequired() {
    AclUser.State s = defaultUser.state();
    return !s.enabled() || !s.nopass();
  }

  public AclUser user(String name) {
    return users.get(name);
  }

  /** Every user, ordered by name as Redis lists them. */
  public Collection<AclUser> users() {
    return users.values();
  }

  public AclRules rules() {
    return rules;
  }

  public void put(AclUser user) {
    users.put(user.name(), user);
  }

  public void remove(String name) {
    users.remove(name);
  }

  /** The user if it exists, is on and accepts the password; otherwise null. */
  public AclUser authenticate(String name, byte[] password) {
    AclUser user = users.get(name);
    byte[] given = UserConfig.sha256(password);
    if (user == null) {
      return null;
    }
    AclUser.State s = user.state();
    boolean match = s.nopass();
    for (byte[] hash : s.passwordHashes()) {
      match |= MessageDigest.isEqual(hash, given); // no early exit: every digest is compared
    }
    return s.enabled() && match ? user : null;
  }

  /**
   * The user an HTTP bearer token stands for (the default user for {@code http.token}), or null.
   * Every token is compared, so the time taken does not tell which one came close.
   */
  public AclUser httpUser(byte[] token) {
    byte[] given = UserConfig.sha256(token);
    AclUser found = null;
    for (AclUser user : users.values()) {
      AclUser.State s = user.state();
      if (s.httpTokenHash() != null && MessageDigest.isEqual(s.httpTokenHash(), given)) {
        found = s.enabled() ? user : found;
      }
    }
    return found;
  }

  /** Whether any HTTP bearer token is configured. */
  public boolean anyHttpToken() {
    return users.values().stream().anyMatch(u -> u.state().httpTokenHash() != null);
  }

  /**
   * Logs a failed login ({@code who}: "user 'app'", "an HTTP bearer token") without the secret: at
   * most one line a second, which counts the ones in between, so a client guessing passwords cannot
   * flood the log.
   */
  public void loginFailed(String who, String from) {
    long now = System.nanoTime();
    long last = lastFailureLog.get();
    if (now - last >= LOG_INTERVAL_NANOS && lastFailureLog.compareAndSet(last, now)) {
      long more = unloggedFailures.getAndSet(0);
      log.warn(
          "authentication failed for {} from {}{}",
          who,
          from,
          more == 0 ? "" : " (and " + more + " more failed logins since the last such line)");
    } else {
      unloggedFailures.incrementAndGet();
    }
  }

  /** The user's rules as ACL LIST shows them: "on #<hex> ~* &* +@all". */
  public static String describe(AclUser user) {
    AclUser.State s = user.state();
    List<String> parts = new ArrayList<>();
    parts.add(s.enabled() ? "on" : "off");
    if (s.nopass()) {
      parts.add("nopass");
    }
    for (byte[] hash : s.passwordHashes()) {
      parts.add("#" + HexFormat.of().formatHex(hash));
    }
    parts.add("~*");
    parts.add("&*");
    parts.add(commandRules(s.role()));
    return String.join(" ", parts);
  }

  public static String commandRules(Role role) {
    return role == null ? "-@all" : AclRules.ROLE_RULES.get(role);
  }
}
