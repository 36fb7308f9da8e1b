package dev.sluice.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The demo {@code sluice serve} runs without {@code --config}: {@code config/examples/demo.yaml}
 * and the tables of {@code config/examples/demo-schema.sql}. The files live once, in that folder;
 * the config module's build copies them into its jar, and this class reads them from there.
 */
public final class DemoConfiguration {
  /** How messages and logs name the demo's YAML. */
  public static final String SOURCE = "demo configuration config/examples/demo.yaml";

  private static final String FOLDER = "/dev/sluice/config/examples/";

  private DemoConfiguration() {}

  /** The demo configuration, with the environment and flags applied over it as usual. */
  public static SluiceConfig load(Map<String, String> environment, Map<String, String> flags) {
    return new ConfigLoader(environment).loadText(yaml(), SOURCE, flags);
  }

  /** The text of demo.yaml. */
  public static String yaml() {
    return read("demo.yaml");
  }

  /** The text of demo-schema.sql: CREATE TABLE and INSERT statements for the demo's tables. */
  public static String schemaSql() {
    return read("demo-schema.sql");
  }

  private static String read(String name) {
    try (InputStream in = DemoConfiguration.class.getResourceAsStream(FOLDER + name)) {
      if (in == null) {
        throw new IllegalStateException(
            "the demo file " + name + " is missing from the build (config/examples/" + name + ")");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
