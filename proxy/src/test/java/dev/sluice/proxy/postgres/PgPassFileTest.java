package dev.sluice.proxy.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The password file on its own: libpq's escapes, the line it looks for, its mode. */
class PgPassFileTest {
  @TempDir Path dir;

  @Test
  void aPasswordWithSeparatorsAndEscapesComesBackAsWritten() throws IOException {
    Path file = dir.resolve(EmbeddedPostgresServer.PASSWORD_FILE);
    PgPassFile.write(file, "a:b\\c");
    assertEquals(Optional.of("a:b\\c"), PgPassFile.read(file));
    assertTrue(Files.readString(file).contains("localhost:*:*:postgres:a\\:b\\\\c\n"));
    if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }
  }

  @Test
  void readsTheFirstLineOfUserPostgresSkippingCommentsAndOtherUsers() throws IOException {
    Path file = dir.resolve("pgpass");
    Files.writeString(file, "# comment\n\n*:*:*:alice:nope\n127.0.0.1:5432:db:postgres:secret\n");
    assertEquals(Optional.of("secret"), PgPassFile.read(file));
  }

  @Test
  void aMissingFileHasNoPasswordAndOneWithoutPostgresIsRefused() throws IOException {
    assertEquals(Optional.empty(), PgPassFile.read(dir.resolve("absent")));
    Path file = dir.resolve("pgpass");
    Files.writeString(file, "*:*:*:alice:nope\n");
    assertThrows(PostgresException.class, () -> PgPassFile.read(file));
  }

  @Test
  void newPasswordsAreLongAndNeedNoEscapes() {
    String password = PgPassFile.newPassword();
    assertEquals(32, password.length());
    assertTrue(password.matches("[A-Za-z0-9_-]+"), password);
  }
}
