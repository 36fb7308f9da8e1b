package dev.sluice.cli;

import dev.sluice.config.ConfigException;
import dev.sluice.config.Setting;
import dev.sluice.config.Settings;
import dev.sluice.config.SluiceConfig;
import dev.sluice.migrations.SluiceMigrations;
import dev.sluice.proxy.postgres.PostgresConnector;
import dev.sluice.proxy.postgres.PostgresException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sluice migrate}: creates or upgrades Sluice's own schema {@code sluice} in the configured
 * database and exits, without checking mappings or serving. {@code sluice serve} runs the same
 * migrations at start-up; this is for a DBA who wants them applied ahead of a deployment.
 */
@Command(
    name = "migrate",
    mixinStandardHelpOptions = true,
    description = {
      "Creates or upgrades Sluice's schema `sluice` in the configured PostgreSQL, then exits.",
      "Without --config it uses the demo's database (the embedded PostgreSQL in ./data/postgres)."
    },
    footer = {
      "",
      "Every flag is also an environment variable: --postgres.url is SLUICE_POSTGRES_URL.",
      "Exit codes: 0 migrated (or already up to date), 1 database unreachable or a migration"
          + " failed, 2 bad configuration."
    })
public final class MigrateCommand implements Callable<Integer> {
  /** The settings that matter here: those of PostgreSQL. */
  static final List<Setting<?>> SETTINGS =
      Settings.ALL.stream().filter(s -> s.key().startsWith("postgres.")).toList();

  @Spec CommandSpec spec;

  @Option(
      names = {"-c", "--config"},
      paramLabel = "FILE",
      description = "YAML configuration file; only its postgres section is used.")
  Path configFile;

  static CommandLine withSettingFlags(CommandLine migrate) {
    return CommandConfig.withSettingFlags(migrate, SETTINGS);
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    SluiceConfig config;
    try {
      config = CommandConfig.load(configFile, CommandConfig.flags(spec, SETTINGS));
    } catch (ConfigException e) {
      err.println("sluice: " + e.getMessage());
      return 2;
    }
    try (PostgresConnector postgres = PostgresConnector.connect(config)) {
      SluiceMigrations.Result result = postgres.migrate();
      if (result.upToDate()) {
        out.println(
            "Schema sluice in "
                + postgres.url()
                + " is up to date at version "
                + result.targetVersion()
                + ".");
      } else {
        for (SluiceMigrations.Applied applied : result.applied()) {
          out.println(
              "Applied V"
                  + applied.version()
                  + " "
                  + applied.description()
                  + " ("
                  + applied.millis()
                  + " ms)");
        }
        out.println(
            "Schema sluice in "
                + postgres.url()
                + " is now at version "
                + result.targetVersion()
                + ".");
      }
      out.flush();
      return 0;
    } catch (PostgresException e) {
      err.println("sluice: " + e.getMessage());
      return 1;
    }
  }
}
