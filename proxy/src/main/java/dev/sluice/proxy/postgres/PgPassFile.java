package dev.sluice.proxy.postgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * The embedded PostgreSQL's password file ({@value EmbeddedPostgresServer#PASSWORD_FILE} in its
 * data directory): libpq's {@code host:port:database:user:password} lines, mode 0600, so that
 * Sluice finds the password again on its next start and psql finds it through {@code PGPASSFILE}.
 */
final class PgPassFile {
  private PgPassFile() {}

  private static final SecureRandom RANDOM = new SecureRandom();

  /** 24 random bytes as base64url: 32 characters, none that a password file must escape. */
  static String newPassword() {
    byte[] bytes = new byte[24];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** The password in a password file written by {@link #write}, if there is one. */
  static Optional<String> read(Path passwordFile) {
    if (!Files.exists(passwordFile)) {
      return Optional.empty();
    }
    try {
      for (String line : Files.readAllLines(passwordFile, StandardCharsets.UTF_8)) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        List<String> fields = fields(line);
        if (fields.size() == 5
            && fields.get(3).equals(EmbeddedPostgresServer.USER)
            && !fields.get(4).isEmpty()) {
          return Optional.of(fields.get(4));
        }
      }
      throw new PostgresException(
          "the password file "
              + passwordFile
              + " of the embedded PostgreSQL has no line host:port:database:postgres:password");
    } catch (IOException e) {
      throw new PostgresException("cannot read " + passwordFile + ": " + e, e);
    }
  }

  /** The fields of a libpq password file line: {@code :} separates, {@code \} escapes. */
  private static List<String> fields(String line) {
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '\\' && i + 1 < line.length()) {
        field.append(line.charAt(++i));
      } else if (c == ':') {
        fields.add(field.toString());
        field.setLength(0);
      } else {
        field.append(c);
      }
    }
    fields.add(field.toString());
    return fields;
  }

  private static String escape(String text) {
    return text.replace("\\", "\\\\").replace(":", "\\:");
  }

  /**
   * Writes (or rewrites, when it differs) the password file, mode 0600: a libpq password file for
   * user postgres on this machine, any port and database, for psql through {@code PGPASSFILE}.
   */
  static void write(Path passwordFile, String password) {
    StringBuilder text =
        new StringBuilder(
            "# The password of user postgres of the embedded PostgreSQL in this directory, made by\n"
                + "# Sluice on its first start. A libpq password file:\n"
                + "#   PGPASSFILE="
                + passwordFile
                + " psql -h 127.0.0.1 -p <port> -U postgres\n");
    for (String host : List.of("localhost", "127.0.0.1", "::1")) {
      text.append(escape(host))
          .append(":*:*:")
          .append(EmbeddedPostgresServer.USER)
          .append(':')
          .append(escape(password))
          .append('\n');
    }
    try {
      if (Files.exists(passwordFile)
          && Files.readString(passwordFile, StandardCharsets.UTF_8).contentEquals(text)) {
        OwnerOnlyFiles.restrict(passwordFile);
        return;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + passwordFile, e);
    }
    OwnerOnlyFiles.writeAtomically(passwordFile, text.toString());
  }
}
