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

  /**
   * The settings part of the reference: everything before the mappings section, less the users
   * section (whose tables list the keys of a user, not settings).
   */
  private static String settingsPart() throws IOException {
    String doc = Files.readString(REFERENCE);
    int mappings = doc.indexOf(MAPPINGS_HEADING);
    assertTrue(mappings > 0, "no '" + MAPPINGS_HEADING + "' section in " + REFERENCE);
    return doc.substring(0, mappings).replace(usersPart(), "");
  }

  /** From the users heading to the next second-level heading. */
  private static String usersPart() throws IOException {
    String doc = Files.readString(REFERENCE);
    int start = doc.indexOf(USERS_HEADING);
    assertTrue(start > 0, "no '" + USERS_HEADING + "' section in " + REFERENCE);
    return doc.substring(start, doc.indexOf("\n## ", start + 1));
  }

  private static final String USERS_HEADING = "\n### Users\n";

  private static String mappingsPart() throws IOException {
    String doc = Files.readString(REFERENCE);
    return doc.substring(doc.indexOf(MAPPINGS_HEADING));
  }

  private static final String MAPPINGS_HEADING = "\n## Mappings\n";

  @Test
  void reference_listsEverySettingWithItsDefault() throws IOException {
    String doc = settingsPart();
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
    for (String line : settingsPart().lines().toList()) {
      if (line.startsWith("| `")) {
        String key = line.substring(3, line.indexOf('`', 3));
        assertTrue(Settings.byKey(key).isPresent(), "documented key not in code: " + key);
      }
    }
  }

  @Test
  void reference_listsEveryUserKeyAndNoOther() throws IOException {
    List<String> documented = new ArrayList<>();
    String part = usersPart();
    // the first table of the section is the keys of a user
    String keysTable = part.substring(part.indexOf("| key |"));
    keysTable = keysTable.substring(0, keysTable.indexOf("\n\n"));
    for (String line : keysTable.lines().toList()) {
      if (line.startsWith("| `")) {
        documented.add(line.substring(3, line.indexOf('`', 3)));
      }
    }
    assertEquals(
        new java.util.TreeSet<>(UsersParser.knownKeys()),
        new java.util.TreeSet<>(documented),
        "user keys in " + REFERENCE);
  }

  @Test
  void reference_listsEveryMappingKeyAndNoOther() throws IOException {
    List<String> documented = new ArrayList<>();
    for (String line : mappingsPart().lines().toList()) {
      if (line.startsWith("| `")) {
        documented.add(line.substring(3, line.indexOf('`', 3)));
      }
    }
    assertEquals(
        new java.util.TreeSet<>(MappingsParser.knownKeys()),
        new java.util.TreeSet<>(documented),
        "mapping keys in " + REFERENCE);
  }
}
