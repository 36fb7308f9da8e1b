package dev.sluice.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** docs/CONFIGURATION.md must list every setting the code knows, with its real default. */
class ConfigurationReferenceTest {
  private static final Path REFERENCE = Path.of("..", "docs", "CONFIGURATION.md");

  @Test
  void reference_listsEverySettingWithItsDefault() throws IOException {
    String doc = Files.readString(REFERENCE);
    List<String> missing = new ArrayList<>();
    for (Setting<?> setting : Settings.ALL) {
      String shownDefault =
          setting.defaultText().isEmpty() ? "(empty)" : "`" + setting.defaultText() + "`";
      String row =
          "| `"
              + setting.key()
              + "` | "
              + shownDefault
              + " | "
              + (setting.runtime() ? "yes" : "no")
              + " |";
      if (!doc.contains(row)) {
        missing.add(row);
      }
    }
    assertEquals(List.of(), missing, "rows missing or out of date in " + REFERENCE);
  }

  @Test
  void reference_listsNoSettingTheCodeDoesNotKnow() throws IOException {
    for (String line : Files.readAllLines(REFERENCE)) {
      if (line.startsWith("| `")) {
        String key = line.substring(3, line.indexOf('`', 3));
        assertTrue(Settings.byKey(key).isPresent(), "documented key not in code: " + key);
      }
    }
  }
}
