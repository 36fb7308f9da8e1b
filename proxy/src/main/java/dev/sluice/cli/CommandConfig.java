package dev.sluice.cli;

import dev.sluice.config.ConfigLoader;
import dev.sluice.config.DemoConfiguration;
import dev.sluice.config.Setting;
import dev.sluice.config.SluiceConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * What the subcommands share about configuration: one flag per setting, and loading either the
 * {@code --config} file or, without one, the demo configuration.
 */
final class CommandConfig {
  private CommandConfig() {}

  /** Adds one {@code --key value} option per setting to {@code command}. */
  static CommandLine withSettingFlags(CommandLine command, List<Setting<?>> settings) {
    for (Setting<?> setting : settings) {
      command
          .getCommandSpec()
          .addOption(
              OptionSpec.builder(setting.flagName())
                  .paramLabel("<" + setting.key() + ">")
                  .type(String.class)
                  .description(setting.description() + " Default: " + setting.defaultText() + ".")
                  .build());
    }
    return command;
  }

  /** The setting flags given on the command line, by key. */
  static Map<String, String> flags(CommandSpec spec, List<Setting<?>> settings) {
    Map<String, String> flags = new LinkedHashMap<>();
    for (Setting<?> setting : settings) {
      OptionSpec option = spec.findOption(setting.flagName());
      if (option != null && option.getValue() != null) {
        flags.put(setting.key(), option.getValue());
      }
    }
    return flags;
  }

  /**
   * The configuration: {@code file} with the environment and flags over it, or the demo's when
   * {@code file} is null.
   *
   * @throws dev.sluice.config.ConfigException naming the key, value and expectation
   */
  static SluiceConfig load(Path file, Map<String, String> flags) {
    Map<String, String> environment = System.getenv();
    if (file == null) {
      return DemoConfiguration.load(environment, flags);
    }
    return new ConfigLoader(environment).load(file, flags);
  }
}
