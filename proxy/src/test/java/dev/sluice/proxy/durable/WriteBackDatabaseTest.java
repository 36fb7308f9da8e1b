package dev.sluice.proxy.durable;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * A write-back test class with an embedded PostgreSQL of its own ({@link WriteBackFixture}: the
 * write-back tables and mappings), started once before the class's tests and stopped after them.
 * Test classes run one after another, so the static fields are each class's own while it runs.
 */
abstract class WriteBackDatabaseTest {
  @TempDir static Path dir;
  static WriteBackFixture db;

  @BeforeAll
  static void startDatabase() throws Exception {
    db = WriteBackFixture.start(dir);
  }

  @AfterAll
  static void stopDatabase() {
    db.close();
  }
}
