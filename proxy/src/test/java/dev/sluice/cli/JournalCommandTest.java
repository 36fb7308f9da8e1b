package dev.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.writeback.journal.JournalOptions;
import dev.sluice.writeback.journal.JournalWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class JournalCommandTest {
  @TempDir Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine commandLine = Main.commandLine();
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    return commandLine.execute(args);
  }

  private Path segment() throws Exception {
    try (JournalWriter w = JournalWriter.open(JournalOptions.defaults(dir))) {
      for (int i = 0; i < 5; i++) {
        w.append((byte) 1, ("record " + i).getBytes(StandardCharsets.UTF_8))
            .get(10, TimeUnit.SECONDS);
      }
      return w.segmentFiles().get(0);
    }
  }

  @Test
  void verify_intactJournal_exitsZero() throws Exception {
    segment();
    assertEquals(0, run("journal", "verify", "--journal.dir", dir.toString()), err.toString());
    assertTrue(out.toString().startsWith("OK: 1 segments, 5 records"), out.toString());
    assertEquals(0, run("journal", "stats", "--journal.dir", dir.toString()));
    assertTrue(out.toString().contains("last LSN:  5"), out.toString());
  }

  @Test
  void verify_corruptRecord_exitsOneNamingFileAndOffset() throws Exception {
    Path file = segment();
    byte[] bytes = Files.readAllBytes(file);
    bytes[20 + 17 + 1] ^= 1; // payload of the first record; four valid ones follow
    Files.write(file, bytes);
    assertEquals(1, run("journal", "verify", "--journal.dir", dir.toString()));
    assertTrue(err.toString().contains(file + " at byte offset 20"), err.toString());
  }

  @Test
  void verify_missingDirectory_exitsTwo() {
    assertEquals(2, run("journal", "verify", "--journal.dir", dir.resolve("nope").toString()));
    assertEquals(2, run("journal", "verify", "--no-such-flag"));
  }
}
