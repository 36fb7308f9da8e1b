package dev.sluice.cli;

import dev.sluice.config.ConfigException;
import dev.sluice.config.ConfigLoader;
import dev.sluice.config.Setting;
import dev.sluice.config.Settings;
import dev.sluice.config.SluiceConfig;
import dev.sluice.proxy.keyspace.Clock;
import dev.sluice.proxy.server.SluiceServer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sluice serve}: loads the configuration and runs the server until stopped. Every setting is
 * also a flag ({@code --maxmemory 100mb}); the flags are generated from {@link Settings} so the two
 * cannot drift apart.
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = "Starts Sluice and serves until stopped (Ctrl-C or SIGTERM).",
    footer = {
      "",
      "Every flag is also an environment variable: --maxmemory-policy is SLUICE_MAXMEMORY_POLICY.",
      "Precedence: flags, then environment, then the --config file, then defaults."
    })
public final class ServeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = {"-c", "--config"},
      paramLabel = "FILE",
      description = "YAML configuration file.")
  Path configFile;

  /** Adds one option per setting to the serve command. */
  static CommandLine withSettingFlags(CommandLine serve) {
    for (Setting<?> setting : Settings.ALL) {
      serve
          .getCommandSpec()
          .addOption(
              OptionSpec.builder(setting.flagName())
                  .paramLabel("<" + setting.key() + ">")
                  .type(String.class)
                  .description(setting.description() + " Default: " + setting.defaultText() + ".")
                  .build());
    }
    return serve;
  }

  @Override
  public Integer call() throws Exception {
    SluiceConfig config;
    try {
      config = new ConfigLoader(System.getenv()).load(configFile, flags());
    } catch (ConfigException e) {
      spec.commandLine().getErr().println("sluice: " + e.getMessage());
      return 2;
    }
    SluiceServer server;
    try {
      server = new SluiceServer(config, Clock.SYSTEM).start();
    } catch (IllegalStateException e) {
      spec.commandLine().getErr().println("sluice: " + e.getMessage());
      return 1;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "sluice-shutdown"));
    server.awaitClose();
    return 0;
  }

  private Map<String, String> flags() {
    Map<String, String> flags = new LinkedHashMap<>();
    for (Setting<?> setting : Settings.ALL) {
      OptionSpec option = spec.findOption(setting.flagName());
      if (option != null && option.getValue() != null) {
        flags.put(setting.key(), option.getValue());
      }
    }
    return flags;
  }
}
