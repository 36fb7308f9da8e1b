package dev.sluice.proxy.postgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Files only their owner may read (mode 0600 where the file system has POSIX permissions): the
 * embedded PostgreSQL's password file, initdb's password file and pg_hba.conf, which hold or guard
 * a secret and so are never, even briefly, readable by others.
 */
final class OwnerOnlyFiles {
  private OwnerOnlyFiles() {}

  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");

  /** Replaces {@code file} with {@code text} through a 0600 file beside it and a rename. */
  static void writeAtomically(Path file, String text) {
    try {
      Path temporary = tempFile(file.getParent(), "." + file.getFileName() + "-");
      try {
        Files.writeString(temporary, text, StandardCharsets.UTF_8);
        Files.move(
            temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(temporary);
      }
      restrict(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  static Path tempFile(Path directory, String prefix) throws IOException {
    if (posix()) {
      FileAttribute<Set<PosixFilePermission>> mode =
          PosixFilePermissions.asFileAttribute(OWNER_ONLY);
      return Files.createTempFile(directory, prefix, ".tmp", mode);
    }
    return Files.createTempFile(directory, prefix, ".tmp");
  }

  static void restrict(Path file) throws IOException {
    if (posix()) {
      Files.setPosixFilePermissions(file, OWNER_ONLY);
    }
  }

  private static boolean posix() {
    return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
  }
}
