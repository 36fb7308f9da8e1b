package dev.sluice.cli;

import dev.sluice.config.ConfigException;
import dev.sluice.config.MappingConfig;
import dev.sluice.config.Setting;
import dev.sluice.config.Settings;
import dev.sluice.config.SluiceConfig;
import dev.sluice.proxy.net.ProtectedMode;
import dev.sluice.proxy.postgres.PostgresConnector;
import dev.sluice.proxy.postgres.PostgresException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sluice config check FILE}: validates a configuration and its mappings, then exits. */
@Command(
    name = "config",
    mixinStandardHelpOptions = true,
    description = "Checks configuration files.")
public final class ConfigCommand implements Runnable {
  @Spec CommandSpec spec;

  static CommandLine commandLine() {
    CommandLine config = new CommandLine(new ConfigCommand());
    config.addSubcommand(
        CommandConfig.withSettingFlags(new CommandLine(new Check()), Check.SETTINGS));
    return config;
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(
      name = "check",
      mixinStandardHelpOptions = true,
      description = {
        "Validates a configuration file, then checks its mappings against the database as",
        "`sluice serve` does at start-up (tables, key columns, types), prints what each",
        "mapping will do, and exits. It changes nothing: no migration, no schema script."
      },
      footer = {
        "",
        "Environment variables apply as for serve: SLUICE_POSTGRES_URL overrides postgres.url.",
        "Exit codes: 0 valid, 1 the mappings do not fit the database or it is unreachable,"
            + " 2 bad configuration."
      })
  static final class Check implements Callable<Integer> {
    static final List<Setting<?>> SETTINGS =
        Settings.ALL.stream().filter(s -> s.key().startsWith("postgres.")).toList();

    @Spec CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "The YAML configuration file.")
    Path file;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      if (!Files.isRegularFile(file)) {
        err.println("sluice: no such file: " + file);
        return 2;
      }
      SluiceConfig config;
      try {
        config = CommandConfig.load(file, CommandConfig.flags(spec, SETTINGS));
        ProtectedMode.check(config); // serve would refuse it
      } catch (ConfigException e) {
        err.println("sluice: " + e.getMessage());
        return 2;
      }
      out.println("Configuration " + file + " is valid.");
      if (!config.usesPostgres()) {
        out.println("No mappings: PostgreSQL is not used.");
        return 0;
      }
      try (PostgresConnector postgres = PostgresConnector.connect(config)) {
        postgres.validate(config.mappings());
        out.println(
            "The "
                + config.mappings().size()
                + " mappings fit "
                + postgres.url()
                + " (PostgreSQL "
                + postgres.serverVersion()
                + "):");
        for (MappingConfig mapping : config.mappings()) {
          out.println("  " + postgres.describe(mapping));
        }
        return 0;
      } catch (PostgresException e) {
        err.println("sluice: " + e.getMessage());
        return 1;
      }
    }
  }
}
