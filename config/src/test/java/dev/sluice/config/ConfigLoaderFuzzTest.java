package dev.sluice.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Fuzz targets for the configuration loader: any YAML text gives a configuration or a {@link
 * ConfigException} (never another exception), and a value given for one setting is accepted exactly
 * when that setting's parser accepts it, arrives as the parser's value, survives being formatted
 * and parsed again, and is refused with a message naming the key.
 */
class ConfigLoaderFuzzTest {
  private static final ConfigLoader LOADER =
      new ConfigLoader(Map.of("SLUICE_FUZZ_PORT", "7000", "EMPTY", ""));

  @FuzzTest
  void loadText_anyYaml_configOrConfigException(byte[] input) {
    String yaml = new String(input, StandardCharsets.UTF_8);
    try {
      SluiceConfig config = LOADER.loadText(yaml, "fuzz input", Map.of());
      for (Setting<?> setting : Settings.ALL) {
        assertTrue(config.get(setting) != null, "every setting has a value: " + setting.key());
      }
    } catch (ConfigException e) {
      assertTrue(e.getMessage() != null && !e.getMessage().isBlank(), "the refusal says why");
    }
  }

  /** Input: one byte choosing the setting, then the value as UTF-8. */
  @FuzzTest
  void loadText_oneSettingValue_agreesWithTheSettingsParser(byte[] input) {
    if (input.length == 0) {
      return;
    }
    Setting<?> setting = Settings.ALL.get((input[0] & 0xff) % Settings.ALL.size());
    String raw = new String(input, 1, input.length - 1, StandardCharsets.UTF_8);
    Object parsed;
    try {
      parsed = setting.parser().parse(raw);
    } catch (InvalidValueException e) {
      parsed = e;
    }

    try {
      SluiceConfig config = LOADER.loadText("", "fuzz input", Map.of(setting.key(), raw));
      assertTrue(!(parsed instanceof InvalidValueException), "accepted what the parser refused");
      assertEquals(parsed, config.get(setting));
      String formatted = setting.format(parsed);
      assertEquals(
          parsed, setting.parse(formatted, "round trip"), "format then parse: " + formatted);
    } catch (ConfigException e) {
      assertTrue(
          parsed instanceof InvalidValueException,
          () -> "refused what the parser accepted: " + e.getMessage());
      assertTrue(e.getMessage().contains("'" + setting.key() + "'"), e.getMessage());
    }
  }
}
