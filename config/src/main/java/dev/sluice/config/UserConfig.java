package dev.sluice.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * A named user from the {@code users:} list: who may authenticate (RESP {@code AUTH name password},
 * HTTP {@code Authorization: Bearer <token>}) and what the user may run, as one of the {@link Role
 * roles}. Secrets are kept only as SHA-256 digests, the form Redis ACL files use ({@code #<hex>}).
 *
 * @param passwordHashes SHA-256 digests (64 lowercase hex digits) of the accepted passwords
 * @param nopass whether any password is accepted (Redis's {@code nopass})
 * @param httpTokenHash SHA-256 digest of the user's HTTP bearer token, or null for none
 * @param path where the entry was in the file ("users[0]"), for messages
 */
public record UserConfig(
    String name,
    List<String> passwordHashes,
    boolean nopass,
    Role role,
    boolean enabled,
    String httpTokenHash,
    String path) {

  public UserConfig {
    passwordHashes = List.copyOf(passwordHashes);
  }

  /** Whether the user can log in at all: enabled and with a password (or nopass). */
  public boolean canAuthenticate() {
    return enabled && (nopass || !passwordHashes.isEmpty());
  }

  /** Whether {@code hex} is 64 lowercase hexadecimal digits, as Redis requires of {@code #}. */
  public static boolean isSha256Hex(String hex) {
    return hex.length() == 64
        && hex.chars().allMatch(ch -> Character.digit(ch, 16) >= 0 && !Character.isUpperCase(ch));
  }

  /** The SHA-256 digest of {@code text}'s UTF-8 bytes as 64 lowercase hex digits. */
  public static String sha256Hex(String text) {
    return HexFormat.of().formatHex(sha256(text.getBytes(StandardCharsets.UTF_8)));
  }

  public static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  /** What a user may run. The command sets are defined in docs/CONFIGURATION.md ("Users"). */
  public enum Role {
    /** Read commands only: nothing that writes, administers, runs scripts or publishes. */
    READONLY,
    /**
     * Data commands: everything except administration (@admin), FLUSHALL, SCRIPT FLUSH and FUNCTION
     * FLUSH.
     */
    APP,
    /** Everything, including SLUICE flow control, CONFIG SET, FLUSHALL, CLIENT KILL, SHUTDOWN. */
    DBA;

    public String configName() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** Whether this role has at least the rights of {@code other} (readonly < app < dba). */
    public boolean includes(Role other) {
      return ordinal() >= other.ordinal();
    }
  }
}
